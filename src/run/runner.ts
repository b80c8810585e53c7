import { setMaxListeners } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CHECKS, matchesContract } from '../checks/index.js';
import { loadContract } from '../contracts/load.js';
import {
  CATEGORY_IDS,
  CATEGORY_WEIGHTS,
  HoldupError,
  createRng,
  deriveSeed,
  discoverPagination,
  jsonOrUndefined,
  formatError,
  type CategoryId,
  type Check,
  type ConnectorReport,
  type Contract,
  type Fault,
  type FaultParams,
  type Finding,
  type LoadedConnector,
  type NetworkEngine,
  type Observation,
  type RunListener,
  type RunReport,
  type TraceEntry,
} from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { reapLeftovers, startNetworkEngine, type EngineMode, type NoEngine, type StartedEngine } from '../network/index.js';
import { InProcessNetwork, isTokenInteraction } from '../replay/index.js';
import { compileSchedule } from '../scenarios/compile.js';
import type { LoadedScenario, Scenario } from '../scenarios/schema.js';
import { scoreConnector, type CheckTally } from '../score/score.js';
import { installWarningCapture, takeStrayWarnings } from './capture.js';
import { DEFAULT_DEADLINE_MS, execute, executeInProcess, type ExecutionSpec } from './execute.js';
import { completeFinding, describeOutcome, goldenOf, pathWithQuery } from './findings.js';
import { notInProcess, notRunReport } from './not-in-process.js';
import { createLimiter, type Limiter } from './pool.js';

export interface RunPlan {
  runId: string;
  seed: number;
  connectors: LoadedConnector[];
  scenarios: LoadedScenario[];
  /** Only these categories (all by default). */
  categories?: readonly CategoryId[];
  /** Only these scenario ids (all by default). */
  scenarioIds?: readonly string[];
  /** Only these operations (all by default). */
  operations?: readonly string[];
  /** Executions at once. */
  concurrency: number;
  thresholds?: { overall?: number; categories?: Partial<Record<CategoryId, number>> };
  /** The command line that reruns this run, without `--seed` (e.g. `holdup run --config x.ts`). */
  command: string;
  holdupVersion: string;
  /** Resolves a connector's contract file and loads it. */
  loadContract?: (connector: LoadedConnector) => Promise<Contract>;
  faults?: ReadonlyMap<string, Fault<FaultParams>>;
  signal?: AbortSignal;
  /** Which network engine to use for Toxiproxy faults ('auto' by default: see src/network/engine.ts). */
  networkEngine?: EngineMode;
  /** The environment the engine is looked up in (TOXIPROXY_URL, PATH, DOCKER_HOST); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /**
   * `network` (the default): real sockets, real time, Toxiproxy for network faults.
   * `in-process`: no sockets and a virtual clock, HTTP-level faults only, one execution at a time.
   */
  mode?: RunMode;
  /** Retries a connector is asked to make when its definition does not say (`DEFAULT_RETRY_BUDGET`, 2, by default). */
  retryBudget?: number;
  /** What a request that matches no interaction in a fault run does: fail the gate (`error`, the default), `warn`, or nothing (`bypass`). */
  onUnhandledRequest?: 'error' | 'warn' | 'bypass';
}

export type RunMode = 'network' | 'in-process';

const IN_PROCESS: NoEngine = {
  kind: 'none',
  reason: 'in-process mode runs HTTP-level faults only, on a virtual clock (network mode runs the rest)',
};


const NOT_NEEDED: NoEngine = { kind: 'none', reason: 'no selected scenario needs one' };

/** Whether any of the scenario's faults needs the Toxiproxy network engine. */
function needsNetwork(scenario: Scenario, faults: ReadonlyMap<string, Fault<FaultParams>>): boolean {
  return scenario.faults.some((entry) => faults.get(entry.fault)?.needs === 'network');
}

/** An execution whose faults are all derived from the recording and changed nothing: there is nothing to judge. */
export function judgesNothing(observation: Observation, faults: ReadonlyMap<string, Fault<FaultParams>>): boolean {
  const steps = observation.schedule.steps;
  return steps.length > 0 && steps.every((step) => faults.get(step.fault)?.derived) && observation.trace.every((entry) => !entry.fault);
}

