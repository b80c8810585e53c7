import { describe, expect, it } from 'vitest';
import type { RunReport } from '../core/index.js';
import { fixtureReport } from '../report/test-fixtures.js';
import { compareWithBaseline } from './baseline.js';

const naive = (report: RunReport) => report.connectors.find((connector) => connector.name === 'billing-naive')!;
const category = (report: RunReport, id: string) => naive(report).categories.find((c) => c.id === id)!;
const kinds = (changes: { kind: string; connector: string; category?: string }[]) => changes.map((c) => `${c.connector}${c.category ? `.${c.category}` : ''} ${c.kind}`);

describe('compareWithBaseline', () => {
  it('finds nothing worse or better in the same report', () => {
    const comparison = compareWithBaseline(fixtureReport(), fixtureReport());
    expect(comparison.regressions).toEqual([]);
    expect(comparison.improvements).toEqual([]);
    expect(comparison.notes).toEqual(['billing-legacy: invalid in the baseline, no scores to compare']);
  });

  it('calls a category that stopped passing, and a new critical finding, worse, with the numbers', () => {
    const before = fixtureReport();
    const after = fixtureReport();
    Object.assign(category(after, 'silent-failure'), { status: 'fail', score: 40 });
    const finding = { ...category(after, 'rate-limit').findings[0]!, scenario: 'rate-limit/retry-after-absent', severity: 'critical' as const };
    category(after, 'rate-limit').findings.push(finding);
    const comparison = compareWithBaseline(before, after);
    expect(kinds(comparison.regressions)).toEqual(['billing-naive.silent-failure category-status', 'billing-naive.rate-limit critical-finding']);
    expect(comparison.regressions[0]?.text).toBe('silent-failure pass → fail (100 → 40)');
    expect(comparison.regressions[1]?.text).toBe(`new critical finding: ${finding.code} ${finding.check} on rate-limit/retry-after-absent × ${finding.operation}`);
    // and the other way round, better
    expect(kinds(compareWithBaseline(after, before).improvements)).toEqual(['billing-naive.silent-failure category-status', 'billing-naive.rate-limit critical-finding-gone']);
  });

  it('lets a score drop within the budget, and calls a larger drop worse', () => {
    const after = fixtureReport();
    naive(after).score = 72.2 - 1.5;
    category(after, 'server-errors').score = 75 - 3;
    expect(kinds(compareWithBaseline(fixtureReport(), after).regressions)).toEqual(['billing-naive.server-errors category-score']);
    expect(kinds(compareWithBaseline(fixtureReport(), after, 1).regressions)).toEqual(['billing-naive score', 'billing-naive.server-errors category-score']);
    expect(compareWithBaseline(fixtureReport(), after, 5).regressions).toEqual([]);
  });

  it('calls a connector that became invalid worse, and says what it cannot compare', () => {
    const after = fixtureReport();
    Object.assign(naive(after), { valid: false, invalidReason: 'control threw', score: null, grade: null });
    after.connectors.push({ ...naive(fixtureReport()), name: 'billing-new' });
    after.seed = 7;
    const comparison = compareWithBaseline(fixtureReport(), after);
    expect(comparison.regressions).toEqual([{ connector: 'billing-naive', kind: 'invalid', text: 'became invalid: control threw' }]);
    expect(comparison.notes).toEqual([
      'billing-legacy: invalid in the baseline, no scores to compare',
      'billing-new: not in the baseline (new)',
      'the runs used different seeds (42 and 7): pass the baseline\'s --seed for a like-for-like comparison',
    ]);
  });

  it('says a category it cannot compare, scored in one run and not run in the other', () => {
    const after = fixtureReport();
    Object.assign(category(after, 'schema-drift'), { status: 'not-run', score: undefined, reason: 'interrupted' });
    const comparison = compareWithBaseline(fixtureReport(), after);
    expect(comparison.regressions).toEqual([]);
    expect(comparison.improvements).toEqual([]);
    expect(comparison.notes).toContain('billing-naive schema-drift: fail in the baseline, not-run now');
  });
});
