import type {
  CategoryId,
  Contract,
  ConnectorWarning,
  Fault,
  FaultParams,
  FaultSchedule,
  LoadedConnector,
  Observation,
  Outcome,
  ToxicControl,
} from '../core/index.js';
import { DEFAULT_DEADLINE_MS, HoldupError, clip, retriesNeeded } from '../core/index.js';
import type { ExecutionProxy, StartedEngine } from '../network/index.js';
import { startReplayServer, type InProcessNetwork, type ReplayHandler } from '../replay/index.js';
import { openExecutionWarnings } from './capture.js';
import { installVirtualClock } from './virtual-clock.js';
import { toJson, withoutBaseUrl } from './to-json.js';

/** Retries a connector is asked to make to ride out a fault, unless its definition or the config says otherwise. */
export const DEFAULT_RETRY_BUDGET = 2;

export interface ExecutionSpec {
  executionId: string;
  connector: LoadedConnector;
  contract: Contract;
  operation: string;
  scenario: string;
  category: CategoryId | 'control';
  schedule: FaultSchedule;
  seed: number;
  /** Invocations of the operation run at once on one client. */
  concurrency: number;
  golden: Observation['golden'];
  faults: ReadonlyMap<string, Fault<FaultParams>>;
  /** The network engine; needed when a schedule step's fault needs it. */
  network?: StartedEngine;
  /** Stops the execution early (Ctrl-C): it then resolves to `undefined`. */
  signal?: AbortSignal;
  /** The run's seed, for the "run again" hint of a harness error. */
  runSeed?: number;
  /**
   * No other execution runs while this one does (`holdup fuzz`; every in-process execution is):
   * a warning that carries no execution in its async context is then this one's (src/run/capture.ts).
   */
  exclusive?: boolean;
  /** Retries the connector is asked to make (its definition's, else the config's); `DEFAULT_RETRY_BUDGET` when absent. */
  retryBudget?: number;
  /** The scenario of the run that judges this operation's overrun on a response that never comes (`Observation.overrunJudgedBy`). */
  overrunJudgedBy?: string;
}

function engineLost(spec: ExecutionSpec, error: unknown): HoldupError {
  const message = error instanceof Error ? error.message : String(error);
  const again = spec.runSeed === undefined ? 'run again' : `run again with --seed ${spec.runSeed}`;
  return new HoldupError('NETWORK_ENGINE', `the Toxiproxy API failed during ${spec.executionId}: ${message}`, {
    hint: `check the Toxiproxy at ${spec.network?.api.url ?? 'its URL'} (holdup doctor), then ${again}; the report holds what finished`,
    cause: error,
  });
}

/** Whether a step of the execution's schedule needs the Toxiproxy network engine. */
function needsToxiproxy(spec: ExecutionSpec): boolean {
  return spec.schedule.steps.some((step) => spec.faults.get(step.fault)?.needs === 'network');
}

function describeThrown(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}

interface Invoked {
  outcomes: Outcome[];
  warnings: ConnectorWarning[];
  /** Ctrl-C cut it short. */
  stopped: boolean;
  /** A command connector's process broke the protocol: what it wrote. */
  brokeProtocol?: string;
}

/**
 * Creates the client for `baseUrl` and runs the operation `spec.concurrency` times at once,
 * with the deadline: an invocation not settled by `deadlineMs` (on the clock `elapsed` reads,
 * with the `setTimeout` of this moment: the virtual one in-process) is recorded as hung.
 */
