/**
 * The console reporter: progress while the run goes, then a summary per connector, the top
 * findings with their timelines and replay commands, and the gate line.
 */
import { isAbsolute, relative } from 'node:path';
import type { RunEvent } from '../core/events.js';
import type { CategoryReport, ConnectorReport, RunReport } from '../core/report.js';
import {
  categoryScore,
  cappedText,
  checksPassed,
  clip,
  formatScore,
  formatTimeline,
  gateWord,
  groupByReason,
  statusGroup,
  networkEngineText,
  plural,
  reapedText,
  sortedFindings,
  statusLabel,
  stoppedWord,
  worstCode,
  wrap,
  faultsLine,
  coverageText,
  skippedText,
  strayWarningsText,
  undecidedLines,
} from './format.js';
import type { Reporter, ReporterOptions } from './types.js';

/** Console lines never exceed this, except replay commands (never broken, to stay copyable). */
export const CONSOLE_WIDTH = 100;
/** Findings shown per connector; the rest are in the written reports. */
export const CONSOLE_FINDINGS_PER_CONNECTOR = 8;
/** Timeline lines shown per finding before the middle is elided. */
export const CONSOLE_TIMELINE_MAX = 8;
/** Without a TTY, a progress line every this many executions (and at the end). */
export const PROGRESS_EVERY = 10;

type Paint = (style: keyof typeof ANSI, text: string) => string;

const ANSI = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => `\x1b[${ANSI[style][0]}m${text}\x1b[${ANSI[style][1]}m`;
}

const STATUS_STYLE: Record<CategoryReport['status'], keyof typeof ANSI> = {
  pass: 'green',
  fail: 'red',
  'not-applicable': 'dim',
  'not-exercised': 'yellow',
  'not-run': 'yellow',
};

export function createConsoleReporter(options: ReporterOptions): Reporter {
  const { out, root } = options;
  const paint = painter(options.color);
  const tty = options.live ?? (out as { isTTY?: boolean }).isTTY === true;
  /** On a TTY: the progress line currently shown (not ended by a newline), if any. */
  let progressShown = false;

  const shown = (path: string): string =>
    isAbsolute(path) && !relative(root, path).startsWith('..') ? relative(root, path) : path;

  const endProgress = (): void => {
    if (progressShown) out.write('\n');
    progressShown = false;
  };
  const print = (lines: string | string[]): void => {
    endProgress();
    for (const line of Array.isArray(lines) ? lines : [lines]) out.write(`${line}\n`);
  };

  /** Connectors run side by side: progress shows each one's count. */
  const counts = new Map<string, { done: number; total: number }>();
  const progress = (connector: string, done: number, total: number): void => {
    counts.set(connector, { done, total });
    if (tty) {
      const line = [...counts].map(([name, c]) => `${name} ${c.done}/${c.total}`).join('  ');
      out.write(`\r\x1b[2K  ${clip(line, CONSOLE_WIDTH - 2)}`);
      progressShown = true;
    } else if (done % PROGRESS_EVERY === 0 || done >= total) {
      out.write(`  ${connector}  ${done}/${total} executions\n`);
    }
  };

  const onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'reaped':
        print(wrap(reapedText(event.runs), CONSOLE_WIDTH, 'holdup ', '  '));
        return;
      case 'engine-progress':
        print(wrap(event.message, CONSOLE_WIDTH, 'holdup ', '  '));
        return;
      case 'run-start':
        print(
          wrap(
            `run ${event.runId}, seed ${event.seed}, ${plural(event.connectors.length, 'connector')}, ` +
              `network engine: ${networkEngineText(event.networkEngine)}`,
            CONSOLE_WIDTH,
            'holdup ',
            '  ',
          ),
        );
        return;
      case 'connector-start': {
        const head = `${event.connector}  ${shown(event.contract)}`;
        const counts = `${plural(event.operations.length, 'operation')}, ${plural(event.executions, 'execution')}`;
        const full = `${head}  ${counts} (${event.operations.join(', ')})`;
        print(boldPrefix(event.connector, clip(full.length <= CONSOLE_WIDTH ? full : `${head}  ${counts}`, CONSOLE_WIDTH), paint));
        return;
      }
      case 'control-done':
        if (!event.ok) {
          print(
            wrap(
              `control of ${event.operation} failed: ${event.reason ?? 'no reason given'}`,
              CONSOLE_WIDTH,
              `  ${paint('red', 'x')} `,
              '    ',
            ),
          );
        }
        return;
      case 'execution-done':
        progress(event.connector, event.done, event.total);
        return;
      case 'connector-done':
        counts.delete(event.report.name);
        if (counts.size === 0) endProgress();
        return;
      case 'stray-warnings':
        print(['', ...strayWarningsText(event).trimEnd().split('\n')]);
        return;
      case 'run-done':
        print(renderSummary(event.report, paint, shown));
        return;
    }
  };

  return { name: 'console', onEvent };
}

/** Pads `text` to `width`, then paints it (so colour codes do not break the alignment). */
function cell(text: string, width: number, paint: Paint, style?: keyof typeof ANSI, right = false): string {
  const padded = right ? text.padStart(width) : text.padEnd(width);
  return style === undefined ? padded : paint(style, padded);
}

