import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS, type CategoryId, type Check, type Finding } from '../core/index.js';
import { gradeFor, scoreConnector, type CheckTally, type ScoreInput } from './score.js';

const check = (id: string, weight: number, critical = false): Check => ({
  id,
  critical,
  weight,
  summary: id,
  codes: {},
  docs: { rule: id, evidence: id, notExercised: id },
  evaluate: () => ({ verdict: 'pass', findings: [] }),
});

const finding = (code: string, checkId: string): Finding => ({
  code,
  check: checkId,
  severity: 'error',
  connector: 'c',
  scenario: 's',
  operation: 'o',
  message: 'm',
  evidence: { timeline: [], outcome: 'returned' },
  repro: 'holdup repro x',
});

const tally = (category: CategoryId, c: Check, executions: number, passes: number, findings: Finding[] = []): CheckTally => ({
  check: c,
  category,
  executions,
  passes,
  findings,
});

const input = (tallies: CheckTally[], rest: Partial<ScoreInput> = {}): ScoreInput => ({
  tallies,
  notRun: {},
  notApplicable: {},
  ...rest,
});

const category = (result: ReturnType<typeof scoreConnector>, id: CategoryId) => result.categories.find((c) => c.id === id)!;

const round1 = (value: number): number => Math.round(value * 10) / 10;

