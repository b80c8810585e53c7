import type { Check, FindingDraft, TraceEntry } from '../core/index.js';
import { apiRequests, describeRequest, requestsAfter, sameTarget, statusOf } from './trace.js';
import { notApplicable, plural, verdictOf } from './verdict.js';

/** Statuses a retry of the same request cannot fix. */
export const NON_RETRYABLE_STATUSES: readonly number[] = [400, 403, 404, 405, 409, 410, 422];

/** A request the upstream refused for what it is will be refused again: retrying only adds load. */
export const noRetryOnNonRetryable: Check = {
  id: 'no-retry-on-non-retryable',
  critical: false,
  weight: 2,
  summary: 'Never retries a request answered 400, 403, 404, 405, 409, 410 or 422.',
  codes: {
    'HU-NR-001': 'retried a non-retryable response',
  },
  docs: {
    rule:
      "A request answered 400, 403, 404, 405, 409, 410 or 422 is never sent again (same method and path) in the execution.",
    evidence:
      "The API requests of the trace and their statuses.",
    notExercised:
      "No API request got one of those statuses.",
  },
  evaluate(observation) {
    const requests = apiRequests(observation.trace);
    const refused = requests.filter((entry) => NON_RETRYABLE_STATUSES.includes(statusOf(entry) ?? 0));
    if (refused.length === 0) return notApplicable('no API request got a non-retryable status');
    // the first refusal of each method + path; later refusals of it are its retries
    const firsts: TraceEntry[] = [];
    for (const entry of refused) if (!firsts.some((first) => sameTarget(first, entry))) firsts.push(entry);
    const findings: FindingDraft[] = [];
    for (const first of firsts) {
      const retries = requestsAfter(requests, first).filter((later) => sameTarget(first, later));
      if (retries.length === 0) continue;
      const status = statusOf(first) ?? 0;
      findings.push({
        code: 'HU-NR-001',
        message: `retried ${describeRequest(first)} ${plural(retries.length, 'time')} after a ${status}, which a retry cannot fix`,
        details: { status, retries: retries.length, request: describeRequest(first) },
        seqs: [first.seq, ...retries.map((retry) => retry.seq)],
      });
    }
    return verdictOf(findings);
  },
};
