/**
 * The backoff policy of a connector, judged over every retry schedule it produced in a run
 * (issue #11; README.md, "Verdicts you can defend": a policy is judged on the evidence that can
 * decide it, never from the 2–4 gaps of one execution).
 *
 * Pure and deterministic: no clock, no randomness; the same schedules give the same verdict.
 * O(n log n) in the number of gaps (one sort per ordinal, binary searches for the rank test).
 *
 * The model of a measured gap: `gap = delay + noise`, where `delay` is what the client chose
 * and `noise` (timers, scheduling, the event loop) is one-sided — a gap is never shorter than
 * the delay — and heavy-tailed: usually 0–5 ms, sometimes tens of ms on a busy machine,
 * rarely hundreds. So the shortest gaps carry the cleanest evidence, and the statistics below
 * look at the lower part of each distribution (floors, counts near the floor, medians, ranks),
 * never at variances or maxima. In an ordinal that waits hundreds of ms, retries sooner than
 * IMMEDIATE_MS are left out of the jitter evidence: they come from another path (a malformed
 * `Retry-After` a client retries at once) and would hide a fixed schedule above them.
 *
 * - immediate (HU-BO-003): most retries sooner than IMMEDIATE_MS *and* more than half inside
 *   the timer-noise band (IMMEDIATE_MEDIAN_MS), so full jitter's short draws do not count;
 * - jittered (HU-BO-002): the gaps of one ordinal (the n-th retry), across executions, pile up
 *   within NOISE_MS of their shortest (a fixed delay measured again and again) or spread out;
 * - grows (HU-BO-001): for a fixed schedule, the second retries' shortest gap against the first retries' (one second retry is enough); for a jittered one, a rank
 *   test over every (ordinal n, ordinal n+1) pair of gaps that must *refute* growth to fail.
 *   Either way a schedule that grew from the first retry to the second and then stayed at its
 *   cap grew: the fixed test looks at that first step only, the rank test does not fail a
 *   first step that leans towards growth.
 *
 * Calibrated by `backoff-policy.test.ts` against populations generated from real retry
 * libraries' defaults (AWS full/equal/decorrelated jitter, got, cockatiel, ky, p-retry).
 */

/**
 * Below this many retries in the run, nothing is judged: `not-exercised`. Five is the least
 * that lets "three quarters" and "more than half" (immediate) mean more than one or two gaps.
 */
export const MIN_RETRIES = 5;

/** A retry sooner than this after the failure did not back off. */
export const IMMEDIATE_MS = 50;
/** Immediate needs at least this share of the retries sooner than {@link IMMEDIATE_MS} … */
export const IMMEDIATE_SHARE = 0.75;
/**
 * … and more than half of them sooner than this: the timer-noise band. A client that does not
 * wait at all lands most of its retries here; full jitter (uniform in [0, 100 ms) for the
 * first retry, [0, 200 ms) for the second …) draws about one first retry in seven this short.
 */
export const IMMEDIATE_MEDIAN_MS = 15;

/**
 * Two gaps of the same ordinal this close (ms) are the same delay, measured twice: the width of
 * the usual timer-noise band (0–5 ms) with some margin. A gap further than this above its
 * ordinal's shortest gap was either jittered or caught a noise spike. Wider would catch more
 * of a busy machine's noise but call small jitter fixed: equal jitter's first retry (base
 * 100 ms) spreads over only 50 ms; 12 ms already false-fails it in about 2 % of runs.
 */
export const NOISE_MS = 8;
/** An ordinal whose median is this many times IMMEDIATE_MS leaves its retries sooner than IMMEDIATE_MS out of the jitter evidence. */
export const OUTLIER_MEDIAN_FACTOR = 4;
/** Jitter is judged on at least this many gaps beyond the first of their ordinal; fewer: `undecided`. */
export const MIN_JITTER_GAPS = 5;
/**
 * No jitter when at least this share of those gaps sits within {@link NOISE_MS} of its
 * ordinal's shortest gap. A fixed schedule puts nearly all of them there (only noise spikes
 * leave), a jittered one only the few its random draw puts there by chance.
 */
export const NO_JITTER_SHARE = 0.5;

