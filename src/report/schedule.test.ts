import { describe, expect, it } from 'vitest';
import { describeSchedule } from './schedule.js';

describe('describeSchedule', () => {
  it('says the schedule in words, with its parameters', () => {
    expect(
      describeSchedule({
        steps: [
          { on: 'api', request: 1, fault: 'rate-limit/retry-after-seconds', params: { seconds: 2 } },
          { on: 'api', request: 2, fault: 'write-safety/reset-after-commit', params: {} },
          { on: 'token', request: 1, fault: 'auth-expiry/token-endpoint-fails', params: {} },
        ],
      }),
    ).toBe(
      'rate-limit/retry-after-seconds (seconds: 2) on API request 1, then write-safety/reset-after-commit on API request 2, then auth-expiry/token-endpoint-fails on token request 1',
    );
  });

  it('says a burst of the same step once, and a step that applies onwards as such', () => {
    const burst = [1, 2, 3].map((request) => ({ on: 'api' as const, request, fault: 'server-errors/bad-gateway', params: {} }));
    expect(describeSchedule({ steps: [...burst, { on: 'api', request: 5, fault: 'server-errors/bad-gateway', params: {} }] })).toBe(
      'server-errors/bad-gateway on API requests 1 to 3, then server-errors/bad-gateway on API request 5',
    );
    expect(describeSchedule({ steps: [{ on: 'api', request: 1, fault: 'deprecation/gone', params: { unused: null }, onwards: true }] })).toBe(
      'deprecation/gone on every API request from 1',
    );
  });
});
