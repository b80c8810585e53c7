import type { Check, FindingDraft } from '../core/index.js';
import { apiRequests, requestsAfter, statusOf } from './trace.js';
import { notApplicable, verdictOf } from './verdict.js';
import { EARLY_TOLERANCE_MS, executionEpoch, ms, retryAfterWait } from './waits.js';

/**
 * A 429 or 503 with `Retry-After` (seconds or an HTTP-date) forbids any API request until the
 * wait elapsed (RFC 9110 §10.2.3, RFC 6585 §4). A connector that gives up instead of waiting
 * passes: giving up loudly is judged by other checks. Late is never wrong; up to 50 ms early is
 * timer imprecision. `RateLimit` / `X-RateLimit-*` hints without `Retry-After` are drafts and
 * vendor conventions: `uses-rate-limit-hint` judges them, not this critical check.
 */
export const honoursRetryAfter: Check = {
  id: 'honours-retry-after',
  critical: true,
  weight: 3,
  summary: 'No API request starts before the wait a 429 or 503 asked for in `Retry-After` has elapsed.',
  codes: {
    'HU-RL-001': 'retried before Retry-After elapsed',
  },
  docs: {
    rule:
      "After a 429 or 503 with Retry-After (delta-seconds, or an HTTP-date measured against the response's Date header or the execution's clock, whichever allows the earlier start), no API request starts before the wait elapsed; up to 50 ms early is timer imprecision. Giving up instead of waiting passes.",
    evidence:
      "The API requests of the trace and their times; the Retry-After and Date headers of the responses.",
    budget:
      "None: the wait is the upstream's demand (RFC 9110 §10.2.3). A wait longer than the deadline is still owned by the rate-limit category: settles-before-deadline judges a client that waits it out past the deadline.",
    notExercised:
      "No 429 or 503 carried a usable Retry-After (absent or malformed: those are judged by the backoff policy).",
  },
  evaluate(observation) {
    const epochMs = executionEpoch(observation);
    const requests = apiRequests(observation.trace);
    let stated = 0;
    const findings: FindingDraft[] = [];
    for (const response of requests) {
      const wait = retryAfterWait(response, epochMs);
      if (!wait) continue;
      stated += 1;
      const early = requestsAfter(requests, response).find(
        (later) => later.startMs < wait.allowedStartMs - EARLY_TOLERANCE_MS,
      );
      if (!early) continue;
      const waitedMs = ms(early.startMs - response.endMs);
      const requiredMs = ms(wait.requiredMs);
      findings.push({
        code: 'HU-RL-001',
        message: `sent the next request ${waitedMs} ms after a ${statusOf(response)} that asked to wait ${requiredMs} ms (${wait.header})`,
        details: { waitedMs, requiredMs, header: wait.header },
        seqs: [response.seq, early.seq],
      });
    }
    if (stated === 0) return notApplicable('no response carried a usable Retry-After');
    return verdictOf(findings);
  },
};
