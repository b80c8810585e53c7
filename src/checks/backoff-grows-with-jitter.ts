import type { Check, Json, Observation, PolicyFindingDraft, PolicyResult, TraceEntry } from '../core/index.js';
import {
  IMMEDIATE_MEDIAN_MS,
  IMMEDIATE_MS,
  IMMEDIATE_SHARE,
  MIN_RETRIES,
  NOISE_MS,
  NO_JITTER_SHARE,
  judgeBackoffPolicy,
  type BackoffPolicyStats,
  type RetrySchedule,
} from './backoff-policy.js';
import { apiRequests, isFaulted, statusOf } from './trace.js';
import { notApplicable } from './verdict.js';
import { executionEpoch, reactionNoise, statedWait } from './waits.js';

/** One retry: the failed response and the request that retried it. */
export interface RetryGap {
  failed: TraceEntry;
  retry: TraceEntry;
  gapMs: number;
}

/** A failure a client may retry on its own schedule: a 5xx, 408 or 429 it got, or a dropped or truncated response. */
function isRetryableFailure(entry: TraceEntry): boolean {
  if (entry.unmatched) return false;
  if (entry.delivery === 'reset' || entry.delivery === 'truncated') return true;
  const status = statusOf(entry);
  if (status === undefined) return false;
  return isFaulted(entry) && (status >= 500 || status === 408 || status === 429);
}

/**
 * The retry chains of one execution, each the gaps of its 1st, 2nd, … retry of one request:
 * a failure that stated no wait (no `Retry-After`, no RateLimit hint) followed, once its
 * response ended, by the next request for the same method and path — whatever other requests
 * came between (a token refresh, a health check). A chain ends at a success, or at a failure
 * that stated a wait (that gap is the upstream's, not the client's policy). Requests the
 * contract does not know are left out; executions with concurrent invocations give none: whose
 * retry follows whose cannot be told apart.
 */
