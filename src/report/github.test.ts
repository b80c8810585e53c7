import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../core/report.js';
import { GITHUB_ANNOTATIONS_PER_LEVEL, GITHUB_SUMMARY_MAX_CHARS, renderAnnotations, renderGithubSummary } from './github.js';
import { createReporters, writeReport } from './index.js';
import { fixtureReport } from './test-fixtures.js';
import { FakeOut } from './test-helpers.js';

/** The fixture with `count` more critical findings, each of its own check, with long messages. */
function huge(count: number): RunReport {
  const report = fixtureReport();
  const category = report.connectors[0]!.categories[1]!;
  const model = category.findings[0]!;
  for (let n = 0; n < count; n++) {
    category.findings.push({ ...model, check: `check-${n}`, code: `HU-XX-${String(n).padStart(3, '0')}`, message: `${'a long message '.repeat(30)}${n}` });
  }
  return report;
}

describe('github-actions reporter', () => {
  it('says in the step summary, under the run line, that the run was interrupted', () => {
    const report = { ...fixtureReport(), complete: false, interrupted: true, incompleteReason: 'the run was interrupted' };
    expect(renderGithubSummary(report, undefined)).toMatch(/^## holdup: gate FAILED\n\n.*\n\n\*\*Interrupted run:\*\* the run was interrupted\n\n\| connector /);
  });

  it('annotates the most severe findings, one per check and code, on the connector file, escaped as workflow commands', () => {
    const report = fixtureReport();
    report.connectors[0]!.categories[1]!.findings[0]!.message = 'waited 0% of 2,000 ms: too soon\nsecond line';
    const lines = renderAnnotations(report).trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => /^::(error|warning) file=[^,:]+,title=[^:]+::/.test(line))).toBe(true);
    const first = lines.find((line) => line.includes('waited'))!;
    expect(first).toMatch(/,title=HU-RL-\d{3} [\w-]+ \(billing-naive%2C rate-limit\)::waited 0%25 of 2,000 ms: too soon%0Asecond line%0A/);
    // from the repository's root when GitHub says where it is
    expect(renderAnnotations(report, (file) => `services/billing/${file}`)).toContain('::error file=services/billing/fixtures/connectors/billing-naive.connector.ts,');
    // one annotation per connector, check and code, however many executions found it
    const keys = lines.map((line) => /title=([^:]+)::/.exec(line)?.[1]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it(`keeps to GitHub's ${GITHUB_ANNOTATIONS_PER_LEVEL} annotations per level, saying how many more there are`, () => {
    const lines = renderAnnotations(huge(40)).trimEnd().split('\n');
    const errors = lines.filter((line) => line.startsWith('::error'));
    // GitHub keeps 10 errors of a step: 9 findings and the line that says how many more
    expect(errors).toHaveLength(GITHUB_ANNOTATIONS_PER_LEVEL);
    expect(errors.filter((line) => line.startsWith('::error file='))).toHaveLength(GITHUB_ANNOTATIONS_PER_LEVEL - 1);
    expect(errors.at(-1)).toMatch(/^::error title=holdup%3A \d+ more::\d+ more findings of this level/);
  });

  it('writes a step summary under its size limit, the gate and the table first, critical findings before others, and links the full report', () => {
    const link = 'https://github.com/acme/billing/actions/runs/42';
    const text = renderGithubSummary(huge(2_000), link);
    expect(text.length).toBeLessThanOrEqual(GITHUB_SUMMARY_MAX_CHARS);
    expect(text.startsWith('## holdup: gate FAILED\n')).toBe(true);
    expect(text).toContain('| billing-naive | 72.2 | C | fail | rate-limit, server-errors, schema-drift |');
    const severities = [...text.matchAll(/^\d+\. \*\*[\w-]+\*\* (critical|error|warning)/gm)].map(([, severity]) => severity);
    expect(severities.length).toBeGreaterThan(0);
    expect(severities).toEqual([...severities].sort((a, b) => ['critical', 'error', 'warning'].indexOf(a!) - ['critical', 'error', 'warning'].indexOf(b!)));
    expect(text).toMatch(new RegExp(`\\n\\d+ more findings \\(the same checks elsewhere, or less severe ones\\) in \\[the full report\\]\\(${link.replace(/[/.]/g, '\\$&')}\\)\\.\\n$`));
  });

  it('appends its summary to $GITHUB_STEP_SUMMARY, keeping what earlier steps wrote there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'holdup-github-'));
    try {
      const summary = join(dir, 'step_summary');
      await writeFile(summary, '# build\nok\n');
      const out = new FakeOut();
      const reporters = createReporters(['github-actions'], { out, color: false, root: dir, env: { GITHUB_STEP_SUMMARY: summary } });
      const written = await writeReport(fixtureReport(), join(dir, 'reports'), reporters, new FakeOut());
      expect(written).toEqual({ dir: undefined, files: [summary] });
      const text = await readFile(summary, 'utf8');
      expect(text.startsWith('# build\nok\n## holdup: gate FAILED\n')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
