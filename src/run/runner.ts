/**
 * The runner: `runPlan` runs every connector side by side under one limit on executions at once,
 * and `runConnector` takes one connector through the steps — plan (`./plan.ts`), control
 * (`./control.ts`), fault executions (`./execute.ts`), judge and score (`./judge.ts`). It emits
 * `RunEvent`s and knows no reporter.
 */
import { setMaxListeners } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadContract } from '../contracts/load.js';
import {
  CATEGORY_IDS,
  DEFAULT_DEADLINE_MS,
  HoldupError,
  createRng,
  deriveSeed,
  formatError,
  type CategoryId,
  type ConnectorReport,
  type Contract,
  type Fault,
  type FaultParams,
  type LoadedConnector,
  type NetworkEngine,
  type Observation,
  type RunListener,
  type RunReport,
} from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { reapLeftovers, startNetworkEngine, type NoEngine, type StartedEngine } from '../network/index.js';
import { InProcessNetwork } from '../replay/index.js';
import { compileSchedule } from '../scenarios/compile.js';
import { installWarningCapture, takeStrayWarnings } from './capture.js';
import { controlFailure, goldenResults, invalidConnectorReport, skippedOf, type ControlResult } from './control.js';
import { execute, executeInProcess, type ExecutionSpec } from './execute.js';
import { Tallies, judgeExecution, judgePolicies, scoreTallies } from './judge.js';
import { keepRunnable, overrunJudges, planConnector, wantsNetworkEngine, type RunPlan } from './plan.js';
import { notInProcess, notRunReport } from './not-in-process.js';
import { createLimiter, type Limiter } from './pool.js';

export type { RunMode, RunPlan } from './plan.js';

const IN_PROCESS: NoEngine = {
  kind: 'none',
  reason: 'in-process mode runs HTTP-level faults only, on a virtual clock (network mode runs the rest)',
};

const NOT_NEEDED: NoEngine = { kind: 'none', reason: 'no selected scenario needs one' };

/** What every connector's executions share: the limit on executions at once, the network engine, the stop signal. */
interface RunContext {
  plan: RunPlan;
  faults: ReadonlyMap<string, Fault<FaultParams>>;
  listener: RunListener;
  /** Each connector's contract, loaded before the run started anything. */
  contracts: ReadonlyMap<LoadedConnector, Contract>;
  limit: Limiter;
  /** The engine, or why there is none (then scenarios that need one are not run). */
  engine: StartedEngine | NoEngine;
  /** Aborted on Ctrl-C (the plan's signal) or when the harness fails (Toxiproxy died). */
  signal: AbortSignal;
  /** Set when the harness itself failed mid-run. */
  failure: HoldupError | undefined;
  /** What stopped the run first, if anything did: Ctrl-C (the plan's signal) or a harness failure. */
  stoppedBy: 'signal' | 'failure' | undefined;
  /** Stops the run: nothing new starts, executions under way are cut short. */
  abort(): void;
  /** Categories with a selected scenario that was skipped because there is no network engine. */
  withoutEngine: Set<CategoryId>;
  /** In-process mode: the interceptor that answers the connectors' requests without sockets. */
  inProcess: InProcessNetwork | undefined;
  /** How late this process's timers have been so far (90th percentile, ms); 0 on the virtual clock. */
  timerNoiseMs(): number;
}

