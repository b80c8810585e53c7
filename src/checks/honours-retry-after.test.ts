import { describe, expect, it } from 'vitest';
import { honoursRetryAfter } from './honours-retry-after.js';
import { EPOCH_MS, api, observation, threw, trace } from './test-helpers.js';

const retryAfter = (value: string) => ({ headers: { 'retry-after': value } });
const httpDate = (epochMs: number) => new Date(epochMs).toUTCString();

describe('honours-retry-after', () => {
  it('passes a retry that waited the stated seconds', () => {
    const o = observation({ trace: trace(api(0, 10, 429, retryAfter('2')), api(2015, 2020, 200)) });
    expect(honoursRetryAfter.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('forgives a retry up to 50 ms early (timer imprecision) and never flags a late one', () => {
    expect(honoursRetryAfter.evaluate(observation({ trace: trace(api(0, 10, 429, retryAfter('2')), api(1961, 1970, 200)) })).verdict).toBe('pass');
    expect(honoursRetryAfter.evaluate(observation({ trace: trace(api(0, 10, 429, retryAfter('2')), api(9000, 9010, 200)) })).verdict).toBe('pass');
  });

  it('fails HU-RL-001 on a retry before Retry-After elapsed', () => {
    const o = observation({ trace: trace(api(0, 10, 429, retryAfter('2')), api(130, 135, 200)) });
    expect(honoursRetryAfter.evaluate(o)).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-RL-001',
          message: 'sent the next request 120 ms after a 429 that asked to wait 2000 ms (Retry-After: 2)',
          details: { waitedMs: 120, requiredMs: 2000, header: 'Retry-After: 2' },
          seqs: [1, 2],
        },
      ],
    });
  });

  it('flags a retry 60 ms early (beyond the tolerance)', () => {
    const o = observation({ trace: trace(api(0, 10, 503, retryAfter('1')), api(950, 960, 200)) });
    expect(honoursRetryAfter.evaluate(o).findings[0]?.details).toEqual({ waitedMs: 940, requiredMs: 1000, header: 'Retry-After: 1' });
  });

  it('accepts an HTTP-date wait computed either against the response Date or absolute time', () => {
    // Date has second precision (+0 s), Retry-After +3 s: by Date the response (ending at 500) asks for
    // 3000 ms (allowed 3500); by absolute time the wait ends at 3000: the earlier, 3000, is allowed
    const headers = { date: httpDate(EPOCH_MS + 400), 'retry-after': httpDate(EPOCH_MS + 3000) };
    const early = (startMs: number) => observation({ trace: trace(api(400, 500, 429, { headers }), api(startMs, startMs + 5, 200)) });
    expect(honoursRetryAfter.evaluate(early(2000)).findings).toEqual([
      {
        code: 'HU-RL-001',
        message: `sent the next request 1500 ms after a 429 that asked to wait 2500 ms (Retry-After: ${httpDate(EPOCH_MS + 3000)})`,
        details: { waitedMs: 1500, requiredMs: 2500, header: `Retry-After: ${httpDate(EPOCH_MS + 3000)}` },
        seqs: [1, 2],
      },
    ]);
    expect(honoursRetryAfter.evaluate(early(2960)).verdict).toBe('pass');
  });

  it('leaves RateLimit and X-RateLimit-Reset hints without Retry-After to uses-rate-limit-hint (a draft is not a demand)', () => {
    const headers = {
      ratelimit: 'limit=60, remaining=0, reset=2',
      'x-ratelimit-reset': String(EPOCH_MS / 1000 + 3),
    };
    const early = observation({ trace: trace(api(0, 10, 429, { headers }), api(500, 505, 200)) });
    expect(honoursRetryAfter.evaluate(early)).toEqual({ verdict: 'not-applicable', findings: [], reason: 'no response carried a usable Retry-After' });
  });

  it('still judges Retry-After when RateLimit headers come with it', () => {
    const headers = { 'retry-after': '2', ratelimit: 'limit=60, remaining=0, reset=1' };
    const early = observation({ trace: trace(api(0, 10, 429, { headers }), api(1500, 1505, 200)) });
    expect(honoursRetryAfter.evaluate(early).findings[0]).toMatchObject({
      code: 'HU-RL-001',
      message: 'sent the next request 1490 ms after a 429 that asked to wait 2000 ms (Retry-After: 2)',
    });
  });

  it('is not applicable when no response stated a usable wait', () => {
    const malformed = observation({ trace: trace(api(0, 10, 429, retryAfter('soon')), api(20, 25, 200)) });
    expect(honoursRetryAfter.evaluate(malformed).verdict).toBe('not-applicable');
    expect(honoursRetryAfter.evaluate(observation({ trace: trace(api(0, 10, 429), api(20, 25, 200)) })).verdict).toBe('not-applicable');
    expect(honoursRetryAfter.evaluate(observation()).verdict).toBe('not-applicable');
  });

  it('passes a connector that gives up instead of waiting', () => {
    const o = observation({ trace: trace(api(0, 10, 429, retryAfter('3600'))), outcomes: [threw('rate limited for 3600 s')] });
    expect(honoursRetryAfter.evaluate(o).verdict).toBe('pass');
  });
});