/**
 * Growth a fixed (unjittered) schedule must show from the first retry to the second: the
 * second retries' delay above `MIN_GROWTH × the first retries' + NOISE_MS` (each ordinal's
 * shortest gap is its delay plus the least noise). The round multipliers (×1.5,
 * ×2, ×3) clear it; a constant delay, with any noise short of a spike, does not.
 */
export const MIN_GROWTH = 1.25;
/**
 * For a jittered schedule: the growth factor the rank test tries to refute. The policy is
 * judged not to grow only when later retries are significantly *not* longer than
 * `JITTERED_GROWTH ×` the ones before (a constant or shrinking jittered delay). Kept low so
 * that a weak but real growth is not refuted: cockatiel's default draws its second delay
 * above 1.15× a first delay in about 58 % of pairs (50 % would be refuted in large runs).
 */
export const JITTERED_GROWTH = 1.15;
/** One-sided z for that refutation (α ≈ 0.001). */
export const GROWTH_Z = 3.09;
/** A jittered schedule's growth is judged on at least this many retries of ordinal ≥ 2; fewer: `undecided`. */
export const MIN_JITTERED_GROWTH_GAPS = 4;

export interface BackoffPolicyOptions {
  /**
   * How much the measurement alone spreads this run's waits, in ms: how late its timers were
   * (the 90th percentile of the event loop's delay), or how much the client's own time to send a
   * request it had no reason to wait for varies, whichever is larger. Above NOISE_MS, gaps that
   * spread out no longer prove jitter. 0 (the default) on a virtual clock.
   */
  timerNoiseMs?: number;
  /**
   * How late a retry that did not wait at all may arrive in this run, in ms (the client's own
   * time to send a request it had no reason to wait for, or the timers' lateness: 90th
   * percentiles); short retries within it cannot be told from immediate ones. `timerNoiseMs`
   * by default.
   */
  reactionMs?: number;
}

/** One execution's retries after failures that stated no wait: gapsMs[i] = ms between the i-th failed response's end and the next retry's start (ordinal i+1). */
export interface RetrySchedule {
  gapsMs: readonly number[];
}

/** The gaps of one ordinal (the n-th retry of an execution) across all schedules. */
export interface OrdinalStats {
  /** 1 for the first retry of an execution, 2 for the second … */
  ordinal: number;
  count: number;
  /**
   * The shortest gap (leaving out, in an ordinal that waits hundreds of ms, retries sooner than
   * IMMEDIATE_MS: another failure's path): the closest measurement of the delay, as noise only
   * lengthens a gap.
   */
  floorMs: number;
  medianMs: number;
  maxMs: number;
  /** Of the other gaps (beyond the shortest), how many sat within NOISE_MS of it. */
  nearFloor: number;
  /** `medianMs` over the previous ordinal's `medianMs`, when there is one. */
  growth?: number;
}

export interface BackoffPolicyStats {
  schedules: number;
  retries: number;
  ordinals: OrdinalStats[];
  immediate: {
    /** Retries sooner than IMMEDIATE_MS. */
    underImmediate: number;
    /** Retries sooner than IMMEDIATE_MEDIAN_MS. */
    inNoiseBand: number;
    medianMs: number;
  };
  jitter: {
    /** Gaps beyond the shortest of their ordinal (the evidence). */
    gaps: number;
    /** Of those, how many sat within NOISE_MS of their ordinal's shortest gap. */
    nearFloor: number;
    /** nearFloor / gaps, when there are gaps. */
    share?: number;
  };
  growth: GrowthStats;
}

export type GrowthStats =
  | { method: 'none'; laterRetries: number }
  | {
      /** Fixed schedule: the second retries' shortest gap against the first retries'. */
      method: 'floors';
      laterRetries: number;
      firstFloorMs: number;
      secondFloorMs: number;
      /** secondFloorMs / firstFloorMs (absent when the first floor is 0 ms). */
      ratio?: number;
      /** The second retries' median over the first retries' median (absent when that is 0 ms). */
      medianRatio?: number;
    }
  | {
      /**
       * Jittered schedule: every gap of ordinal n+1 against every gap of ordinal n, pooled over
       * n (a Mann–Whitney count of pairs where the later gap exceeds JITTERED_GROWTH × the
       * earlier one), with its normal approximation.
       */
      method: 'ranks';
      laterRetries: number;
      pairs: number;
      /** Share of pairs where the later gap is longer than JITTERED_GROWTH × the earlier (ties count half). */
      longerShare: number;
      /** The normal approximation's z over all steps (negative: later retries not longer). */
      z: number;
      /** The same for the first step alone (first retries against second retries). */
      firstStepZ: number;
      /** Median of ordinals ≥ 2 over the median of ordinal 1, for people, not the test (absent when that is 0 ms). */
      medianRatio?: number;
    };

