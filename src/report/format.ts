/**
 * Wording and layout shared by the reporters: timelines, scores, ordering of findings,
 * wrapping. Pure functions over report data.
 */
import { CATEGORY_IDS } from '../core/categories.js';
import { plural } from '../checks/verdict.js';
import { printable } from '../core/errors.js';
import { describeSchedule } from './schedule.js';
import type { CategoryReport, ConnectorReport, NetworkEngine, RunReport } from '../core/report.js';
import type { ReapedRun } from '../core/events.js';
import type { StrayWarning } from '../core/observation.js';
import type { ReportFinding, ReportTimelineEntry } from './types.js';

export const SEVERITY_ORDER = { critical: 0, error: 1, warning: 2 } as const;

/** `72.2`, `40`, `100`: integers as they are, anything else with one decimal. */
export function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

/**
 * What "capped" in the score column means, said once under a table that shows it; undefined when
 * no category of the connector is capped.
 */
export function cappedText(connector: Pick<ConnectorReport, 'categories'>): string | undefined {
  const capped = connector.categories.filter((category) => category.capped === true).map((category) => category.id);
  if (capped.length === 0) return undefined;
  return `${capped.join(', ')}: a critical check failed, which caps the category's score at 40 and fails the gate`;
}

/** The score column of a category: `40 capped`, `100`, or `—` when there is none. */
export function categoryScore(category: CategoryReport): string {
  if (category.score === undefined) return '—';
  return `${formatScore(category.score)}${category.capped === true ? ' capped' : ''}`;
}

/** `2/3` checks passed of those that judged an execution, or `—` when none did. */
export function checksPassed(category: CategoryReport): string {
  const judged = category.checks.filter((check) => check.executions > 0);
  if (judged.length === 0) return '—';
  const passed = judged.filter((check) => check.passed).length;
  return `${passed}/${judged.length}`;
}

export function statusLabel(status: CategoryReport['status']): string {
  return status.replace(/-/g, ' ');
}

/** `, coverage 85 %` when some applicable category was not exercised, else `''`. */
export function coverageText(connector: ConnectorReport): string {
  return connector.coverage === null || connector.coverage === undefined || connector.coverage >= 100 ? '' : `, coverage ${formatScore(connector.coverage)} %`;
}

export interface PlacedFinding {
  category: CategoryReport;
  finding: ReportFinding;
}

function categoryRank(id: string): number {
  const index = (CATEGORY_IDS as readonly string[]).indexOf(id);
  return index === -1 ? CATEGORY_IDS.length : index;
}

function compareFindings(a: PlacedFinding, b: PlacedFinding): number {
  return (
    SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] ||
    categoryRank(a.category.id) - categoryRank(b.category.id) ||
    a.finding.code.localeCompare(b.finding.code) ||
    a.finding.scenario.localeCompare(b.finding.scenario) ||
    a.finding.operation.localeCompare(b.finding.operation)
  );
}

/** A connector's findings, most severe first, then in category order, then by code. */
export function sortedFindings(connector: ConnectorReport): PlacedFinding[] {
  const placed = connector.categories.flatMap((category) =>
    category.findings.map((finding) => ({ category, finding })),
  );
  return placed.sort(compareFindings);
}

/** Every finding of the run, connector by connector, each connector's sorted. */
export function allFindings(report: RunReport): Array<PlacedFinding & { connector: ConnectorReport }> {
  return report.connectors.flatMap((connector) =>
    sortedFindings(connector).map((placed) => ({ ...placed, connector })),
  );
}

/** The code of the most severe finding of a category, or '' when it has none. */
export function worstCode(category: CategoryReport): string {
  const sorted = category.findings
    .map((finding) => ({ category, finding }))
    .sort(compareFindings);
  return sorted[0]?.finding.code ?? '';
}

const DELIVERY_WORDS: Record<string, string> = {
  reset: 'connection reset',
  truncated: 'body truncated',
  never: 'never answered',
};

function responseText(entry: ReportTimelineEntry): string {
  const status = entry.status === undefined ? 'no response' : String(entry.status);
  if (entry.network !== undefined) return `${status} sent through Toxiproxy ${entry.network}`;
  if (entry.delivery === 'normal') return status;
  return `${status} (${DELIVERY_WORDS[entry.delivery] ?? entry.delivery})`;
}

