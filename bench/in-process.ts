/**
 * In-process mode on a virtual clock against network mode (README.md, "Performance").
 *
 * 1. Executions per second of one simple read (billing-robust getInvoice: a token request and
 *    the read, no fault), run one after another for BENCH_SECONDS in each mode: network mode
 *    (a replay server on 127.0.0.1, real fetch) and in-process mode (@mswjs/interceptors, fake
 *    timers). Target: >= 500 executions/s in-process (the design's 1,000/s is for a retry
 *    scenario on a fetch-based connector).
 *    Then the retry scenario README.md's targets name (a 500, the connector's backoff, the retry) in-process.
 * 2. The wall time of one execution whose schedule injects 30 s of waits: three 429s with
 *    `Retry-After: 10` in a row, on a small fetch connector that honours Retry-After.
 *    Target: < 50 ms in-process.
 *
 * It prints figures and ratios from the same run; it never asserts.
 *
 *   npx tsx bench/in-process.ts          (npm run bench:in-process; BENCH_SECONDS=3 by default)
 */
import { fileURLToPath } from 'node:url';
import { prepareRun } from '../src/config/api.js';
import { loadContract } from '../src/contracts/load.js';
import type { FaultSchedule, LoadedConnector } from '../src/core/index.js';
import { FAULTS } from '../src/faults/index.js';
import { InProcessNetwork } from '../src/replay/index.js';
import { execute, executeInProcess, type ExecutionSpec } from '../src/run/execute.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const root = fileURLToPath(new URL('../', import.meta.url));

const { plan } = await prepareRun({ cwd: root, connectors: ['billing-robust'], seed: 1 });
const robust = plan.connectors[0] as LoadedConnector;
const contract = await loadContract(robust.contractPath, robust.definition.contract);

const spec = (connector: LoadedConnector, operation: string, schedule: FaultSchedule): ExecutionSpec => ({
  executionId: `${connector.definition.name}/bench/${operation}`,
  connector,
  contract,
  operation,
  scenario: 'bench',
  category: 'rate-limit',
  schedule,
  seed: 1,
  concurrency: 1,
  golden: undefined,
  faults: FAULTS,
});

async function rate(run: () => Promise<unknown>): Promise<{ perSecond: number; count: number }> {
  for (let i = 0; i < 20; i++) await run(); // warm-up
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  let count = 0;
  while (performance.now() < until) {
    await run();
    count++;
  }
  return { perSecond: count / ((performance.now() - started) / 1000), count };
}

const network = new InProcessNetwork();
const read = spec(robust, 'getInvoice', { steps: [] });
const networkRate = await rate(() => execute(read));
network.apply();
const inProcessRate = await rate(() => executeInProcess(read, network));
// the targets' retry scenario (README.md, "Performance"): a 500, then the connector's jittered backoff, then the retry
const retry = spec(robust, 'getInvoice', { steps: [{ on: 'api', request: 1, fault: 'server-errors/internal-error', params: {} }] });
const retryRate = await rate(() => executeInProcess(retry, network));

// a connector that honours Retry-After, with room for 30 s of waits
const patient: LoadedConnector = {
  file: 'bench/in-process.ts',
  contractPath: robust.contractPath,
  definition: {
    name: 'patient',
    contract: robust.definition.contract,
    deadlineMs: 60_000,
    create: ({ baseUrl }) => ({ baseUrl }),
    operations: {
      getInvoice: {
        kind: 'read',
        run: async ({ baseUrl }: { baseUrl: string }) => {
          const token = await fetch(`${baseUrl}/oauth/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'grant_type=client_credentials&client_id=demo&client_secret=demo-secret',
          });
          const { access_token: accessToken } = (await token.json()) as { access_token: string };
          for (let attempt = 1; ; attempt++) {
            const res = await fetch(`${baseUrl}/v1/invoices/in_1`, { headers: { authorization: `Bearer ${accessToken}` } });
            if (res.status !== 429 || attempt > 5) return res.json();
            await new Promise((resolve) => setTimeout(resolve, Number(res.headers.get('retry-after')) * 1000));
          }
        },
      },
    },
  },
};
const waits: FaultSchedule = {
  steps: [1, 2, 3].map((request) => ({ on: 'api' as const, request, fault: 'rate-limit/retry-after-seconds', params: { seconds: 10 } })),
};
const walls: number[] = [];
let virtual = 0;
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  const observation = await executeInProcess(spec(patient, 'getInvoice', waits), network);
  walls.push(performance.now() - started);
  const outcome = observation?.outcomes[0];
  virtual = outcome && outcome.status !== 'hung' ? outcome.settledMs : NaN;
}
network.dispose();
walls.sort((a, b) => a - b);
const median = walls[Math.floor(walls.length / 2)] as number;

console.log(`\nholdup in-process bench: node ${process.version}, ${SECONDS} s per mode\n`);
const rows: [string, string][] = [
  ['network mode, simple read, executions/s', networkRate.perSecond.toFixed(0)],
  ['in-process mode, simple read, executions/s', inProcessRate.perSecond.toFixed(0)],
  ['in-process / network', `${(inProcessRate.perSecond / networkRate.perSecond).toFixed(1)}x`],
  ['in-process mode, retry after a 500, executions/s', retryRate.perSecond.toFixed(0)],
  ['30 s of Retry-After waits: virtual ms', virtual.toFixed(0)],
  ['30 s of Retry-After waits: wall ms (median of 5)', median.toFixed(1)],
];
const width = Math.max(...rows.map(([name]) => name.length));
console.log(`${'measure'.padEnd(width)} |     value`);
console.log(`${'-'.repeat(width)}-|----------`);
for (const [name, value] of rows) console.log(`${name.padEnd(width)} | ${value.padStart(9)}`);
console.log('\nTargets:');
console.log(`  in-process simple read >= 500/s: ${inProcessRate.perSecond >= 500 ? 'met' : 'missed'}`);
console.log(`  in-process retry scenario >= 1,000/s (README.md): ${retryRate.perSecond >= 1000 ? 'met' : 'missed'}`);
console.log(`  30 s of waits in < 50 ms wall:   ${median < 50 ? 'met' : 'missed'}`);
