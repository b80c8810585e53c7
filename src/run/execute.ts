import type {
  CategoryId,
  Contract,
  ConnectorWarning,
  Fault,
  FaultParams,
  FaultSchedule,
  Json,
  LoadedConnector,
  Observation,
  Outcome,
} from '../core/index.js';
import { startReplayServer } from '../replay/index.js';
import { withWarningSink } from './capture.js';
import { toJson } from './to-json.js';

export const DEFAULT_DEADLINE_MS = 10_000;

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
  golden: { value: Json | undefined } | undefined;
  faults: ReadonlyMap<string, Fault<FaultParams>>;
}

function describeThrown(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}

/**
 * Runs one operation under one fault schedule against its own replay server, with a hard
 * deadline: an invocation that has not settled by `deadlineMs` is recorded as hung and the
 * server drops its connections, so a hanging connector never hangs holdup.
 */
export async function execute(spec: ExecutionSpec): Promise<Observation> {
  const { definition } = spec.connector;
  const deadlineMs = definition.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const origin = performance.now();
  const startedAt = new Date().toISOString();
  const server = await startReplayServer({
    contract: spec.contract,
    schedule: spec.schedule,
    faults: spec.faults,
    label: (spec.seed >>> 0).toString(16).padStart(8, '0'),
    originMs: origin,
  });
  const warnings: ConnectorWarning[] = [];
  const sink = {
    push: (warning: Omit<ConnectorWarning, 'atMs'>) => warnings.push({ ...warning, atMs: performance.now() - origin }),
  };
  const operation = definition.operations[spec.operation];
  if (!operation) throw new Error(`operation ${spec.operation} not found (validated when the connector was loaded)`);

  let deadlineTimer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    deadlineTimer = setTimeout(() => resolve({ status: 'hung' }), deadlineMs);
  });
  const settle = (value: unknown): Outcome => {
    const normalized = definition.normalize ? definition.normalize(value, spec.operation) : value;
    return { status: 'returned', value: toJson(normalized), settledMs: performance.now() - origin };
  };
  const fail = (error: unknown): Outcome => ({
    status: 'threw',
    error: describeThrown(error),
    settledMs: performance.now() - origin,
  });

  let outcomes: Outcome[];
  try {
    outcomes = await withWarningSink(sink, async () => {
      const client = Promise.resolve().then(() =>
        definition.create({
          baseUrl: server.url,
          credentials: definition.credentials ?? {},
          warn: (message: string) => sink.push({ source: 'warn', message: String(message) }),
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
      return Promise.all(invocations);
    });
  } finally {
    clearTimeout(deadlineTimer);
    await server.close();
  }

  return {
    executionId: spec.executionId,
    connector: definition.name,
    operation: spec.operation,
    kind: operation.kind,
    scenario: spec.scenario,
    category: spec.category,
    seed: spec.seed,
    schedule: spec.schedule,
    deadlineMs,
    startedAt,
    trace: server.handler.trace,
    outcomes,
    golden: spec.golden,
    warnings,
    tokens: server.handler.tokens.issued,
    effects: server.handler.effects.effects,
    hasTokenEndpoint: server.handler.hasTokenEndpoint,
  };
}
