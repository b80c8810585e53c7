import type { Check, FindingDraft, TraceEntry } from '../core/index.js';
import { apiRequests, executionEpoch, isFaulted, ms, notApplicable, sameTarget, statedWait, statusOf, verdictOf } from './lib.js';

/** A retry sooner than this after the failure is immediate. */
export const IMMEDIATE_MS = 50;
/** The later half of the gaps must average at least this many times the earlier half. */
export const MIN_GROWTH = 1.2;
/** Two ratios this close (relative) are the same progression. */
const RATIO_TOLERANCE = 0.02;
/**
 * The multipliers deterministic backoff schedules use (constant, ×1.5, ×2, ×3). Requiring one of
 * them keeps equal-jitter delays, whose half-fixed steps can line up by chance, from being
 * mistaken for a progression.
 */
const ROUND_RATIOS = [1, 1.5, 2, 3];
/** Timer and scheduling noise on each measured gap. */
const NOISE_MS = 4;

/** One retry: the failed response and the request that retried it. */
export interface RetryGap {
  failed: TraceEntry;
  retry: TraceEntry;
  gapMs: number;
}

/**
 * The retries after failures that stated no wait (5xx, 408, 429 without a usable wait header,
 * dropped or truncated responses): each failed API request paired with the next API request
 * for the same method and path that arrived after it ended.
 */
export function retryGaps(trace: readonly TraceEntry[], epochMs: number | undefined): RetryGap[] {
  const requests = apiRequests(trace);
  const gaps: RetryGap[] = [];
  for (const [index, failed] of requests.entries()) {
    if (!isRetryableFailure(failed) || statedWait(failed, epochMs)) continue;
    const retry = requests.slice(index + 1).find((later) => later.startMs >= failed.endMs);
    if (!retry || !sameTarget(failed, retry)) continue;
    gaps.push({ failed, retry, gapMs: retry.startMs - failed.endMs });
  }
  return gaps;
}

function isRetryableFailure(entry: TraceEntry): boolean {
  if (entry.delivery === 'reset' || entry.delivery === 'truncated') return true;
  const status = statusOf(entry);
  if (status === undefined) return false;
  return isFaulted(entry) && (status >= 500 || status === 408 || status === 429);
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Whether the gaps follow one exact geometric progression (constant included): some ratio r
 * among `ratios` (the round multipliers deterministic schedules use) makes every gap[i+1] / gap[i] equal r
 * within ±2 %, after allowing each gap ±4 ms of timer noise.
 * Returns the measured ratio, or `undefined` when the gaps are jittered.
 */
export function exactRatio(gaps: readonly number[], ratios: readonly number[] = ROUND_RATIOS): number | undefined {
  let low = 0;
  let high = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < gaps.length; i += 1) {
    const a = gaps[i] as number;
    const b = gaps[i + 1] as number;
    const min = Math.max(0, b - NOISE_MS) / (a + NOISE_MS);
    const max = a - NOISE_MS > 0 ? (b + NOISE_MS) / (a - NOISE_MS) : Number.POSITIVE_INFINITY;
    low = Math.max(low, min * (1 - RATIO_TOLERANCE));
    high = Math.min(high, max * (1 + RATIO_TOLERANCE));
  }
  if (!ratios.some((r) => r >= low && r <= high)) return undefined;
  // the ratio a person sees: the geometric mean of the measured ratios
  const measured = gaps.slice(1).map((b, i) => b / (gaps[i] as number));
  return Math.exp(mean(measured.map((r) => Math.log(r))));
}

const list = (gaps: readonly number[]): string => `${gaps.join(', ')} ms`;

/**
 * Retries after a failure that stated no wait should back off: not immediately, more each time,
 * and with jitter so that many clients do not retry in lockstep.
 */
export const backoffGrowsWithJitter: Check = {
  id: 'backoff-grows-with-jitter',
  critical: false,
  weight: 1,
  summary: 'Retries after failures without a stated wait back off: never immediately, growing, with jitter.',
  codes: {
    'HU-BO-001': 'backoff did not grow',
    'HU-BO-002': 'backoff has no jitter',
    'HU-BO-003': 'retried immediately',
  },
  evaluate(observation) {
    const retries = retryGaps(observation.trace, executionEpoch(observation));
    if (retries.length === 0) return notApplicable();
    const gaps = retries.map((retry) => ms(retry.gapMs));
    const seqs = [...new Set(retries.flatMap((retry) => [retry.failed.seq, retry.retry.seq]))];
    const findings: FindingDraft[] = [];
    const immediate = retries.filter((retry) => retry.gapMs < IMMEDIATE_MS);
    const firstImmediate = immediate[0];
    if (firstImmediate) {
      const gapMs = ms(firstImmediate.gapMs);
      const more = immediate.length > 1 ? ` (${immediate.length} of ${retries.length} retries under ${IMMEDIATE_MS} ms)` : '';
      findings.push({
        code: 'HU-BO-003',
        message: `retried ${gapMs} ms after a ${describeFailure(firstImmediate.failed)}, without backing off${more}`,
        details: { gapMs, immediate: immediate.length, retries: retries.length },
        seqs: [firstImmediate.failed.seq, firstImmediate.retry.seq],
      });
    }
    if (gaps.length === 2) {
      // Two samples cannot tell a constant schedule from jitter (equal jitter can draw 151 ms
      // then 151 ms): only a backoff that clearly shrank is flagged.
      const [first, second] = gaps as [number, number];
      if (second < first - NOISE_MS) {
        findings.push({
          code: 'HU-BO-001',
          message: `backoff did not grow: the second retry waited ${second} ms after the first waited ${first} ms`,
          details: { gapsMs: gaps },
          seqs,
        });
      }
    } else if (gaps.length >= 3) {
      const half = Math.floor(gaps.length / 2);
      const earlier = mean(gaps.slice(0, half));
      const later = mean(gaps.slice(gaps.length - half));
      const growth = earlier > 0 ? later / earlier : later > 0 ? Number.POSITIVE_INFINITY : 1;
      if (growth < MIN_GROWTH) {
        findings.push({
          code: 'HU-BO-001',
          message: `backoff did not grow: gaps ${list(gaps)} (the later retries waited ${growth.toFixed(2)}× the earlier ones; at least ${MIN_GROWTH}× expected)`,
          details: { gapsMs: gaps, growth: Number(growth.toFixed(2)) },
          seqs,
        });
      }
      // Three jittered samples line up with a round ratio by chance too often (equal jitter: about
      // 3 % of the time): with three, only a constant schedule is called exact; with four or more,
      // any round ratio.
      const ratio = exactRatio(gaps, gaps.length >= 4 ? ROUND_RATIOS : [1]);
      if (ratio !== undefined) {
        findings.push({
          code: 'HU-BO-002',
          message: `backoff has no jitter: gaps ${list(gaps)} follow an exact ×${ratio.toFixed(2)} progression`,
          details: { gapsMs: gaps, ratio: Number(ratio.toFixed(2)) },
          seqs,
        });
      }
    }
    return verdictOf(findings);
  },
};

function describeFailure(entry: TraceEntry): string {
  const status = statusOf(entry);
  if (entry.delivery === 'reset') return 'reset connection';
  if (entry.delivery === 'truncated') return 'truncated response';
  return String(status);
}
