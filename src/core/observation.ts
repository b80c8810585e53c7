import type { CategoryId } from './categories.js';
import type { HttpRequestData, HttpResponseData } from './http.js';
import type { Json } from './json.js';

/**
 * Requests are counted in two streams: calls to the API, and calls to the contract's
 * token endpoint (OAuth2). A schedule step targets "the n-th request of a stream".
 */
export type Stream = 'api' | 'token';

/** One fault decision: which fault, with which (fully drawn) parameters, on which request. */
export interface ScheduleStep {
  on: Stream;
  /** 1-based index of the request within its stream, in one execution. */
  request: number;
  fault: string;
  params: Record<string, Json>;
  /** The step also applies to every later request of its stream. */
  onwards?: true;
}

/** The complete, replayable fault plan of one execution. Drawn from the seed before it starts. */
export interface FaultSchedule {
  steps: ScheduleStep[];
}

/** How a response was delivered. Faults beyond the HTTP level (issue #3) use the others. */
export type Delivery = 'normal' | 'reset' | 'truncated' | 'never';

export interface NearMiss {
  interaction: { index: number; description: string };
  /** Each part that differed, most important first. */
  mismatches: Mismatch[];
}

export interface Mismatch {
  part: 'method' | 'path' | 'query' | 'header' | 'body' | 'state' | 'status';
  /** Where inside the part: a header or query name, or a JSON path for bodies. */
  path: string;
  expected: string;
  actual: string;
}

/** One request seen by the upstream side, with its response and times (ms since the execution started). */
export interface TraceEntry {
  /** 1-based order of arrival within the execution. */
  seq: number;
  stream: Stream;
  /**
   * 1-based index within its stream (what a schedule step targets); 0 for a request no interaction
   * matched, which takes no place in its stream.
   */
  streamIndex: number;
  startMs: number;
  /** When the response was finished, or the connection dropped. */
  endMs: number;
  request: HttpRequestData;
  /** What was sent; absent when nothing was (connection dropped before the response). */
  response: HttpResponseData | undefined;
  delivery: Delivery;
  interaction?: { index: number; description: string };
  /**
   * Set when the request matched no interaction (the contract and the client disagree): holdup
   * answered it with a 500 of its own, which checks never count as an upstream fault.
   */
  unmatched?: true;
  /** Set when the request matched no interaction: which one came closest and why. */
  nearMiss?: NearMiss;
  /** The fault applied to this request, if any: the logged decision. */
  fault?: { id: string; params: Record<string, Json> };
  /** The Toxiproxy toxics its response went back through (`timeout (timeout=0)`), when a fault asked for some. */
  network?: string;
  /**
   * For API requests on a contract with a token endpoint: the bearer token, what the server made
   * of it, and whether it was enforced (a token holdup issued always is; a request without one
   * only where its interaction lists `Authorization`).
   */
  auth?: { token: string | undefined; status: 'valid' | 'expired' | 'unknown' | 'missing'; enforced: boolean };
}

export type Outcome =
  | { status: 'returned'; value: Json | undefined; settledMs: number }
  | { status: 'threw'; error: { name: string; message: string }; settledMs: number }
  | { status: 'hung' };

export interface ConnectorWarning {
  source: 'warn' | 'console.warn' | 'console.error' | 'process.emitWarning';
  message: string;
  atMs: number;
}

/** A warning from connector code that no execution's judgement included. */
export interface StrayWarning {
  source: ConnectorWarning['source'];
  message: string;
  /** `late`: its execution had settled already; `unattributed`: no execution in its async context, and none running alone. */
  reason: 'late' | 'unattributed';
  /** The execution it came from (`late`). */
  executionId?: string;
  /** Executions under way when it arrived (`unattributed`). */
  underWay?: number;
}

export interface TokenIssue {
  atMs: number;
  /** The trace entry of the token request. */
  seq: number;
  grantType: string;
  /** A short label for the token (never the secret-looking value itself). */
  token: string;
}

/** A write the upstream committed (a side effect), keyed by interaction and Idempotency-Key. */
export interface CommittedEffect {
  atMs: number;
  seq: number;
  interaction: number;
  idempotencyKey: string | undefined;
  /** True when the key was seen before and the first response was replayed: nothing new committed. */
  replayed: boolean;
}

/** Everything that happened in one execution: the input of every check. */
export interface Observation {
  executionId: string;
  connector: string;
  operation: string;
  kind: 'read' | 'write';
  /** Scenario id, or 'control' for the fault-free execution. */
  scenario: string;
  category: CategoryId | 'control';
  seed: number;
  schedule: FaultSchedule;
  deadlineMs: number;
  /** ISO time the execution started. */
  startedAt: string;
  trace: TraceEntry[];
  /** One per concurrent invocation of the operation (most scenarios run it once). */
  outcomes: Outcome[];
  /**
   * The control execution's normalised result and how many writes the upstream committed
   * for one invocation; absent for the control itself.
   */
  golden:
    | {
        value: Json | undefined;
        effects: number;
        /**
         * The same effects by request target (`POST /v1/invoices`), for operations that write
         * to several endpoints; without it, every write counts as one target.
         */
        effectsByTarget?: Record<string, number>;
      }
    | undefined;
  warnings: ConnectorWarning[];
  tokens: TokenIssue[];
  effects: CommittedEffect[];
  /** Whether the contract has a token endpoint the replay server recognised. */
  hasTokenEndpoint: boolean;
  /**
   * How many retries the connector is asked to make to ride out a fault (the retry budget,
   * docs/checks.md#recovers): a fault that fails more requests in a row than this may end the
   * operation, loudly.
   */
  retryBudget: number;
  /**
   * How many retries in a row the schedule demands to get past its failing faults
   * (`retriesNeeded`): `Infinity` for an outage, 0 when no fault fails a request.
   */
  retriesNeeded: number;
  /**
   * The scenario of this run that judges this operation's overrun on a response that never
   * comes (a latency-timeout or network-faults scenario that runs on it: `latency-timeout/black-hole`);
   * absent when none does (in-process mode, no network engine, `--category`), and then every
   * category judges such an overrun itself.
   */
  overrunJudgedBy?: string;
  /**
   * Requests the connector sent past the first 1,000 of the execution (a loop): holdup answered
   * them only slowly, and left them out of the trace. Absent when there were none.
   */
  requestsCut?: number;
  /**
   * Why no check may judge this execution, when something other than the connector's handling of
   * the faults decided its outcome: a command connector's process that broke the protocol (a line
   * that is not a message, an answer to a call never sent). Its checks count it as not judged, with
   * this reason; it is never taken as the operation failing loudly.
   */
  unjudged?: string;
}
