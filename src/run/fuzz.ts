import fc from 'fast-check';
import { CHECKS } from '../checks/index.js';
import { DEFAULT_DEADLINE_MS, deriveSeed, HoldupError, type Check, type Contract, type Fault, type FaultParams, type FaultSchedule, type Finding, type LoadedConnector, type Observation } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { fuzzCaseArbitrary, scheduleOf, type FuzzCase } from '../fuzz/schedule.js';
import { InProcessNetwork, isTokenInteraction } from '../replay/index.js';
import { reproId } from '../scenarios/repro.js';
import type { LoadedScenario } from '../scenarios/schema.js';
import { installWarningCapture } from './capture.js';
import { execute, executeInProcess, type ExecutionSpec } from './execute.js';
import { completeFinding, goldenOf } from './findings.js';
import { notInProcess } from './not-in-process.js';

export interface FuzzOptions {
  connector: LoadedConnector;
  contract: Contract;
  /** The scenario library: which checks judge each fault, and on which operations it applies. */
  scenarios: readonly LoadedScenario[];
  runs: number;
  seed: number;
  /** Replays one run and its shrinks (fast-check's `path`). */
  path?: string;
  /** Stops generating new runs after this long (wall time). */
  timeBudgetMs?: number;
  faults?: ReadonlyMap<string, Fault<FaultParams>>;
  /** Called after each run with the count so far. */
  onRun?: (runs: number) => void;
  /** `in-process` (the default: no sockets, a virtual clock) or `network` (real sockets and real waits: slow). */
  mode?: 'in-process' | 'network';
  /** Retries the connector is asked to make when its definition does not say (the config's), as `holdup run` asks. */
  retryBudget?: number;
}

export interface FuzzFailure {
  operation: string;
  concurrency: number;
  schedule: FaultSchedule;
  /** The failing checks of the shrunk schedule. */
  findings: Finding[];
  checks: string[];
  /** fast-check's path to the shrunk failure (with the seed, it replays it). */
  path: string;
  shrinks: number;
}

export type FuzzResult =
  | { status: 'passed'; runs: number; seed: number; interrupted: boolean }
  | { status: 'failed'; runs: number; seed: number; failure: FuzzFailure }
  /** The control run failed: the connector and its contract disagree. */
  | { status: 'invalid'; reason: string }
  /** A failure that did not fail again when replayed. */
  | { status: 'flaky'; reason: string }
  /** `path` does not lead to a run of `seed`. */
  | { status: 'bad-path'; reason: string };

interface FaultUse {
  /** Check id → the most invocations at once a scenario judges this fault with it. */
  checks: Map<string, number>;
  kinds: Set<'read' | 'write'>;
  needsTokenEndpoint: boolean;
}

/** Which checks judge each HTTP-level fault, and on which kinds of operation it applies: from the scenarios that use it. */
function faultUses(scenarios: readonly LoadedScenario[], faults: ReadonlyMap<string, Fault<FaultParams>>): Map<string, FaultUse> {
  const uses = new Map<string, FaultUse>();
  for (const { scenario } of scenarios) {
    for (const entry of scenario.faults) {
      const fault = faults.get(entry.fault);
      if (!fault || fault.needs === 'network') continue;
      const use = uses.get(fault.id) ?? { checks: new Map(), kinds: new Set(), needsTokenEndpoint: true };
      for (const check of scenario.checks) use.checks.set(check, Math.max(use.checks.get(check) ?? 0, scenario.concurrency));
      if (scenario.operations === 'all' || Array.isArray(scenario.operations)) use.kinds.add('read').add('write');
      else use.kinds.add(scenario.operations);
      use.needsTokenEndpoint &&= scenario.requires.includes('token-endpoint');
      uses.set(fault.id, use);
    }
  }
  return uses;
}

/**
 * Checks that must hold whatever else happened (safety: correct-or-loud, deadlines, Retry-After,
 * one token per expiry…) judge a schedule when any of its faults calls for them. Checks that
 * expect the operation to succeed or to back off in a pattern judge only a schedule of one
 * fault that calls for them: after a 404 or an empty body throwing is right, and a connector
 * that refreshes and replays once (as the design asks) may give up when the token expires again.
 */
const ONLY_FOR_ONE_FAULT = new Set(['recovers', 'backoff-grows-with-jitter']);

