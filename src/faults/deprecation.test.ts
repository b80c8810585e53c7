import { describe, expect, it } from 'vitest';
import { createRng, type FaultContext, type ReplayResponse } from '../core/index.js';
import { FAULTS } from './index.js';

function apply(id: string, upstream: ReplayResponse): ReplayResponse {
  const fault = FAULTS.get(id);
  if (!fault) throw new Error(id);
  const ctx: FaultContext = {
    request: { method: 'GET', path: '/repos', query: {}, headers: {}, body: '' },
    interaction: undefined,
    nowMs: 0,
    epochMs: Date.UTC(2026, 0, 31),
    tokens: { expireAccessTokens: () => {}, revokeRefreshTokens: () => {} },
    next: () => upstream,
  };
  return fault.apply(fault.draw(createRng(1), { deprecatedDaysAgo: 30, sunsetInDays: 10 } as never, { deadlineMs: 10_000 }), ctx);
}

const PAGE: ReplayResponse = { status: 200, headers: { Link: '</repos?page=2>; rel="next"', 'Content-Type': 'application/json' }, body: '[1]' };

describe('deprecation faults', () => {
  it('deprecation-header adds Deprecation as @epoch seconds and a rel="deprecation" link, keeping the Link relations already there', () => {
    const response = apply('deprecation/deprecation-header', PAGE);
    expect(response.headers['deprecation']).toBe(`@${Date.UTC(2026, 0, 1) / 1000}`);
    expect(response.headers['Link']).toBe('</repos?page=2>; rel="next", </docs/deprecations>; rel="deprecation"; type="text/html"');
    expect(response.body).toBe('[1]');
  });

  it('sunset-header adds Sunset as an HTTP-date', () => {
    const response = apply('deprecation/sunset-header', { status: 200, headers: {}, body: '{}' });
    expect(response.headers['sunset']).toBe('Tue, 10 Feb 2026 00:00:00 GMT');
    expect(response.headers['link']).toBe('</docs/migrations>; rel="sunset"');
  });

  it('gone answers 410 in the upstream\'s place', () => {
    expect(apply('deprecation/gone', PAGE).status).toBe(410);
  });
});
