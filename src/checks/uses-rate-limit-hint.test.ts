import { describe, expect, it } from 'vitest';
import type { Observation } from '../core/index.js';
import { usesRateLimitHint } from './uses-rate-limit-hint.js';
import { EPOCH_MS, api, observation, trace } from './test-helpers.js';

const hint = { ratelimit: 'limit=60, remaining=0, reset=2', 'x-ratelimit-reset': String(EPOCH_MS / 1000 + 3) };

/** One execution: a 429 (with `headers`), then the same request `waitMs` after it ended. */
function after429(id: string, waitMs: number, headers: Record<string, string> = hint): Observation {
  return observation({ executionId: id, category: 'rate-limit', trace: trace(api(0, 10, 429, { headers }), api(10 + waitMs, 15 + waitMs, 200)) });
}

const judge = (observations: Observation[]) => {
  const policy = usesRateLimitHint.policy;
  if (!policy) throw new Error('uses-rate-limit-hint is judged over the run');
  return policy.judge(observations, { timerNoiseMs: 0 });
};

describe('uses-rate-limit-hint', () => {
  it('is not critical (the RateLimit headers are a draft and a vendor convention, not a demand) and counts in rate-limit', () => {
    expect(usesRateLimitHint.critical).toBe(false);
    expect(usesRateLimitHint.policy?.category).toBe('rate-limit');
  });

  it('passes a client that waited the hinted reset (the shortest of the hints)', () => {
    expect(judge([after429('a', 2000), after429('b', 2010)])).toEqual({ verdict: 'pass', evidence: 2, findings: [] });
  });

  it('passes a client that ignored the hint but backed off its own way', () => {
    expect(judge([after429('a', 300), after429('b', 600)]).verdict).toBe('pass');
  });

  it('passes full jitter, whose single draws are sometimes under 50 ms: at once is a policy, not one draw (issue #11)', () => {
    const draws = [12, 80, 35, 140, 61, 230];
    const absent = draws.map((wait, i) => after429(`absent-${i}`, wait, {}));
    expect(judge([after429('hinted', 12), ...absent]).verdict).toBe('pass');
  });

  it('fails HU-RL-002 on a client that retries every 429 at once, with an example execution', () => {
    const absent = [0, 1, 0, 2, 1].map((wait, i) => after429(`absent-${i}`, wait, {}));
    const result = judge([after429('hinted', 1), ...absent]);
    expect(result.verdict).toBe('fail');
    expect(result.findings).toEqual([
      {
        code: 'HU-RL-002',
        executionId: 'hinted',
        message:
          'retried at once after 429s whose RateLimit headers hinted at a wait: here 1 ms after RateLimit: limit=60, remaining=0, reset=2 hinted at 2000 ms; 6 of 6 waits after 429s without Retry-After in the run came sooner than 50 ms',
        details: { waitedMs: 1, hintedMs: 2000, header: 'RateLimit: limit=60, remaining=0, reset=2', waitsUnder50Ms: 6, waits: 6 },
        seqs: [1, 2],
      },
    ]);
  });

  it('with too few waits to judge a policy, fails only when every ignored hint was followed within the timer-noise band', () => {
    expect(judge([after429('a', 3), after429('b', 2)]).verdict).toBe('fail');
    expect(judge([after429('a', 3), after429('b', 40)]).verdict).toBe('pass');
  });

  it('takes the retry of the same request as the next one, not a health check sent in between (known to the contract or not)', () => {
    const [limited, health, retry] = trace(api(0, 10, 429, { headers: hint }), api(11, 12, 500, { path: '/v1/status' }), api(2015, 2020, 200));
    const o = observation({ executionId: 'a', trace: [limited!, { ...health!, unmatched: true }, retry!] });
    expect(judge([o])).toEqual({ verdict: 'pass', evidence: 1, findings: [] });
    const known = observation({ executionId: 'b', trace: trace(api(0, 10, 429, { headers: hint }), api(11, 12, 200, { path: '/v1/status' }), api(2015, 2020, 200)) });
    expect(judge([known]).verdict).toBe('pass');
  });

  it('leaves a 429 with Retry-After to honours-retry-after', () => {
    expect(judge([after429('a', 2, { ...hint, 'retry-after': '2' })]).verdict).toBe('not-exercised');
  });

  it('is not exercised when the client gave up after the 429, and says so', () => {
    const gaveUp = observation({ trace: trace(api(0, 10, 429, { headers: hint })) });
    expect(judge([gaveUp])).toEqual({
      verdict: 'not-exercised',
      evidence: 0,
      reason: 'no 429 with only a RateLimit hint was followed by another request',
      findings: [],
    });
  });

  it('judges nothing per execution', () => {
    expect(usesRateLimitHint.evaluate(after429('a', 1)).verdict).toBe('not-applicable');
  });
});
