/**
 * The markdown reporter: `report.md`, made to be appended to a GitHub step summary: the gate,
 * a table per connector and the findings, each in a `<details>` block, cut to stay under
 * `MARKDOWN_MAX_CHARS`.
 */
import type { ConnectorReport, RunReport } from '../core/report.js';
import {
  allFindings,
  categoryScore,
  cappedText,
  checksPassed,
  detailsText,
  formatScore,
  formatTimeline,
  gateWord,
  groupByReason,
  statusGroup,
  networkEngineText,
  plural,
  statusLabel,
  stoppedTitle,
  type PlacedFinding,
  faultsLine,
  coverageText,
  skippedText,
  undecidedLines,
} from './format.js';
import type { Reporter } from './types.js';

export const MARKDOWN_FILE = 'report.md';
/** GitHub step summaries take 1 MiB, but pages this long are read by nobody: stay well under. */
export const MARKDOWN_MAX_CHARS = 65_000;
/** Timeline lines per finding before the middle is elided. */
export const MARKDOWN_TIMELINE_MAX = 40;

/** Text inside HTML tags (`<summary>`) or markdown where `<` and `&` must stay literal. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code that survives backticks in its content. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in the content. */
function codeBlock(lang: string, text: string): string[] {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, text, fence];
}

function connectorSection(connector: ConnectorReport): string[] {
  const where = `contract ${code(connector.contract)} · ${plural(connector.executions, 'execution')}`;
  if (!connector.valid) {
    return [
      `### ${escapeHtml(connector.name)}: invalid, not scored`,
      '',
      where,
      '',
      `The control execution (no faults) failed: ${escapeHtml(
        connector.invalidReason ?? 'no reason given',
      )}`,
      '',
    ];
  }
  const score =
    connector.score === null ? 'not scored' : `${formatScore(connector.score)}/100, grade ${connector.grade ?? '—'}${coverageText(connector)}`;
  const skipped = skippedText(connector);
  const lines = [
    `### ${escapeHtml(connector.name)}: ${score}`,
    '',
    where,
    '',
    ...(skipped ? [escapeHtml(skipped), ''] : []),
    '| category | weight | status | score | checks |',
    '| --- | ---: | --- | ---: | ---: |',
  ];
  for (const category of connector.categories) {
    const status = category.status === 'fail' ? '**fail**' : statusLabel(category.status);
    lines.push(
      `| ${category.id} | ${category.weight} | ${status} | ${categoryScore(category)} | ${checksPassed(category)} |`,
    );
  }
  lines.push('');
  const capped = cappedText(connector);
  if (capped) lines.push(`- capped: ${escapeHtml(capped)}`);
  for (const [status, label] of [
    ['not-run', statusLabel('not-run')],
    ['not-exercised', statusLabel('not-exercised')],
    ['not-applicable', statusLabel('not-applicable')],
    ['scored', 'partly run'],
  ] as const) {
    for (const [reason, ids] of groupByReason(connector.categories.filter((c) => statusGroup(c) === status))) {
      lines.push(`- ${label}: ${ids.join(', ')} — ${escapeHtml(reason)}`);
    }
  }
  for (const [where, reason] of undecidedLines(connector)) lines.push(`- not decided: ${escapeHtml(where)} — ${escapeHtml(reason)}`);
  if (lines[lines.length - 1] !== '') lines.push('');
  return lines;
}

function findingSection(connector: ConnectorReport, { finding }: PlacedFinding): string {
  const summary =
    `<code>${escapeHtml(finding.code)}</code> ${finding.severity} · ${escapeHtml(connector.name)} · ` +
    `${escapeHtml(finding.scenario)} × ${escapeHtml(finding.operation)}: ${escapeHtml(finding.message)}`;
  return [
    '<details>',
    `<summary>${summary.replace(/\s*\n\s*/g, ' ')}</summary>`,
    '',
    `check ${code(finding.check)} · outcome: ${escapeHtml(finding.evidence.outcome)}`,
    '',
    ...(finding.evidence.details === undefined ? [] : [`details: ${code(detailsText(finding.evidence.details))}`, '']),
    ...(faultsLine(finding) === undefined ? [] : [escapeHtml(faultsLine(finding) ?? ''), '']),
    ...codeBlock('text', formatTimeline(finding.evidence.timeline, MARKDOWN_TIMELINE_MAX).join('\n')),
    '',
    'Replay:',
    '',
    ...codeBlock('sh', finding.repro),
    '',
    '</details>',
    '',
  ].join('\n');
}

export interface MarkdownOptions {
  /** Upper bound on the document's length; findings beyond it are left out with a note. */
  maxChars?: number;
}

/** The whole `report.md`. */
export function renderMarkdown(report: RunReport, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? MARKDOWN_MAX_CHARS;
  const head = [
    `## holdup: gate ${gateWord(report.gate)}`,
    '',
    `Run ${code(report.runId)} · seed ${report.seed} · started ${report.startedAt} · ` +
      `${(report.durationMs / 1000).toFixed(1)} s · holdup ${report.holdupVersion} · ` +
      `network engine: ${escapeHtml(networkEngineText(report.networkEngine))}`,
    '',
  ];
  const stopped = stoppedTitle(report);
  if (stopped) head.push(`**${stopped}:** ${escapeHtml(report.incompleteReason ?? 'no reason given')}`, '');
  if (!report.gate.passed) {
    const reasons = [...report.gate.reasons, ...report.gate.unjudged];
    const why = report.gate.reasons.length > 0 ? 'Gate failed because:' : 'Gate not judged because:';
    head.push(why, '', ...reasons.map((reason) => `- ${escapeHtml(reason)}`), '');
  }
  for (const connector of report.connectors) head.push(...connectorSection(connector));

  const findings = allFindings(report);
  let text = head.join('\n');
  if (findings.length === 0) return text;
  text += '\n#### Findings\n';
  const note = (left: number): string =>
    `_${plural(left, 'more finding')} left out to keep this page short: see ${code('report.json')}._\n`;
  for (const [index, placed] of findings.entries()) {
    const section = `\n${findingSection(placed.connector, placed)}`;
    const left = findings.length - index - 1;
    const reserve = left > 0 ? note(findings.length).length + 1 : 0;
    if (text.length + section.length + reserve > maxChars) {
      return `${text}\n${note(findings.length - index)}`;
    }
    text += section;
  }
  return text;
}

export function createMarkdownReporter(options: MarkdownOptions = {}): Reporter {
  return { name: 'markdown', output: { file: MARKDOWN_FILE, render: (report) => renderMarkdown(report, options) } };
}
