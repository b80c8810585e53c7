import type { CategoryId } from './categories.js';
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
  /**
   * Why the observation gave the check nothing to judge, in a few words (`no response stated a
   * Retry-After`): reports show it when the check never judged an execution.
   */
  reason?: string;
}

/** A finding of a policy check, about the execution it takes its evidence from. */
export interface PolicyFindingDraft extends FindingDraft {
  /** The `executionId` of the observation shown as evidence. */
  executionId: string;
}

/** What a policy check made of every execution of one connector in a run. */
export interface PolicyResult {
  /** `not-exercised`: the run gave too little evidence to judge the policy (`reason` says how much). */
  verdict: 'pass' | 'fail' | 'not-exercised';
  /** How many executions gave evidence. */
  evidence: number;
  reason?: string;
  findings: PolicyFindingDraft[];
  /**
   * Properties the evidence could not decide either way, by the code a failure would have had
   * (`HU-BO-002`: the run's timer noise hid whether the backoff is jittered): neither passed
   * nor failed, and said so in the report.
   */
  undecided?: Array<{ code: string; reason: string }>;
}

/** What a policy check may know of the run beyond its observations. */
export interface PolicyContext {
  /**
   * How late the run's own timers were, in ms (the 90th percentile of the event loop's delay
   * while executions ran); 0 on a virtual clock. Measured gaps carry that much noise.
   */
  timerNoiseMs: number;
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
  /**
   * What `docs/checks.md` says of it (generated from this registry by `npm run docs`, and
   * tested against it): the rule precisely, with its tolerances; the evidence it reads from an
   * observation; how the retry budget and the deadline bear on it; when it judges nothing.
   */
  docs: {
    rule: string;
    evidence: string;
    budget?: string;
    notExercised: string;
  };
  evaluate(observation: Observation): CheckResult;
  /**
   * Set on checks of a connector's *policy* (how it backs off), which one execution's few
   * samples cannot decide (README.md, "Verdicts you can defend"):
   * `judge` sees every execution of the connector in the run, once, and its verdict counts in
   * `category` only. `evaluate` then judges nothing (`not-applicable`).
   */
  policy?: {
    category: CategoryId;
    judge(observations: readonly Observation[], context: PolicyContext): PolicyResult;
  };
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
