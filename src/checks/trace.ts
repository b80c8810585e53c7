/**
 * Reading an observation's trace: which requests, their status and headers, what a fault did to
 * them, and where an execution was left waiting. Pure: no clock, no state.
 */
import { headerValue, type HttpResponseData, type Observation, type Outcome, type TraceEntry } from '../core/index.js';

/** The API requests of a trace, in order of arrival. */
export function apiRequests(trace: readonly TraceEntry[]): TraceEntry[] {
  return trace.filter((entry) => entry.stream === 'api').sort((a, b) => a.seq - b.seq);
}

/** The token-endpoint requests of a trace, in order of arrival. */
export function tokenRequests(trace: readonly TraceEntry[]): TraceEntry[] {
  return trace.filter((entry) => entry.stream === 'token').sort((a, b) => a.seq - b.seq);
}

/** A response header by name, whatever its case; `undefined` when absent. */
export function header(response: HttpResponseData | undefined, name: string): string | undefined {
  return response ? headerValue(response.headers, name) : undefined;
}

/** The response status, or `undefined` when nothing was sent. */
export function statusOf(entry: TraceEntry): number | undefined {
  return entry.response?.status;
}

/** `2xx`. */
export function isSuccess(entry: TraceEntry): boolean {
  const status = statusOf(entry);
  return status !== undefined && status >= 200 && status < 300;
}

/**
 * A request the upstream (or holdup in its place) did not answer normally: a fault, an error
 * status, a dropped connection. Never a request that matched no interaction (`unmatched`).
 */
export function isFaulted(entry: TraceEntry): boolean {
  // holdup's own answer to a request the contract does not know is not the upstream failing
  if (entry.unmatched) return false;
  if (entry.fault !== undefined) return true;
  if (entry.delivery !== 'normal') return true;
  const status = statusOf(entry);
  return status === undefined || status >= 400;
}

/** `401` whose `WWW-Authenticate` says `invalid_token`: the access token expired. */
export function isInvalidToken(entry: TraceEntry): boolean {
  return statusOf(entry) === 401 && /invalid_token/i.test(header(entry.response, 'www-authenticate') ?? '');
}

/** The categories that own an overrun of the deadline on a response that never comes (docs/checks.md, settles-before-deadline: "one behaviour, one charge"). */
export const SILENCE_OWNERS: readonly string[] = ['latency-timeout', 'network-faults'];

/**
 * The request the operation was still waiting on when the deadline cut it, when that request's
 * response never came (`delivery: 'never'`): the last request of the trace, unanswered.
 * `undefined` when nothing hung, or the execution was doing something else at the cut.
 */
export function waitingOnSilence(observation: Observation): TraceEntry | undefined {
  if (!observation.outcomes.some((outcome) => outcome.status === 'hung')) return undefined;
  const last = observation.trace.reduce<TraceEntry | undefined>((latest, entry) => (!latest || entry.seq > latest.seq ? entry : latest), undefined);
  return last && last.delivery === 'never' ? last : undefined;
}

/**
 * Why an overrun is not judged in this category, or `undefined` when it is: outside
 * latency-timeout and network-faults, an execution cut while it waited on a response that never
 * came is judged on what it did before the cut — when a scenario of the run judges that overrun
 * for the same operation (`overrunJudgedBy`); when none does, the overrun is judged here, so it
 * is never charged nowhere.
 */
export function overrunOwnedElsewhere(observation: Observation): string | undefined {
  const owner = observation.overrunJudgedBy;
  if (SILENCE_OWNERS.includes(observation.category) || owner === undefined) return undefined;
  const silent = waitingOnSilence(observation);
  if (!silent) return undefined;
  return `cut by the deadline while waiting on a response that never came (${describeRequest(silent)}): ${owner} judges that overrun`;
}

/** `GET /v1/invoices`. */
export function describeRequest(entry: TraceEntry): string {
  return `${entry.request.method.toUpperCase()} ${entry.request.path}`;
}

/** Same method and path: a later request like this one is a retry of it. */
export function sameTarget(a: TraceEntry, b: TraceEntry): boolean {
  return a.request.method.toUpperCase() === b.request.method.toUpperCase() && a.request.path === b.request.path;
}

/** Requests of `entries` that arrived after `entry`'s response ended (so the client could have known it). */
export function requestsAfter(entries: readonly TraceEntry[], entry: TraceEntry): TraceEntry[] {
  return entries.filter((other) => other.seq > entry.seq && other.startMs >= entry.endMs);
}

/** `TypeError: fetch failed`. */
export function describeError(outcome: Extract<Outcome, { status: 'threw' }>): string {
  return outcome.error.name && outcome.error.name !== 'Error'
    ? `${outcome.error.name}: ${outcome.error.message}`
    : outcome.error.message;
}

/** Parses a body as JSON or as a form (`a=1&b=2`); the field's string value, if any. */
export function bodyField(body: string, field: string): string | undefined {
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const value = (parsed as Record<string, unknown>)[field];
        return typeof value === 'string' ? value : undefined;
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
  return new URLSearchParams(text).get(field) ?? undefined;
}
