import { describe, expect, it } from 'vitest';
import { createRng, type FaultContext, type ReplayResponse } from '../core/index.js';
import { FAULTS } from './index.js';
import { noop } from './noop.js';
import type { Fault, FaultParams } from '../core/index.js';

function context(overrides: Partial<FaultContext> = {}): FaultContext & { calls: { next: number; expired: number; revoked: number } } {
  const calls = { next: 0, expired: 0, revoked: 0 };
  return {
    calls,
    request: { method: 'GET', path: '/v1/things', query: {}, headers: {}, body: '' },
    interaction: undefined,
    nowMs: 10,
    epochMs: Date.UTC(2026, 0, 1, 12, 0, 0, 500),
    tokens: { expireAccessTokens: () => void calls.expired++, revokeRefreshTokens: () => void calls.revoked++ },
    next: (): ReplayResponse => {
      calls.next++;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data":[{"id":"a"},{"id":"b"}]}' };
    },
    ...overrides,
  };
}

// Every fault passes the same conformance suite: a new fault is tested by adding it to the registry
// (the reference fault, which CONTRIBUTING.md copies, is held to it too).
describe.each([...FAULTS.values(), noop as unknown as Fault<FaultParams>].map((fault) => [fault.id, fault] as const))('fault %s', (id, fault) => {
  it('is filed under its own id and category', () => {
    expect(id.startsWith(`${fault.category}/`)).toBe(true);
  });

  it('draws the same parameters from the same seed, and valid ones', () => {
    for (const seed of [1, 42, 2 ** 31]) {
      const a = fault.draw(createRng(seed), {}, { deadlineMs: 10_000 });
      const b = fault.draw(createRng(seed), {}, { deadlineMs: 10_000 });
      expect(a).toEqual(b);
      expect(fault.params.safeParse(a).success).toBe(true);
    }
  });

  it('keeps parameters the scenario fixed', () => {
    const drawn = fault.draw(createRng(3), {}, { deadlineMs: 10_000 });
    expect(fault.draw(createRng(99), drawn, { deadlineMs: 10_000 })).toEqual(drawn);
  });

  it('answers with a well-formed HTTP response, the same each time for the same input', () => {
    const params = fault.draw(createRng(7), {}, { deadlineMs: 10_000 });
    const first = fault.apply(params, context());
    const second = fault.apply(params, context());
    expect(first).toEqual(second);
    expect(first.status).toBeGreaterThanOrEqual(100);
    expect(first.status).toBeLessThan(600);
    for (const [name, value] of Object.entries(first.headers)) {
      expect(name).toBe(name.toLowerCase());
      expect(typeof value).toBe('string');
    }
  });
});

describe('the reference fault (noop)', () => {
  it('sends what the upstream answered, marked untouched so the trace records no fault', () => {
    const ctx = context();
    const response = noop.apply(noop.draw(createRng(1), {}, { deadlineMs: 10_000 }), ctx);
    expect(ctx.calls.next).toBe(1);
    expect(response).toEqual({ ...context().next(), untouched: true });
  });

  it('is kept out of the registry: it injects nothing', () => {
    expect(FAULTS.has(noop.id)).toBe(false);
  });
});
