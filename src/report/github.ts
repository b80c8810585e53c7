/**
 * The github-actions reporter: annotations on the workflow run (workflow commands on the
 * console, the connector's file as their place) and a step summary made for GitHub's limits:
 * the gate and a table per connector, then the most severe findings first (one per check and
 * code, wherever it happened), then a link to the run page where the full report is.
 */
import path from 'node:path';
import type { RunReport } from '../core/report.js';
import { allFindings, formatScore, gateWord, plural, stoppedTitle, type PlacedFinding } from './format.js';
import type { ConnectorReport } from '../core/report.js';
import type { Reporter, ReporterOptions } from './types.js';

export const GITHUB_SUMMARY_FILE = 'github-summary.md';
/** GitHub shows at most 10 error and 10 warning annotations of a step; more are dropped. */
export const GITHUB_ANNOTATIONS_PER_LEVEL = 10;
/** Findings the summary lists before it points to the full report. */
export const GITHUB_SUMMARY_FINDINGS = 25;
/** A step summary may hold 1 MiB; one this size is already more than people read. */
export const GITHUB_SUMMARY_MAX_CHARS = 60_000;

type Placed = PlacedFinding & { connector: ConnectorReport };

/** One finding per connector, check and code: the first (most severe) of each, in report order. */
function distinct(report: RunReport): { shown: Placed[]; total: number } {
  const all = allFindings(report).sort((a, b) => rank(a) - rank(b));
  const seen = new Set<string>();
  const shown = all.filter(({ connector, finding }) => {
    const key = `${connector.name}\0${finding.check}\0${finding.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { shown, total: all.length };
}

const SEVERITY_RANK = { critical: 0, error: 1, warning: 2 } as const;
const rank = (placed: Placed): number => SEVERITY_RANK[placed.finding.severity];

/** A workflow command's data: `%`, CR and LF escaped (GitHub's runner unescapes them). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: also `:` and `,`. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * `::error file=…,title=…::message` lines: critical and error findings as errors, warnings as
 * warnings, at most 10 of each (GitHub drops the rest): 9 and a line saying how many more when
 * there are more. `fileOf` gives the connector file's path from the repository's root.
 */
export function renderAnnotations(report: RunReport, fileOf: (file: string) => string = (file) => file): string {
  const { shown } = distinct(report);
  const lines: string[] = [];
  for (const level of ['error', 'warning'] as const) {
    const picked = shown.filter(({ finding }) => (finding.severity === 'warning' ? 'warning' : 'error') === level);
    const room = picked.length > GITHUB_ANNOTATIONS_PER_LEVEL ? GITHUB_ANNOTATIONS_PER_LEVEL - 1 : GITHUB_ANNOTATIONS_PER_LEVEL;
    for (const { connector, category, finding } of picked.slice(0, room)) {
      const title = `${finding.code} ${finding.check} (${connector.name}, ${category.id})`;
      const message = `${finding.message}\n${finding.scenario} × ${finding.operation}\nreplay: ${finding.repro}`;
      lines.push(`::${level} file=${escapeProperty(fileOf(connector.file))},title=${escapeProperty(title)}::${escapeData(message)}`);
    }
    if (picked.length > room) {
      const more = picked.length - room;
      lines.push(`::${level} title=${escapeProperty(`holdup: ${more} more`)}::${escapeData(`${plural(more, 'more finding')} of this level in the step summary and the full report`)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Text for a markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

/**
 * The step summary. `link` is where the full report is (the workflow run's page, whose artifacts
 * hold it, when GitHub's variables are set).
 */
export function renderGithubSummary(report: RunReport, link: string | undefined): string {
  const { shown, total } = distinct(report);
  const head = [
    `## holdup: gate ${gateWord(report.gate)}`,
    '',
    `${plural(report.connectors.length, 'connector')}, seed ${report.seed}, ${formatScore(Math.round(report.durationMs / 100) / 10)} s${report.baseline ? `; baseline gate ${report.baseline.passed ? 'PASSED' : `FAILED (${plural(report.baseline.regressions.length, 'regression')})`}` : ''}`,
    '',
    ...(report.complete ? [] : [`**${stoppedTitle(report) ?? ''}:** ${cell(report.incompleteReason ?? 'no reason given')}`, '']),
    '| connector | score | grade | gate | failing categories |',
    '|---|---:|:---:|:---:|---|',
    ...report.connectors.map((connector) => {
      const failing = connector.categories.filter((category) => category.status === 'fail').map((category) => category.id);
      const score = connector.valid ? (connector.score === null ? '—' : formatScore(connector.score)) : 'invalid';
      return `| ${cell(connector.name)} | ${score} | ${connector.grade ?? '—'} | ${connector.gate} | ${cell(failing.join(', ') || '—')} |`;
    }),
    ...(report.baseline && report.baseline.regressions.length > 0
      ? ['', '### Worse than the baseline', '', ...report.baseline.regressions.map((change) => `- ${cell(change.connector)}: ${cell(change.text)}`)]
      : []),
  ];
  const tail = (listed: number): string[] => {
    const rest = total - listed;
    const where = link ? `[the full report](${link})` : 'the full report (report.json)';
    return rest > 0 ? ['', `${plural(rest, 'more finding')} (the same checks elsewhere, or less severe ones) in ${where}.`] : link ? ['', `Full report: ${where}.`] : [];
  };
  const lines = shown.slice(0, GITHUB_SUMMARY_FINDINGS).map(({ connector, category, finding }, index) =>
    `${index + 1}. **${finding.code}** ${finding.severity} · ${cell(connector.name)} · ${category.id} · \`${finding.check}\` — ${cell(finding.message)} (${cell(finding.scenario)} × ${cell(finding.operation)})`,
  );
  const findings = lines.length > 0 ? ['', '### Most severe findings', ''] : [];
  let listed = 0;
  let size = [...head, ...findings, ...tail(0)].join('\n').length;
  for (const line of lines) {
    if (size + line.length + 1 > GITHUB_SUMMARY_MAX_CHARS) break;
    findings.push(line);
    size += line.length + 1;
    listed++;
  }
  // the tail counts every finding not listed, the same check elsewhere included
  return `${[...head, ...findings, ...tail(listed)].join('\n')}\n`;
}

export function createGithubReporter(options: ReporterOptions): Reporter {
  const env = options.env ?? {};
  const server = env['GITHUB_SERVER_URL'];
  const repository = env['GITHUB_REPOSITORY'];
  const runId = env['GITHUB_RUN_ID'];
  const link = server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined;
  // annotations name files from the repository's root; holdup's paths are from where it ran
  const workspace = env['GITHUB_WORKSPACE'];
  const fileOf = (file: string): string => (workspace ? path.relative(workspace, path.resolve(options.root, file)).split(path.sep).join('/') : file);
  return {
    name: 'github-actions',
    onEvent(event) {
      if (event.type === 'run-done') options.out.write(renderAnnotations(event.report, fileOf));
    },
    output: { file: GITHUB_SUMMARY_FILE, render: (report) => renderGithubSummary(report, link) },
    // GitHub's step summary is a file every step appends to
    ...(env['GITHUB_STEP_SUMMARY'] ? { target: env['GITHUB_STEP_SUMMARY'], append: true } : {}),
  };
}
