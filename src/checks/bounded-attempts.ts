import type { Check } from '../core/index.js';
import { apiRequests, isFaulted } from './trace.js';
import { notApplicable, verdictOf } from './verdict.js';

/**
 * The most retries one invocation may make. p-retry's default is 10 (the largest default among
 * common retry libraries: got and ky 2, axios-retry 3, undici's RetryAgent 5): a bound that
 * large is still a bound.
 */
export const MAX_RETRIES = 10;
/** The most API requests one invocation may make: the first attempt and `MAX_RETRIES` retries. */
export const MAX_ATTEMPTS = MAX_RETRIES + 1;

/** Retrying forever turns an outage upstream into an outage of the caller (and a storm upstream). */
export const boundedAttempts: Check = {
  id: 'bounded-attempts',
  critical: false,
  weight: 2,
  summary: `Makes at most ${MAX_ATTEMPTS} API requests per invocation, however long the upstream fails.`,
  codes: {
    'HU-BA-001': 'unbounded retries',
  },
  docs: {
    rule:
      "An invocation makes at most 11 API requests (the first attempt and 10 retries, p-retry's default and the largest among common libraries), however long the upstream fails.",
    evidence:
      "The API requests of the trace divided by the invocations, rounded up.",
    budget:
      "The bound is per invocation, over the whole execution.",
    notExercised:
      "No API request failed.",
  },
  evaluate(observation) {
    // holdup's answers to requests the contract does not know are not attempts at the upstream
    const requests = apiRequests(observation.trace).filter((entry) => !entry.unmatched);
    if (!requests.some(isFaulted)) return notApplicable('no API request failed');
    const invocations = Math.max(1, observation.outcomes.length);
    const attempts = Math.ceil(requests.length / invocations);
    if (attempts <= MAX_ATTEMPTS) return verdictOf([]);
    const per = invocations > 1 ? ` per invocation (${requests.length} API requests for ${invocations} invocations)` : '';
    return verdictOf([
      {
        code: 'HU-BA-001',
        message: `made ${attempts} attempts${per}; at most ${MAX_ATTEMPTS} (${MAX_RETRIES} retries) are allowed`,
        details: { attempts, limit: MAX_ATTEMPTS, requests: requests.length, invocations },
      },
    ]);
  },
};
