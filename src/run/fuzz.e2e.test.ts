import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../config/index.js';
import { loadContract } from '../contracts/load.js';
import { fuzz } from './fuzz.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('fuzz', () => {
  it('a time budget skips the runs left and leaves the real clock, Math.random and AbortSignal.timeout behind', async () => {
    const { plan } = await prepareRun({ cwd: root, connectors: ['billing-robust'], seed: 5 });
    const connector = plan.connectors[0]!;
    const contract = await loadContract(connector.contractPath, connector.definition.contract);
    const realSetTimeout = setTimeout;
    const realRandom = Math.random;
    const realAbortTimeout = AbortSignal.timeout;
    const options = { connector, contract, scenarios: plan.scenarios, runs: 2_000, seed: 5, timeBudgetMs: 300 };
    const first = await fuzz(options);
    expect(first).toMatchObject({ status: 'passed', interrupted: true });
    expect(setTimeout).toBe(realSetTimeout);
    expect(Math.random).toBe(realRandom);
    expect(AbortSignal.timeout).toBe(realAbortTimeout);
    expect(Date.now()).toBeGreaterThan(Date.parse('2026-01-01'));
    // and a second search can install its clock again
    expect((await fuzz({ ...options, runs: 5, timeBudgetMs: undefined })).status).toBe('passed');
  });
});
