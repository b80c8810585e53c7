import { headerValue, type CheckResult, type FindingDraft, type HttpResponseData, type Json, type Observation, type Outcome, type TraceEntry } from '../core/index.js';

/**
 * Pure helpers shared by the checks. Nothing here reads a clock or any state: every time is
 * one of the observation's own (ms since the execution started).
 */

/** Timer imprecision we forgive a connector: a wait up to this much early still counts as honoured. */
export const EARLY_TOLERANCE_MS = 50;

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

/** Milliseconds, rounded, for messages and details. */
export function ms(value: number): number {
  return Math.round(value);
}

/** `(3 of 10 invocations)` when an operation ran concurrently, else `''`. */
export function ofInvocations(count: number, total: number): string {
  return total > 1 ? ` (${count} of ${total} invocations)` : '';
}

/** `1 token` / `3 tokens`. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

// ---------------------------------------------------------------------------------------------
// Stated waits: Retry-After, RateLimit (IETF draft), X-RateLimit-Reset

/** The wait an upstream response asked for. */
export interface StatedWait {
  /** The earliest time (ms since the execution started) a later request may start. */
  allowedStartMs: number;
  /** `allowedStartMs - response end`, never negative. */
  requiredMs: number;
  /** The header as a person reads it, e.g. `Retry-After: 2`. */
  header: string;
}

const DELTA_SECONDS = /^\s*(\d+)\s*$/;

/**
 * A `Retry-After` value (RFC 9110 §10.2.3): delta-seconds as a wait in ms, or an HTTP-date as
 * epoch ms; `undefined` when it is neither.
 */
export function parseRetryAfter(value: string): { waitMs: number } | { atEpochMs: number } | undefined {
  const delta = DELTA_SECONDS.exec(value);
  if (delta) return { waitMs: Number(delta[1]) * 1000 };
  // HTTP-date: an IMF-fixdate has letters and a year; reject bare numbers with signs or decimals
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : { atEpochMs: at };
}

/** `Retry-After` (delta-seconds or HTTP-date) as ms to wait from the response's end; `undefined` when malformed. */
function retryAfterMs(value: string, entry: TraceEntry, epochMs: number | undefined): number | undefined {
  const parsed = parseRetryAfter(value);
  if (parsed === undefined) return undefined;
  return 'waitMs' in parsed ? parsed.waitMs : absoluteWait(parsed.atEpochMs, entry, epochMs);
}

/**
 * The wait until an absolute epoch time, as ms from the response's end: computed against the
 * response's own `Date` header and against the execution's clock, whichever allows the earlier
 * start (a client may compute either way).
 */
function absoluteWait(atEpochMs: number, entry: TraceEntry, epochMs: number | undefined): number | undefined {
  const waits: number[] = [];
  const date = Date.parse(header(entry.response, 'date') ?? '');
  if (!Number.isNaN(date)) waits.push(atEpochMs - date);
  if (epochMs !== undefined) waits.push(atEpochMs - epochMs - entry.endMs);
  if (waits.length === 0) return undefined;
  return Math.max(0, Math.min(...waits));
}

/** `reset=N` from a `RateLimit` header (IETF draft: `limit=60, remaining=0, reset=2`). */
function rateLimitReset(value: string): number | undefined {
  const match = /(?:^|[,;\s])reset\s*=\s*(\d+)\s*(?:[,;]|$)/i.exec(value);
  return match ? Number(match[1]) * 1000 : undefined;
}

/**
 * The wait a `Retry-After` header asked for: a 429 or 503 with `Retry-After` as delta-seconds
 * or an HTTP-date (RFC 9110 §10.2.3); `undefined` when there is none or it is malformed.
 *
 * @param epochMs when the execution started (epoch ms), for HTTP-dates
 */
export function retryAfterWait(entry: TraceEntry, epochMs: number | undefined): StatedWait | undefined {
  const status = statusOf(entry);
  if (status !== 429 && status !== 503) return undefined;
  const value = header(entry.response, 'retry-after');
  if (value === undefined) return undefined;
  const waitMs = retryAfterMs(value, entry, epochMs);
  if (waitMs === undefined) return undefined;
  return { allowedStartMs: entry.endMs + waitMs, requiredMs: waitMs, header: `Retry-After: ${value}` };
}

/**
 * The wait a 429 *hinted at* without a usable `Retry-After`: `RateLimit: …reset=N` (IETF
 * draft), `RateLimit-Reset: N` or `X-RateLimit-Reset` (epoch seconds when above 1e9, else
 * delta-seconds); when several are given, the shortest. These headers are drafts and vendor
 * conventions, not a demand: `uses-rate-limit-hint` judges them, never `honours-retry-after`.
 */
