import type { BaselineChange, CategoryReport, ConnectorReport, RunReport } from '../core/index.js';

/**
 * A run against a baseline (the report.json of an earlier run, usually main's): what got worse,
 * what got better. Only regressions fail a baseline gate, so a CI job can require "no worse than
 * main" of connectors that do not pass every check yet.
 */
export interface BaselineComparison {
  /** Points a score may drop (overall, or a category's) before it counts as a regression. */
  budget: number;
  regressions: Change[];
  improvements: Change[];
  /** What the comparison could not say, and why: a connector only one run has, a category one of them did not score, different seeds. */
  notes: string[];
}

export type Change = BaselineChange;

/** Points a score may drop before a baseline gate fails, by default: more than the noise of a rerun. */
export const DEFAULT_BASELINE_BUDGET = 2;

const SCORED = new Set<CategoryReport['status']>(['pass', 'fail']);

/** Critical findings by their identity across runs (the check, its code, where it happened), in the categories given. */
function findingKeys(connector: ConnectorReport, categories: ReadonlySet<string>): Map<string, string> {
  const keys = new Map<string, string>();
  for (const category of connector.categories) {
    if (!categories.has(category.id)) continue;
    for (const finding of category.findings) {
      if (finding.severity !== 'critical') continue;
      keys.set(`${category.id}\0${finding.check}\0${finding.code}\0${finding.scenario}\0${finding.operation}`, `${finding.code} ${finding.check} on ${finding.scenario} × ${finding.operation}`);
    }
  }
  return keys;
}

const points = (value: number): string => (Math.round(value * 10) / 10).toString();

function compareConnector(before: ConnectorReport, after: ConnectorReport, budget: number, out: BaselineComparison): void {
  const connector = after.name;
  const add = (list: Change[], change: Omit<Change, 'connector'>) => list.push({ connector, ...change });
  if (before.valid && !after.valid) {
    add(out.regressions, { kind: 'invalid', text: `became invalid: ${after.invalidReason ?? 'its control execution failed'}` });
    return;
  }
  if (!before.valid && after.valid) add(out.improvements, { kind: 'valid', text: 'became valid' });
  if (!before.valid || !after.valid) {
    out.notes.push(`${connector}: invalid in ${!before.valid ? 'the baseline' : 'this run'}, no scores to compare`);
    return;
  }
  if (before.score !== null && after.score !== null) {
    const delta = after.score - before.score;
    const text = `overall ${points(before.score)} → ${points(after.score)} (${delta > 0 ? '+' : ''}${points(delta)})`;
    if (delta < -budget) add(out.regressions, { kind: 'score', text });
    else if (delta > budget) add(out.improvements, { kind: 'score', text });
  }
  for (const now of after.categories) {
    const then = before.categories.find((category) => category.id === now.id);
    if (!then) continue;
    if (!SCORED.has(then.status) || !SCORED.has(now.status)) {
      if (SCORED.has(then.status) !== SCORED.has(now.status)) out.notes.push(`${connector} ${now.id}: ${then.status} in the baseline, ${now.status} now`);
      continue;
    }
    if (then.status === 'pass' && now.status === 'fail') {
      add(out.regressions, { category: now.id, kind: 'category-status', text: `${now.id} pass → fail (${points(then.score ?? 0)} → ${points(now.score ?? 0)})` });
      continue;
    }
    if (then.status === 'fail' && now.status === 'pass') {
      add(out.improvements, { category: now.id, kind: 'category-status', text: `${now.id} fail → pass (${points(then.score ?? 0)} → ${points(now.score ?? 0)})` });
      continue;
    }
    const delta = (now.score ?? 0) - (then.score ?? 0);
    const text = `${now.id} ${points(then.score ?? 0)} → ${points(now.score ?? 0)}`;
    if (delta < -budget) add(out.regressions, { category: now.id, kind: 'category-score', text });
    else if (delta > budget) add(out.improvements, { category: now.id, kind: 'category-score', text });
  }
  // findings are compared where both runs scored the category: one not run says nothing either way
  const scoredInBoth = new Set(
    after.categories.filter((now) => SCORED.has(now.status) && SCORED.has(before.categories.find((then) => then.id === now.id)?.status ?? 'not-run')).map((now) => now.id),
  );
  const thenFindings = findingKeys(before, scoredInBoth);
  const nowFindings = findingKeys(after, scoredInBoth);
  for (const [key, text] of nowFindings) {
    if (!thenFindings.has(key)) add(out.regressions, { category: key.split('\0')[0] as string, kind: 'critical-finding', text: `new critical finding: ${text}` });
  }
  for (const [key, text] of thenFindings) {
    if (!nowFindings.has(key)) add(out.improvements, { category: key.split('\0')[0] as string, kind: 'critical-finding-gone', text: `critical finding gone: ${text}` });
  }
}

/** Compares a run with its baseline, connector by connector (by name). Pure. */
export function compareWithBaseline(baseline: RunReport, current: RunReport, budget = DEFAULT_BASELINE_BUDGET): BaselineComparison {
  const out: BaselineComparison = { budget, regressions: [], improvements: [], notes: [] };
  for (const after of current.connectors) {
    const before = baseline.connectors.find((connector) => connector.name === after.name);
    if (!before) {
      out.notes.push(`${after.name}: not in the baseline (new)`);
      continue;
    }
    compareConnector(before, after, budget, out);
  }
  for (const before of baseline.connectors) {
    if (!current.connectors.some((connector) => connector.name === before.name)) out.notes.push(`${before.name}: in the baseline, not in this run`);
  }
  if (baseline.seed !== current.seed) out.notes.push(`the runs used different seeds (${baseline.seed} and ${current.seed}): pass the baseline's --seed for a like-for-like comparison`);
  return out;
}
