import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAULTS } from '../faults/index.js';
import { fuzzCaseArbitrary, scheduleOf } from './schedule.js';

const faults = ['server-errors/internal-error', 'rate-limit/retry-after-seconds', 'silent-failure/empty-body'];

describe('fault-schedule arbitraries', () => {
  it('shrink a failure to the simplest case: one invocation, one fault, the first in the list, on request 1', () => {
    const details = fc.check(
      fc.property(fuzzCaseArbitrary({ faults, operations: ['getInvoice', 'listInvoices'] }), () => false),
      { seed: 3 },
    );
    expect(details.counterexample?.[0]).toEqual({
      operation: 'getInvoice',
      concurrency: 1,
      steps: [{ fault: 'server-errors/internal-error', request: 1, draws: [0, 0, 0, 0] }],
    });
  });

  it('draw the same cases from the same seed', () => {
    const arbitrary = fuzzCaseArbitrary({ faults, operations: ['getInvoice'] });
    expect(fc.sample(arbitrary, { seed: 9, numRuns: 20 })).toEqual(fc.sample(arbitrary, { seed: 9, numRuns: 20 }));
  });

  it('stay within the bounds they are given', () => {
    fc.assert(
      fc.property(fuzzCaseArbitrary({ faults, operations: ['a'], maxSteps: 2, maxRequest: 3, maxConcurrency: 2 }), (c) => {
        expect(c.steps.length).toBeGreaterThanOrEqual(1);
        expect(c.steps.length).toBeLessThanOrEqual(2);
        expect(c.concurrency).toBeLessThanOrEqual(2);
        for (const step of c.steps) expect(step.request).toBeLessThanOrEqual(3);
      }),
    );
  });
});

describe('scheduleOf', () => {
  it("draws every parameter through the fault's own draw, from the step's draws; zeros give the low end of each range", () => {
    const low = scheduleOf([{ fault: 'rate-limit/retry-after-seconds', request: 1, draws: [0, 0, 0, 0] }], FAULTS, { deadlineMs: 10_000 });
    expect(low.steps[0]?.params).toEqual({ seconds: 1 });
    const high = scheduleOf([{ fault: 'rate-limit/retry-after-seconds', request: 1, draws: [0.99, 0.99, 0.99, 0.99] }], FAULTS, { deadlineMs: 10_000 });
    expect(high.steps[0]?.params).toEqual({ seconds: 2 });
  });

  it('draws the same parameters from the same draws', () => {
    const schedule = scheduleOf([{ fault: 'rate-limit/retry-after-seconds', request: 2, draws: [0.5, 0.25, 0.75, 0.1] }], FAULTS, { deadlineMs: 10_000 });
    const again = scheduleOf([{ fault: 'rate-limit/retry-after-seconds', request: 2, draws: [0.5, 0.25, 0.75, 0.1] }], FAULTS, { deadlineMs: 10_000 });
    expect(schedule).toEqual(again);
    expect(schedule.steps).toEqual([{ on: 'api', request: 2, fault: 'rate-limit/retry-after-seconds', params: { seconds: expect.any(Number) } }]);
  });

  it('keeps the first decision for a request and orders the rest by stream and request', () => {
    const schedule = scheduleOf(
      [
        { fault: 'server-errors/internal-error', request: 3, draws: [] },
        { fault: 'auth-expiry/token-endpoint-fails', request: 1, draws: [] },
        { fault: 'silent-failure/empty-body', request: 3, draws: [] },
        { fault: 'silent-failure/empty-body', request: 1, draws: [] },
      ],
      FAULTS,
      { deadlineMs: 10_000 },
    );
    expect(schedule.steps.map((s) => `${s.on}:${s.request} ${s.fault}`)).toEqual([
      'api:1 silent-failure/empty-body',
      'api:3 server-errors/internal-error',
      'token:1 auth-expiry/token-endpoint-fails',
    ]);
  });
});