/** Why the scenario does not apply to the operation whose control run this is, or `undefined` when it does. */
export function unmetRequirement(scenario: Scenario, control: Observation): string | undefined {
  if (scenario.requires.includes('pagination') && !discoverPagination(control.trace)) {
    return 'no operation pages through a list (no control run fetched a second page with a cursor or a Link rel="next")';
  }
  if (scenario.requires.includes('bearer-token') && !control.trace.some((entry) => entry.stream === 'api' && entry.auth?.enforced && entry.auth.status === 'valid')) {
    return "the connector authenticates without the contract's token endpoint (no API request of its control run carried a token it issued): a static key does not expire";
  }
  if (scenario.requires.includes('json-body')) {
    const json = control.trace.some((entry) => {
      const body = entry.stream === 'api' ? jsonOrUndefined(entry.response?.body ?? '') : undefined;
      return body !== null && typeof body === 'object';
    });
    if (!json) return 'no operation gets a JSON object or array from the upstream';
  }
  return undefined;
}

function appliesTo(scenario: Scenario, name: string, kind: 'read' | 'write'): boolean {
  if (scenario.operations === 'all') return true;
  if (scenario.operations === 'read' || scenario.operations === 'write') return scenario.operations === kind;
  return scenario.operations.includes(name);
}

function unmatched(trace: readonly TraceEntry[]): TraceEntry | undefined {
  return trace.find((entry) => entry.unmatched);
}

/** Why a control execution disqualifies the connector, as the error a person reads; undefined when it passed. */
/** Why an invalid connector fails the gate, in the words of what went wrong in its control run. */
function controlGateReason(codes: readonly string[]): string {
  if (codes.every((code) => code === 'CONTROL_HUNG')) return 'the control run failed: an operation did not settle within its deadline, with no fault injected';
  if (codes.every((code) => code === 'NO_MATCH')) return 'the control run failed: the connector sent requests its contract does not hold';
  return 'the control run failed: with no fault injected, the connector and its contract disagree';
}

/** The contract's interactions that were not replayed, for the connector's report. */
function skippedOf(contract: Contract): Pick<ConnectorReport, 'skippedInteractions'> {
  return contract.skipped && contract.skipped.length > 0 ? { skippedInteractions: contract.skipped } : {};
}

function controlFailure(observation: Observation, connector: LoadedConnector, contract: Contract): HoldupError | undefined {
  const path = `operations.${observation.operation}`;
  const miss = unmatched(observation.trace);
  if (miss) {
    const request = `${miss.request.method} ${pathWithQuery(miss.request)}`;
    const near = miss.nearMiss;
    const closest = near
      ? `; closest: "${near.interaction.description}" (${near.mismatches
          .slice(0, 3)
          .map((m) => `${m.part}${m.path ? ` ${m.path}` : ''}: expected ${m.expected}, found ${m.actual}`)
          .join('; ')})`
      : '';
    return new HoldupError('NO_MATCH', `${request} matched no interaction in ${contract.file}${closest}`, {
      file: connector.file,
      path,
      hint: 'make the connector send what the contract records, or record the contract again (the control run has no faults)',
    });
  }
  const outcome = observation.outcomes[0];
  if (!outcome || outcome.status === 'returned') return undefined;
  if (outcome.status === 'hung') {
    return new HoldupError('CONTROL_HUNG', `${describeOutcome(outcome, observation.deadlineMs)} in the control run (no faults)`, {
      file: connector.file,
      path,
      hint: 'make the operation return or throw (an un-awaited promise or a missing timeout is the usual cause), or raise deadlineMs',
    });
  }
  return new HoldupError('CONTROL_THREW', `${describeOutcome(outcome, observation.deadlineMs)} in the control run (no faults)`, {
    file: connector.file,
    path,
    hint: 'fix the connector or the contract so that the operation succeeds against the recorded interactions',
  });
}

interface PlannedExecution {
  scenario: LoadedScenario;
  operation: string;
}

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
  const wanted = plan.scenarios.some(
    ({ scenario }) =>
      (!plan.categories || plan.categories.includes(scenario.category)) &&
      (!plan.scenarioIds || plan.scenarioIds.includes(scenario.id)) &&
      needsNetwork(scenario, faults) &&
      plan.connectors.some(({ definition }) =>
        Object.entries(definition.operations).some(
          ([name, op]) => (!plan.operations || plan.operations.includes(name)) && appliesTo(scenario, name, op.kind),
        ),
      ),
  );
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