async function invoke(spec: ExecutionSpec, baseUrl: string, elapsed: () => number, exclusive: boolean): Promise<Invoked> {
  const { definition } = spec.connector;
  const deadlineMs = definition.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const operation = definition.operations[spec.operation];
  if (!operation) throw new Error(`operation ${spec.operation} not found (validated when the connector was loaded)`);
  // the execution's warning window: open until its outcomes are settled
  const capture = openExecutionWarnings({ executionId: spec.executionId, elapsed, exclusive });

  let deadlineTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let stopNow: ((outcome: Outcome) => void) | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    stopNow = resolve;
    deadlineTimer = setTimeout(() => resolve({ status: 'hung' }), deadlineMs);
  });
  const onStop = (): void => {
    stopped = true;
    clearTimeout(deadlineTimer);
    stopNow?.({ status: 'hung' });
  };
  spec.signal?.addEventListener('abort', onStop);
  if (spec.signal?.aborted) onStop();
  const settle = (value: unknown): Outcome => {
    const normalized = definition.normalize ? definition.normalize(value, spec.operation) : value;
    return { status: 'returned', value: withoutBaseUrl(toJson(normalized), baseUrl), settledMs: elapsed() };
  };
  let brokeProtocol: string | undefined;
  const fail = (error: unknown): Outcome => {
    brokeProtocol ??= spec.connector.process?.unjudged(error);
    return { status: 'threw', error: describeThrown(error), settledMs: elapsed() };
  };

  try {
    const outcomes = await capture.run(async () => {
      const client = Promise.resolve().then(() =>
        definition.create({
          baseUrl,
          credentials: definition.credentials ?? {},
          warn: capture.warn,
        }),
      );
      const invocations = Array.from({ length: spec.concurrency }, () =>
        Promise.race([
          client
            .then((c) => operation.run(c))
            .then(settle)
            .catch(fail),
          deadline,
        ]),
      );
      const settled = await Promise.all(invocations);
      // a command connector's process ends with its execution (src/command)
      await client.then((c) => spec.connector.process?.close(c)).catch(() => undefined);
      return settled;
    });
    capture.close();
    return { outcomes, warnings: capture.warnings, stopped, ...(brokeProtocol !== undefined ? { brokeProtocol } : {}) };
  } finally {
    capture.close();
    clearTimeout(deadlineTimer);
    spec.signal?.removeEventListener('abort', onStop);
  }
}

function observationOf(spec: ExecutionSpec, startedAt: string, handler: ReplayHandler, invoked: Invoked): Observation {
  const { definition } = spec.connector;
  return {
    executionId: spec.executionId,
    connector: definition.name,
    operation: spec.operation,
    kind: definition.operations[spec.operation]?.kind ?? 'read',
    scenario: spec.scenario,
    category: spec.category,
    seed: spec.seed,
    schedule: spec.schedule,
    deadlineMs: definition.deadlineMs ?? DEFAULT_DEADLINE_MS,
    startedAt,
    trace: handler.trace,
    outcomes: invoked.outcomes,
    golden: spec.golden,
    warnings: invoked.warnings,
    tokens: handler.tokens.issued,
    effects: handler.effects.effects,
    hasTokenEndpoint: handler.hasTokenEndpoint,
    retryBudget: definition.retryBudget ?? spec.retryBudget ?? DEFAULT_RETRY_BUDGET,
    retriesNeeded: retriesNeeded(spec.schedule, spec.faults, spec.concurrency),
    ...(spec.overrunJudgedBy !== undefined ? { overrunJudgedBy: spec.overrunJudgedBy } : {}),
    ...(handler.requestsCut > 0 ? { requestsCut: handler.requestsCut } : {}),
    ...(invoked.brokeProtocol !== undefined ? { unjudged: `the connector's process broke the protocol (${clip(invoked.brokeProtocol, 160)})` } : {}),
  };
}

/**
 * Runs one operation under one fault schedule against its own replay server (and, when a
 * fault needs the network engine, its own Toxiproxy proxy in front of it), with a hard
 * deadline: an invocation that has not settled by `deadlineMs` is recorded as hung, and the
 * proxy and server drop their connections, so a hanging connector never hangs holdup.
 * Throws `NETWORK_ENGINE` when Toxiproxy fails; resolves to `undefined` when `signal` stops it.
 */
