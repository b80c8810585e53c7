import type { RunEvent } from '../core/events.js';
import type { RunReport } from '../core/report.js';

/**
 * A reporter listens to the run and/or writes files at the end. Both hooks are optional
 * (vitest's `Reporter` is a set of optional hooks too); `src/report` is the one place where
 * text for people is rendered.
 */
export interface Reporter {
  name: string;
  /** Called for every event the runner emits, in order. Must not throw. */
  onEvent?(event: RunEvent): void;
  /** The file this reporter makes of a finished run: its name in the run's report folder, and its text. */
  output?: ReporterOutput;
  /**
   * Where `output` goes: absent, the run's report folder (`reports/<run-id>/`); else an absolute
   * path (`--reporter junit:out/junit.xml`), or `-` for standard output (`--reporter json`).
   */
  target?: string;
  /** Append `output` to `target` instead of replacing it (GitHub's step summary, which every step appends to). */
  append?: boolean;
}

export interface ReporterOutput {
  file: string;
  /** The file's text. Throws a HoldupError (REPORT_WRITE) when the report cannot be rendered. */
  render(report: RunReport): string;
}

export interface ReporterOptions {
  /** Where console output goes (`process.stdout` in the CLI). */
  out: NodeJS.WritableStream;
  /** ANSI colours in console output. */
  color: boolean;
  /** Progress redrawn in place on one line (a TTY outside CI); plain lines otherwise. `out.isTTY` by default. */
  live?: boolean;
  /** The project root; absolute paths under it are shown relative to it. */
  root: string;
  /** The environment, for reporters that read their CI's variables (github-actions). */
  env?: NodeJS.ProcessEnv;
}

/** A finding as it appears in `report.json`. */
export type ReportFinding = RunReport['connectors'][number]['categories'][number]['findings'][number];
export type ReportTimelineEntry = ReportFinding['evidence']['timeline'][number];
