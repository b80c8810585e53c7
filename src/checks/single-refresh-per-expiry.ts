import type { Check, Observation } from '../core/index.js';
import { apiRequests, isInvalidToken, isSuccess, tokenRequests } from './trace.js';
import { notApplicable, plural, verdictOf } from './verdict.js';

export const TOKEN_EXPIRED_FAULT = 'auth-expiry/token-expired';

/**
 * How many times the access token expired: the schedule's `token-expired` steps whose request
 * was reached (an unreached step expired nothing), at least one once a 401 invalid_token was seen.
 */
export function expiriesOf(observation: Observation): number {
  const reached = observation.schedule.steps.filter(
    (step) =>
      step.fault === TOKEN_EXPIRED_FAULT &&
      observation.trace.some((entry) => entry.stream === step.on && entry.streamIndex === step.request),
  ).length;
  return Math.max(1, reached);
}

/**
 * When a token expires under concurrent calls, one refresh must serve them all: a stampede of
 * token requests hits the identity provider's rate limits and can revoke the refresh token.
 */
export const singleRefreshPerExpiry: Check = {
  id: 'single-refresh-per-expiry',
  critical: true,
  weight: 3,
  summary: 'Obtains at most one new token per expiry, however many calls were in flight.',
  codes: {
    'HU-AU-001': 'requested more than one token per expiry',
  },
  docs: {
    rule:
      "After a 401 invalid_token, at most one new token is obtained per expiry of the access token, however many invocations were in flight.",
    evidence:
      "The token-endpoint requests after the first 401 invalid_token, and the schedule's token-expired steps that were reached.",
    budget:
      "Tokens holdup issued are enforced on every API request that carries one, whether or not the interaction lists Authorization: a client that never refreshes gets 401s (recovers and correct-or-loud judge it).",
    notExercised:
      "The contract has no token endpoint, or no API request got a 401 invalid_token. The whole auth-expiry category is not applicable to a connector whose control run sent no token the endpoint issued (a static key).",
  },
  evaluate(observation) {
    if (!observation.hasTokenEndpoint) return notApplicable('the contract has no token endpoint');
    const expiry = apiRequests(observation.trace).find(isInvalidToken);
    if (!expiry) return notApplicable('no API request got a 401 invalid_token');
    const issued = tokenRequests(observation.trace).filter((entry) => entry.seq > expiry.seq && isSuccess(entry));
    const expiries = expiriesOf(observation);
    if (issued.length <= expiries) return verdictOf([]);
    const forWhat = expiries === 1 ? 'one expiry' : `${expiries} expiries`;
    return verdictOf([
      {
        code: 'HU-AU-001',
        message: `requested ${plural(issued.length, 'token')} for ${forWhat}; at most ${expiries} ${expiries === 1 ? 'is' : 'are'} allowed`,
        details: { tokens: issued.length, expiries },
        seqs: [expiry.seq, ...issued.map((entry) => entry.seq)],
      },
    ]);
  },
};
