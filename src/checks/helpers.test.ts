import { describe, expect, it } from 'vitest';
import { describeDifference, jsonDiff } from './golden.js';
import { bodyField } from './trace.js';
import { statedWait } from './waits.js';
import { EPOCH_MS, api, trace } from './test-helpers.js';

const one = (draft: ReturnType<typeof api>) => trace(draft)[0]!;
const httpDate = (epochMs: number) => new Date(epochMs).toUTCString();

describe('statedWait', () => {
  it('reads Retry-After as delta-seconds on a 429 and a 503', () => {
    expect(statedWait(one(api(0, 10, 429, { headers: { 'retry-after': '2' } })), EPOCH_MS)).toEqual({
      allowedStartMs: 2010,
      requiredMs: 2000,
      header: 'Retry-After: 2',
    });
    expect(statedWait(one(api(0, 10, 503, { headers: { 'Retry-After': '1' } })), EPOCH_MS)?.requiredMs).toBe(1000);
  });

  it('ignores Retry-After on other statuses', () => {
    expect(statedWait(one(api(0, 10, 500, { headers: { 'retry-after': '2' } })), EPOCH_MS)).toBeUndefined();
  });

  it('ignores malformed and absent waits', () => {
    for (const value of ['soon', '-1', '1.5', '2 seconds', '']) {
      expect(statedWait(one(api(0, 10, 429, { headers: { 'retry-after': value } })), EPOCH_MS)).toBeUndefined();
    }
    expect(statedWait(one(api(0, 10, 429)), EPOCH_MS)).toBeUndefined();
  });

  it('takes the earlier of the waits an HTTP-date gives against the Date header and against absolute time', () => {
    // the server clock says the response was sent at +1 s; Retry-After is +4 s
    const entry = one(
      api(500, 600, 429, {
        headers: { date: httpDate(EPOCH_MS + 1000), 'retry-after': httpDate(EPOCH_MS + 4000) },
      }),
    );
    // against Date: 3000 ms after the response (allowed 3600); absolute: at 4000 ms → the earlier is 3600
    expect(statedWait(entry, EPOCH_MS)).toEqual({
      allowedStartMs: 3600,
      requiredMs: 3000,
      header: `Retry-After: ${httpDate(EPOCH_MS + 4000)}`,
    });
    // without a Date header only absolute time counts
    const bare = one(api(500, 600, 429, { headers: { 'retry-after': httpDate(EPOCH_MS + 4000) } }));
    expect(statedWait(bare, EPOCH_MS)?.allowedStartMs).toBe(4000);
  });

  it('treats an HTTP-date in the past as no wait', () => {
    const entry = one(api(0, 10, 503, { headers: { 'retry-after': httpDate(EPOCH_MS - 5000) } }));
    expect(statedWait(entry, EPOCH_MS)).toMatchObject({ requiredMs: 0, allowedStartMs: 10 });
  });

  it('reads RateLimit reset, RateLimit-Reset and X-RateLimit-Reset on a 429, the shortest winning', () => {
    expect(statedWait(one(api(0, 10, 429, { headers: { ratelimit: 'limit=60, remaining=0, reset=2' } })), EPOCH_MS)).toEqual({
      allowedStartMs: 2010,
      requiredMs: 2000,
      header: 'RateLimit: limit=60, remaining=0, reset=2',
    });
    expect(statedWait(one(api(0, 10, 429, { headers: { 'ratelimit-reset': '3' } })), EPOCH_MS)?.header).toBe('RateLimit-Reset: 3');
    expect(statedWait(one(api(0, 10, 429, { headers: { 'x-ratelimit-reset': '5' } })), EPOCH_MS)?.requiredMs).toBe(5000);
    const epochReset = String(EPOCH_MS / 1000 + 3);
    expect(statedWait(one(api(0, 1000, 429, { headers: { 'x-ratelimit-reset': epochReset } })), EPOCH_MS)).toEqual({
      allowedStartMs: 3000,
      requiredMs: 2000,
      header: `X-RateLimit-Reset: ${epochReset}`,
    });
    const both = one(api(0, 10, 429, { headers: { ratelimit: 'limit=60, remaining=0, reset=4', 'x-ratelimit-reset': '1' } }));
    expect(statedWait(both, EPOCH_MS)?.header).toBe('X-RateLimit-Reset: 1');
  });

  it('does not read rate-limit headers on a 503', () => {
    expect(statedWait(one(api(0, 10, 503, { headers: { ratelimit: 'reset=2' } })), EPOCH_MS)).toBeUndefined();
  });
});

describe('jsonDiff', () => {
  it('finds nothing in deep-equal values, whatever the key order', () => {
    expect(jsonDiff({ a: [1, { b: 2, c: null }] }, { a: [1, { c: null, b: 2 }] })).toBeUndefined();
    expect(jsonDiff(undefined, undefined)).toBeUndefined();
  });

  it('names the first differing path with both values', () => {
    const difference = jsonDiff({ data: [{ amount: 1200 }] }, { data: [{ amount: '1200' }] });
    expect(difference).toEqual({ path: '$.data[0].amount', kind: 'changed', golden: 1200, actual: '1200' });
    expect(describeDifference(difference!)).toBe('$.data[0].amount: golden 1200, actual "1200"');
  });

  it('says what is missing and what is extra', () => {
    expect(jsonDiff({ a: 1, b: 2 }, { a: 1 })).toEqual({ path: '$.b', kind: 'missing', golden: 2 });
    expect(jsonDiff([1], [1, 2])).toEqual({ path: '$[1]', kind: 'extra', actual: 2 });
    expect(jsonDiff({ 'x-y': 1 }, { 'x-y': 2 })?.path).toBe('$["x-y"]');
    expect(describeDifference(jsonDiff({ a: 1 }, undefined)!)).toBe('result was missing (golden {"a":1})');
  });
});

describe('bodyField', () => {
  it('reads JSON and form bodies', () => {
    expect(bodyField('{"error":"invalid_grant"}', 'error')).toBe('invalid_grant');
    expect(bodyField('error=invalid_grant&x=1', 'error')).toBe('invalid_grant');
    expect(bodyField('{not json', 'error')).toBeUndefined();
  });
});

describe('reactionNoise: how long the client takes to send a request it had no reason to wait for', () => {
  it('gives the 90th percentile of the gaps before the next page, and their spread (p90 − p10), over single-invocation executions', async () => {
    const { reactionNoise } = await import('./waits.js');
    const { observation, api, token, trace, returned } = await import('./test-helpers.js');
    // a token, then two pages: only the gap before the second page is a reaction (after a token, connections are still being set up)
    const pages = (gap: number) => observation({ trace: trace(token(0, 5, 200), api(500, 505, 200), api(505 + gap, 510 + gap, 200)) });
    const quiet = [1, 2, 1, 3, 2].map(pages);
    expect(reactionNoise(quiet)).toEqual({ p90: 3, spread: 2 });
    // a client that always takes 12 ms is slow, not noisy
    expect(reactionNoise([12, 12, 13, 12, 12].map(pages))).toEqual({ p90: 13, spread: 1 });
    expect(reactionNoise([...quiet, pages(40), pages(60)])).toEqual({ p90: 60, spread: 59 });
    // a wait after a failure is not a reaction; concurrent invocations are not judged
    const retried = observation({ trace: trace(api(0, 5, 503), api(505, 510, 200)) });
    const concurrent = observation({ outcomes: [returned(1), returned(1)], trace: trace(api(0, 5, 200), api(900, 905, 200)) });
    expect(reactionNoise([retried, concurrent])).toEqual({ p90: 0, spread: 0 });
  });
});
