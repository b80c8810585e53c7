import { describe, expect, it } from 'vitest';
import { createRng, type Observation } from '../core/index.js';
import { backoffGrowsWithJitter, retryChains } from './backoff-grows-with-jitter.js';
import { api, observation, retries, returned, threw, trace } from './test-helpers.js';

/** A read that failed with 503 `gaps.length` times, retried after each gap, then succeeded. */
function retried(executionId: string, gaps: number[]): Observation {
  return observation({
    executionId,
    trace: trace(...retries([...gaps.map(() => 503), 200], gaps)),
    outcomes: [returned({ ok: true })],
  });
}

const judge = (observations: Observation[]) => {
  const policy = backoffGrowsWithJitter.policy;
  if (!policy) throw new Error('backoff-grows-with-jitter is a policy check');
  return policy.judge(observations, { timerNoiseMs: 0 });
};

/** A seeded generator (holdup's own), so the populations below are the same every run. */
const rng = (seed: number): (() => number) => createRng(seed).next;

/** Twelve executions retrying one to three times with `delay(n)` before the n-th retry (from 1), plus 0–3 ms of timer noise. */
function population(delay: (n: number, random: () => number) => number, seed = 1): Observation[] {
  const random = rng(seed);
  return Array.from({ length: 12 }, (_, index) => {
    const count = 1 + (index % 3);
    const gaps = Array.from({ length: count }, (_, n) => Math.round(delay(n + 1, random) + random() * 3));
    return retried(`x/server-errors/${String(index).padStart(2, '0')}/read`, gaps);
  });
}

describe('retryChains: the evidence of one execution', () => {
  it('takes the gap before each retry of a request that failed without stating a wait, in order', () => {
    const chains = retryChains(retried('a', [100, 250, 600]));
    expect(chains.map((chain) => chain.map((gap) => gap.gapMs))).toEqual([[100, 250, 600]]);
  });

  it('ends a chain at a failure that stated a wait: that gap is the upstream’s, not the policy’s', () => {
    const o = observation({
      trace: trace(api(0, 5, 503), api(105, 110, 429, { headers: { 'retry-after': '1' } }), api(1110, 1115, 503), api(1315, 1320, 200)),
    });
    expect(retryChains(o).map((chain) => chain.map((gap) => gap.gapMs))).toEqual([[100], [200]]);
  });

  it('gives nothing for concurrent invocations (whose retry follows whose cannot be told)', () => {
    expect(retryChains({ ...retried('a', [100, 200]), outcomes: [returned(1), returned(1)] })).toEqual([]);
  });

  it('looks past other requests between the retries (a health check, a token refresh), known to the contract or not', () => {
    const [failed, health, retry, token, ok] = trace(
      api(0, 5, 503),
      api(10, 12, 500, { path: '/v1/status' }),
      api(205, 210, 503),
      api(300, 305, 503, { path: '/v1/status', fault: 'server-errors/service-unavailable' }),
      api(610, 615, 200),
    );
    const o = observation({ trace: [failed!, { ...health!, unmatched: true }, retry!, token!, ok!] });
    expect(retryChains(o).map((chain) => chain.map((gap) => gap.gapMs))).toEqual([[200, 400]]);
  });

  it('never takes holdup’s answer to an unmatched request as a failure to back off from', () => {
    const [first, second] = trace(api(0, 5, 500, { path: '/v1/unknown' }), api(10, 15, 500, { path: '/v1/unknown' }));
    const o = observation({ trace: [{ ...first!, unmatched: true }, { ...second!, unmatched: true }] });
    expect(retryChains(o)).toEqual([]);
  });
});

describe('backoff-grows-with-jitter: judged over the whole run, never per execution (issue #11)', () => {
  it('judges nothing per execution', () => {
    expect(backoffGrowsWithJitter.evaluate(retried('a', [100, 100, 100]))).toMatchObject({ verdict: 'not-applicable' });
  });

  it('counts in server-errors only', () => {
    expect(backoffGrowsWithJitter.policy?.category).toBe('server-errors');
  });

  it('passes full jitter, even though some of its retries come within 50 ms', () => {
    const result = judge(population((n, random) => random() * 100 * 2 ** n));
    expect(result).toMatchObject({ verdict: 'pass', findings: [] });
    expect(result.evidence).toBe(12);
  });

  it('passes exponential backoff with small additive noise (got: 1000·2^(n-1) + up to 100 ms)', () => {
    expect(judge(population((n, random) => 1000 * 2 ** (n - 1) + random() * 100)).verdict).toBe('pass');
  });

  it('fails HU-BO-002 on a purely multiplicative schedule (ky: 300, 600, 1200 ms), with the numbers and an example execution', () => {
    const result = judge(population((n) => 300 * 2 ** (n - 1)));
    expect(result.verdict).toBe('fail');
    expect(result.findings.map((f) => f.code)).toEqual(['HU-BO-002']);
    const [finding] = result.findings;
    expect(finding?.message).toMatch(/^backoff has no jitter: \d+ of \d+ retries waited within \d+ ms of the shortest wait/);
    // the example is an execution with the most retries, its retries highlighted
    expect(finding?.executionId).toBe('x/server-errors/02/read');
    expect(finding?.seqs).toEqual([1, 2, 3, 4]);
    expect(finding?.details).toMatchObject({ executions: 12, retries: 24 });
  });

  it('says jitter is undecided, neither passed nor failed, when the run\'s own timers were later than the gaps can tell apart', () => {
    const policy = backoffGrowsWithJitter.policy!;
    // a fixed 500 ms measured on a busy machine: spread out by up to 60 ms of lateness
    const busy = population((_n, random) => 500 + random() * 60);
    const result = policy.judge(busy, { timerNoiseMs: 35 });
    expect(result.findings.map((f) => f.code)).not.toContain('HU-BO-002');
    expect(result.undecided?.find((u) => u.code === 'HU-BO-002')?.reason).toMatch(/^jitter undecided: the gaps spread out, but this run's waits carry up to 35 ms of noise/);
    // the same gaps on a quiet machine are jitter
    expect(policy.judge(busy, { timerNoiseMs: 1 }).undecided?.find((u) => u.code === 'HU-BO-002')).toBeUndefined();
  });

  it('still finds no jitter on a busy machine when the gaps pile up (noise never piles them up)', () => {
    const result = backoffGrowsWithJitter.policy!.judge(population(() => 500), { timerNoiseMs: 35 });
    expect(result.findings.map((f) => f.code)).toContain('HU-BO-002');
  });

  it('fails HU-BO-001 and HU-BO-002 on a constant delay', () => {
    const result = judge(population(() => 200));
    expect(result.findings.map((f) => f.code).sort()).toEqual(['HU-BO-001', 'HU-BO-002']);
  });

  it('fails HU-BO-003 alone on retries without any wait (no growth and no jitter follow from it: one charge)', () => {
    expect(judge(population(() => 0)).findings.map((f) => f.code)).toEqual(['HU-BO-003']);
  });

  it('is not exercised when the run gave too few retries to judge a policy, and says how many', () => {
    const result = judge([retried('a', [100]), observation({ outcomes: [threw('HTTP 404')] })]);
    expect(result.verdict).toBe('not-exercised');
    expect(result.reason).toMatch(/^1 retry after failures that stated no wait, over 1 execution: at least \d+ are needed/);
  });
});
