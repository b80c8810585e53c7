/**
 * The judge and score steps: checks turn each fault execution's observation into verdicts and
 * findings, tallied per category × check (`Tallies`, `judgeExecution`); policy checks judge every
 * execution of the connector once, at the end (`judgePolicies`); the tallies become the
 * connector's scores and gate (`scoreTallies`).
 */
import { CHECKS, matchesContract } from '../checks/index.js';
import {
  CATEGORY_IDS,
  type CategoryId,
  type Check,
  type Fault,
  type FaultParams,
  type Finding,
  type Observation,
} from '../core/index.js';
import type { NoEngine, StartedEngine } from '../network/index.js';
import type { LoadedScenario } from '../scenarios/schema.js';
import { scoreConnector, type CheckTally, type ScoreResult } from '../score/score.js';
import { completeFinding } from './findings.js';
import type { RunPlan } from './plan.js';

interface MutableTally extends CheckTally {
  skipped: Map<string, number>;
  undecided?: Array<{ code: string; reason: string }>;
}

/** One tally per category × check: executions judged, passes, findings, and why the others were not judged. */
export class Tallies {
  private readonly byKey = new Map<string, MutableTally>();

  of(category: CategoryId, check: Check): MutableTally {
    const key = `${category}\u0000${check.id}`;
    const tally = this.byKey.get(key) ?? { check, category, executions: 0, passes: 0, findings: [], skipped: new Map<string, number>() };
    this.byKey.set(key, tally);
    return tally;
  }

  /** Every check a runnable scenario names is expected to judge something: one that never does is reported. */
  expect(scenarios: readonly LoadedScenario[]): void {
    for (const { scenario } of scenarios) {
      for (const id of scenario.checks) {
        const check = CHECKS[id as keyof typeof CHECKS] as Check;
        if (!check.policy && check !== matchesContract) this.of(scenario.category, check);
      }
    }
  }

  /** Categories where some check judged at least one execution. */
  judgedCategories(): Set<CategoryId> {
    return new Set([...this.byKey.values()].filter((tally) => tally.executions > 0).map((tally) => tally.category));
  }

  /** In category order, then check id; each tally's findings by scenario and operation. */
  ordered(): MutableTally[] {
    const ordered = [...this.byKey.values()].sort(
      (a, b) => CATEGORY_IDS.indexOf(a.category) - CATEGORY_IDS.indexOf(b.category) || a.check.id.localeCompare(b.check.id),
    );
    for (const tally of ordered) tally.findings.sort((a, b) => `${a.scenario} ${a.operation}`.localeCompare(`${b.scenario} ${b.operation}`));
    return ordered;
  }
}

function skip(tally: MutableTally, reason: string): void {
  tally.skipped.set(reason, (tally.skipped.get(reason) ?? 0) + 1);
}

/** An execution whose faults are all derived from the recording and changed nothing: there is nothing to judge. */
export function judgesNothing(observation: Observation, faults: ReadonlyMap<string, Fault<FaultParams>>): boolean {
  const steps = observation.schedule.steps;
  return steps.length > 0 && steps.every((step) => faults.get(step.fault)?.derived) && observation.trace.every((entry) => !entry.fault);
}

/** How long an execution took: until its last invocation settled, or its deadline when one never did. */
function executionMs(observation: Observation): number {
  return Math.max(0, ...observation.outcomes.map((outcome) => (outcome.status === 'hung' ? observation.deadlineMs : outcome.settledMs)));
}

/** `the fault pagination/repeated-cursor`, `the faults a and b`: what an execution's schedule applied. */
function describeFaults(observation: Observation): string {
  const ids = [...new Set(observation.schedule.steps.map((step) => step.fault))];
  return ids.length === 1 ? `the fault ${ids[0]}` : `the faults ${ids.join(' and ')}`;
}

export interface JudgeInput {
  observation: Observation;
  scenario: LoadedScenario;
  faults: ReadonlyMap<string, Fault<FaultParams>>;
  /** `onUnhandledRequest`: `bypass` leaves matches-contract out, `warn` makes its findings warnings. */
  unhandled: NonNullable<RunPlan['onUnhandledRequest']>;
  /** The command that replays this execution. */
  repro: string;
}

