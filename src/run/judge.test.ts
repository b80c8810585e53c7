import { describe, expect, it } from 'vitest';
import { api, observation, step, trace } from '../checks/test-helpers.js';
import type { TraceEntry } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { judgesNothing } from './judge.js';

describe('judgesNothing', () => {
  it('is true when derived faults (schema mutations, pagination) changed no response', () => {
    const o = observation({ schedule: { steps: [{ ...step('pagination/empty-page'), onwards: true }] }, trace: trace(api(0, 5, 200)) });
    expect(judgesNothing(o, FAULTS)).toBe(true);
  });

  it('is false once one of them changed a response', () => {
    const entries = trace(api(0, 5, 200));
    (entries[0] as TraceEntry).fault = { id: 'pagination/empty-page', params: {} };
    const o = observation({ schedule: { steps: [{ ...step('pagination/empty-page'), onwards: true }] }, trace: entries });
    expect(judgesNothing(o, FAULTS)).toBe(false);
  });

  it('is false for a fault that answers in the upstream\'s place, even one the connector never reached', () => {
    const o = observation({ schedule: { steps: [step('server-errors/internal-error', 3)] }, trace: trace(api(0, 5, 200)) });
    expect(judgesNothing(o, FAULTS)).toBe(false);
  });
});
