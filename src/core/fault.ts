import type { z } from 'zod';
import type { CategoryId } from './categories.js';
import type { Interaction } from './contract.js';
import type { HttpRequestData, HttpResponseData } from './http.js';
import { jsonOrUndefined, type Json } from './json.js';
import type { Delivery, FaultSchedule, Stream, TraceEntry } from './observation.js';
import type { Rng } from './rng.js';

export type FaultParams = Record<string, Json>;

/** The Toxiproxy toxics holdup uses, with their attributes (Toxiproxy's own names and units). */
export interface ToxicSpec {
  type: 'latency' | 'timeout' | 'reset_peer' | 'limit_data' | 'slicer' | 'slow_close' | 'bandwidth';
  attributes: Record<string, number>;
  /**
   * For `limit_data`: count `bytes` from the start of the body, not of the response (the
   * replay server adds the size of the status line and headers it sends).
   */
  countFromBody?: boolean;
}

/** A response plus how to deliver it. */
export interface ReplayResponse extends HttpResponseData {
  delivery?: Delivery;
  /**
   * Toxics on the connection's way back (Toxiproxy's downstream), in place from just before
   * this response is written until a request that does not ask for the same toxics arrives.
   */
  toxics?: ToxicSpec[];
  /** Milliseconds the upstream waits before sending the status line and headers. */
  headersDelayMs?: number;
  /**
   * Set by a fault that found nothing to change in this response (a body without the field it
   * alters): the response is the upstream's own, and the trace records no fault on it.
   */
  untouched?: true;
}

/**
 * What the network engine lets the replay server do to the connection (one proxy per
 * execution). Absent when the execution runs without Toxiproxy.
 */
export interface ToxicControl {
  /** Makes exactly these toxics active on the execution's proxy, adding and removing as needed. */
  set(toxics: readonly ToxicSpec[]): Promise<void>;
  /** Whether any toxic is active now. */
  readonly active: boolean;
}

/** What the replay server's token ledger lets a fault do. */
export interface TokenControl {
  /** Every access token issued so far (and the contract's example tokens) stops being valid. */
  expireAccessTokens(): void;
  /** Every refresh token issued so far stops being valid. */
  revokeRefreshTokens(): void;
}

export interface FaultContext {
  request: HttpRequestData;
  /** The interaction the request matched, if any. */
  interaction: Interaction | undefined;
  /** Milliseconds since the execution started. */
  nowMs: number;
  /** The server's wall clock (epoch ms), for `Date` and HTTP-date headers. */
  epochMs: number;
  tokens: TokenControl;
  /**
   * Handles the request as the upstream would without this fault: matching, token checks,
   * committed side effects. A fault that never calls it answers in the upstream's place
   * (nothing was processed); one that calls it alters what the upstream processed. Given a
   * request, the upstream handles that one instead (the trace keeps what the client sent).
   */
  next(request?: HttpRequestData): ReplayResponse;
}

export interface DrawContext {
  deadlineMs: number;
  /** The connector's own timeout for one HTTP request, when its definition states it. */
  requestTimeoutMs?: number;
  /**
   * What the control execution of the same operation saw: faults derived from recorded
   * responses (schema mutations, pagination) draw their JSON paths from it. Absent when no
   * control ran (a fault must then still draw valid parameters, which may do nothing).
   */
  control?: { trace: readonly TraceEntry[]; golden: Json | undefined };
  /** The request the step being drawn targets. */
  target?: { on: Stream; request: number };
}

/** The JSON bodies of the control's responses on the stream a draw targets, in order (bodies that are not JSON left out). */
export function controlBodies(ctx: DrawContext): Json[] {
  if (!ctx.control) return [];
  const on = ctx.target?.on ?? 'api';
  return ctx.control.trace
    .filter((entry) => entry.stream === on && entry.response)
    .map((entry) => jsonOrUndefined(entry.response?.body ?? ''))
    .filter((body): body is Json => body !== undefined);
}

/**
 * One injectable failure. One file per fault in `src/faults/`, named after its id, listed in
 * `src/faults/index.ts`. `draw` makes every random choice from the seed (the result is logged
 * in the schedule); `apply` is deterministic given its params.
 */
export interface Fault<P extends FaultParams = FaultParams> {
  /** Stable id, `<category>/<name>`. */
  id: string;
  category: CategoryId;
  /** One sentence for people: what the upstream does. */
  summary: string;
  /** Which request stream it targets. */
  on: Stream;
  /** `network` when it needs the Toxiproxy network engine (it answers with `toxics`). */
  needs?: 'network';
  /**
   * Set on faults that change what the upstream recorded (a body's field, a page's cursor) and
   * may find nothing to change (`untouched`). An execution whose faults are all `derived` and
   * never changed anything judges nothing: its checks are not counted.
   */
  derived?: true;
  /**
   * Set on faults that make the request they hit fail (an error status, a dropped, truncated or
   * never-sent response): getting past one takes a retry. The retry budget is compared with how
   * many requests in a row such faults hit (`recovers` is demanded only within it).
   */
  fails?: true;
  params: z.ZodType<P>;
  /** Fills in every parameter the scenario left open, from the seed. */
  draw(rng: Rng, given: Partial<P>, ctx: DrawContext): P;
  apply(params: P, ctx: FaultContext): ReplayResponse;
}

/** Builds a fault with its parameter type inferred from its zod schema. */
export function defineFault<P extends FaultParams>(fault: Fault<P>): Fault<P> {
  return fault;
}

/**
 * How many retries in a row a schedule demands of a client that is to get past it: the longest
 * run of consecutive requests of one stream that faults marked `fails` hit (a 503 burst on API
 * requests 1 to 4 demands 4), `Infinity` when such a fault hits every request from some point on
 * (an outage), 0 when no fault fails a request (latency, a header, a changed body). With
 * `concurrency` invocations sharing the stream, each meets about its share of the run.
 */
export function retriesNeeded(schedule: FaultSchedule, faults: ReadonlyMap<string, Fault<FaultParams>>, concurrency = 1): number {
  let longest = 0;
  for (const stream of ['api', 'token'] as const) {
    const failing = schedule.steps.filter((step) => step.on === stream && faults.get(step.fault)?.fails);
    if (failing.some((step) => step.onwards)) return Number.POSITIVE_INFINITY;
    const requests = [...new Set(failing.map((step) => step.request))].sort((a, b) => a - b);
    let run = 0;
    requests.forEach((request, index) => {
      run = index > 0 && request === (requests[index - 1] as number) + 1 ? run + 1 : 1;
      longest = Math.max(longest, run);
    });
  }
  // concurrent invocations share the stream: a burst of k requests is about k / concurrency each
  return Math.ceil(longest / Math.max(1, concurrency));
}
