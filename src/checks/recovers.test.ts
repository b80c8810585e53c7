import { describe, expect, it } from 'vitest';
import { recovers } from './recovers.js';
import { GOLDEN, hung, observation, returned, threw, writeObservation } from './test-helpers.js';

describe('recovers', () => {
  it('passes when every invocation returned the golden result', () => {
    expect(recovers.evaluate(observation({ outcomes: [returned(GOLDEN), returned(GOLDEN)] }))).toEqual({
      verdict: 'pass',
      findings: [],
    });
  });

  it('fails HU-RC-001 with the error message when it threw', () => {
    expect(recovers.evaluate(observation({ outcomes: [threw('fetch failed', 'TypeError')] })).findings).toEqual([
      {
        code: 'HU-RC-001',
        message: 'threw instead of recovering: TypeError: fetch failed',
        details: { outcome: 'threw', error: 'TypeError: fetch failed', invocations: 1 },
      },
    ]);
  });

  it('leaves a hang to settles-before-deadline and other data to correct-or-loud (one behaviour, one charge)', () => {
    expect(recovers.evaluate(observation({ outcomes: [hung()] })).verdict).toBe('not-applicable');
    expect(recovers.evaluate(observation({ outcomes: [returned({ data: 'x' })] })).verdict).toBe('not-applicable');
  });

  it('fails HU-RC-001 on the invocations that threw, among concurrent ones', () => {
    const result = recovers.evaluate(
      observation({ outcomes: [returned(GOLDEN), returned({ data: 'x' }), threw('HTTP 503'), threw('HTTP 503')] }),
    );
    expect(result.verdict).toBe('fail');
    expect(result.findings).toEqual([
      {
        code: 'HU-RC-001',
        message: 'threw instead of recovering: HTTP 503 (2 of 4 invocations)',
        details: { outcome: 'threw', error: 'HTTP 503', invocations: 2 },
      },
    ]);
  });

  it('does not demand that a write be sent again (got, ky, axios-retry and undici retry no POST by default)', () => {
    expect(recovers.evaluate(writeObservation({ outcomes: [threw('HTTP 429')] }))).toMatchObject({
      verdict: 'not-applicable',
      reason: 'a write may end loudly instead of being sent again',
    });
  });

  it('is not applicable without a golden result', () => {
    expect(recovers.evaluate(observation({ golden: undefined })).verdict).toBe('not-applicable');
  });

  describe('the retry budget (issue #11)', () => {
    it('demands recovery from a burst that fits the budget', () => {
      expect(recovers.evaluate(observation({ retryBudget: 2, retriesNeeded: 2, outcomes: [threw('HTTP 503')] })).verdict).toBe('fail');
    });

    it('does not charge a client for not recovering from a burst longer than its budget: ending loudly is correct there', () => {
      expect(recovers.evaluate(observation({ retryBudget: 2, retriesNeeded: 4, outcomes: [threw('HTTP 503')] }))).toEqual({
        verdict: 'not-applicable',
        findings: [],
        reason: 'the fault fails 4 requests in a row, past the retry budget of 2 retries',
      });
      expect(recovers.evaluate(observation({ retryBudget: 1, retriesNeeded: Number.POSITIVE_INFINITY, outcomes: [threw('HTTP 503')] })).reason).toBe(
        'the fault fails every request from some point on, past the retry budget of 1 retry',
      );
    });

    it('follows a larger budget set for the connector', () => {
      expect(recovers.evaluate(observation({ retryBudget: 5, retriesNeeded: 4, outcomes: [threw('HTTP 503')] })).verdict).toBe('fail');
    });

  });
});
