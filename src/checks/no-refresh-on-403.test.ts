import { describe, expect, it } from 'vitest';
import { noRefreshOn403 } from './no-refresh-on-403.js';
import { api, observation, threw, token, trace } from './test-helpers.js';

const scope = { headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="invoices:write"' } };

describe('no-refresh-on-403', () => {
  it('passes when the 403 is raised without a token request', () => {
    const o = observation({ trace: trace(token(0, 5, 200), api(10, 15, 403, scope)), outcomes: [threw('forbidden')] });
    expect(noRefreshOn403.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('fails HU-AU-004 on a token request after a 403 insufficient_scope', () => {
    const o = observation({ trace: trace(token(0, 5, 200), api(10, 15, 403, scope), token(20, 25, 200), api(30, 35, 403, scope)) });
    expect(noRefreshOn403.evaluate(o)).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-AU-004',
          message: 'sent 1 token request after a 403 (insufficient_scope); a new token cannot grant what the credentials lack',
          details: {
            status: 403,
            tokenRequests: 1,
            wwwAuthenticate: 'Bearer error="insufficient_scope", scope="invoices:write"',
          },
          seqs: [2, 3],
        },
      ],
    });
  });

  it('fails HU-AU-004 after any 403', () => {
    const o = observation({ trace: trace(api(10, 15, 403), token(20, 25, 200), token(30, 35, 200)) });
    expect(noRefreshOn403.evaluate(o).findings[0]?.message).toBe(
      'sent 2 token requests after a 403; a new token cannot grant what the credentials lack',
    );
  });

  it('is not applicable without a 403', () => {
    expect(noRefreshOn403.evaluate(observation()).verdict).toBe('not-applicable');
  });
});