export async function execute(spec: ExecutionSpec): Promise<Observation | undefined> {
  const deadlineMs = spec.connector.definition.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const origin = performance.now();
  const startedAt = new Date().toISOString();
  const needsNetwork = needsToxiproxy(spec);
  if (needsNetwork && !spec.network) throw new Error(`${spec.executionId} needs the network engine (the runner skips it when there is none)`);
  let proxy: ExecutionProxy | undefined;
  // the server exists before its proxy, so it reaches the proxy's toxics through this
  const toxics: ToxicControl = {
    get active() {
      return proxy?.toxics.active ?? false;
    },
    set: (wanted) => (proxy ? proxy.toxics.set(wanted) : Promise.resolve()),
  };
  const server = await startReplayServer({
    contract: spec.contract,
    schedule: spec.schedule,
    faults: spec.faults,
    label: (spec.seed >>> 0).toString(16).padStart(8, '0'),
    seed: spec.runSeed ?? spec.seed,
    originMs: origin,
    keepAliveTimeoutMs: deadlineMs + 1_000,
    ...(needsNetwork ? { toxics } : {}),
  });
  if (needsNetwork && spec.network) {
    try {
      proxy = await spec.network.createProxy(spec.executionId, server.url);
    } catch (error) {
      await server.close();
      throw engineLost(spec, error);
    }
  }
  let invoked: Invoked;
  try {
    invoked = await invoke(spec, proxy?.url ?? server.url, () => performance.now() - origin, spec.exclusive ?? false);
  } finally {
    // the proxy first: the connector's connections end there
    try {
      await proxy?.remove();
    } catch (error) {
      server.networkErrors.push(error instanceof Error ? error : new Error(String(error)));
    }
    await server.close();
  }
  // Ctrl-C first: an execution cut short may see its proxy go away under it
  if (invoked.stopped) return undefined;
  const lost = server.networkErrors[0];
  if (lost) throw engineLost(spec, lost);
  const failed = server.failures[0];
  if (failed) {
    throw new HoldupError('HARNESS', `the replay server failed to answer a request of ${spec.executionId}: ${failed.message}`, {
      hint: 'this is a bug in holdup: please report it with the contract and the command (holdup --debug shows the stack)',
      cause: failed,
    });
  }
  return observationOf(spec, startedAt, server.handler, invoked);
}

/**
 * The same execution in-process: no sockets (the connector's `fetch` and `http` are answered
 * by `network`'s interceptor) and a virtual clock, so waits cost no wall time while the trace
 * and outcomes carry the times the connector would have seen. HTTP-level faults only; one
 * execution at a time (the clock is the process's).
 */
export async function executeInProcess(spec: ExecutionSpec, network: InProcessNetwork): Promise<Observation | undefined> {
  if (needsToxiproxy(spec)) {
    throw new Error(`${spec.executionId} needs Toxiproxy, which in-process mode does not use (the runner skips it)`);
  }
  const clock = installVirtualClock(spec.seed);
  try {
    const origin = clock.now();
    const startedAt = new Date(origin).toISOString();
    const replay = network.open({
      contract: spec.contract,
      schedule: spec.schedule,
      faults: spec.faults,
      label: (spec.seed >>> 0).toString(16).padStart(8, '0'),
      seed: spec.runSeed ?? spec.seed,
      elapsed: () => clock.now() - origin,
      epoch: () => clock.now(),
    });
    // in-process executions run one at a time (the clock is the process's): each is exclusive
    const work = invoke(spec, replay.url, () => clock.now() - origin, true);
    await clock.drive(work, origin + (spec.connector.definition.deadlineMs ?? DEFAULT_DEADLINE_MS));
    const invoked = await work;
    replay.close();
    if (invoked.stopped) return undefined;
    return observationOf(spec, startedAt, replay.handler, invoked);
  } finally {
    clock.uninstall();
  }
}