export function rateLimitHint(entry: TraceEntry, epochMs: number | undefined): StatedWait | undefined {
  if (statusOf(entry) !== 429 || retryAfterWait(entry, epochMs)) return undefined;
  const candidates: Array<{ waitMs: number; header: string }> = [];
  const rateLimit = header(entry.response, 'ratelimit');
  const fromRateLimit = rateLimit === undefined ? undefined : rateLimitReset(rateLimit);
  if (fromRateLimit !== undefined) candidates.push({ waitMs: fromRateLimit, header: `RateLimit: ${rateLimit}` });
  const reset = header(entry.response, 'ratelimit-reset');
  const resetDelta = reset === undefined ? undefined : DELTA_SECONDS.exec(reset);
  if (resetDelta) candidates.push({ waitMs: Number(resetDelta[1]) * 1000, header: `RateLimit-Reset: ${reset}` });
  const xReset = header(entry.response, 'x-ratelimit-reset');
  const xResetNumber = xReset === undefined ? undefined : DELTA_SECONDS.exec(xReset);
  if (xResetNumber) {
    const n = Number(xResetNumber[1]);
    const waitMs = n > 1e9 ? absoluteWait(n * 1000, entry, epochMs) : n * 1000;
    if (waitMs !== undefined) candidates.push({ waitMs, header: `X-RateLimit-Reset: ${xReset}` });
  }
  if (candidates.length === 0) return undefined;
  const shortest = candidates.reduce((a, b) => (b.waitMs < a.waitMs ? b : a));
  return { allowedStartMs: entry.endMs + shortest.waitMs, requiredMs: shortest.waitMs, header: shortest.header };
}

/** Any wait a response stated or hinted at: `Retry-After` first, else a RateLimit hint. */
export function statedWait(entry: TraceEntry, epochMs: number | undefined): StatedWait | undefined {
  return retryAfterWait(entry, epochMs) ?? rateLimitHint(entry, epochMs);
}

/** The execution's start as epoch ms, or `undefined` when `startedAt` is not a date. */
export function executionEpoch(observation: Observation): number | undefined {
  const epoch = Date.parse(observation.startedAt);
  return Number.isNaN(epoch) ? undefined : epoch;
}

// ---------------------------------------------------------------------------------------------
// JSON comparison

