import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prepareRun, runResilience } from '../config/index.js';
import { loadContract } from '../contracts/load.js';
import { fuzz } from './fuzz.js';

// A contract whose responses carry Pact generators (RandomInt, Uuid, DateTime, MockServerURL, …) and
// a connector that returns the body as it came: the fault executions must see the values its control
// execution saw, or correct-or-loud reads every one of them as silent corruption.
const cwd = fileURLToPath(new URL('../../fixtures/generated-values/', import.meta.url));

describe('generated values are the same for the control and the fault executions', () => {
  it('in holdup run: an unchanged body is not corruption, a self link to the execution\'s own address included', async () => {
    // network mode: each execution has a replay server, and so an address, of its own
    const report = await runResilience({ cwd, seed: 11, categories: ['deprecation', 'server-errors'] });
    const connector = report.connectors[0]!;
    expect(connector.valid).toBe(true);
    const findings = connector.categories.flatMap((category) => category.findings);
    expect(findings.filter((finding) => finding.code === 'HU-CL-001')).toEqual([]);
    expect(connector.categories.find((category) => category.id === 'deprecation')?.status).toBe('pass');
  }, 120_000);

  it('in holdup fuzz', async () => {
    const { plan } = await prepareRun({ cwd, seed: 11 });
    const connector = plan.connectors[0]!;
    const contract = await loadContract(connector.contractPath, connector.definition.contract);
    const scenarios = plan.scenarios.filter(({ scenario }) => scenario.category === 'deprecation');
    const result = await fuzz({ connector, contract, scenarios, runs: 25, seed: 11 });
    expect(result.status === 'failed' ? result.failure.findings.map((finding) => finding.code) : []).toEqual([]);
  }, 120_000);
});