/** `GET /v1/invoices → 429 [rate-limit/retry-after-seconds] Retry-After: 2` */
function entryText(entry: ReportTimelineEntry): string {
  const fault = entry.fault === undefined ? '' : ` [${entry.fault}]`;
  const headers = Object.entries(entry.headers ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join(', ');
  return `${entry.method} ${entry.path} → ${responseText(entry)}${fault}${headers ? ` ${headers}` : ''}`;
}

/**
 * A request timeline, one line per request: `+412ms GET /v1/invoices → 200`. Offsets are padded
 * to the same width. When an entry is highlighted, every line starts with a marker column
 * (`> ` for the highlighted ones). Beyond `max` entries, the middle is elided, keeping the first
 * two, the last two and the highlighted ones, with a line saying how many were left out.
 */
export function formatTimeline(timeline: readonly ReportTimelineEntry[], max = Infinity): string[] {
  if (timeline.length === 0) return ['(no requests reached the upstream)'];
  const keep = new Set<number>();
  timeline.forEach((entry, index) => {
    if (timeline.length <= max || index < 2 || index >= timeline.length - 2 || entry.highlight === true) {
      keep.add(index);
    }
  });
  const offsets = timeline.map((entry) => `+${Math.round(entry.startMs)}ms`);
  const width = Math.max(...offsets.map((offset) => offset.length));
  const marked = timeline.some((entry) => entry.highlight === true);
  const lines: string[] = [];
  let skipped = 0;
  const flush = (): void => {
    if (skipped > 0) lines.push(`${marked ? '  ' : ''}… ${skipped} more request${skipped === 1 ? '' : 's'}`);
    skipped = 0;
  };
  timeline.forEach((entry, index) => {
    if (!keep.has(index)) {
      skipped += 1;
      return;
    }
    flush();
    const marker = marked ? (entry.highlight === true ? '> ' : '  ') : '';
    lines.push(`${marker}${(offsets[index] ?? '').padEnd(width)} ${entryText(entry)}`);
  });
  flush();
  return lines;
}

/** Cuts a line to `width` columns, ending it with `…` when cut. */
export function clip(line: string, width: number): string {
  const shown = printable(line).replace(/\n/g, ' ');
  return shown.length <= width ? shown : `${shown.slice(0, width - 1)}…`;
}

/** The most lines of one text the console shows (a connector's exception can hold a whole stack). */
export const MAX_TEXT_LINES = 12;

/**
 * Wraps words to `width` columns: the first line starts with `first`, the others with `rest`.
 * A word longer than a line is cut across lines. A line break in the text is kept (a coded
 * error's `next:` line stays on a line of its own).
 */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const shown = printable(text);
  const lines = shown.includes('\n')
    ? shown.split('\n').flatMap((paragraph, index) => wrapLine(paragraph, width, index === 0 ? first : rest, rest))
    : wrapLine(shown, width, first, rest);
  if (lines.length <= MAX_TEXT_LINES) return lines;
  return [...lines.slice(0, MAX_TEXT_LINES - 1), `${rest}… ${lines.length - MAX_TEXT_LINES + 1} more lines`];
}

function wrapLine(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const words = text.split(/\s+/).filter(Boolean);
  for (let word of words) {
    const sep = empty ? '' : ' ';
    if (line.length + sep.length + word.length <= width) {
      line += sep + word;
      empty = false;
      continue;
    }
    if (!empty) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    while (line.length + word.length > width && width - line.length > 0) {
      const room = width - line.length;
      lines.push(line + word.slice(0, room));
      word = word.slice(room);
      line = rest;
    }
    line += word;
    empty = word.length === 0;
  }
  if (!empty || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * How a category's `reason` is introduced: why it was not run or not applicable, or (`scored`)
 * which of its scenarios did not run. `undefined` for a scored category with nothing to say.
 */
export function statusGroup(category: CategoryReport): 'not-run' | 'not-applicable' | 'not-exercised' | 'scored' | undefined {
  if (category.status === 'pass' || category.status === 'fail') return category.reason === undefined ? undefined : 'scored';
  return category.status;
}

/** Categories grouped by identical reason, in report order: `[reason, ids]`. */
export function groupByReason(categories: readonly CategoryReport[]): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const category of categories) {
    const reason = category.reason ?? 'no reason given';
    groups.set(reason, [...(groups.get(reason) ?? []), category.id]);
  }
  return [...groups.entries()];
}

/** `holdup: gate PASSED` / `gate: FAILED — a; b` wording. */
export function gateWord(gate: { passed: boolean; reasons: readonly string[] }): string {
  if (gate.passed) return 'PASSED';
  return gate.reasons.length > 0 ? 'FAILED' : 'NOT JUDGED';
}

/** `none (reason)` / `toxiproxy 2.12.0`. */
export function networkEngineText(engine: NetworkEngine): string {
  if (engine.kind === 'none') return `none (${engine.reason})`;
  return `${engine.kind} ${engine.version}${engine.source ? ` (${engine.source})` : ''}`;
}

/** `not replayed: $.interactions[0] ("order placed", Asynchronous/Messages): holdup replays HTTP interactions only`, or undefined. */
export function skippedText(connector: ConnectorReport): string | undefined {
  const skipped = connector.skippedInteractions ?? [];
  if (skipped.length === 0) return undefined;
  const groups = new Map<string, string[]>();
  for (const item of skipped) {
    const named = `$.interactions[${item.index}]${item.description ? ` (${JSON.stringify(item.description)}, ${item.type})` : ` (${item.type})`}`;
    groups.set(item.reason, [...(groups.get(item.reason) ?? []), named]);
  }
  const parts = [...groups].map(([reason, names]) => `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}: ${reason}`);
  return `not replayed: ${parts.join('; ')}`;
}

