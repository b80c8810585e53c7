import type { Check, FindingDraft } from '../core/index.js';
import { bodyField, statusOf, tokenRequests } from './trace.js';
import { notApplicable, ofInvocations, plural, verdictOf } from './verdict.js';

/** Token requests allowed after the first `invalid_grant` (e.g. one fallback to client credentials and one more). */
export const MAX_TOKEN_REQUESTS_AFTER_INVALID_GRANT = 2;

/**
 * `invalid_grant` means a person must re-authenticate: the connector must say so (throw), not
 * return stale or empty data, and not keep asking the token endpoint. A hang is
 * `settles-before-deadline`'s (one behaviour, one charge).
 */
export const reauthErrorSurfaced: Check = {
  id: 'reauth-error-surfaced',
  critical: false,
  weight: 2,
  summary: 'Surfaces invalid_grant as an error and stops asking for tokens.',
  codes: {
    'HU-AU-002': 're-authentication error not surfaced',
    'HU-AU-003': 'kept asking for tokens after invalid_grant',
  },
  docs: {
    rule:
      "After the token endpoint answers 400 invalid_grant, no invocation returns data (it throws), and at most 2 more token requests follow.",
    evidence:
      "The token-endpoint requests and their bodies, and the outcomes.",
    budget:
      "A hang is settles-before-deadline's.",
    notExercised:
      "The connector never asked the token endpoint for a new token after its token expired (so it never saw invalid_grant).",
  },
  evaluate(observation) {
    const tokens = tokenRequests(observation.trace);
    const refused = tokens.find(
      (entry) => statusOf(entry) === 400 && bodyField(entry.response?.body ?? '', 'error') === 'invalid_grant',
    );
    if (!refused) return notApplicable('the connector never asked the token endpoint for a new token after its token expired');
    const findings: FindingDraft[] = [];
    const total = observation.outcomes.length;
    const returned = observation.outcomes.filter((outcome) => outcome.status === 'returned').length;
    if (returned > 0) {
      findings.push({
        code: 'HU-AU-002',
        message: `returned data instead of raising the invalid_grant error${ofInvocations(returned, total)}`,
        details: { outcome: 'returned', invocations: returned },
        seqs: [refused.seq],
      });
    }
    const after = tokens.filter((entry) => entry.seq > refused.seq);
    if (after.length > MAX_TOKEN_REQUESTS_AFTER_INVALID_GRANT) {
      findings.push({
        code: 'HU-AU-003',
        message: `sent ${plural(after.length, 'token request')} after the token endpoint answered invalid_grant; at most ${MAX_TOKEN_REQUESTS_AFTER_INVALID_GRANT} are allowed`,
        details: { tokenRequests: after.length, limit: MAX_TOKEN_REQUESTS_AFTER_INVALID_GRANT },
        seqs: [refused.seq, ...after.map((entry) => entry.seq)],
      });
    }
    return verdictOf(findings);
  },
};