/** Runs every connector through control and fault executions; returns the report (never throws for findings). The public entry point is `runResilience` (src/config), which builds the plan. */
export async function runPlan(plan: RunPlan, listener: RunListener = () => {}): Promise<RunReport> {
  const startedAt = new Date();
  const faults = plan.faults ?? FAULTS;
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // one listener per execution under way
  let stoppedBy: RunContext['stoppedBy'];
  const onAbort = (): void => {
    stoppedBy ??= 'signal';
    stop.abort();
  };
  plan.signal?.addEventListener('abort', onAbort);
  if (plan.signal?.aborted) onAbort();
  const env = plan.env ?? process.env;

  // what runs killed outright (SIGKILL, a crash) left running: removed before this run starts anything
  const reaped = await reapLeftovers(env, (message) => listener({ type: 'engine-progress', message }));
  if (reaped.length > 0) listener({ type: 'reaped', runs: reaped });

  // every contract loads before anything starts: a file that cannot be replayed is bad input, said
  // at once, not after Toxiproxy has been started (or built) for nothing
  const load = plan.loadContract ?? ((c: LoadedConnector) => loadContract(c.contractPath, c.definition.contract));
  const contracts = new Map<LoadedConnector, Contract>();
  for (const connector of plan.connectors) contracts.set(connector, await load(connector));

  // start Toxiproxy only when some selected scenario would run on some selected operation
  const wanted = wantsNetworkEngine(plan, faults);
  const inProcess = plan.mode === 'in-process';
  const engine = inProcess
    ? IN_PROCESS
    : wanted
    ? await startNetworkEngine({
        mode: plan.networkEngine ?? 'auto',
        env,
        onProgress: (message) => listener({ type: 'engine-progress', message }),
        signal: stop.signal,
        runId: plan.runId,
      }).catch((error: unknown) => {
        // Ctrl-C while Toxiproxy was starting: the report says so, like any interrupted run
        if (stoppedBy === 'signal') return { kind: 'none' as const, reason: 'the run was interrupted while the network engine was starting' };
        throw error;
      })
    : NOT_NEEDED;
  const networkEngine: NetworkEngine =
    engine.kind === 'none' ? { kind: 'none', reason: engine.reason } : { kind: 'toxiproxy', version: engine.version, source: engine.source };
  // measured gaps carry the process's own timer lateness: the policy checks need to know how much
  const lag = inProcess ? undefined : monitorEventLoopDelay({ resolution: 5 });
  lag?.enable();
  const context: RunContext = {
    plan,
    faults,
    listener,
    contracts,
    // in-process executions share the process's virtual clock: one at a time
    limit: createLimiter(inProcess ? 1 : plan.concurrency),
    inProcess: inProcess ? new InProcessNetwork() : undefined,
    engine,
    signal: stop.signal,
    failure: undefined,
    get stoppedBy() {
      return stoppedBy;
    },
    abort: () => {
      stoppedBy ??= 'failure';
      stop.abort();
    },
    withoutEngine: new Set(),
    timerNoiseMs: () => (lag && lag.count > 0 ? lag.percentile(90) / 1e6 : 0),
  };

  const uninstall = installWarningCapture();
  context.inProcess?.apply();
  let connectors: ConnectorReport[] = [];
  try {
    listener({ type: 'run-start', runId: plan.runId, seed: plan.seed, connectors: plan.connectors.map((c) => c.definition.name), networkEngine });
    // connectors run side by side; the limiter bounds executions across all of them
    const settled = await Promise.allSettled(
      plan.connectors.map(async (connector) => {
        if (stop.signal.aborted) return undefined;
        try {
          const report = await runConnector(context, connector);
          listener({ type: 'connector-done', report });
          return report;
        } catch (error) {
          stop.abort(); // one connector's error (a contract that does not load) stops the others
          throw error;
        }
      }),
    );
    // every connector has stopped before the engine does; then the first error, if any
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    connectors = settled
      .map((result) => (result.status === 'fulfilled' ? result.value : undefined))
      .filter((report): report is ConnectorReport => report !== undefined);
  } finally {
    lag?.disable();
    uninstall();
    context.inProcess?.dispose();
    plan.signal?.removeEventListener('abort', onAbort);
    if (engine.kind !== 'none') await engine.stop();
  }
  const failure = context.stoppedBy === 'failure' ? context.failure : undefined;
  const report = assembleReport({
    plan,
    startedAt,
    networkEngine,
    connectors,
    unjudged: unjudgedReasons(context),
    ...(context.stoppedBy === 'signal' ? { stopped: { interrupted: true, reason: 'the run was interrupted' } } : {}),
    ...(failure ? { stopped: { interrupted: false, reason: formatError(failure), unjudged: `the run stopped: ${failure.message}` } } : {}),
    ...(lag ? { timerNoiseMs: Math.round(context.timerNoiseMs() * 10) / 10 } : {}),
  });
  // warnings the connectors gave outside the executions that judged them: said, once
  const strays = takeStrayWarnings();
  if (strays.warnings.length > 0 || strays.more > 0) listener({ type: 'stray-warnings', ...strays });
  listener({ type: 'run-done', report });
  return report;
}

