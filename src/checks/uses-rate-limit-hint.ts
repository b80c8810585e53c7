import type { Check, Observation, PolicyFindingDraft, PolicyResult, TraceEntry } from '../core/index.js';
import { IMMEDIATE_MEDIAN_MS, IMMEDIATE_MS, judgeBackoffPolicy } from './backoff-policy.js';
import { apiRequests, requestsAfter, sameTarget, statusOf } from './trace.js';
import { notApplicable, plural } from './verdict.js';
import { EARLY_TOLERANCE_MS, executionEpoch, ms, rateLimitHint, reactionNoise, retryAfterWait, type StatedWait } from './waits.js';

/** A 429 with only a RateLimit hint, and the request that came after it. */
interface Hinted {
  observation: Observation;
  response: TraceEntry;
  next: TraceEntry;
  hint: StatedWait;
  waitedMs: number;
}

/** The 429s of an execution that carried only a RateLimit hint and were followed by another API request. */
function hintedOf(observation: Observation): Hinted[] {
  const epochMs = executionEpoch(observation);
  // the next request for the same method and path: a health check or a token request in between is not the retry
  const requests = apiRequests(observation.trace).filter((entry) => !entry.unmatched);
  const found: Hinted[] = [];
  for (const response of requests) {
    const hint = rateLimitHint(response, epochMs);
    const next = hint ? requestsAfter(requests, response).find((later) => sameTarget(response, later)) : undefined;
    if (hint && next) found.push({ observation, response, next, hint, waitedMs: next.startMs - response.endMs });
  }
  return found;
}

/** How long the connector waited after every 429 that stated no `Retry-After` (hinted or not) before trying the same request again. */
function waitsAfter429(observation: Observation): number[] {
  if (observation.outcomes.length > 1) return [];
  const epochMs = executionEpoch(observation);
  const requests = apiRequests(observation.trace).filter((entry) => !entry.unmatched);
  const waits: number[] = [];
  for (const [index, response] of requests.entries()) {
    if (statusOf(response) !== 429 || response.unmatched || retryAfterWait(response, epochMs)) continue;
    const next = requests.slice(index + 1).find((later) => later.startMs >= response.endMs);
    if (next && sameTarget(response, next)) waits.push(next.startMs - response.endMs);
  }
  return waits;
}

/**
 * A 429 that carries no `Retry-After` but hints at its reset (`RateLimit: …reset=N`, the IETF
 * draft; `RateLimit-Reset`; `X-RateLimit-Reset`, a vendor convention) asks the client to slow
 * down. Using the hint is best; backing off its own way is acceptable (the headers are not a
 * standard's demand, and most retry libraries do not read them); retrying at once, into the same
 * limit, is not. "At once" is a property of the client's policy after 429s, which one draw of a
 * jittered backoff cannot show (full jitter waits under 50 ms now and then): it is judged over
 * every 429 of the run that stated no Retry-After, with the statistics of the backoff check.
 * Non-critical: `honours-retry-after` stays the critical check, for `Retry-After` alone.
 */
export const usesRateLimitHint: Check = {
  id: 'uses-rate-limit-hint',
  critical: false,
  weight: 1,
  summary: 'After a 429 whose wait is only hinted (`RateLimit`, `X-RateLimit-Reset`), waits the hint, or at least backs off.',
  codes: {
    'HU-RL-002': 'retried at once after 429s with a RateLimit hint',
  },
  docs: {
    rule: `After a 429 without Retry-After whose wait is hinted by RateLimit (reset=N, IETF draft), RateLimit-Reset or X-RateLimit-Reset (epoch seconds above 1e9, else delta-seconds), the next API request waits the shortest hint (${EARLY_TOLERANCE_MS} ms tolerance) or the connector at least backs off: its waits after every 429 of the run that stated no Retry-After are not immediate (judged as backoff-grows-with-jitter judges immediacy; with fewer than 5 such waits, immediate means every wait that ignored the hint was under ${IMMEDIATE_MEDIAN_MS} ms).`,
    evidence:
      'Every execution of the connector in the run: the 429s with only RateLimit hints and the first API request after each, and the waits before the same request after every 429 without Retry-After.',
    budget:
      'None. Not critical: the headers are drafts and vendor conventions that most retry libraries do not read. Counts in rate-limit. When the run\'s own timer noise hides whether the waits were immediate, it is not exercised, and says so.',
    notExercised: 'No 429 carried only a RateLimit hint, or the connector gave up after it (no later request).',
  },
  evaluate() {
    return notApplicable('judged once over the whole run (a policy check)');
  },
  policy: {
    category: 'rate-limit',
    judge(observations, context): PolicyResult {
      const hinted = observations.flatMap(hintedOf);
      const executions = new Set(hinted.map((h) => h.observation.executionId)).size;
      if (hinted.length === 0) {
        return { verdict: 'not-exercised', evidence: 0, reason: 'no 429 with only a RateLimit hint was followed by another request', findings: [] };
      }
      const ignored = hinted.filter((h) => h.next.startMs < h.hint.allowedStartMs - EARLY_TOLERANCE_MS);
      if (ignored.length === 0) return { verdict: 'pass', evidence: executions, findings: [] };
      const waits = observations.flatMap(waitsAfter429);
      const policy = judgeBackoffPolicy(
        waits.map((wait) => ({ gapsMs: [wait] })),
        { timerNoiseMs: context.timerNoiseMs, reactionMs: Math.max(context.timerNoiseMs, reactionNoise(observations).p90) },
      );
      const immediate = policy.status === 'judged' ? policy.immediate : ignored.every((h) => h.waitedMs < IMMEDIATE_MEDIAN_MS);
      if (immediate === 'undecided') {
        const reason = policy.status === 'judged' && policy.explanations.immediate ? policy.explanations.immediate : 'too much timer noise to tell';
        return { verdict: 'not-exercised', evidence: executions, reason, findings: [], undecided: [{ code: 'HU-RL-002', reason }] };
      }
      if (!immediate) return { verdict: 'pass', evidence: executions, findings: [] };
      const shown = [...ignored].sort((a, b) => a.waitedMs - b.waitedMs || a.observation.executionId.localeCompare(b.observation.executionId))[0] as Hinted;
      const under = waits.filter((wait) => wait < IMMEDIATE_MS).length;
      const finding: PolicyFindingDraft = {
        code: 'HU-RL-002',
        executionId: shown.observation.executionId,
        message:
          `retried at once after 429s whose RateLimit headers hinted at a wait: here ${ms(shown.waitedMs)} ms after ${shown.hint.header} hinted at ${ms(shown.hint.requiredMs)} ms; ` +
          `${under} of ${plural(waits.length, 'wait')} after 429s without Retry-After in the run came sooner than ${IMMEDIATE_MS} ms`,
        details: { waitedMs: ms(shown.waitedMs), hintedMs: ms(shown.hint.requiredMs), header: shown.hint.header, waitsUnder50Ms: under, waits: waits.length },
        seqs: [shown.response.seq, shown.next.seq],
      };
      return { verdict: 'fail', evidence: executions, findings: [finding] };
    },
  },
};
