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
  /** Writes this reporter's files into `dir` (which exists). Returns the paths written. */
  write?(report: RunReport, dir: string): Promise<string[]>;
}

export interface ReporterOptions {
  /** Where console output goes (`process.stdout` in the CLI). */
  out: NodeJS.WritableStream;
  /** ANSI colours in console output. */
  color: boolean;
  /** The project root; absolute paths under it are shown relative to it. */
  root: string;
}

/** A finding as it appears in `report.json`. */
export type ReportFinding = RunReport['connectors'][number]['categories'][number]['findings'][number];
export type ReportTimelineEntry = ReportFinding['evidence']['timeline'][number];