/** Where two JSON values first differ. `golden`/`actual` are absent when that side lacks the path. */
export interface JsonDifference {
  /** JSONPath of the first difference, e.g. `$.data[0].amount`; `$` for the whole value. */
  path: string;
  kind: 'changed' | 'missing' | 'extra';
  golden?: Json;
  actual?: Json;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The first path where `actual` differs from `golden` (depth first, golden's key order, then
 * keys only `actual` has), or `undefined` when they are deep-equal. Object key order does not
 * matter; array order does. `undefined` stands for "no value".
 */
/**
 * Differences a faithful connector may show after an additive upstream change: a field the
 * upstream added, passed through; a new enum value passed through in place of the recorded one.
 */
export interface Allowance {
  extraKeys: ReadonlySet<string>;
  /** Recorded value → the value the upstream sent instead. */
  values: ReadonlyMap<string, string>;
}

const NO_ALLOWANCE: Allowance = { extraKeys: new Set(), values: new Map() };

/** The additive schema changes applied in an execution (schema-drift/extra-field and unknown-enum). */
export function additiveAllowance(observation: Observation): Allowance {
  const extraKeys = new Set<string>();
  const values = new Map<string, string>();
  for (const entry of observation.trace) {
    const params = entry.fault?.params;
    if (!params) continue;
    if (entry.fault?.id === 'schema-drift/extra-field' && typeof params['name'] === 'string') extraKeys.add(params['name']);
    if (entry.fault?.id === 'schema-drift/unknown-enum' && typeof params['from'] === 'string' && typeof params['to'] === 'string') {
      values.set(params['from'], params['to']);
    }
  }
  return { extraKeys, values };
}

export function jsonDiff(golden: Json | undefined, actual: Json | undefined, path = '$', allow: Allowance = NO_ALLOWANCE): JsonDifference | undefined {
  if (golden === undefined && actual === undefined) return undefined;
  if (golden === undefined) return { path, kind: 'extra', actual: actual as Json };
  if (actual === undefined) return { path, kind: 'missing', golden };
  if (Array.isArray(golden) && Array.isArray(actual)) {
    const length = Math.max(golden.length, actual.length);
    for (let index = 0; index < length; index += 1) {
      const difference = jsonDiff(golden[index], actual[index], childPath(path, index), allow);
      if (difference) return difference;
    }
    return undefined;
  }
  if (isObject(golden) && isObject(actual)) {
    for (const key of Object.keys(golden)) {
      const inActual = Object.prototype.hasOwnProperty.call(actual, key);
      const difference = jsonDiff(golden[key], inActual ? actual[key] : undefined, childPath(path, key), allow);
      if (difference) return difference;
    }
    for (const key of Object.keys(actual)) {
      if (!Object.prototype.hasOwnProperty.call(golden, key) && !allow.extraKeys.has(key)) {
        return { path: childPath(path, key), kind: 'extra', actual: actual[key] as Json };
      }
    }
    return undefined;
  }
  if (golden === actual) return undefined;
  if (typeof golden === 'string' && allow.values.get(golden) === actual) return undefined;
  // NaN is not JSON, but a connector may return it: treat NaN as equal to NaN
  if (typeof golden === 'number' && typeof actual === 'number' && Number.isNaN(golden) && Number.isNaN(actual)) {
    return undefined;
  }
  return { path, kind: 'changed', golden, actual };
}

/** A JSON value as a person reads it in a message, shortened past 60 characters. */
export function show(value: Json | undefined): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** How a difference reads in a sentence: `$.amount: golden 1200, actual "1200"`. */
export function describeDifference(difference: JsonDifference): string {
  if (difference.kind === 'missing') {
    return difference.path === '$'
      ? `result was missing (golden ${show(difference.golden)})`
      : `${difference.path} was missing (golden ${show(difference.golden)})`;
  }
  if (difference.kind === 'extra') {
    return difference.path === '$'
      ? `result was extra (golden has none, actual ${show(difference.actual)})`
      : `${difference.path} was extra (golden has none, actual ${show(difference.actual)})`;
  }
  return `${difference.path}: golden ${show(difference.golden)}, actual ${show(difference.actual)}`;
}

/** The details of a difference: `{ field, golden, actual }`, with `missing`/`extra` when one side lacks it. */
export function differenceDetails(difference: JsonDifference): Record<string, Json> {
  const details: Record<string, Json> = { field: difference.path };
  if (difference.golden !== undefined) details.golden = difference.golden;
  if (difference.actual !== undefined) details.actual = difference.actual;
  if (difference.kind !== 'changed') details[difference.kind] = true;
  return details;
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

/** A passing verdict. */
export function pass(): CheckResult {
  return { verdict: 'pass', findings: [] };
}

/** Nothing to judge: the execution does not count for this check; `reason` says why, in a few words. */
export function notApplicable(reason?: string): CheckResult {
  return reason === undefined ? { verdict: 'not-applicable', findings: [] } : { verdict: 'not-applicable', findings: [], reason };
}

/** `fail` with these findings, or `pass` when there are none. */
export function verdictOf(findings: FindingDraft[]): CheckResult {
  return { verdict: findings.length > 0 ? 'fail' : 'pass', findings };
}

// ---------------------------------------------------------------------------------------------
// Measurement noise

/**
 * How long the connector takes, in this run, to send its next request after a response it had
 * no reason to wait after (a 2xx page: the request for the next page), over every execution
 * with one invocation, in ms: `p90`, how late a retry that did not wait at all may
 * arrive; `spread` (p90 − p10), how much the measurement alone spreads waits that were meant
 * to be equal — the machine's scheduling and the client's own work, the way a stopwatch's
 * reaction time is. Both 0 when no execution shows such a gap (and on the virtual clock, where
 * they are all 0).
 */
export function reactionNoise(observations: readonly Observation[]): { p90: number; spread: number } {
  const gaps: number[] = [];
  for (const observation of observations) {
    if (observation.outcomes.length !== 1) continue;
    const entries = [...observation.trace].filter((entry) => !entry.unmatched).sort((a, b) => a.seq - b.seq);
    for (let i = 0; i + 1 < entries.length; i += 1) {
      const done = entries[i] as TraceEntry;
      const next = entries[i + 1] as TraceEntry;
      // the next page: the same request again, after a 2xx it had no reason to wait after (a first
      // request after a token is not one: connections are still being set up)
      if (isSuccess(done) && done.delivery === 'normal' && !done.fault && done.stream === 'api' && sameTarget(done, next) && next.startMs >= done.endMs) {
        gaps.push(next.startMs - done.endMs);
      }
    }
  }
  if (gaps.length === 0) return { p90: 0, spread: 0 };
  gaps.sort((a, b) => a - b);
  const at = (q: number): number => gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * q))] as number;
  return { p90: at(0.9), spread: at(0.9) - at(0.1) };
}
