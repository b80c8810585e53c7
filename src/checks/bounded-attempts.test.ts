import { describe, expect, it } from 'vitest';
import { boundedAttempts } from './bounded-attempts.js';
import { observation, retries, returned, threw, trace } from './test-helpers.js';

const failing = (count: number) => retries(Array<number>(count).fill(503), Array<number>(count).fill(100));

describe('bounded-attempts', () => {
  it("passes eleven attempts: p-retry's default of ten retries is a bound", () => {
    expect(boundedAttempts.evaluate(observation({ trace: trace(...failing(11)), outcomes: [threw('HTTP 503')] }))).toEqual({
      verdict: 'pass',
      findings: [],
    });
  });

  it('fails HU-BA-001 on twelve attempts', () => {
    expect(boundedAttempts.evaluate(observation({ trace: trace(...failing(12)), outcomes: [threw('HTTP 503')] })).findings).toEqual([
      {
        code: 'HU-BA-001',
        message: 'made 12 attempts; at most 11 (10 retries) are allowed',
        details: { attempts: 12, limit: 11, requests: 12, invocations: 1 },
      },
    ]);
  });

  it('counts attempts per invocation, rounded up', () => {
    const outcomes = [returned(1), returned(1)];
    expect(boundedAttempts.evaluate(observation({ trace: trace(...failing(22)), outcomes })).verdict).toBe('pass');
    expect(boundedAttempts.evaluate(observation({ trace: trace(...failing(23)), outcomes })).findings[0]?.message).toBe(
      'made 12 attempts per invocation (23 API requests for 2 invocations); at most 11 (10 retries) are allowed',
    );
  });

  it('is not applicable when no API request was faulted', () => {
    expect(boundedAttempts.evaluate(observation()).verdict).toBe('not-applicable');
  });
});