/** What a run report is made of; `stopped` when the run did not finish. */
export interface ReportParts {
  plan: Pick<RunPlan, 'runId' | 'seed' | 'holdupVersion'>;
  startedAt: Date;
  networkEngine: NetworkEngine;
  connectors: ConnectorReport[];
  /** Why the gate could not be judged besides a stopped run. */
  unjudged?: string[];
  stopped?: {
    /** Ctrl-C or SIGTERM (exit 130), rather than a harness failure (exit 3). */
    interrupted: boolean;
    /** `incompleteReason`. */
    reason: string;
    /** What the gate says it could not judge; the reason by default. */
    unjudged?: string;
  };
  timerNoiseMs?: number;
}

/** The run report: the gate over the connectors' own gates, and whether the run finished. */
export function assembleReport(parts: ReportParts): RunReport {
  const { plan, startedAt, stopped, connectors } = parts;
  const finishedAt = new Date();
  const reasons = connectors.flatMap((c) => c.gateReasons.map((reason) => `${c.name}: ${reason}`));
  const unjudged = [...(parts.unjudged ?? []), ...(stopped ? [stopped.unjudged ?? stopped.reason] : [])];
  return {
    schemaVersion: 1,
    runId: plan.runId,
    seed: plan.seed,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    holdupVersion: plan.holdupVersion,
    complete: !stopped,
    ...(stopped ? { incompleteReason: stopped.reason } : {}),
    interrupted: stopped?.interrupted === true,
    networkEngine: parts.networkEngine,
    ...(parts.timerNoiseMs !== undefined ? { timerNoiseMs: parts.timerNoiseMs } : {}),
    gate: {
      passed: reasons.length === 0 && unjudged.length === 0,
      judged: unjudged.length === 0,
      reasons,
      unjudged,
    },
    connectors,
  };
}

/** Categories the user selected that could not be judged because no network engine was found (`auto`, or an engine that failed). */
function unjudgedReasons(context: RunContext): string[] {
  const { engine, plan } = context;
  if (engine.kind !== 'none' || engine === IN_PROCESS || (plan.networkEngine ?? 'auto') === 'none' || context.withoutEngine.size === 0) return [];
  const ordered = CATEGORY_IDS.filter((id) => context.withoutEngine.has(id));
  return [`${ordered.join(', ')} not run: ${engine.reason}`];
}

/**
 * One connector, step by step: plan its executions, run the control executions (a failed one
 * makes the connector invalid), run the fault executions and judge each, judge its policies over
 * all of them, and score.
 */
