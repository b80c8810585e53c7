/**
 * Waits the upstream asked for (`Retry-After`, the draft `RateLimit` fields, `X-RateLimit-Reset`)
 * and how precisely a connector's waits can be measured. Pure: every time is one of the
 * observation's own (ms since the execution started).
 */
import type { Observation, TraceEntry } from '../core/index.js';
import { header, statusOf, isSuccess, sameTarget } from './trace.js';

/** Timer imprecision we forgive a connector: a wait up to this much early still counts as honoured. */
export const EARLY_TOLERANCE_MS = 50;

/** Milliseconds, rounded, for messages and details. */
export function ms(value: number): number {
  return Math.round(value);
}

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
