import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../core/index.js';
import { singleRefreshPerExpiry } from './single-refresh-per-expiry.js';
import { api, observation, returned, step, token, trace, type EntryDraft } from './test-helpers.js';

const expired = (startMs: number) =>
  api(startMs, startMs + 5, 401, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });

/** The first token, `concurrency` calls hitting the expiry, then the given token requests and replays. */
function run(afterExpiry: EntryDraft[], concurrency = 10, steps = [step('auth-expiry/token-expired')]) {
  const calls = Array.from({ length: concurrency }, (_, i) => expired(20 + i));
  const entries: TraceEntry[] = trace(token(0, 10, 200), ...calls, ...afterExpiry);
  return observation({
    category: 'auth-expiry',
    hasTokenEndpoint: true,
    schedule: { steps },
    trace: entries,
    outcomes: Array.from({ length: concurrency }, () => returned({ ok: true })),
    golden: { value: { ok: true }, effects: 0 },
  });
}

describe('single-refresh-per-expiry', () => {
  it('passes one token request serving ten concurrent calls', () => {
    const replays = Array.from({ length: 10 }, (_, i) => api(60 + i, 70 + i, 200));
    expect(singleRefreshPerExpiry.evaluate(run([token(40, 50, 200), ...replays]))).toEqual({ verdict: 'pass', findings: [] });
  });

  it('does not count failed token requests', () => {
    expect(singleRefreshPerExpiry.evaluate(run([token(40, 50, 503), token(300, 310, 200)], 1)).verdict).toBe('pass');
  });

  it('fails HU-AU-001 on a token stampede', () => {
    const stampede = Array.from({ length: 10 }, (_, i) => token(40 + i, 50 + i, 200));
    const result = singleRefreshPerExpiry.evaluate(run(stampede));
    expect(result.verdict).toBe('fail');
    expect(result.findings).toEqual([
      {
        code: 'HU-AU-001',
        message: 'requested 10 tokens for one expiry; at most 1 is allowed',
        details: { tokens: 10, expiries: 1 },
        seqs: [2, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21],
      },
    ]);
  });

  it('allows one token per expiry the schedule reached', () => {
    const steps = [step('auth-expiry/token-expired', 1), step('auth-expiry/token-expired', 2)];
    expect(singleRefreshPerExpiry.evaluate(run([token(40, 50, 200), token(60, 70, 200)], 2, steps)).verdict).toBe('pass');
    const unreached = [step('auth-expiry/token-expired', 1), step('auth-expiry/token-expired', 9)];
    expect(singleRefreshPerExpiry.evaluate(run([token(40, 50, 200), token(60, 70, 200)], 2, unreached)).findings[0]?.message).toBe(
      'requested 2 tokens for one expiry; at most 1 is allowed',
    );
    const three = [token(40, 50, 200), token(60, 70, 200), token(80, 90, 200)];
    expect(singleRefreshPerExpiry.evaluate(run(three, 2, steps)).findings[0]?.message).toBe(
      'requested 3 tokens for 2 expiries; at most 2 are allowed',
    );
  });

  it('is not applicable without a 401 invalid_token or a token endpoint', () => {
    expect(singleRefreshPerExpiry.evaluate(observation({ hasTokenEndpoint: true })).verdict).toBe('not-applicable');
    const noEndpoint = { ...run([token(40, 50, 200), token(60, 70, 200)]), hasTokenEndpoint: false };
    expect(singleRefreshPerExpiry.evaluate(noEndpoint).verdict).toBe('not-applicable');
    const plain401 = observation({ hasTokenEndpoint: true, trace: trace(api(0, 5, 401), token(10, 20, 200), token(30, 40, 200)) });
    expect(singleRefreshPerExpiry.evaluate(plain401).verdict).toBe('not-applicable');
  });
});