/** Why each failing or undecided property came out that way, one sentence with numbers. */
export interface BackoffPolicyExplanations {
  immediate?: string;
  grows?: string;
  jittered?: string;
}

export type BackoffPolicyVerdict =
  | { status: 'not-exercised'; reason: string; schedules: number; retries: number }
  | {
      status: 'judged';
      /**
       * HU-BO-003: the policy retries without backing off. When true, `grows` and `jittered`
       * are mostly false too, as consequences (a zero delay neither grows nor varies): one
       * behaviour, one charge — report HU-BO-003 alone.
       */
      immediate: boolean | 'undecided';
      /** HU-BO-001: later retries wait longer (false only on evidence that they do not). */
      grows: boolean | 'undecided';
      /** HU-BO-002: the same retry waits differently across executions (false only on evidence that it does not). */
      jittered: boolean | 'undecided';
      stats: BackoffPolicyStats;
      explanations: BackoffPolicyExplanations;
    };

const ascending = (a: number, b: number): number => a - b;

/** Median of a sorted, non-empty list. */
function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** How many of the sorted values are < limit. */
function countBelow(sorted: readonly number[], limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) < limit) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** How many of the sorted values are <= limit. */
function countAtMost(sorted: readonly number[], limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) <= limit) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The gaps of one ordinal that can show its delay: all of them, except, where the ordinal's
 * median is at least {@link OUTLIER_MEDIAN_FACTOR} × {@link IMMEDIATE_MS}, the retries sooner
 * than {@link IMMEDIATE_MS}: in a policy that waits hundreds of ms, those come from another
 * path (a malformed `Retry-After` a client retries at once), and the shortest of them would
 * hide a fixed schedule above it. Noise only lengthens a gap, so the rest keep their floor.
 */
function delayEvidence(sorted: readonly number[]): readonly number[] {
  if (median(sorted) < OUTLIER_MEDIAN_FACTOR * IMMEDIATE_MS) return sorted;
  const kept = sorted.slice(countBelow(sorted, IMMEDIATE_MS));
  return kept.length > 0 ? kept : sorted;
}

const round = (value: number, digits = 0): number => Number(value.toFixed(digits));
const ratioOf = (later: number, earlier: number): number | undefined => (earlier > 0 ? later / earlier : undefined);
const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth', 'fifth'];
const nth = (ordinal: number): string => ORDINAL_WORDS[ordinal - 1] ?? `${ordinal}th`;

/**
 * Judges a connector's retry policy from every schedule of retries it produced in a run
 * (only the retries after failures that stated no wait). Schedules without gaps are counted
 * but carry no evidence; negative or non-finite gaps are ignored.
 */
