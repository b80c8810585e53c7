import { describe, expect, it } from 'vitest';
import { backoffGrowsWithJitter, exactRatio } from './backoff-grows-with-jitter.js';
import { api, observation, retries, trace } from './test-helpers.js';

/** A failing request, retried after each gap, the last retry answered 200. */
const withGaps = (gaps: number[], status = 503) =>
  observation({ trace: trace(...retries([...gaps.map(() => status), 200], gaps)) });

describe('backoff-grows-with-jitter', () => {
  it('passes growing, jittered delays', () => {
    expect(backoffGrowsWithJitter.evaluate(withGaps([130, 310, 590, 1020]))).toEqual({ verdict: 'pass', findings: [] });
    expect(backoffGrowsWithJitter.evaluate(withGaps([212, 388, 955]))).toEqual({ verdict: 'pass', findings: [] });
  });

  it('passes a single retry that was not immediate', () => {
    expect(backoffGrowsWithJitter.evaluate(withGaps([300])).verdict).toBe('pass');
  });

  it('fails HU-BO-002 on exact doubling (300, 600, 1200, 2400 ms), allowing timer noise', () => {
    expect(backoffGrowsWithJitter.evaluate(withGaps([300, 600, 1200, 2400]))).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-BO-002',
          message: 'backoff has no jitter: gaps 300, 600, 1200, 2400 ms follow an exact ×2.00 progression',
          details: { gapsMs: [300, 600, 1200, 2400], ratio: 2 },
          seqs: [1, 2, 3, 4, 5],
        },
      ],
    });
    expect(backoffGrowsWithJitter.evaluate(withGaps([309, 598, 1214, 2391])).findings.map((f) => f.code)).toEqual(['HU-BO-002']);
  });

  it('does not judge jitter on three growing gaps: equal jitter lines up by chance (regression: 80, 172, 349 ms in a demo run)', () => {
    expect(backoffGrowsWithJitter.evaluate(withGaps([80, 172, 349])).verdict).toBe('pass');
    expect(backoffGrowsWithJitter.evaluate(withGaps([300, 600, 1200])).verdict).toBe('pass');
  });

  it('fails HU-BO-001 and HU-BO-002 on constant delays', () => {
    const result = backoffGrowsWithJitter.evaluate(withGaps([1000, 1000, 1000]));
    expect(result.verdict).toBe('fail');
    expect(result.findings).toEqual([
      {
        code: 'HU-BO-001',
        message: 'backoff did not grow: gaps 1000, 1000, 1000 ms (the later retries waited 1.00× the earlier ones; at least 1.2× expected)',
        details: { gapsMs: [1000, 1000, 1000], growth: 1 },
        seqs: [1, 2, 3, 4],
      },
      {
        code: 'HU-BO-002',
        message: 'backoff has no jitter: gaps 1000, 1000, 1000 ms follow an exact ×1.00 progression',
        details: { gapsMs: [1000, 1000, 1000], ratio: 1 },
        seqs: [1, 2, 3, 4],
      },
    ]);
  });

  it('fails HU-BO-001 on jittered delays that do not grow', () => {
    const result = backoffGrowsWithJitter.evaluate(withGaps([480, 530, 410, 505]));
    expect(result.findings.map((finding) => finding.code)).toEqual(['HU-BO-001']);
    expect(result.findings[0]?.message).toBe(
      'backoff did not grow: gaps 480, 530, 410, 505 ms (the later retries waited 0.91× the earlier ones; at least 1.2× expected)',
    );
  });

  it('judges only growth with two retries', () => {
    expect(backoffGrowsWithJitter.evaluate(withGaps([300, 600])).verdict).toBe('pass');
    expect(backoffGrowsWithJitter.evaluate(withGaps([500, 400])).findings).toEqual([
      {
        code: 'HU-BO-001',
        message: 'backoff did not grow: the second retry waited 400 ms after the first waited 500 ms',
        details: { gapsMs: [500, 400] },
        seqs: [1, 2, 3],
      },
    ]);
  });

  it('fails HU-BO-003 on an immediate retry', () => {
    expect(backoffGrowsWithJitter.evaluate(withGaps([3], 500)).findings).toEqual([
      {
        code: 'HU-BO-003',
        message: 'retried 3 ms after a 500, without backing off',
        details: { gapMs: 3, immediate: 1, retries: 1 },
        seqs: [1, 2],
      },
    ]);
    expect(backoffGrowsWithJitter.evaluate(withGaps([0, 1, 2])).findings[0]?.message).toBe(
      'retried 0 ms after a 503, without backing off (3 of 3 retries under 50 ms)',
    );
  });

  it('ignores retries after a response that stated a wait', () => {
    const o = observation({ trace: trace(api(0, 5, 503, { headers: { 'retry-after': '1' } }), api(1010, 1015, 200)) });
    expect(backoffGrowsWithJitter.evaluate(o).verdict).toBe('not-applicable');
  });

  it('is not applicable without retries', () => {
    expect(backoffGrowsWithJitter.evaluate(observation()).verdict).toBe('not-applicable');
    expect(backoffGrowsWithJitter.evaluate(observation({ trace: trace(api(0, 5, 503)) })).verdict).toBe('not-applicable');
  });
});

describe('exactRatio', () => {
  it('finds the ratio of an exact progression and none in a jittered one', () => {
    expect(exactRatio([100, 200, 400, 800])).toBeCloseTo(2);
    expect(exactRatio([100, 150, 225])).toBeCloseTo(1.5);
    expect(exactRatio([130, 310, 590, 1020])).toBeUndefined();
    expect(exactRatio([1000, 1150, 1000])).toBeUndefined();
  });
});

describe('exactRatio on equal-jitter delays seen in real runs', () => {
  it('does not mistake equal jitter whose steps happen to line up for a progression (regression)', () => {
    for (const gaps of [
      [146, 239, 395, 661],
      [143, 244, 416, 693],
      [88, 177, 315],
      [134, 216, 391],
      [92, 219, 484, 1047],
      [114, 243, 392, 751],
    ]) {
      expect(exactRatio(gaps), gaps.join(',')).toBeUndefined();
    }
  });

  it('still recognises deterministic schedules', () => {
    expect(exactRatio([300, 600, 1200])).toBeCloseTo(2, 1);
    expect(exactRatio([200, 300, 450, 675])).toBeCloseTo(1.5, 1);
    expect(exactRatio([1000, 1000, 1000])).toBeCloseTo(1, 2);
  });
});

describe('backoff-grows-with-jitter with two retries', () => {
  it('does not flag equal-jitter delays that happen to be equal (regression: 151 ms then 151 ms)', () => {
    const result = backoffGrowsWithJitter.evaluate(observation({ trace: trace(...retries([502, 502, 200], [151, 151])) }));
    expect(result.findings.filter((f) => f.code === 'HU-BO-001')).toEqual([]);
  });
});
