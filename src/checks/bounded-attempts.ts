import type { Check } from '../core/index.js';
import { apiRequests, isFaulted, notApplicable, verdictOf } from './lib.js';

/** The most API requests one invocation may make, retries included. */
export const MAX_ATTEMPTS = 10;

/** Retrying forever turns an outage upstream into an outage of the caller (and a storm upstream). */
export const boundedAttempts: Check = {
  id: 'bounded-attempts',
  critical: false,
  weight: 2,
  summary: `Makes at most ${MAX_ATTEMPTS} API requests per invocation, however long the upstream fails.`,
  codes: {
    'HU-BA-001': 'unbounded retries',
  },
  evaluate(observation) {
    const requests = apiRequests(observation.trace);
    if (!requests.some(isFaulted)) return notApplicable();
    const invocations = Math.max(1, observation.outcomes.length);
    const attempts = Math.ceil(requests.length / invocations);
    if (attempts <= MAX_ATTEMPTS) return verdictOf([]);
    const per = invocations > 1 ? ` per invocation (${requests.length} API requests for ${invocations} invocations)` : '';
    return verdictOf([
      {
        code: 'HU-BA-001',
        message: `made ${attempts} attempts${per}; at most ${MAX_ATTEMPTS} are allowed`,
        details: { attempts, limit: MAX_ATTEMPTS, requests: requests.length, invocations },
      },
    ]);
  },
};