async function runConnector(context: RunContext, connector: LoadedConnector): Promise<ConnectorReport> {
  const { plan, faults, listener, limit, engine } = context;
  const network = engine.kind === 'none' ? undefined : engine;
  const { definition } = connector;
  const contract = context.contracts.get(connector) as Contract;
  const unrunnable = context.inProcess ? notInProcess(connector) : undefined;
  if (unrunnable) return notRunReport(connector, contract, unrunnable);
  const operations = Object.entries(definition.operations).filter(
    ([name]) => !plan.operations || plan.operations.includes(name),
  );
  const selected = (category: CategoryId) => !plan.categories || plan.categories.includes(category);
  const hasTokenEndpoint = contract.interactions.some(isTokenInteraction);

  // which executions: scenario × operation, minus those the contract cannot exercise
  const planned: PlannedExecution[] = [];
  const notApplicable: Partial<Record<CategoryId, string>> = {};
  const seenCategories = new Set<CategoryId>();
  /** Scenarios of each category skipped because no network engine is available. */
  const withoutEngine = new Map<CategoryId, string[]>();
  for (const loaded of plan.scenarios) {
    const { scenario } = loaded;
    if (!selected(scenario.category)) continue;
    if (plan.scenarioIds && !plan.scenarioIds.includes(scenario.id)) continue;
    seenCategories.add(scenario.category);
    if (scenario.requires.includes('token-endpoint') && !hasTokenEndpoint) {
      notApplicable[scenario.category] ??= `${contract.file} has no OAuth2 token endpoint`;
      continue;
    }
    const ops = operations.filter(([name, op]) => appliesTo(scenario, name, op.kind));
    if (ops.length === 0) {
      const wanted = Array.isArray(scenario.operations) ? scenario.operations.join(', ') : `${scenario.operations} operations`;
      notApplicable[scenario.category] ??= `the connector has no ${wanted}`;
      continue;
    }
    // applicable, but it needs Toxiproxy and there is none
    if (!network && needsNetwork(scenario, faults)) {
      withoutEngine.set(scenario.category, [...(withoutEngine.get(scenario.category) ?? []), scenario.id]);
      context.withoutEngine.add(scenario.category);
      continue;
    }
    for (const [name] of ops) planned.push({ scenario: loaded, operation: name });
  }
  const plannedCategories = new Set(planned.map(({ scenario }) => scenario.scenario.category));
  const notRun: Partial<Record<CategoryId, string>> = {};
  for (const category of CATEGORY_IDS) {
    if (!selected(category)) notRun[category] = 'not selected (--category)';
    else if (plan.scenarioIds && !seenCategories.has(category)) notRun[category] = 'not selected (--scenario)';
    else if (!plannedCategories.has(category) && withoutEngine.has(category)) {
      notRun[category] = `needs the Toxiproxy network engine: ${engine.kind === 'none' ? engine.reason : ''}`;
    } else if (!seenCategories.has(category)) notRun[category] = 'no scenario in this category';
  }
  // a category with some runnable scenario is applicable, whatever its other scenarios needed
  for (const category of [...plannedCategories, ...withoutEngine.keys()]) delete notApplicable[category];

  listener({
    type: 'connector-start',
    connector: definition.name,
    contract: contract.file,
    operations: operations.map(([name]) => name),
    executions: planned.length + operations.length,
  });

  const deadlineMs = definition.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const base = {
    connector,
    contract,
    faults,
    ...(network ? { network } : {}),
    signal: context.signal,
    runSeed: plan.seed,
    ...(plan.retryBudget !== undefined ? { retryBudget: plan.retryBudget } : {}),
  };
  const repro = (extra: string) => `${plan.command} --connector ${definition.name} ${extra} --seed ${plan.seed}`;
  let done = 0;
  const total = planned.length + operations.length;

  /** One execution under the shared limit; `undefined` when the run stopped first or the harness failed. */
  const run = (spec: Omit<ExecutionSpec, keyof typeof base>): Promise<Observation | undefined> =>
    limit(async () => {
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

  // 1. control executions: no faults; their results are golden
  const controls = await Promise.all(
    operations.map(async ([name]) => {
      const seed = deriveSeed(plan.seed, definition.name, 'control', name);
      const observation = await run({
        executionId: `${definition.name}/control/${name}`,
        operation: name,
        scenario: 'control',
        category: 'control',
        schedule: { steps: [] },
        seed,
        concurrency: 1,
        golden: undefined,
      });
      if (!observation) return undefined;
      const failure = controlFailure(observation, connector, contract);
      listener({
        type: 'control-done',
        connector: definition.name,
        operation: name,
        ok: !failure,
        ...(failure ? { reason: formatError(failure) } : {}),
      });
      listener({ type: 'execution-done', connector: definition.name, observation, findings: [], done: ++done, total });
      return { name, observation, failure };
    }),
  );
  const finished = controls.filter((c): c is NonNullable<typeof c> => c !== undefined);
  const failed = finished.filter((c) => c.failure);
  if (failed.length > 0) {
    return {
      name: definition.name,
      file: connector.file,
      contract: contract.file,
      valid: false,
      invalidReason: failed.map((c) => formatError(c.failure as HoldupError)).join('\n'),
      score: null,
      grade: null,
      gate: 'fail',
      gateReasons: [controlGateReason(failed.map((c) => (c.failure as HoldupError).code))],
      coverage: null,
      executions: finished.length,
      ...skippedOf(contract),
      categories: CATEGORY_IDS.map((id) => ({
        id,
        weight: CATEGORY_WEIGHTS[id],
        status: 'not-run' as const,
        reason: 'the control run failed',
        checks: [],
        findings: [],
      })),
    };
  }
  const golden = new Map<string, Observation['golden']>();
  const controlOf = new Map<string, Observation>();
  for (const { name, observation } of finished) {
    controlOf.set(name, observation);
    const result = goldenOf(observation);
    if (result) golden.set(name, result);
  }
  // scenarios that need what only a control run shows (pages, a JSON body) apply to the operations whose control showed it
  const unmet = (loaded: LoadedScenario, operation: string): string | undefined => {
    const control = controlOf.get(operation);
    return control ? unmetRequirement(loaded.scenario, control) : undefined;
  };
  const runnable = planned.filter(({ scenario, operation }) => !unmet(scenario, operation));
  for (const { scenario } of planned) {
    const category = scenario.scenario.category;
    if (runnable.some((p) => p.scenario.scenario.category === category)) continue;
    const why = planned.filter((p) => p.scenario.scenario.category === category).map((p) => unmet(p.scenario, p.operation));
    notApplicable[category] ??= why.find((reason) => reason !== undefined);
    plannedCategories.delete(category);
  }
  done += planned.length - runnable.length;

  // 2. fault executions, concurrently, each with its own replay server, proxy and client
  const tallies = new Map<string, MutableTally>();
  const tallyOf = (category: CategoryId, check: Check): MutableTally => {
    const key = `${category}\u0000${check.id}`;
    const tally = tallies.get(key) ?? { check, category, executions: 0, passes: 0, findings: [], skipped: new Map<string, number>() };
    tallies.set(key, tally);
    return tally;
  };
  // every check a runnable scenario names is expected to judge something: one that never does is reported
  for (const { scenario } of runnable) {
    for (const checkId of scenario.scenario.checks) {
      const check = (CHECKS as Record<string, Check>)[checkId] as Check;
      if (!check.policy && check !== matchesContract) tallyOf(scenario.scenario.category, check);
    }
  }
  const unhandled = plan.onUnhandledRequest ?? 'error';
  // which scenario judges each operation's overrun on a response that never comes (one behaviour, one charge)
  const overrunJudge = new Map<string, string>();
  for (const { scenario, operation } of runnable) {
    const { category, checks, id } = scenario.scenario;
    if ((category === 'latency-timeout' || category === 'network-faults') && checks.includes('settles-before-deadline') && !overrunJudge.has(operation)) {
      overrunJudge.set(operation, id);
    }
  }
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
      const observation = await run({
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
      observed.push(observation);
      const findings: Finding[] = [];
      // a repro file is replayed by `holdup repro` (built-in loading skips scenarios/repro/)
      const command = scenario.repro ? `holdup repro ${loaded.file}` : repro(`--scenario ${scenario.id} --operation ${operation}`);
      const nothing = judgesNothing(observation, faults);
      // policy checks judge the whole run (below); matches-contract judges every execution, named or not
      const checks = scenario.checks
        .map((id) => (CHECKS as Record<string, Check>)[id] as Check)
        .filter((check) => !check.policy && check !== matchesContract);
      if (unhandled !== 'bypass') checks.push(matchesContract);
      for (const check of checks) {
        const tally = tallyOf(scenario.category, check);
        if (nothing && check !== matchesContract) {
          const reason = `${describeFaults(observation)} found nothing to change`;
          tally.skipped.set(reason, (tally.skipped.get(reason) ?? 0) + 1);
          continue;
        }
        const result = check.evaluate(observation);
        if (result.verdict === 'not-applicable') {
          const reason = result.reason ?? 'the execution gave it nothing to judge';
          tally.skipped.set(reason, (tally.skipped.get(reason) ?? 0) + 1);
          continue;
        }
        // onUnhandledRequest 'warn': reported, never failed
        const warnOnly = check === matchesContract && unhandled === 'warn';
        tally.executions++;
        tally.durationMs = (tally.durationMs ?? 0) + executionMs(observation);
        if (result.verdict === 'pass' || warnOnly) tally.passes++;
        for (const draft of result.findings) {
          const severity = warnOnly ? 'warning' : draft.severity;
          const finding = completeFinding({ ...draft, ...(severity ? { severity } : {}) }, check, observation, command);
          tally.findings.push(finding);
          findings.push(finding);
        }
      }
      listener({ type: 'execution-done', connector: definition.name, observation, findings, done: ++done, total });
    }),
  );

  // 3. policy checks: once, over every execution of the connector (README.md, "Verdicts you can defend": a policy is judged on the evidence that can decide it)
  if (!context.signal.aborted) {
    const all = [...observed].sort((a, b) => a.executionId.localeCompare(b.executionId));
    for (const check of Object.values(CHECKS as Record<string, Check>)) {
      if (!check.policy || !plannedCategories.has(check.policy.category)) continue;
      const result = check.policy.judge(all, { timerNoiseMs: context.timerNoiseMs() });
      const tally = tallyOf(check.policy.category, check);
      if (result.undecided) tally.undecided = result.undecided;
      if (result.verdict === 'not-exercised') {
        tally.skipped.set(result.reason ?? 'too little evidence in the run', 0);
        continue;
      }
      tally.executions += result.evidence;
      if (result.verdict === 'pass') tally.passes += result.evidence;
      for (const draft of result.findings) {
        const observation = all.find((o) => o.executionId === draft.executionId);
        if (!observation) continue;
        const { executionId: _id, ...rest } = draft;
        // a policy is judged over the whole run: one execution replayed alone cannot show it
        tally.findings.push(completeFinding(rest, check, observation, repro('').replace(/ {2,}/g, ' ')));
      }
    }
  }

  // Ctrl-C (or a harness failure) before a category ran any execution: not run, not "not applicable"
  if (context.signal.aborted) {
    const tallied = new Set([...tallies.values()].filter((tally) => tally.executions > 0).map((tally) => tally.category));
    for (const category of plannedCategories) {
      if (!tallied.has(category)) notRun[category] ??= 'the run stopped before any of its executions finished';
    }
  }
  const ordered = [...tallies.values()].sort(
    (a, b) => CATEGORY_IDS.indexOf(a.category) - CATEGORY_IDS.indexOf(b.category) || a.check.id.localeCompare(b.check.id),
  );
  for (const tally of ordered) tally.findings.sort((a, b) => `${a.scenario} ${a.operation}`.localeCompare(`${b.scenario} ${b.operation}`));
  const scored = scoreConnector({
    tallies: ordered,
    notRun,
    notApplicable,
    ...(plan.thresholds ? { thresholds: plan.thresholds } : {}),
    ...(unhandled === 'error'
      ? { gating: new Map([[matchesContract.id, "requests matched no interaction of the contract (onUnhandledRequest: 'error')"]]) }
      : {}),
  });
  // a category scored on some of its scenarios says which it could not run
  const categories = scored.categories.map((category) => {
    const skipped = withoutEngine.get(category.id);
    if (!skipped || category.status === 'not-run' || engine.kind !== 'none') return category;
    return { ...category, reason: `${skipped.join(', ')} not run: needs the Toxiproxy network engine: ${engine.reason}` };
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
    categories,
  };
}

interface MutableTally extends CheckTally {
  skipped: Map<string, number>;
  undecided?: Array<{ code: string; reason: string }>;
}

/** How long an execution took: until its last invocation settled, or its deadline when one never did. */
function executionMs(observation: Observation): number {
  return Math.max(0, ...observation.outcomes.map((outcome) => (outcome.status === 'hung' ? observation.deadlineMs : outcome.settledMs)));
}

/** `the fault pagination/repeated-cursor`, `the faults a and b`: what an execution's schedule applied. */
function describeFaults(observation: Observation): string {
  const ids = [...new Set(observation.schedule.steps.map((step) => step.fault))];
  return ids.length === 1 ? `the fault ${ids[0]}` : `the faults ${ids.join(' and ')}`;
}