function renderCategoryTable(connector: ConnectorReport, paint: Paint): string[] {
  const lines = [
    `  ${cell('category', 16, paint)}${cell('weight', 6, paint, undefined, true)}  ${cell('status', 14, paint)}  ` +
      `${cell('score', 9, paint, undefined, true)}  ${cell('checks', 6, paint)}  worst`,
  ];
  for (const category of connector.categories) {
    const row =
      `  ${cell(category.id, 16, paint)}${cell(String(category.weight), 6, paint, undefined, true)}  ` +
      `${cell(statusLabel(category.status), 14, paint, STATUS_STYLE[category.status])}  ` +
      `${cell(categoryScore(category), 9, paint, undefined, true)}  ${cell(checksPassed(category), 6, paint)}  ` +
      worstCode(category);
    lines.push(row.trimEnd());
  }
  return lines;
}

function renderConnector(connector: ConnectorReport, paint: Paint, shown: (path: string) => string): string[] {
  const lines: string[] = [''];
  const where = `${shown(connector.contract)}, ${plural(connector.executions, 'execution')}`;
  if (!connector.valid) {
    lines.push(boldPrefix(connector.name, clip(`${connector.name}  INVALID, not scored  ${where}`, CONSOLE_WIDTH), paint));
    lines.push(
      ...wrap(
        `the control execution (no faults) failed: ${connector.invalidReason ?? 'no reason given'}`,
        CONSOLE_WIDTH,
        '  ',
      ),
    );
    return lines;
  }
  lines.push(boldPrefix(connector.name, clip(`${connector.name}  ${where}`, CONSOLE_WIDTH), paint));
  lines.push(...renderCategoryTable(connector, paint));
  const grade = connector.grade ?? '—';
  lines.push(
    connector.score === null
      ? '  overall: not scored (no applicable category)'
      : `  overall: ${paint('bold', `${formatScore(connector.score)}/100`)}, grade ${paint('bold', grade)}${coverageText(connector)}`,
  );
  const capped = cappedText(connector);
  if (capped) lines.push(...wrap(capped, CONSOLE_WIDTH, '  capped: ', '    '));
  const skipped = skippedText(connector);
  if (skipped) lines.push(...wrap(skipped, CONSOLE_WIDTH, '  '));
  for (const [status, label] of [
    ['not-run', 'not run'],
    ['not-exercised', 'not exercised'],
    ['not-applicable', 'not applicable'],
    ['scored', 'partly run'],
  ] as const) {
    const groups = groupByReason(connector.categories.filter((category) => statusGroup(category) === status));
    for (const [reason, ids] of groups) {
      lines.push(...wrap(`${ids.join(', ')} — ${reason}`, CONSOLE_WIDTH, `  ${label}: `, '    '));
    }
  }
  for (const [where, reason] of undecidedLines(connector)) {
    lines.push(...wrap(`${where} — ${reason}`, CONSOLE_WIDTH, '  not decided: ', '    '));
  }
  const findings = sortedFindings(connector);
  if (findings.length === 0) return lines;
  const shownFindings = findings.slice(0, CONSOLE_FINDINGS_PER_CONNECTOR);
  const count = shownFindings.length === findings.length ? `${findings.length}` : `${shownFindings.length} of ${findings.length}`;
  lines.push('', `  findings (${count}, most severe first):`);
  for (const { finding } of shownFindings) {
    lines.push('');
    const head = `${finding.code} ${finding.severity}  ${finding.check}  ${finding.scenario} × ${finding.operation}`;
    lines.push(`  ${boldPrefix(finding.code, clip(head, CONSOLE_WIDTH - 2), paint)}`);
    lines.push(...wrap(finding.message, CONSOLE_WIDTH, '    '));
    for (const line of formatTimeline(finding.evidence.timeline, CONSOLE_TIMELINE_MAX)) {
      lines.push(clip(`    ${line}`, CONSOLE_WIDTH));
    }
    lines.push(...wrap(`outcome: ${finding.evidence.outcome}`, CONSOLE_WIDTH, '    ', '      '));
    const faults = faultsLine(finding);
    if (faults) lines.push(...wrap(faults, CONSOLE_WIDTH, '    ', '      '));
    lines.push(`    replay: ${paint('cyan', finding.repro)}`);
  }
  if (findings.length > shownFindings.length) {
    lines.push('', `  … ${plural(findings.length - shownFindings.length, 'more finding')} not shown here: the json, markdown and html reports hold every one`);
  }
  return lines;
}

/** The end-of-run summary: every connector, then the gate line. */
export function renderSummary(report: RunReport, paint: Paint, shown: (path: string) => string): string[] {
  const lines: string[] = [];
  for (const connector of report.connectors) lines.push(...renderConnector(connector, paint, shown));
  lines.push('');
  const stopped = stoppedWord(report);
  if (stopped) lines.push(...wrap(`${stopped} run: ${report.incompleteReason ?? 'no reason given'}`, CONSOLE_WIDTH, '', '  '));
  const gate = `gate: ${gateWord(report.gate)}`;
  const styled = `gate: ${paint(report.gate.passed ? 'green' : report.gate.reasons.length > 0 ? 'red' : 'yellow', gateWord(report.gate))}`;
  const gateReasons = [...report.gate.reasons, ...report.gate.unjudged];
  const oneLine = `${gate} — ${gateReasons.join('; ')}`;
  if (report.gate.passed || gateReasons.length === 0) lines.push(styled);
  else if (oneLine.length <= CONSOLE_WIDTH) lines.push(`${styled} — ${gateReasons.join('; ')}`);
  else {
    lines.push(`${styled} —`);
    for (const reason of gateReasons) lines.push(...wrap(reason, CONSOLE_WIDTH, '  - ', '    '));
  }
  return lines;
}

/** Makes `prefix` bold when `line` starts with it (lines are clipped before they are painted). */
function boldPrefix(prefix: string, line: string, paint: Paint): string {
  return line.startsWith(prefix) ? `${paint('bold', prefix)}${line.slice(prefix.length)}` : line;
}
