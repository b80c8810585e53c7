import type { Finding } from './finding.js';
import type { Observation, StrayWarning } from './observation.js';
import type { ConnectorReport, NetworkEngine, RunReport } from './report.js';

/** What a holdup run that was killed outright had left running, and what the next run did with it. */
export interface ReapedRun {
  runId: string;
  /** Processes it had started that were still running, now killed (a toxiproxy-server). */
  processes: Array<{ pid: number; command: string; port?: number }>;
  /** Its proxies deleted from shared Toxiproxy servers (TOXIPROXY_URL). */
  proxies: number;
  /** Shared Toxiproxy servers that did not answer: what it left there, if anything, stays. */
  unreachable: string[];
  /** Set when the record of its proxies on `unreachable` was kept: the next run tries again (for a day after the run started). */
  kept?: true;
}

/** What the runner tells listeners while it works. Reporters listen; the runner knows none. */
export type RunEvent =
  /** Before anything else: what killed runs had left behind, removed (sent only when there was some). */
  | { type: 'reaped'; runs: ReapedRun[] }
  | { type: 'engine-progress'; message: string }
  | { type: 'run-start'; runId: string; seed: number; connectors: string[]; networkEngine: NetworkEngine }
  | { type: 'connector-start'; connector: string; contract: string; operations: string[]; executions: number }
  | { type: 'control-done'; connector: string; operation: string; ok: boolean; reason?: string }
  | { type: 'execution-done'; connector: string; observation: Observation; findings: Finding[]; done: number; total: number }
  | { type: 'connector-done'; report: ConnectorReport }
  /** Warnings from connector code that no execution's judgement included (`more`: counted, not kept). Sent once, before run-done. */
  | { type: 'stray-warnings'; warnings: StrayWarning[]; more: number }
  | { type: 'run-done'; report: RunReport };

export type RunListener = (event: RunEvent) => void;
