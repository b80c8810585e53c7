/**
 * The runner's plan: what a run was asked to do (`RunPlan`), and for one connector which
 * executions that makes — scenario × operation, minus what the contract, the connector or the
 * network engine cannot exercise, each with the reason reports show (`planConnector`); then, once
 * the control executions have run, minus what only a control run shows does not apply
 * (`keepRunnable`).
 */
import {
  CATEGORY_IDS,
  discoverPagination,
  jsonOrUndefined,
  type CategoryId,
  type Contract,
  type Fault,
  type FaultParams,
  type LoadedConnector,
  type Observation,
} from '../core/index.js';
import type { EngineMode, NoEngine, StartedEngine } from '../network/index.js';
import { isTokenInteraction } from '../replay/index.js';
import type { LoadedScenario, Scenario } from '../scenarios/schema.js';

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

export interface PlannedExecution {
  scenario: LoadedScenario;
  operation: string;
}

/** One connector's executions, and why the categories without any have none. */
export interface ConnectorPlan {
  /** The connector's operations the run selected, by name. */
  operations: string[];
  planned: PlannedExecution[];
  /** Categories with something to run. */
  plannedCategories: Set<CategoryId>;
  /** Categories the contract or the connector cannot exercise, with the reason. */
  notApplicable: Partial<Record<CategoryId, string>>;
  /** Categories not run: not selected, no scenario, or no network engine for any of their scenarios. */
  notRun: Partial<Record<CategoryId, string>>;
  /** Scenarios of each category skipped because no network engine is available. */
  withoutEngine: Map<CategoryId, string[]>;
}

/** Whether any of the scenario's faults needs the Toxiproxy network engine. */
export function needsNetwork(scenario: Scenario, faults: ReadonlyMap<string, Fault<FaultParams>>): boolean {
  return scenario.faults.some((entry) => faults.get(entry.fault)?.needs === 'network');
}

/** Whether the scenario runs on this operation (by its `operations`: all, read, write or names). */
export function appliesTo(scenario: Scenario, name: string, kind: 'read' | 'write'): boolean {
  if (scenario.operations === 'all') return true;
  if (scenario.operations === 'read' || scenario.operations === 'write') return scenario.operations === kind;
  return scenario.operations.includes(name);
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

/** Whether some selected scenario that needs Toxiproxy would run on some selected operation: only then is it started. */
export function wantsNetworkEngine(plan: RunPlan, faults: ReadonlyMap<string, Fault<FaultParams>>): boolean {
  return plan.scenarios.some(
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
}

/** Which executions a connector gets: scenario × operation, minus those its contract, its operations or the engine cannot exercise. */
export function planConnector(
  plan: RunPlan,
  connector: LoadedConnector,
  contract: Contract,
  faults: ReadonlyMap<string, Fault<FaultParams>>,
  engine: StartedEngine | NoEngine,
): ConnectorPlan {
  const operations = Object.entries(connector.definition.operations).filter(([name]) => !plan.operations || plan.operations.includes(name));
  const selected = (category: CategoryId) => !plan.categories || plan.categories.includes(category);
  const hasTokenEndpoint = contract.interactions.some(isTokenInteraction);
  const planned: PlannedExecution[] = [];
  const notApplicable: Partial<Record<CategoryId, string>> = {};
  const seenCategories = new Set<CategoryId>();
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
    if (engine.kind === 'none' && needsNetwork(scenario, faults)) {
      withoutEngine.set(scenario.category, [...(withoutEngine.get(scenario.category) ?? []), scenario.id]);
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
  return { operations: operations.map(([name]) => name), planned, plannedCategories, notApplicable, notRun, withoutEngine };
}

/**
 * The planned executions whose scenario applies to the operation given what its control run
 * showed (pages, a JSON body, a token it issued); a category left with none becomes not
 * applicable, with the reason. Updates the plan's categories.
 */
export function keepRunnable(plan: ConnectorPlan, controlOf: ReadonlyMap<string, Observation>): PlannedExecution[] {
  const unmet = ({ scenario, operation }: PlannedExecution): string | undefined => {
    const control = controlOf.get(operation);
    return control ? unmetRequirement(scenario.scenario, control) : undefined;
  };
  const runnable = plan.planned.filter((planned) => !unmet(planned));
  for (const { scenario } of plan.planned) {
    const category = scenario.scenario.category;
    if (runnable.some((p) => p.scenario.scenario.category === category)) continue;
    const why = plan.planned.filter((p) => p.scenario.scenario.category === category).map(unmet);
    plan.notApplicable[category] ??= why.find((reason) => reason !== undefined);
    plan.plannedCategories.delete(category);
  }
  return runnable;
}

/**
 * Which scenario judges each operation's overrun on a response that never comes: the first
 * latency-timeout or network-faults scenario naming settles-before-deadline (one behaviour, one
 * charge); the other categories leave it to that one.
 */
export function overrunJudges(runnable: readonly PlannedExecution[]): Map<string, string> {
  const judges = new Map<string, string>();
  for (const { scenario, operation } of runnable) {
    const { category, checks, id } = scenario.scenario;
    if ((category === 'latency-timeout' || category === 'network-faults') && checks.includes('settles-before-deadline') && !judges.has(operation)) {
      judges.set(operation, id);
    }
  }
  return judges;
}