function checksFor(schedule: FaultSchedule, concurrency: number, uses: ReadonlyMap<string, FaultUse>): string[] {
  // a check judges a fault at the concurrency the scenarios judge it at, no higher: with two
  // invocations, the other one's first request is not a retry that ignored Retry-After
  const perStep = schedule.steps.map((step) => {
    const checks = uses.get(step.fault)?.checks ?? new Map<string, number>();
    return new Set([...checks].filter(([, most]) => most >= concurrency).map(([id]) => id));
  });
  const all = new Set(perStep.flatMap((checks) => [...checks]));
  return [...all].filter((id) => !ONLY_FOR_ONE_FAULT.has(id) || perStep.length === 1).sort();
}

/**
 * Property-based search for a fault schedule that breaks the connector, in-process on a
 * virtual clock: fast-check generates an operation and a few fault decisions, every check that
 * judges those faults must hold, and a failure is shrunk to the smallest schedule that still
 * breaks it.
 */
export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const faults = options.faults ?? FAULTS;
  const { connector, contract } = options;
  const definition = connector.definition;
  const deadlineMs = definition.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const hasTokenEndpoint = contract.interactions.some(isTokenInteraction);
  const uses = faultUses(options.scenarios, faults);
  const network = new InProcessNetwork();
  const inProcess = (options.mode ?? 'in-process') === 'in-process';
  const unrunnable = inProcess ? notInProcess(connector) : undefined;
  if (unrunnable) throw new HoldupError('USAGE', `${definition.name} cannot be fuzzed in-process: ${unrunnable}`, { hint: `holdup fuzz --connector ${definition.name} --mode network` });
  const executeOne = (spec: ExecutionSpec) => (inProcess ? executeInProcess(spec, network) : execute(spec));
  // warnings are filed per execution for the whole search (strays are reported once, at its end)
  const uninstallCapture = installWarningCapture();
  if (inProcess) network.apply();
  try {
    // one execution at a time, in either mode: a warning with no async context is the current one's
    const base = {
      connector,
      contract,
      faults,
      concurrency: 1,
      seed: options.seed,
      // generated values (Pact generators) are drawn from the run's seed: the controls and every
      // fuzz execution get the same ones, as in holdup run (else they read as corruption)
      runSeed: options.seed,
      exclusive: true,
      ...(options.retryBudget !== undefined ? { retryBudget: options.retryBudget } : {}),
    };
    // controls first: their results are golden
    const golden = new Map<string, Observation['golden']>();
    const controls = new Map<string, Observation>();
    for (const [name] of Object.entries(definition.operations)) {
      const control = await executeOne({
        ...base,
        executionId: `${definition.name}/control/${name}`,
        operation: name,
        scenario: 'control',
        category: 'control',
        schedule: { steps: [] },
        golden: undefined,
      });
      const outcome = control?.outcomes[0];
      if (!control || outcome?.status !== 'returned') {
        return { status: 'invalid', reason: `the control run of ${name} ${outcome?.status === 'threw' ? `threw ${outcome.error.name}: ${outcome.error.message}` : 'did not settle'}` };
      }
      golden.set(name, goldenOf(control));
      controls.set(name, control);
    }

    const usable = (kind: 'read' | 'write') =>
      [...faults.keys()].filter((id) => {
        const use = uses.get(id);
        return use !== undefined && use.kinds.has(kind) && (hasTokenEndpoint || !use.needsTokenEndpoint);
      });
    const operations = Object.entries(definition.operations).filter(([, op]) => usable(op.kind).length > 0);
    const arbitrary = fc
      .constantFrom(...operations.map(([name]) => name))
      .chain((operation) =>
        fuzzCaseArbitrary({ operations: [operation], faults: usable((definition.operations[operation] as { kind: 'read' | 'write' }).kind) }),
      );

    let last: { failure: Omit<FuzzFailure, 'path' | 'shrinks'> } | undefined;
    let runs = 0;
    /** Why a run could not be judged (a command connector's process broke the protocol): the search stops on it. */
    let unjudged: string | undefined;
    const judge = async (fuzzCase: FuzzCase): Promise<boolean> => {
      const control = controls.get(fuzzCase.operation);
      const schedule = scheduleOf(fuzzCase.steps, faults, {
        deadlineMs,
        ...(definition.requestTimeoutMs ? { requestTimeoutMs: definition.requestTimeoutMs } : {}),
        ...(control ? { control: { trace: control.trace, golden: golden.get(fuzzCase.operation)?.value } } : {}),
      });
      const spec: ExecutionSpec = {
        ...base,
        // the seed `holdup repro` gives the execution of the repro scenario: the same Math.random
        seed: deriveSeed(options.seed, definition.name, reproId(definition.name, options.seed), fuzzCase.operation),
        concurrency: fuzzCase.concurrency,
        executionId: `${definition.name}/fuzz/${fuzzCase.operation}`,
        operation: fuzzCase.operation,
        scenario: 'fuzz',
        category: faults.get(schedule.steps[0]?.fault ?? '')?.category ?? 'server-errors',
        schedule,
        golden: golden.get(fuzzCase.operation),
      };
      const observation = await executeOne(spec);
      if (!observation) return true;
      if (observation.unjudged !== undefined) {
        unjudged ??= observation.unjudged;
        return true;
      }
      // policy checks judge a whole run, never one execution
      const checkIds = checksFor(schedule, fuzzCase.concurrency, uses).filter((id) => !(CHECKS as Record<string, Check>)[id]?.policy);
      const findings: Finding[] = [];
      for (const id of checkIds) {
        const check = (CHECKS as Record<string, Check>)[id] as Check;
        const result = check.evaluate(observation);
        if (result.verdict === 'fail') for (const draft of result.findings) findings.push(completeFinding(draft, check, observation, ''));
      }
      if (findings.length === 0) return true;
      last = { failure: { operation: fuzzCase.operation, concurrency: fuzzCase.concurrency, schedule, findings, checks: checkIds } };
      return false;
    };

    const details = await fc.check(
      fc.asyncProperty(arbitrary, async (fuzzCase) => {
        // replaying a path judges that one case; fast-check would go on to its other shrinks
        if (options.path !== undefined && runs > 0) return true;
        const ok = await judge(fuzzCase);
        if (runs < options.runs) options.onRun?.(++runs);
        return ok;
      }),
      {
        numRuns: options.runs,
        seed: options.seed,
        ...(options.path ? { path: options.path } : {}),
        // skip the runs left once the budget is spent; never interrupt one under way (its virtual clock is installed)
        ...(options.timeBudgetMs ? { skipAllAfterTimeLimit: options.timeBudgetMs } : {}),
      },
    );
    if (options.path !== undefined && (details.errorInstance !== null || runs === 0) && details.counterexample === null) {
      return { status: 'bad-path', reason: `path ${options.path} is not a run of seed ${options.seed}` };
    }
    // a run that could not be judged is not a pass: the search says why and stops (exit 2)
    if (unjudged !== undefined && (!details.failed || details.counterexample === null)) {
      throw new HoldupError('CONNECTOR_INVALID', `${definition.name} could not be judged in a fuzz run: ${unjudged}`, {
        file: connector.file,
        hint: 'make the process write only protocol messages on stdout, one per line, and answer each call once (docs/command-connectors.md)',
      });
    }
    // fast-check calls a run whose budget ran out "failed" (too many skipped runs), with no counterexample
    if (!details.failed || details.counterexample === null) {
      return { status: 'passed', runs: details.numRuns, seed: options.seed, interrupted: details.numSkips > 0 };
    }
    const shrunk = details.counterexample?.[0] as FuzzCase | undefined;
    // replay the shrunk case once more: its findings are the ones to report
    last = undefined;
    if (shrunk) await judge(shrunk);
    // judge() set it, if the failure came back (TypeScript cannot see that through the call)
    const found = last as { failure: Omit<FuzzFailure, 'path' | 'shrinks'> } | undefined;
    if (!found) {
      return { status: 'flaky', reason: `the shrunk failure did not fail again when replayed (seed ${options.seed}, path ${details.counterexamplePath}): the connector does something the virtual clock and seeded Math.random do not make repeatable (performance.now, node:timers/promises, crypto randomness)` };
    }
    return {
      status: 'failed',
      runs: details.numRuns,
      seed: options.seed,
      failure: { ...found.failure, path: details.counterexamplePath ?? '', shrinks: details.numShrinks },
    };
  } finally {
    if (inProcess) network.dispose();
    uninstallCapture();
  }
}
