import type { Check, FindingDraft } from '../core/index.js';
import { EARLY_TOLERANCE_MS, apiRequests, executionEpoch, ms, notApplicable, requestsAfter, statedWait, statusOf, verdictOf } from './lib.js';

/**
 * A response that states a wait (`Retry-After`, `RateLimit`, `X-RateLimit-Reset`) forbids any
 * API request until it elapsed. A connector that gives up instead of waiting passes: giving up
 * loudly is judged by other checks. Late is never wrong; up to 50 ms early is timer imprecision.
 */
export const honoursRetryAfter: Check = {
  id: 'honours-retry-after',
  critical: true,
  weight: 3,
  summary: 'No API request starts before the wait a 429 or 503 asked for has elapsed.',
  codes: {
    'HU-RL-001': 'retried before Retry-After elapsed',
  },
  evaluate(observation) {
    const epochMs = executionEpoch(observation);
    const requests = apiRequests(observation.trace);
    let stated = 0;
    const findings: FindingDraft[] = [];
    for (const response of requests) {
      const wait = statedWait(response, epochMs);
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
    if (stated === 0) return notApplicable();
    return verdictOf(findings);
  },
};
