/**
 * Demo-suite wall-time benchmark (README.md, "Performance": the demo suite, network mode,
 * real Toxiproxy, in < 60 s on 2 cores).
 *
 * Runs the demo suite once per repetition: the connectors of package.json's `holdup` key
 * (fixtures/connectors) × every built-in scenario, network engine 'auto' (a `toxiproxy-server`
 * on PATH or in ~/.cache/holdup), through `prepareRun` + `runPlan` as `holdup run` does, and
 * times `runPlan` with performance.now(). Next to the wall time it prints two sums over every
 * `execution-done` event of the run (control executions included):
 *
 *   serial time     Σ per execution: its deadlineMs if an invocation hung, else the latest
 *                   outcome's settledMs. What the executions would cost one after another
 *                   (starting each replay server and proxy not included); wall / serial is the
 *                   gain from running executions concurrently.
 *   injected waits  Σ per execution: the waits holdup itself asked for, counted on the responses
 *                   actually served with a fault (trace entries' `fault`: a schedule step kept
 *                   `onwards` counts once per request it hit, a step never reached not at all):
 *                     - Retry-After / RateLimit reset, `seconds` × 1000: rate-limit/retry-after-seconds,
 *                       rate-limit/retry-after-date, rate-limit/retry-after-too-long,
 *                       rate-limit/ratelimit-headers, server-errors/unavailable-retry-after;
 *                     - Toxiproxy latency, `latencyMs` (jitter ignored): latency-timeout/latency-below-timeout,
 *                       latency-timeout/latency-above-deadline;
 *                     - held-back headers, `delayMs`: latency-timeout/slow-headers;
 *                   the execution's sum capped at its deadlineMs (the execution is cut there), and an
 *                   execution that hung counts its full deadlineMs instead.
 *                   Not counted: waits a connector chooses itself (backoff after a 5xx or a bare 429,
 *                   its own timeout under black-hole), slicer and bandwidth pacing (milliseconds on
 *                   these bodies), slow-close (the response is complete before the close is delayed).
 *                   It is what holdup asked for, so it can exceed serial time: a connector that gives
 *                   up early (its own timeout under latency-above-deadline, refusing a too-long
 *                   Retry-After) pays less than the deadline it is charged here.
 *
 * It prints figures and same-run ratios; it never asserts. With BENCH_RUNS > 1 it prints each
 * run and the median.
 *
 *   npx tsx bench/demo-suite.ts               (npm run bench:suite; ~30 s a run on 2 cores)
 *   BENCH_RUNS=5 BENCH_SEED=7 BENCH_CONCURRENCY=16 npx tsx bench/demo-suite.ts
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { prepareRun } from '../src/config/api.js';
import type { NetworkEngine, Observation, RunReport } from '../src/core/index.js';
import { runPlan } from '../src/run/runner.js';

const SEED = Number(process.env['BENCH_SEED'] ?? 7);
const CONCURRENCY = process.env['BENCH_CONCURRENCY'] === undefined ? undefined : Number(process.env['BENCH_CONCURRENCY']);
const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 1));
const TARGET_S = 60;
const TARGET_CORES = 2;
/** The repository root: package.json's `holdup` key there is the demo config. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Fault ids whose `seconds` param is a wait the response asks for (Retry-After or a RateLimit reset). */
const SECONDS_FAULTS = new Set([
  'rate-limit/retry-after-seconds',
  'rate-limit/retry-after-date',
  'rate-limit/retry-after-too-long',
  'rate-limit/ratelimit-headers',
  'server-errors/unavailable-retry-after',
]);
/** Fault ids whose `latencyMs` param is a Toxiproxy latency on the response. */
const LATENCY_FAULTS = new Set(['latency-timeout/latency-below-timeout', 'latency-timeout/latency-above-deadline']);
/** Fault ids whose `delayMs` param holds the status line and headers back. */
const HEADER_DELAY_FAULTS = new Set(['latency-timeout/slow-headers']);

