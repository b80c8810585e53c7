import { describe, expect, it } from 'vitest';
import type { Outcome } from '../core/index.js';
import { reauthErrorSurfaced } from './reauth-error-surfaced.js';
import { api, hung, observation, returned, threw, token, trace, type EntryDraft } from './test-helpers.js';

const invalidGrant = (startMs: number, body = '{"error":"invalid_grant","error_description":"revoked"}') =>
  token(startMs, startMs + 5, 400, { body });

function run(outcomes: Outcome[], more: EntryDraft[] = []) {
  return observation({
    hasTokenEndpoint: true,
    trace: trace(
      token(0, 5, 200),
      api(10, 15, 401, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }),
      invalidGrant(20),
      ...more,
    ),
    outcomes,
  });
}

describe('reauth-error-surfaced', () => {
  it('passes when the invalid_grant error is thrown', () => {
    expect(reauthErrorSurfaced.evaluate(run([threw('invalid_grant: re-authenticate')]))).toEqual({ verdict: 'pass', findings: [] });
  });

  it('passes two more token requests (e.g. a fallback grant)', () => {
    expect(reauthErrorSurfaced.evaluate(run([threw('x')], [invalidGrant(30), invalidGrant(40)])).verdict).toBe('pass');
  });

  it('fails HU-AU-002 when data was returned', () => {
    expect(reauthErrorSurfaced.evaluate(run([returned([])])).findings).toEqual([
      {
        code: 'HU-AU-002',
        message: 'returned data instead of raising the invalid_grant error',
        details: { outcome: 'returned', invocations: 1 },
        seqs: [3],
      },
    ]);
  });

  it('leaves a hang to settles-before-deadline (one behaviour, one charge)', () => {
    expect(reauthErrorSurfaced.evaluate(run([hung(), threw('x')]))).toEqual({ verdict: 'pass', findings: [] });
  });

  it('fails HU-AU-003 when it kept asking for tokens', () => {
    const result = reauthErrorSurfaced.evaluate(run([threw('x')], [invalidGrant(30), invalidGrant(40), invalidGrant(50)]));
    expect(result.findings).toEqual([
      {
        code: 'HU-AU-003',
        message: 'sent 3 token requests after the token endpoint answered invalid_grant; at most 2 are allowed',
        details: { tokenRequests: 3, limit: 2 },
        seqs: [3, 4, 5, 6],
      },
    ]);
  });

  it('reads a form-encoded invalid_grant body', () => {
    const o = observation({ trace: trace(invalidGrant(0, 'error=invalid_grant')), outcomes: [returned(1)] });
    expect(reauthErrorSurfaced.evaluate(o).verdict).toBe('fail');
  });

  it('is not applicable without an invalid_grant', () => {
    expect(reauthErrorSurfaced.evaluate(observation()).verdict).toBe('not-applicable');
    const other400 = observation({ trace: trace(token(0, 5, 400, { body: '{"error":"invalid_request"}' })) });
    expect(reauthErrorSurfaced.evaluate(other400).verdict).toBe('not-applicable');
  });
});
