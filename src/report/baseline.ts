/** The text of a comparison with a baseline: `holdup run --baseline` and `holdup compare`. */
import type { RunReport } from '../core/report.js';
import { plural } from './format.js';

type Comparison = NonNullable<RunReport['baseline']>;

/** What changed since the baseline, regressions first, and the baseline gate's verdict. */
export function baselineText(comparison: Comparison): string {
  const { regressions, improvements, notes } = comparison;
  const lines = [
    `baseline ${comparison.file}: ${plural(regressions.length, 'regression')}, ${plural(improvements.length, 'improvement')} (a score may drop ${comparison.budget} points)`,
    ...regressions.map((change) => `  worse   ${change.connector}: ${change.text}`),
    ...improvements.map((change) => `  better  ${change.connector}: ${change.text}`),
    ...notes.map((note) => `  note    ${note}`),
    comparison.passed ? 'baseline gate: PASSED — nothing got worse' : `baseline gate: FAILED — ${plural(regressions.length, 'regression')}`,
  ];
  return `${lines.join('\n')}\n`;
}