interface RunFigures {
  executions: number;
  wallMs: number;
  serialMs: number;
  injectedMs: number;
  hung: number;
  /** Executions whose waits were capped at their deadline (hung ones not included). */
  capped: number;
  engine: NetworkEngine;
  concurrency: number;
  report: RunReport;
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** How long the execution took: its deadline when an invocation hung, else the latest settledMs. */
function executionMs(observation: Observation): number {
  let latest = 0;
  for (const outcome of observation.outcomes) {
    if (outcome.status === 'hung') return observation.deadlineMs;
    latest = Math.max(latest, outcome.settledMs);
  }
  return latest;
}

/** The waits holdup asked for in one execution (see the header), and whether the deadline capped them. */
function injectedMs(observation: Observation): { ms: number; hung: boolean; capped: boolean } {
  const { deadlineMs } = observation;
  if (observation.outcomes.some((outcome) => outcome.status === 'hung')) return { ms: deadlineMs, hung: true, capped: false };
  let asked = 0;
  for (const entry of observation.trace) {
    if (!entry.fault) continue;
    const { id, params } = entry.fault;
    if (SECONDS_FAULTS.has(id)) asked += num(params['seconds']) * 1000;
    else if (LATENCY_FAULTS.has(id)) asked += num(params['latencyMs']);
    else if (HEADER_DELAY_FAULTS.has(id)) asked += num(params['delayMs']);
  }
  return { ms: Math.min(asked, deadlineMs), hung: false, capped: asked > deadlineMs };
}

const log = (msg: string): void => void process.stderr.write(`${msg}\n`);

async function runOnce(run: number): Promise<RunFigures> {
  const { plan } = await prepareRun({
    cwd: ROOT,
    seed: SEED,
    ...(CONCURRENCY === undefined ? {} : { concurrency: CONCURRENCY }),
    networkEngine: 'auto',
  });
  let executions = 0;
  let serialMs = 0;
  let injected = 0;
  let hung = 0;
  let capped = 0;
  const start = performance.now();
  const report = await runPlan(plan, (event) => {
    if (event.type === 'engine-progress') log(`  [run ${run}] ${event.message}`);
    if (event.type !== 'execution-done') return;
    executions++;
    serialMs += executionMs(event.observation);
    const waits = injectedMs(event.observation);
    injected += waits.ms;
    if (waits.hung) hung++;
    if (waits.capped) capped++;
  });
  const wallMs = performance.now() - start;
  return { executions, wallMs, serialMs, injectedMs: injected, hung, capped, engine: report.networkEngine, concurrency: plan.concurrency, report };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function describeEngine(engine: NetworkEngine): string {
  return engine.kind === 'toxiproxy' ? `toxiproxy ${engine.version}${engine.source ? ` (${engine.source})` : ''}` : `none: ${engine.reason}`;
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  log(
    `holdup demo-suite bench: ${RUNS} run(s), seed ${SEED}, concurrency ${CONCURRENCY ?? "the config's"}, node ${process.version}, ${cores} cores`,
  );
  const runs: RunFigures[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const figures = await runOnce(run);
    runs.push(figures);
    log(
      `  run ${run}: ${figures.executions} executions, wall ${fmt(figures.wallMs / 1000, 1)} s, serial ${fmt(figures.serialMs / 1000, 1)} s, injected ${fmt(figures.injectedMs / 1000, 1)} s`,
    );
  }

  // ---- table: one column per run, then the median
  const metrics: { name: string; value: (r: RunFigures) => number; digits: number }[] = [
    { name: 'executions', value: (r) => r.executions, digits: 0 },
    { name: 'hung executions (deadline)', value: (r) => r.hung, digits: 0 },
    { name: 'executions capped at deadline', value: (r) => r.capped, digits: 0 },
    { name: 'wall time s', value: (r) => r.wallMs / 1000, digits: 2 },
    { name: 'serial time s', value: (r) => r.serialMs / 1000, digits: 2 },
    { name: 'injected waits s', value: (r) => r.injectedMs / 1000, digits: 2 },
    { name: 'wall / serial', value: (r) => r.wallMs / r.serialMs, digits: 3 },
    { name: 'wall / injected', value: (r) => r.wallMs / r.injectedMs, digits: 3 },
  ];
  const columns = RUNS === 1 ? ['value'] : [...runs.map((_, i) => `run ${i + 1}`), 'median'];
  const header = ['metric', ...columns];
  const body = metrics.map((m) => {
    const values = runs.map(m.value);
    const cells = RUNS === 1 ? values : [...values, median(values)];
    return [m.name, ...cells.map((v) => fmt(v, m.digits))];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  const first = runs[0]!;
  console.log('');
  console.log(`Demo suite (fixture connectors × built-in scenarios), seed ${SEED}, concurrency ${first.concurrency}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const cells of body) console.log(line(cells));

  // each run starts its own Toxiproxy (a new pid and port): show the first, flag a different kind or version
  const engineKey = (e: NetworkEngine): string => (e.kind === 'toxiproxy' ? `toxiproxy ${e.version}` : 'none');
  const otherEngines = [...new Set(runs.map((r) => engineKey(r.engine)))].filter((key) => key !== engineKey(first.engine));
  const wall = median(runs.map((r) => r.wallMs)) / 1000;
  console.log('');
  console.log(`network engine${RUNS === 1 ? '' : ' (run 1)'}: ${describeEngine(first.engine)}`);
  if (otherEngines.length > 0) console.log(`WARNING: other runs used ${otherEngines.join(', ')}`);
  console.log(`node ${process.version}, ${cores} cores (os.availableParallelism())`);
  console.log('');
  console.log('Target (README.md "Performance"):');
  console.log(
    `  wall time${RUNS === 1 ? '' : ' (median)'} ${fmt(wall, 2)} s  (< ${TARGET_S} s on ${TARGET_CORES} cores)  ${wall < TARGET_S ? 'met' : 'missed'}` +
      (cores === TARGET_CORES ? '' : `  (measured on ${cores} cores, not ${TARGET_CORES})`),
  );

  for (const [i, r] of runs.entries()) {
    if (r.engine.kind === 'none') console.log(`\nWARNING: run ${i + 1} had no network engine; the scenarios that need Toxiproxy were not run.`);
    if (!r.report.complete) console.log(`\nWARNING: run ${i + 1} is incomplete: ${r.report.incompleteReason ?? 'no reason given'}`);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
