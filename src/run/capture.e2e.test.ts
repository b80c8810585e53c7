import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { prepareRun, runResilience } from '../config/index.js';
import { loadContract } from '../contracts/load.js';
import type { Observation, RunEvent } from '../core/index.js';
import { fuzz } from './fuzz.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TAG = 'timer-warnings';

/**
 * A connector that reports a deprecation only later, from a timer callback it sets after the
 * response arrived (a logger that flushes on a timer), through every channel holdup captures.
 * In-process that timer is a virtual one, fired by the clock's driver.
 */
const CONNECTOR = `export default {
  name: '${TAG}',
  contract: ${JSON.stringify(path.join(root, 'fixtures/retry-after-date/contract.json'))},
  create: ({ baseUrl, warn }) => ({ baseUrl, warn }),
  operations: {
    getQuote: {
      kind: 'read',
      run: async ({ baseUrl, warn }) => {
        const response = await fetch(baseUrl + '/v1/quotes/q_1', { headers: { Accept: 'application/json' } });
        const text = await response.text();
        if (!response.ok) throw new Error('quotes answered ' + response.status);
        const notice = response.headers.get('deprecation') ?? response.headers.get('sunset');
        if (notice !== null) {
          await new Promise((resolve) =>
            setTimeout(() => {
              warn('${TAG}: hook ' + notice);
              console.warn('${TAG}: console.warn %s', notice);
              console.error('${TAG}: console.error');
              process.emitWarning('${TAG}: emitWarning', 'DeprecationWarning');
              resolve(undefined);
            }, 25),
          );
        }
        const quote = JSON.parse(text);
        return { id: quote.id, amount: quote.amount, currency: quote.currency };
      },
    },
  },
  deadlineMs: 5000,
};
`;

let project: string;
beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'holdup-timer-warnings-'));
  await writeFile(path.join(project, 'holdup.config.ts'), "export default { connectors: ['*.connector.ts'] };\n");
  await writeFile(path.join(project, 'timer-warnings.connector.ts'), CONNECTOR);
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

/** The terminal as it was before holdup installed its capture: anything the connector emitted that leaked would land here. */
let terminal: MockInstance[];
beforeEach(() => {
  terminal = [
    vi.spyOn(console, 'warn').mockImplementation(() => {}),
    vi.spyOn(console, 'error').mockImplementation(() => {}),
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {}),
    vi.spyOn(process.stderr, 'write'),
  ];
});
afterEach(() => {
  vi.restoreAllMocks();
});

function leaked(): string[] {
  return terminal.flatMap((spy) => spy.mock.calls.map((call) => String(call[0]))).filter((text) => text.includes(TAG));
}

describe.each(['in-process', 'network'] as const)('warnings from a timer callback after the response, %s', (mode) => {
  it('are filed under their execution, every channel, and none reaches the terminal', async () => {
    const observations: Observation[] = [];
    const report = await runResilience({
      cwd: project,
      seed: 9,
      mode,
      categories: ['deprecation'],
      onEvent: (event: RunEvent) => {
        if (event.type === 'execution-done') observations.push(event.observation);
      },
    });
    const byScenario = new Map(observations.map((o) => [o.scenario, o]));
    expect([...byScenario.keys()].sort()).toEqual(['control', 'deprecation/deprecation-header', 'deprecation/gone', 'deprecation/sunset-header']);
    for (const scenario of ['deprecation/deprecation-header', 'deprecation/sunset-header']) {
      const warnings = byScenario.get(scenario)?.warnings ?? [];
      expect(warnings.map((w) => w.source), scenario).toEqual(['warn', 'console.warn', 'console.error', 'process.emitWarning']);
      expect(warnings.every((w) => w.message.replace(/^DeprecationWarning: /, "").startsWith(`${TAG}: `))).toBe(true);
      // after the timer: at least its 25 ms after the start of the execution
      expect(Math.min(...warnings.map((w) => w.atMs))).toBeGreaterThanOrEqual(25);
    }
    expect(byScenario.get('control')?.warnings).toEqual([]);
    expect(byScenario.get('deprecation/gone')?.warnings).toEqual([]);
    const deprecation = report.connectors[0]?.categories.find((c) => c.id === 'deprecation');
    expect(deprecation?.checks.find((c) => c.id === 'surfaces-deprecation')).toMatchObject({ passed: true, executions: 2 });
    expect(leaked()).toEqual([]);
  });

  it('are captured by holdup fuzz too, which then finds nothing to fault', async () => {
    const { plan } = await prepareRun({ cwd: project, connectors: [TAG], seed: 4 });
    const connector = plan.connectors[0]!;
    const contract = await loadContract(connector.contractPath, connector.definition.contract);
    const scenarios = plan.scenarios.filter(({ scenario }) => scenario.category === 'deprecation');
    const result = await fuzz({ connector, contract, scenarios, runs: 20, seed: 4, mode });
    expect(result).toMatchObject({ status: 'passed', runs: 20 });
    expect(leaked()).toEqual([]);
  });
});
