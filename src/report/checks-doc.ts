/**
 * `docs/checks.md`, generated from the check registry (`src/checks/index.ts`) and the built-in
 * scenario library: each check's rule, evidence, budget, what makes it not exercised, its codes
 * and the scenarios that name it. `npm run docs` writes it; a test fails when the committed
 * file drifts from the code.
 */
import type { CategoryId, Check } from '../core/index.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { BUILTIN_SCENARIOS_DIR, parseScenario } from '../scenarios/load.js';
import type { Scenario } from '../scenarios/schema.js';

/** Where the generated page is committed, relative to the project root. */
export const CHECKS_DOC_FILE = 'docs/checks.md';

function categoriesOf(check: Check, scenarios: readonly Scenario[]): CategoryId[] {
  if (check.policy) return [check.policy.category];
  return [...new Set(scenarios.filter((s) => s.checks.includes(check.id)).map((s) => s.category))];
}

export function renderChecksDoc(checks: Readonly<Record<string, Check>>, scenarios: readonly Scenario[]): string {
  const sorted = [...scenarios].sort((a, b) => a.id.localeCompare(b.id));
  const lines = [
    '# Checks',
    '',
    '<!-- Generated from src/checks/*.ts (each check\'s `docs`) and scenarios/ by `npm run docs`; do not edit by hand. -->',
    '',
    'A check is a pure function from one execution\'s observation to a verdict: pass, fail, or',
    'nothing to judge (with the reason). Policy checks judge a connector once, over every execution',
    'of the run. A category whose checks judged nothing, or whose critical check never judged an',
    'execution (and nothing failed), is **not exercised**: no score, the reason shown, and lower',
    'coverage. Every check is calibrated on clients built with the retry libraries people use, with',
    'their documented defaults: [fixtures/calibration/README.md](../fixtures/calibration/README.md).',
    '',
    '| check | critical | weight | categories | codes |',
    '|---|---|---:|---|---|',
  ];
  for (const check of Object.values(checks)) {
    const codes = Object.entries(check.codes)
      .map(([code, title]) => `${code} ${title}`)
      .join('<br>');
    const where = check.id === 'matches-contract' ? 'every execution' : categoriesOf(check, sorted).join(', ') || '—';
    lines.push(`| [\`${check.id}\`](#${check.id}) | ${check.critical ? 'yes' : ''} | ${check.weight} | ${where} | ${codes} |`);
  }
  for (const check of Object.values(checks)) {
    const named = sorted.filter((s) => s.checks.includes(check.id)).map((s) => `\`${s.id}\``);
    lines.push(
      '',
      `## ${check.id}`,
      '',
      `${check.summary}${check.critical ? ' **Critical**: a failure caps its category at 40 and fails the gate.' : ''}`,
      '',
      `- **Rule.** ${check.docs.rule}`,
      `- **Evidence.** ${check.docs.evidence}`,
      ...(check.docs.budget ? [`- **Budget and deadline.** ${check.docs.budget}`] : []),
      `- **Judges nothing when.** ${check.docs.notExercised}`,
      `- **Codes.** ${Object.entries(check.codes)
        .map(([code, title]) => `${code} ${title}`)
        .join('; ')}.`,
      check.policy
        ? `- **Judged over** every execution of the run, once per connector; counts in ${check.policy.category}.`
        : check.id === 'matches-contract'
          ? '- **Judged on** every execution, named by a scenario or not.'
          : `- **Named by** ${named.length > 0 ? named.join(', ') : 'no built-in scenario'}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The built-in scenario library, parsed (repro files aside). */
export async function builtinScenarios(): Promise<Scenario[]> {
  const files = await glob('**/*.json', { cwd: BUILTIN_SCENARIOS_DIR, ignore: ['repro/**'] });
  return Promise.all(files.sort().map(async (file) => parseScenario(await readFile(path.join(BUILTIN_SCENARIOS_DIR, file), 'utf8'), `scenarios/${file}`)));
}