export function retryChains(observation: Observation): RetryGap[][] {
  if (observation.outcomes.length > 1) return [];
  const epochMs = executionEpoch(observation);
  const byTarget = new Map<string, TraceEntry[]>();
  for (const entry of apiRequests(observation.trace)) {
    if (entry.unmatched) continue;
    const key = `${entry.request.method.toUpperCase()} ${entry.request.path}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), entry]);
  }
  const chains: RetryGap[][] = [];
  for (const requests of byTarget.values()) {
    let chain: RetryGap[] = [];
    const close = (): void => {
      if (chain.length > 0) chains.push(chain);
      chain = [];
    };
    for (const [index, failed] of requests.entries()) {
      const retry = requests.slice(index + 1).find((later) => later.startMs >= failed.endMs);
      if (!isRetryableFailure(failed) || statedWait(failed, epochMs) || !retry) {
        close();
        continue;
      }
      chain.push({ failed, retry, gapMs: retry.startMs - failed.endMs });
    }
    close();
  }
  // in the order the chains began
  return chains.sort((a, b) => (a[0] as RetryGap).failed.seq - (b[0] as RetryGap).failed.seq);
}

/** Every retry gap of an execution, in order (the chains flattened). */
export function retryGaps(observation: Observation): RetryGap[] {
  return retryChains(observation).flat();
}

/** The population statistics a person needs to follow the verdict, kept small for the report. */
function statsDetails(stats: BackoffPolicyStats): Record<string, Json> {
  return {
    executions: stats.schedules,
    retries: stats.retries,
    byRetry: stats.ordinals.map((o) => ({
      retry: o.ordinal,
      count: o.count,
      shortestMs: Math.round(o.floorMs),
      medianMs: Math.round(o.medianMs),
      longestMs: Math.round(o.maxMs),
    })),
  };
}

/** The execution that shows the most of what a finding is about: the most matching gaps, then the most gaps, then by id. */
function example(
  evidence: ReadonlyArray<{ observation: Observation; gaps: RetryGap[] }>,
  score: (gaps: RetryGap[]) => number,
): { observation: Observation; gaps: RetryGap[] } {
  const ranked = [...evidence].sort(
    (a, b) => score(b.gaps) - score(a.gaps) || b.gaps.length - a.gaps.length || a.observation.executionId.localeCompare(b.observation.executionId),
  );
  return ranked[0] as { observation: Observation; gaps: RetryGap[] };
}

/**
 * How a connector backs off after failures that state no wait — a property of its retry
 * *policy*, which the 2–4 gaps of one execution cannot decide (full jitter draws a 20 ms wait
 * now and then; equal jitter lines up with a round ratio by chance). So this check is judged
 * once per connector, over the retry chains of every execution of the run
 * (`judgeBackoffPolicy`), and counts in server-errors only (one behaviour, one charge):
 * not immediately (HU-BO-003), growing (HU-BO-001), with jitter (HU-BO-002). Too few retries in
 * the run to decide: not exercised, with how many there were.
 */
export const backoffGrowsWithJitter: Check = {
  id: 'backoff-grows-with-jitter',
  critical: false,
  weight: 1,
  summary: 'Across the run, retries after failures without a stated wait back off: never immediately, growing, with jitter.',
  codes: {
    'HU-BO-001': 'backoff did not grow',
    'HU-BO-002': 'backoff has no jitter',
    'HU-BO-003': 'retried immediately',
  },
  docs: {
    rule: `The connector's retry policy, after failures that state no wait (5xx, 408, 429 without Retry-After or a hint, reset or truncated responses), backs off. Immediate (HU-BO-003, reported alone): at least ${IMMEDIATE_SHARE * 100} % of the retries come sooner than ${IMMEDIATE_MS} ms and most within ${IMMEDIATE_MEDIAN_MS} ms. No jitter (HU-BO-002): at least ${NO_JITTER_SHARE * 100} % of the gaps sit within ${NOISE_MS} ms of the shortest gap of the same retry (1st, 2nd …) across executions. No growth (HU-BO-001): later retries are shown not to wait longer than earlier ones (a rank test for jittered policies; the shortest second retry against the shortest first for fixed ones). Judged once per connector over every retry chain of the run, never per execution.`,
    evidence:
      'Every execution of the connector in the run (all scenarios): the gap before each retry of a request, grouped by its place in the retry chain. Executions with concurrent invocations give none. src/checks/backoff-policy.ts holds the statistics; src/checks/backoff-policy.test.ts calibrates them on 2,000 seeded runs per family (at most 1 % false failures for full, equal and decorrelated jitter, cockatiel\'s default and small additive noise like got\'s; at least 99 % failures for constant, purely multiplicative and zero delays).',
    budget:
      "Counts in server-errors only (one behaviour, one charge), with a pass fraction of 0 or 1 weighted by the executions that gave evidence. Every measured wait carries noise, and the run measures it: how late its timers were (the 90th percentile of the event loop's delay, timerNoiseMs in report.json) and the connector's own time to send a request it had no reason to wait for (its spread, and its 90th percentile). When the noise is wider than what tells a fixed delay from jitter, or a zero delay from a short one, that property is reported as not decided, with why, never guessed either way.",
    notExercised: `Fewer than ${MIN_RETRIES} retries after failures that stated no wait in the whole run (a connector that never retries is judged by recovers, not here), or too few to decide growth or jitter (then that property is not judged).`,
  },
  evaluate() {
    return notApplicable('judged once over the whole run (a policy check)');
  },
  policy: {
    category: 'server-errors',
    judge(observations, context): PolicyResult {
      const evidence = observations
        .map((observation) => ({ observation, chains: retryChains(observation) }))
        .filter(({ chains }) => chains.length > 0)
        .map(({ observation, chains }) => ({ observation, chains, gaps: chains.flat() }));
      const schedules: RetrySchedule[] = evidence.flatMap(({ chains }) => chains.map((chain) => ({ gapsMs: chain.map((gap) => gap.gapMs) })));
      // the noise in these waits: the machine's late timers, or the client's own reaction time in this run, whichever is larger
      const reaction = reactionNoise(observations);
      const verdict = judgeBackoffPolicy(schedules, {
        timerNoiseMs: Math.max(context.timerNoiseMs, reaction.spread),
        reactionMs: Math.max(context.timerNoiseMs, reaction.p90),
      });
      if (verdict.status === 'not-exercised') return { verdict: 'not-exercised', evidence: evidence.length, reason: verdict.reason, findings: [] };
      const details = statsDetails(verdict.stats);
      const findings: PolicyFindingDraft[] = [];
      const draft = (code: string, message: string, shown: { observation: Observation; gaps: RetryGap[] }): PolicyFindingDraft => ({
        code,
        message,
        details,
        executionId: shown.observation.executionId,
        seqs: [...new Set(shown.gaps.flatMap((gap) => [gap.failed.seq, gap.retry.seq]))],
      });
      if (verdict.immediate === true) {
        const shown = example(evidence, (gaps) => gaps.filter((gap) => gap.gapMs < IMMEDIATE_MS).length);
        findings.push(draft('HU-BO-003', verdict.explanations.immediate ?? 'retried without backing off', shown));
      }
      // an immediate policy also shows neither growth nor jitter: one behaviour, one charge
      if (verdict.immediate !== true && verdict.grows === false) {
        const shown = example(evidence, (gaps) => gaps.length);
        findings.push(draft('HU-BO-001', verdict.explanations.grows ?? 'backoff did not grow', shown));
      }
      if (verdict.immediate !== true && verdict.jittered === false) {
        const shown = example(evidence, (gaps) => gaps.length);
        findings.push(draft('HU-BO-002', verdict.explanations.jittered ?? 'backoff has no jitter', shown));
      }
      const undecided = [
        ...(verdict.immediate === 'undecided' && verdict.explanations.immediate ? [{ code: 'HU-BO-003', reason: verdict.explanations.immediate }] : []),
        ...(verdict.immediate !== true && verdict.grows === 'undecided' && verdict.explanations.grows ? [{ code: 'HU-BO-001', reason: verdict.explanations.grows }] : []),
        ...(verdict.immediate !== true && verdict.jittered === 'undecided' && verdict.explanations.jittered ? [{ code: 'HU-BO-002', reason: verdict.explanations.jittered }] : []),
      ];
      // whether it backs off at all could not be told (this run's timers were too late): nothing to pass
      if (findings.length === 0 && verdict.immediate === 'undecided') {
        return { verdict: 'not-exercised', evidence: evidence.length, reason: verdict.explanations.immediate ?? 'immediate retry undecided', findings, undecided };
      }
      return { verdict: findings.length > 0 ? 'fail' : 'pass', evidence: evidence.length, findings, ...(undecided.length > 0 ? { undecided } : {}) };
    },
  },
};
