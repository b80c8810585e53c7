import type { Json } from './json.js';
import type { Observation, ScheduleStep } from './observation.js';

export type Severity = 'critical' | 'error' | 'warning';

/** What a check says about one observation; the runner adds evidence and the repro command. */
export interface FindingDraft {
  /** Stable code, e.g. `HU-RL-001`. */
  code: string;
  /** One sentence with the specifics (times, values, field). */
  message: string;
  /** Structured specifics (field, golden value, actual value, waits…). */
  details?: Record<string, Json>;
  /** Trace entries (`seq`) the finding is about, highlighted in the timeline. */
  seqs?: number[];
  /** Defaults to the check's severity; a check may downgrade a finding to a warning. */
  severity?: Severity;
}

export interface CheckResult {
  /** `not-applicable`: the observation gives this check nothing to judge (it does not count). */
  verdict: 'pass' | 'fail' | 'not-applicable';
  findings: FindingDraft[];
}

/**
 * A check: a pure function from an observation to a verdict and findings.
 * One file per check in `src/checks/`, listed in `src/checks/index.ts`.
 */
export interface Check {
  id: string;
  /** A failed critical check caps its category at 40 and fails the gate. */
  critical: boolean;
  /** Weight in its category's score. */
  weight: number;
  /** One sentence: what must hold. */
  summary: string;
  /** Every code this check can emit, with its title. */
  codes: Record<string, string>;
  evaluate(observation: Observation): CheckResult;
}

export interface TimelineEntry {
  seq: number;
  startMs: number;
  endMs: number;
  stream: 'api' | 'token';
  method: string;
  path: string;
  status: number | undefined;
  delivery: string;
  fault?: string;
  /** What Toxiproxy did to the response on its way back (`latency (latency=12000, jitter=600)`). */
  network?: string;
  /** Selected request/response headers that matter to a person reading it (redacted). */
  headers?: Record<string, string>;
  highlight?: boolean;
}

export interface Finding {
  code: string;
  check: string;
  severity: Severity;
  connector: string;
  scenario: string;
  operation: string;
  message: string;
  evidence: {
    timeline: TimelineEntry[];
    /** Requests left out of the timeline: it keeps the first, last and highlighted ones, 200 at most. */
    omitted?: number;
    outcome: string;
    details?: Record<string, Json>;
    /** The execution's fault schedule (drawn from the seed). */
    schedule?: ScheduleStep[];
  };
  /** The command that replays this execution. */
  repro: string;
}
