import type { Check } from '../core/index.js';
import { apiRequests, header, requestsAfter, statusOf, tokenRequests } from './trace.js';
import { notApplicable, plural, verdictOf } from './verdict.js';

/** A 403 says the token is valid but not allowed: a new token with the same grant changes nothing. */
export const noRefreshOn403: Check = {
  id: 'no-refresh-on-403',
  critical: false,
  weight: 2,
  summary: 'Never requests a new token after a 403.',
  codes: {
    'HU-AU-004': 'refreshed the token after a 403',
  },
  docs: {
    rule:
      "No token request follows a 403 (insufficient_scope): a new token with the same grant changes nothing.",
    evidence:
      "The API requests answered 403 and the token requests after them.",
    notExercised:
      "No API request got a 403.",
  },
  evaluate(observation) {
    const forbidden = apiRequests(observation.trace).find((entry) => statusOf(entry) === 403);
    if (!forbidden) return notApplicable('no API request got a 403');
    const refreshes = requestsAfter(tokenRequests(observation.trace), forbidden);
    if (refreshes.length === 0) return verdictOf([]);
    const challenge = header(forbidden.response, 'www-authenticate');
    const scope = /insufficient_scope/i.test(challenge ?? '') ? ' (insufficient_scope)' : '';
    return verdictOf([
      {
        code: 'HU-AU-004',
        message: `sent ${plural(refreshes.length, 'token request')} after a 403${scope}; a new token cannot grant what the credentials lack`,
        details: { status: 403, tokenRequests: refreshes.length, ...(challenge ? { wwwAuthenticate: challenge } : {}) },
        seqs: [forbidden.seq, ...refreshes.map((entry) => entry.seq)],
      },
    ]);
  },
};