/** Runs the checks the scenario names (and matches-contract) on one execution; tallies them and returns its findings. */
export function judgeExecution(tallies: Tallies, { observation, scenario: loaded, faults, unhandled, repro }: JudgeInput): Finding[] {
  const { scenario } = loaded;
  const findings: Finding[] = [];
  const nothing = judgesNothing(observation, faults);
  const { unjudged } = observation;
  // policy checks judge the whole run (judgePolicies); matches-contract judges every execution, named or not
  const checks = scenario.checks.map((id) => CHECKS[id as keyof typeof CHECKS] as Check).filter((check) => !check.policy && check !== matchesContract);
  if (unhandled !== 'bypass') checks.push(matchesContract);
  for (const check of checks) {
    const tally = tallies.of(scenario.category, check);
    // the outcome says nothing of how the connector handled the faults: not judged, and said so
    if (unjudged !== undefined) {
      skip(tally, unjudged);
      continue;
    }
    if (nothing && check !== matchesContract) {
      skip(tally, `${describeFaults(observation)} found nothing to change`);
      continue;
    }
    const result = check.evaluate(observation);
    if (result.verdict === 'not-applicable') {
      skip(tally, result.reason ?? 'the execution gave it nothing to judge');
      continue;
    }
    // onUnhandledRequest 'warn': reported, never failed
    const warnOnly = check === matchesContract && unhandled === 'warn';
    tally.executions++;
    tally.durationMs = (tally.durationMs ?? 0) + executionMs(observation);
    if (result.verdict === 'pass' || warnOnly) tally.passes++;
    for (const draft of result.findings) {
      const severity = warnOnly ? 'warning' : draft.severity;
      const finding = completeFinding({ ...draft, ...(severity ? { severity } : {}) }, check, observation, repro);
      tally.findings.push(finding);
      findings.push(finding);
    }
  }
  return findings;
}

/**
 * Policy checks, once over every fault execution of the connector (README.md, "Verdicts you can
 * defend": a policy is judged on the evidence that can decide it), in the categories that ran.
 * `repro` reruns the connector's whole run: one execution replayed alone cannot show a policy.
 */
export function judgePolicies(
  tallies: Tallies,
  observed: readonly Observation[],
  categories: ReadonlySet<CategoryId>,
  context: { timerNoiseMs: number; repro: string },
): void {
  const all = [...observed].sort((a, b) => a.executionId.localeCompare(b.executionId));
  for (const check of Object.values(CHECKS as Record<string, Check>)) {
    if (!check.policy || !categories.has(check.policy.category)) continue;
    const result = check.policy.judge(all, { timerNoiseMs: context.timerNoiseMs });
    const tally = tallies.of(check.policy.category, check);
    if (result.undecided) tally.undecided = result.undecided;
    if (result.verdict === 'not-exercised') {
      tally.skipped.set(result.reason ?? 'too little evidence in the run', 0);
      continue;
    }
    tally.executions += result.evidence;
    if (result.verdict === 'pass') tally.passes += result.evidence;
    for (const draft of result.findings) {
      const observation = all.find((o) => o.executionId === draft.executionId);
      if (!observation) continue;
      const { executionId: _id, ...rest } = draft;
      tally.findings.push(completeFinding(rest, check, observation, context.repro));
    }
  }
}

export interface ScoreInput {
  notRun: Partial<Record<CategoryId, string>>;
  notApplicable: Partial<Record<CategoryId, string>>;
  /** Scenarios of each category skipped for want of a network engine, and why there is none. */
  withoutEngine: ReadonlyMap<CategoryId, string[]>;
  engine: StartedEngine | NoEngine;
  thresholds: RunPlan['thresholds'];
  unhandled: NonNullable<RunPlan['onUnhandledRequest']>;
}

/** The connector's scores, grade and gate from its tallies; a category scored on some of its scenarios says which it could not run. */
export function scoreTallies(tallies: Tallies, input: ScoreInput): ScoreResult {
  const scored = scoreConnector({
    tallies: tallies.ordered(),
    notRun: input.notRun,
    notApplicable: input.notApplicable,
    ...(input.thresholds ? { thresholds: input.thresholds } : {}),
    ...(input.unhandled === 'error'
      ? { gating: new Map([[matchesContract.id, "requests matched no interaction of the contract (onUnhandledRequest: 'error')"]]) }
      : {}),
  });
  const { engine } = input;
  const categories = scored.categories.map((category) => {
    const skipped = input.withoutEngine.get(category.id);
    if (!skipped || category.status === 'not-run' || engine.kind !== 'none') return category;
    return { ...category, reason: `${skipped.join(', ')} not run: needs the Toxiproxy network engine: ${engine.reason}` };
  });
  return { ...scored, categories };
}