async function runConnector(context: RunContext, connector: LoadedConnector): Promise<ConnectorReport> {
  const { plan, faults, listener, engine } = context;
  const { definition } = connector;
  const contract = context.contracts.get(connector) as Contract;
  const unrunnable = context.inProcess ? notInProcess(connector) : undefined;
  if (unrunnable) return notRunReport(connector, contract, unrunnable);

  // 1. plan: scenario × operation, minus what the contract, the connector or the engine cannot exercise
  const planned = planConnector(plan, connector, contract, faults, engine);
  for (const category of planned.withoutEngine.keys()) context.withoutEngine.add(category);
  const total = planned.planned.length + planned.operations.length;
  let done = 0;
  listener({ type: 'connector-start', connector: definition.name, contract: contract.file, operations: planned.operations, executions: total });
  const runExecution = executor(context, connector, contract);

  // 2. control executions: no faults; their results are golden
  const controls = (await Promise.all(planned.operations.map(async (operation) => {
    const observation = await runExecution({
      executionId: `${definition.name}/control/${operation}`,
      operation,
      scenario: 'control',
      category: 'control',
      schedule: { steps: [] },
      seed: deriveSeed(plan.seed, definition.name, 'control', operation),
      concurrency: 1,
      golden: undefined,
    });
    if (!observation) return undefined;
    const failure = controlFailure(observation, connector, contract);
    listener({ type: 'control-done', connector: definition.name, operation, ok: !failure, ...(failure ? { reason: formatError(failure) } : {}) });
    listener({ type: 'execution-done', connector: definition.name, observation, findings: [], done: ++done, total });
    return { name: operation, observation, failure };
  }))).filter((control): control is ControlResult => control !== undefined);
  if (controls.some((control) => control.failure)) return invalidConnectorReport(connector, contract, controls);
  const { controlOf, golden } = goldenResults(controls);
  const runnable = keepRunnable(planned, controlOf);
  done += planned.planned.length - runnable.length;

  // 3. fault executions, concurrently, each with its own replay server, proxy and client; each judged as it ends
  const tallies = new Tallies();
  tallies.expect(runnable.map(({ scenario }) => scenario));
  const unhandled = plan.onUnhandledRequest ?? 'error';
  const overrunJudge = overrunJudges(runnable);
  const deadlineMs = definition.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const repro = (extra: string) => `${plan.command} --connector ${definition.name} ${extra} --seed ${plan.seed}`;
  /** Every fault execution's observation: policy checks judge them together at the end. */
  const observed: Observation[] = [];
  await Promise.all(
    runnable.map(async ({ scenario: loaded, operation }) => {
      const { scenario } = loaded;
      const seed = deriveSeed(plan.seed, definition.name, scenario.id, operation);
      const control = controlOf.get(operation);
      const schedule = compileSchedule(scenario, faults, createRng(seed), {
        deadlineMs,
        ...(definition.requestTimeoutMs ? { requestTimeoutMs: definition.requestTimeoutMs } : {}),
        ...(control ? { control: { trace: control.trace, golden: golden.get(operation)?.value } } : {}),
      });
      const observation = await runExecution({
        executionId: `${definition.name}/${scenario.id}/${operation}`,
        operation,
        scenario: scenario.id,
        category: scenario.category,
        schedule,
        seed,
        concurrency: scenario.concurrency,
        golden: golden.get(operation),
        ...(overrunJudge.has(operation) ? { overrunJudgedBy: overrunJudge.get(operation) as string } : {}),
      });
      if (!observation) return;
      if (observation.unjudged === undefined) observed.push(observation);
      // a repro file is replayed by `holdup repro` (built-in loading skips scenarios/repro/)
      const command = scenario.repro ? `holdup repro ${loaded.file}` : repro(`--scenario ${scenario.id} --operation ${operation}`);
      const findings = judgeExecution(tallies, { observation, scenario: loaded, faults, unhandled, repro: command });
      listener({ type: 'execution-done', connector: definition.name, observation, findings, done: ++done, total });
    }),
  );

  // 4. policy checks: once, over every execution of the connector
  if (!context.signal.aborted) {
    judgePolicies(tallies, observed, planned.plannedCategories, { timerNoiseMs: context.timerNoiseMs(), repro: repro('').replace(/ {2,}/g, ' ') });
  }
  // Ctrl-C (or a harness failure) before a category ran any execution: not run, not "not applicable"
  if (context.signal.aborted) {
    const judged = tallies.judgedCategories();
    for (const category of planned.plannedCategories) {
      if (!judged.has(category)) planned.notRun[category] ??= 'the run stopped before any of its executions finished';
    }
  }

  // 5. score
  const scored = scoreTallies(tallies, {
    notRun: planned.notRun,
    notApplicable: planned.notApplicable,
    withoutEngine: planned.withoutEngine,
    engine,
    thresholds: plan.thresholds,
    unhandled,
  });
  return {
    name: definition.name,
    file: connector.file,
    contract: contract.file,
    valid: true,
    score: scored.score,
    grade: scored.grade,
    gate: scored.gate,
    gateReasons: scored.gateReasons,
    coverage: scored.coverage,
    executions: done,
    ...skippedOf(contract),
    categories: scored.categories,
  };
}

/** One execution of the connector under the run's shared limit; `undefined` when the run stopped first or the harness failed (which stops it). */
function executor(context: RunContext, connector: LoadedConnector, contract: Contract) {
  const base = {
    connector,
    contract,
    faults: context.faults,
    ...(context.engine.kind === 'none' ? {} : { network: context.engine }),
    signal: context.signal,
    runSeed: context.plan.seed,
    ...(context.plan.retryBudget !== undefined ? { retryBudget: context.plan.retryBudget } : {}),
  };
  return (spec: Omit<ExecutionSpec, keyof typeof base>): Promise<Observation | undefined> =>
    context.limit(async () => {
      if (context.signal.aborted) return undefined;
      try {
        return context.inProcess ? await executeInProcess({ ...base, ...spec }, context.inProcess) : await execute({ ...base, ...spec });
      } catch (error) {
        if (!(error instanceof HoldupError)) throw error;
        context.failure ??= error;
        context.abort();
        return undefined;
      }
    });
}