describe('scoreConnector', () => {
  it('weights each check by its weight and its pass fraction', () => {
    // (3 × 1 + 1 × 0.5) / 4 = 87.5
    const result = scoreConnector(
      input([tally('server-errors', check('a', 3), 4, 4), tally('server-errors', check('b', 1), 4, 2, [finding('HU-X-1', 'b')])]),
    );
    const serverErrors = category(result, 'server-errors');
    expect(serverErrors).toEqual({
      id: 'server-errors',
      weight: 10,
      status: 'fail',
      score: 87.5,
      checks: [
        { id: 'a', critical: false, weight: 3, passed: true, executions: 4, passes: 4 },
        { id: 'b', critical: false, weight: 1, passed: false, executions: 4, passes: 2 },
      ],
      findings: [finding('HU-X-1', 'b')],
    });
    expect(result.score).toBe(87.5);
    expect(result.grade).toBe('B');
    expect(result.gate).toBe('pass');
    expect(result.gateReasons).toEqual([]);
  });

  it('rounds scores to one decimal', () => {
    const result = scoreConnector(input([tally('pagination', check('a', 1), 3, 2)]));
    expect(category(result, 'pagination').score).toBe(66.7);
    expect(result.score).toBe(66.7);
  });

  it('lists every category in CATEGORY_IDS order', () => {
    const result = scoreConnector(input([]));
    expect(result.categories.map((c) => c.id)).toEqual([...CATEGORY_IDS]);
  });

  it('caps a category at 40 and fails the gate when a critical check failed', () => {
    const result = scoreConnector(
      input([
        tally('rate-limit', check('honours-retry-after', 3, true), 5, 4),
        tally('rate-limit', check('recovers', 2), 5, 5),
      ]),
    );
    const rateLimit = category(result, 'rate-limit');
    expect(rateLimit).toMatchObject({ status: 'fail', score: 40, capped: true });
    expect(result.gate).toBe('fail');
    expect(result.gateReasons).toEqual(['critical check honours-retry-after failed in rate-limit']);
  });

  it('keeps a score already below the cap, still marked capped', () => {
    const result = scoreConnector(input([tally('rate-limit', check('honours-retry-after', 3, true), 4, 1)]));
    expect(category(result, 'rate-limit')).toMatchObject({ score: 25, capped: true });
  });

  it('does not cap for a failed non-critical check', () => {
    const result = scoreConnector(input([tally('server-errors', check('a', 1), 2, 1)]));
    expect(category(result, 'server-errors')).toMatchObject({ status: 'fail', score: 50 });
    expect(category(result, 'server-errors').capped).toBeUndefined();
    expect(result.gate).toBe('pass');
  });

  it('excludes not-applicable categories from the mean, never scoring them 0 or 100', () => {
    const result = scoreConnector(
      input([tally('rate-limit', check('a', 1), 2, 2), tally('server-errors', check('b', 1), 2, 1)], {
        notApplicable: { 'write-safety': 'the contract has no write operation' },
      }),
    );
    expect(category(result, 'write-safety')).toEqual({
      id: 'write-safety',
      weight: 15,
      status: 'not-applicable',
      reason: 'the contract has no write operation',
      checks: [],
      findings: [],
    });
    // (15 × 100 + 10 × 50) / 25 = 80
    expect(result.score).toBe(80);
  });

  it('marks a category whose checks judged nothing as not exercised, with the reasons its checks gave, and no score', () => {
    const skipped = new Map([['the fault pagination/repeated-cursor found nothing to change', 2]]);
    const result = scoreConnector(input([{ ...tally('pagination', check('a', 3, true), 0, 0), skipped }]));
    expect(category(result, 'pagination')).toMatchObject({
      status: 'not-exercised',
      reason: 'a never judged an execution: the fault pagination/repeated-cursor found nothing to change (2 executions)',
      checks: [
        {
          id: 'a',
          passed: false,
          executions: 0,
          notExercised: 'the fault pagination/repeated-cursor found nothing to change (2 executions)',
        },
      ],
    });
    expect(category(result, 'pagination').score).toBeUndefined();
    expect(category(result, 'deprecation')).toMatchObject({ status: 'not-exercised', reason: 'no execution gave its checks anything to judge' });
  });

  it('never shows a category as pass when a critical check of it never ran (no silent pass, issue #11)', () => {
    const skipped = new Map([['the fault pagination/repeated-cursor found nothing to change', 1]]);
    const result = scoreConnector(
      input([{ ...tally('pagination', check('critical', 3, true), 0, 0), skipped }, tally('pagination', check('other', 2), 4, 4)]),
    );
    expect(category(result, 'pagination')).toMatchObject({
      status: 'not-exercised',
      reason: 'critical never judged an execution: the fault pagination/repeated-cursor found nothing to change (1 execution)',
    });
    expect(category(result, 'pagination').score).toBeUndefined();
    expect(result.score).toBeNull();
    expect(result.gate).toBe('pass');
  });

  it('says why a check left some of its executions unjudged, e.g. the overrun another category owns', () => {
    const skipped = new Map([['cut by the deadline while waiting on a response that never came (POST /v1/invoices): latency-timeout/black-hole judges that overrun', 1]]);
    const result = scoreConnector(input([{ ...tally('write-safety', check('settles-before-deadline', 2, true), 3, 3), skipped }]));
    expect(category(result, 'write-safety').checks[0]).toMatchObject({
      passed: true,
      executions: 3,
      skipped: 'cut by the deadline while waiting on a response that never came (POST /v1/invoices): latency-timeout/black-hole judges that overrun (1 execution)',
    });
  });

  it('still fails a category whose critical check never ran when another check failed', () => {
    const result = scoreConnector(input([tally('pagination', check('critical', 3, true), 0, 0), tally('pagination', check('other', 2), 4, 2)]));
    expect(category(result, 'pagination')).toMatchObject({ status: 'fail', score: 50 });
  });

  it('gives coverage as the weight of scored categories over scored and not-exercised ones', () => {
    const result = scoreConnector(
      input([tally('rate-limit', check('a', 1), 2, 2), tally('pagination', check('b', 1, true), 0, 0)], {
        notApplicable: { 'write-safety': 'no write operation' },
      }),
    );
    // rate-limit (15) scored; pagination (5) and the eight other categories with no tallies are not exercised
    expect(result.coverage).toBe(round1((15 / (100 - 15)) * 100));
    expect(scoreConnector(input([tally('rate-limit', check('a', 1), 2, 2)], { notRun: Object.fromEntries(CATEGORY_IDS.filter((id) => id !== 'rate-limit').map((id) => [id, 'not selected'])) })).coverage).toBe(100);
  });

  it('fails the gate on a gating check (weight 0, never scored) and leaves the score alone', () => {
    const gated = check('matches-contract', 0);
    const result = scoreConnector(
      input([tally('server-errors', gated, 2, 1), tally('server-errors', check('a', 1), 2, 2)], {
        gating: new Map([['matches-contract', 'requests matched no interaction']]),
      }),
    );
    expect(category(result, 'server-errors')).toMatchObject({ status: 'pass', score: 100 });
    expect(result.gate).toBe('fail');
    expect(result.gateReasons).toEqual(['requests matched no interaction in server-errors']);
  });

  it('reports categories not run with their reason and no score', () => {
    const reason = 'no network engine: Toxiproxy was not found';
    const result = scoreConnector(
      input([tally('rate-limit', check('a', 1), 1, 1)], { notRun: { 'network-faults': reason, 'latency-timeout': reason } }),
    );
    expect(category(result, 'network-faults')).toEqual({
      id: 'network-faults',
      weight: 10,
      status: 'not-run',
      reason,
      checks: [],
      findings: [],
    });
    expect(result.score).toBe(100);
    expect(result.grade).toBe('A');
  });

  it('has no score and no grade when nothing was scored', () => {
    const result = scoreConnector(input([], { thresholds: { overall: 80 } }));
    expect(result).toMatchObject({ score: null, grade: null, gate: 'pass', gateReasons: [] });
  });

  it('takes the category weights in the overall mean', () => {
    // rate-limit (15) capped at 40, pagination (5) at 100: (600 + 500) / 20 = 55
    const result = scoreConnector(
      input([tally('rate-limit', check('r', 1, true), 2, 1), tally('pagination', check('p', 1), 3, 3)]),
    );
    expect(result.score).toBe(55);
    expect(result.grade).toBe('D');
  });

  it('fails the gate below the overall and category thresholds', () => {
    const tallies = [tally('rate-limit', check('a', 1), 4, 3), tally('server-errors', check('b', 1), 4, 4)];
    // rate-limit 75, server-errors 100: (1125 + 1000) / 25 = 85
    const result = scoreConnector(
      input(tallies, { thresholds: { overall: 90, categories: { 'rate-limit': 80, 'server-errors': 100, pagination: 50 } } }),
    );
    expect(result.score).toBe(85);
    expect(result.gate).toBe('fail');
    expect(result.gateReasons).toEqual([
      'rate-limit score 75 is below the threshold of 80',
      'overall score 85 is below the threshold of 90',
    ]);
    const met = scoreConnector(input(tallies, { thresholds: { overall: 85, categories: { 'rate-limit': 75 } } }));
    expect(met.gate).toBe('pass');
  });

  it('adds up duplicate tallies of one check in one category', () => {
    const a = check('a', 1);
    const result = scoreConnector(input([tally('pagination', a, 2, 2), tally('pagination', a, 2, 0)]));
    expect(category(result, 'pagination')).toMatchObject({
      score: 50,
      checks: [{ id: 'a', critical: false, weight: 1, passed: false, executions: 4, passes: 2 }],
    });
  });
});

describe('gradeFor', () => {
  it('grades at the boundaries', () => {
    expect([100, 90, 89.9, 75, 74.9, 60, 59.9, 40, 39.9, 0].map(gradeFor)).toEqual([
      'A',
      'A',
      'B',
      'B',
      'C',
      'C',
      'D',
      'D',
      'F',
      'F',
    ]);
  });
});