/** `1 finding`, `3 findings`: the checks' own (their messages and the reports count alike). */
export { plural };

/** `field: "amount_due", golden: 1200, actual: "1200"`, or '' when there are no details. */
export function detailsText(details: Record<string, unknown> | undefined): string {
  return Object.entries(details ?? {})
    .map(([key, value]) => `${key}: ${JSON.stringify(value) ?? String(value)}`)
    .join(', ');
}

/** `faults: schema-drift/change-type (path: "$.amount_due", …) on every API request from 1`: the execution's logged fault decisions. */
export function faultsLine(finding: ReportFinding): string | undefined {
  const steps = finding.evidence.schedule ?? [];
  return steps.length > 0 ? `faults: ${describeSchedule({ steps })}` : undefined;
}

/** Strays listed one by one (a hung connector may log on for ever). */
export const STRAYS_SHOWN = 10;

/** The warnings connector code gave outside the execution that emitted them, as one labelled block. */
export function strayWarningsText(strays: { warnings: readonly StrayWarning[]; more: number }): string {
  const total = strays.warnings.length + strays.more;
  const lines = [`holdup: ${plural(total, 'warning')} from connector code arrived outside the execution that emitted ${total === 1 ? 'it' : 'them'}, so no check judged ${total === 1 ? 'it' : 'them'}:`];
  for (const warning of strays.warnings.slice(0, STRAYS_SHOWN)) {
    const why =
      warning.reason === 'late'
        ? `after ${warning.executionId ?? 'its execution'} had settled`
        : `with no execution in its async context, while ${warning.underWay === 1 ? '1 execution was' : `${warning.underWay ?? 0} executions were`} under way`;
    lines.push(clip(`  ${warning.source}: ${warning.message.split('\n')[0] ?? ''} (${why})`, 400));
  }
  if (total > STRAYS_SHOWN) lines.push(`  … and ${total - STRAYS_SHOWN} more`);
  return `${lines.join('\n')}\n`;
}

/**
 * How a report that did not finish says so, where it says so: `interrupted` (Ctrl-C or SIGTERM,
 * exit 130) or `incomplete` (the harness failed); `undefined` for a complete run.
 */
export function stoppedWord(report: Pick<RunReport, 'complete' | 'interrupted'>): 'interrupted' | 'incomplete' | undefined {
  if (report.complete) return undefined;
  return report.interrupted ? 'interrupted' : 'incomplete';
}

/** `Interrupted run` or `Incomplete run`, for a heading; `undefined` for a complete run. */
export function stoppedTitle(report: Pick<RunReport, 'complete' | 'interrupted'>): string | undefined {
  const word = stoppedWord(report);
  return word && `${word[0]?.toUpperCase() ?? ''}${word.slice(1)} run`;
}

/** One line: what runs killed outright had left running, and what this run removed of it. */
export function reapedText(runs: readonly ReapedRun[]): string {
  const processes = runs.flatMap((run) => run.processes);
  const proxies = runs.reduce((sum, run) => sum + run.proxies, 0);
  const unreachable = (kept: boolean): string[] => [...new Set(runs.filter((run) => (run.kept === true) === kept).flatMap((run) => run.unreachable))];
  const retried = unreachable(true);
  const dropped = unreachable(false);
  const done = [
    ...(processes.length > 0
      ? [`stopped ${processes.map((p) => `${p.command.split(/[\\/]/).pop() ?? p.command} (pid ${p.pid}${p.port !== undefined ? `, port ${p.port}` : ''})`).join(', ')}`]
      : []),
    ...(proxies > 0 ? [`deleted ${proxies} ${proxies === 1 ? 'proxy' : 'proxies'}`] : []),
    ...(retried.length > 0 ? [`could not reach ${retried.join(', ')} to delete its proxies: the next run tries again`] : []),
    ...(dropped.length > 0 ? [`could not reach ${dropped.join(', ')} to delete its proxies, recorded over a day ago: gave up on them`] : []),
  ];
  const which = runs.length === 1 ? `a killed run (${runs[0]?.runId ?? ''})` : `${runs.length} killed runs`;
  return `cleaned up after ${which}: ${done.length > 0 ? done.join('; ') : 'nothing of it was still running'}`;
}

/** `[where, reason]` for every property a policy check could not decide: `server-errors backoff-grows-with-jitter (HU-BO-002)`. */
export function undecidedLines(connector: ConnectorReport): Array<[string, string]> {
  return connector.categories.flatMap((category) =>
    category.checks.flatMap((check) => (check.undecided ?? []).map((u): [string, string] => [`${category.id} ${check.id} (${u.code})`, u.reason])),
  );
}
