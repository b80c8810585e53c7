import { describe, expect, it } from 'vitest';
import { referenceCheck } from './reference.js';
import { api, hung, observation, returned, threw, token, trace } from './test-helpers.js';

// The reference check's tests are the pattern a new check's copy of them follows: one test per
// verdict, on observations made by hand.
describe('reference (the check CONTRIBUTING.md copies)', () => {
  it('passes when the invocation that returned asked the upstream', () => {
    const o = observation({ trace: trace(api(0, 10, 200)), outcomes: [returned({ id: 'in_1' })] });
    expect(referenceCheck.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('fails HU-RF-001 on a result returned without any API request, pointing at the token request it did make', () => {
    const o = observation({ trace: trace(token(0, 5, 200)), outcomes: [returned({ id: 'in_1' })] });
    expect(referenceCheck.evaluate(o)).toEqual({
      verdict: 'fail',
      findings: [{ code: 'HU-RF-001', message: 'the invocation returned without a single API request', details: { returned: 1 }, seqs: [1] }],
    });
  });

  it('judges nothing, and says why, when no invocation returned', () => {
    const o = observation({ trace: trace(), outcomes: [threw('HTTP 500'), hung()] });
    expect(referenceCheck.evaluate(o)).toEqual({ verdict: 'not-applicable', findings: [], reason: 'no invocation returned' });
  });
});
