import { describe, expect, it } from 'vitest';
import { boundedAttempts } from './bounded-attempts.js';
import { observation, retries, returned, threw, trace } from './test-helpers.js';

const failing = (count: number) => retries(Array<number>(count).fill(503), Array<number>(count).fill(100));

describe('bounded-attempts', () => {
  it('passes ten attempts', () => {
    expect(boundedAttempts.evaluate(observation({ trace: trace(...failing(10)), outcomes: [threw('HTTP 503')] }))).toEqual({
      verdict: 'pass',
      findings: [],
    });
  });

  it('fails HU-BA-001 on eleven attempts', () => {
    expect(boundedAttempts.evaluate(observation({ trace: trace(...failing(11)), outcomes: [threw('HTTP 503')] })).findings).toEqual([
      {
        code: 'HU-BA-001',
        message: 'made 11 attempts; at most 10 are allowed',
        details: { attempts: 11, limit: 10, requests: 11, invocations: 1 },
      },
    ]);
  });

  it('counts attempts per invocation, rounded up', () => {
    const outcomes = [returned(1), returned(1)];
    expect(boundedAttempts.evaluate(observation({ trace: trace(...failing(20)), outcomes })).verdict).toBe('pass');
    expect(boundedAttempts.evaluate(observation({ trace: trace(...failing(21)), outcomes })).findings[0]?.message).toBe(
      'made 11 attempts per invocation (21 API requests for 2 invocations); at most 10 are allowed',
    );
  });

  it('is not applicable when no API request was faulted', () => {
    expect(boundedAttempts.evaluate(observation()).verdict).toBe('not-applicable');
  });
});