export function judgeBackoffPolicy(schedules: readonly RetrySchedule[], options: BackoffPolicyOptions = {}): BackoffPolicyVerdict {
  // gaps by ordinal (index 0 = ordinal 1)
  const byOrdinal: number[][] = [];
  let retries = 0;
  for (const schedule of schedules) {
    let ordinal = 0;
    for (const gap of schedule.gapsMs) {
      if (!Number.isFinite(gap) || gap < 0) continue;
      (byOrdinal[ordinal] ??= []).push(gap);
      ordinal += 1;
      retries += 1;
    }
  }
  if (retries < MIN_RETRIES) {
    return {
      status: 'not-exercised',
      reason: `${plural(retries, 'retry', 'retries')} after failures that stated no wait, over ${plural(schedules.length, 'execution')}: at least ${MIN_RETRIES} are needed to judge the backoff policy`,
      schedules: schedules.length,
      retries,
    };
  }
  for (const gaps of byOrdinal) gaps.sort(ascending);
  const all = byOrdinal.flat().sort(ascending);

  // per ordinal
  const ordinals: OrdinalStats[] = [];
  let jitterGaps = 0;
  let jitterNear = 0;
  for (const [index, gaps] of byOrdinal.entries()) {
    const evidence = delayEvidence(gaps);
    const floor = evidence[0] as number;
    const nearFloor = countAtMost(evidence, floor + NOISE_MS) - 1;
    const stats: OrdinalStats = {
      ordinal: index + 1,
      count: gaps.length,
      floorMs: floor,
      medianMs: median(gaps),
      maxMs: gaps[gaps.length - 1] as number,
      nearFloor,
    };
    const previous = ordinals[index - 1];
    if (previous && previous.medianMs > 0) stats.growth = stats.medianMs / previous.medianMs;
    ordinals.push(stats);
    jitterGaps += evidence.length - 1;
    jitterNear += nearFloor;
  }

  const explanations: BackoffPolicyExplanations = {};

  // HU-BO-003: immediate
  const underImmediate = countBelow(all, IMMEDIATE_MS);
  const inNoiseBand = countBelow(all, IMMEDIATE_MEDIAN_MS);
  const allMedian = median(all);
  const noise = options.timerNoiseMs ?? 0;
  const reaction = Math.max(noise, options.reactionMs ?? noise);
  let immediate: boolean | 'undecided' = underImmediate >= IMMEDIATE_SHARE * retries && inNoiseBand * 2 > retries;
  if (immediate) {
    explanations.immediate = `retried without backing off: ${underImmediate} of ${retries} retries came sooner than ${IMMEDIATE_MS} ms after the failure (median ${round(allMedian)} ms, ${inNoiseBand} within the ${IMMEDIATE_MEDIAN_MS} ms timer-noise band)`;
  } else if (reaction > 0 && countBelow(all, IMMEDIATE_MS + reaction) >= IMMEDIATE_SHARE * retries && allMedian < IMMEDIATE_MEDIAN_MS + reaction) {
    // the retries came about as soon as this run lets a request that did not wait come: waiting 0 ms and a little cannot be told apart
    immediate = 'undecided';
    explanations.immediate = `immediate retry undecided: ${countBelow(all, IMMEDIATE_MS + reaction)} of ${retries} retries came within ${round(IMMEDIATE_MS + reaction)} ms (median ${round(allMedian)} ms), but in this run a request that did not wait at all came up to ${round(reaction)} ms late (the client's own time to send it, or late timers: 90th percentile)`;
  }

  // HU-BO-002: jitter
  let jittered: boolean | 'undecided';
  if (jitterGaps < MIN_JITTER_GAPS) {
    jittered = 'undecided';
    explanations.jittered = `jitter undecided: only ${plural(jitterGaps, 'gap')} beyond one per ordinal to compare (at least ${MIN_JITTER_GAPS} needed: more executions that retried)`;
  } else if (jitterNear < NO_JITTER_SHARE * jitterGaps && noise > NOISE_MS) {
    // spread out, but the machine's own timers were late by more than NOISE_MS: a fixed delay
    // measured on it spreads out too, so the spread proves nothing (noise never piles gaps up,
    // so a pile is still proof of no jitter)
    jittered = 'undecided';
    explanations.jittered = `jitter undecided: the gaps spread out, but this run's waits carry up to ${round(noise)} ms of noise (its late timers, or the client's own time to send a request it did not wait for: 90th percentile), more than the ${NOISE_MS} ms that tell a fixed delay from jitter`;
  } else {
    jittered = jitterNear < NO_JITTER_SHARE * jitterGaps;
    if (!jittered) {
      const widest = ordinals.reduce((best, o) => (o.count > best.count ? o : best));
      explanations.jittered = `backoff has no jitter: ${jitterNear} of ${jitterGaps} retries waited within ${NOISE_MS} ms of the shortest wait at the same place in their retry chain (the ${nth(widest.ordinal)} retry: shortest ${round(widest.floorMs)} ms, median ${round(widest.medianMs)} ms, over ${plural(widest.count, 'execution')})`;
    }
  }

  // HU-BO-001: growth
  const laterRetries = retries - (byOrdinal[0]?.length ?? 0);
  let grows: boolean | 'undecided';
  let growth: GrowthStats;
  const first = ordinals[0] as OrdinalStats;
  const second = ordinals[1];
  if (!second) {
    grows = 'undecided';
    growth = { method: 'none', laterRetries };
    explanations.grows = `growth undecided: no execution retried twice after a failure that stated no wait (${plural(retries, 'first retry', 'first retries')})`;
  } else if (jittered === false) {
    // a fixed schedule: each ordinal's shortest gap is its delay plus the least noise
    grows = second.floorMs > MIN_GROWTH * first.floorMs + NOISE_MS;
    growth = {
      method: 'floors',
      laterRetries,
      firstFloorMs: first.floorMs,
      secondFloorMs: second.floorMs,
      ratio: ratioOf(second.floorMs, first.floorMs),
      medianRatio: ratioOf(second.medianMs, first.medianMs),
    };
    if (!grows) {
      explanations.grows = `backoff did not grow: the second retry waited ${round(second.floorMs)} ms (shortest of ${second.count}) after the first waited ${round(first.floorMs)} ms (shortest of ${first.count}), where more than ${round(MIN_GROWTH * first.floorMs + NOISE_MS)} ms (×${MIN_GROWTH} + ${NOISE_MS} ms of timer noise) shows growth`;
    }
  } else {
    // jittered (or undecided): every gap of ordinal n+1 against every gap of ordinal n
    // (Mann–Whitney: u counts the pairs where the later gap exceeds JITTERED_GROWTH × the
    // earlier, ties half; under "no difference" its mean is pairs / 2 and its variance
    // m·k·(m+k+1)/12 per step, summed over the steps)
    let u = 0;
    let pairs = 0;
    let variance = 0;
    let firstStepZ = 0;
    for (let n = 0; n + 1 < byOrdinal.length; n += 1) {
      const earlier = byOrdinal[n] as number[];
      const later = byOrdinal[n + 1] as number[];
      let stepU = 0;
      for (const gap of later) {
        const threshold = gap / JITTERED_GROWTH;
        const below = countBelow(earlier, threshold);
        stepU += below + (countAtMost(earlier, threshold) - below) / 2;
      }
      const stepPairs = earlier.length * later.length;
      const stepVariance = (stepPairs * (earlier.length + later.length + 1)) / 12;
      if (n === 0) firstStepZ = (stepU - stepPairs / 2) / Math.sqrt(stepVariance);
      u += stepU;
      pairs += stepPairs;
      variance += stepVariance;
    }
    const z = (u - pairs / 2) / Math.sqrt(variance);
    const laterGaps = byOrdinal.slice(1).flat().sort(ascending);
    growth = {
      method: 'ranks',
      laterRetries,
      pairs,
      longerShare: u / pairs,
      z,
      firstStepZ,
      medianRatio: ratioOf(median(laterGaps), first.medianMs),
    };
    if (laterRetries < MIN_JITTERED_GROWTH_GAPS) {
      grows = 'undecided';
      explanations.grows = `growth undecided: only ${plural(laterRetries, 'second or later retry', 'second or later retries')} of a jittered policy (at least ${MIN_JITTERED_GROWTH_GAPS} needed)`;
    } else {
      // refuted over all steps, and no sign of growth at the first (a schedule that grew to
      // its cap and stayed there grew)
      grows = z > -GROWTH_Z || firstStepZ > 0;
      if (!grows) {
        explanations.grows = `backoff did not grow: across ${plural(schedules.length, 'execution')}, a later retry waited more than ×${JITTERED_GROWTH} the one before in only ${round((100 * u) / pairs)} % of ${pairs} comparisons (the later retries' median ${round(median(laterGaps))} ms against the first retries' ${round(first.medianMs)} ms; z = ${round(z, 1)})`;
      } else if (jittered === 'undecided' && noise > NOISE_MS && z < GROWTH_Z) {
        // not refuted, but not shown either, through this much noise: a fixed delay on a busy machine looks like this too
        grows = 'undecided';
        explanations.grows = `growth undecided: later retries were not shown to wait longer (z = ${round(z, 1)}), and this run's waits carry up to ${round(noise)} ms of noise`;
      }
    }
  }

  return {
    status: 'judged',
    immediate,
    grows,
    jittered,
    stats: {
      schedules: schedules.length,
      retries,
      ordinals,
      immediate: { underImmediate, inNoiseBand, medianMs: allMedian },
      jitter: jitterGaps > 0 ? { gaps: jitterGaps, nearFloor: jitterNear, share: jitterNear / jitterGaps } : { gaps: 0, nearFloor: 0 },
      growth,
    },
    explanations,
  };
}
