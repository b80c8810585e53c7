import { describe, expect, it } from 'vitest';
import { retriesNeeded, type ScheduleStep } from '../core/index.js';
import { FAULTS } from './index.js';

const step = (fault: string, request: number, extra: Partial<ScheduleStep> = {}): ScheduleStep => ({ on: 'api', request, fault, params: {}, ...extra });

describe('retriesNeeded: how many retries in a row a schedule demands (the retry budget is compared with it)', () => {
  it('counts the longest run of consecutive requests that failing faults hit', () => {
    const burst = [1, 2, 3, 4].map((n) => step('server-errors/service-unavailable', n));
    expect(retriesNeeded({ steps: burst }, FAULTS)).toBe(4);
    expect(retriesNeeded({ steps: [step('server-errors/internal-error', 1), step('server-errors/bad-gateway', 3)] }, FAULTS)).toBe(1);
  });

  it('is Infinity for an outage: a failing fault on every request from some point on', () => {
    expect(retriesNeeded({ steps: [step('server-errors/service-unavailable', 1, { onwards: true })] }, FAULTS)).toBe(Number.POSITIVE_INFINITY);
  });

  it('is 0 for faults that slow, annotate or change a response without failing it', () => {
    const steps = [step('deprecation/deprecation-header', 1, { onwards: true }), step('schema-drift/extra-field', 1)];
    expect(retriesNeeded({ steps }, FAULTS)).toBe(0);
  });

  it('counts each stream on its own (a failed token request is not a failed API request)', () => {
    const steps = [step('auth-expiry/token-expired', 1), step('auth-expiry/token-endpoint-fails', 2, { on: 'token' })];
    expect(retriesNeeded({ steps }, FAULTS)).toBe(1);
  });
});
