import { describe, expect, it } from 'vitest';
import { noRetryOnNonRetryable } from './no-retry-on-non-retryable.js';
import { api, observation, threw, trace } from './test-helpers.js';

describe('no-retry-on-non-retryable', () => {
  it('passes a connector that fails on the first 404', () => {
    const o = observation({ trace: trace(api(0, 5, 404, { path: '/v1/invoices/in_9' })), outcomes: [threw('not found')] });
    expect(noRetryOnNonRetryable.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('passes a later request to another path', () => {
    const o = observation({ trace: trace(api(0, 5, 422, { method: 'POST' }), api(10, 15, 200, { path: '/v1/customers' })) });
    expect(noRetryOnNonRetryable.evaluate(o).verdict).toBe('pass');
  });

  it('fails HU-NR-001 with the status and how many retries', () => {
    const o = observation({
      trace: trace(
        api(0, 5, 404, { path: '/v1/invoices/in_9' }),
        api(100, 105, 404, { path: '/v1/invoices/in_9' }),
        api(300, 305, 404, { path: '/v1/invoices/in_9' }),
      ),
      outcomes: [threw('not found')],
    });
    expect(noRetryOnNonRetryable.evaluate(o)).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-NR-001',
          message: 'retried GET /v1/invoices/in_9 2 times after a 404, which a retry cannot fix',
          details: { status: 404, retries: 2, request: 'GET /v1/invoices/in_9' },
          seqs: [1, 2, 3],
        },
      ],
    });
  });

  it('says "1 time" for a single retry of a 400', () => {
    const o = observation({ trace: trace(api(0, 5, 400, { method: 'POST' }), api(50, 55, 400, { method: 'POST' })) });
    expect(noRetryOnNonRetryable.evaluate(o).findings[0]?.message).toBe(
      'retried POST /v1/invoices 1 time after a 400, which a retry cannot fix',
    );
  });

  it('is not applicable without a non-retryable response', () => {
    expect(noRetryOnNonRetryable.evaluate(observation({ trace: trace(api(0, 5, 500), api(100, 105, 200)) })).verdict).toBe(
      'not-applicable',
    );
  });
});
