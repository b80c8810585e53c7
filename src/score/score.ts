import {
  CATEGORY_IDS,
  CATEGORY_WEIGHTS,
  type CategoryId,
  type CategoryReport,
  type Check,
  type CheckSummary,
  type Finding,
  type Grade,
} from '../core/index.js';

/**
 * Scoring (README.md, "Scoring"): pure, findings and tallies in, scores out.
 *
 * - a check's pass fraction is passes / executions; a check passed when every execution passed;
 * - category score = Σ(weight × pass fraction) / Σ(weights of checks with executions) × 100;
 * - a failed critical check caps its category at 40 and fails the gate;
 * - a category whose checks judged nothing, or whose critical check never judged an execution
 *   (and nothing failed), is not-exercised: no score, with the reason; it lowers coverage;
 * - categories not run, not applicable or not exercised have no score and are left out of the overall mean;
 * - overall = the category weights' weighted mean of scored categories.
 */

/** What one check made of the executions of one category. */
export interface CheckTally {
  check: Check;
  category: CategoryId;
  executions: number;
  passes: number;
  /** The executions it judged, their times added up (ms); absent for a policy check, which judges the run's executions at its end. */
  durationMs?: number;
  findings: Finding[];
  /**
   * Why executions the check was named for gave it nothing to judge (its `not-applicable`
   * reasons, or "the fault found nothing to change"): reason → how many executions.
   */
  skipped?: ReadonlyMap<string, number>;
  /** A policy check's properties the run could not decide (by the code a failure would have had), with why. */
  undecided?: ReadonlyArray<{ code: string; reason: string }>;
}

export interface ScoreInput {
  /** One per (category, check) that judged at least one execution. */
  tallies: CheckTally[];
  /** Category → why it was not run (no network engine, not built yet). */
  notRun: Partial<Record<CategoryId, string>>;
  /** Category → why the contract cannot exercise it (no write operation, no token endpoint). */
  notApplicable: Partial<Record<CategoryId, string>>;
  /** A gate fails when the overall score, or a category's, is below its threshold. */
  thresholds?: { overall?: number; categories?: Partial<Record<CategoryId, number>> };
  /**
   * Checks that are not scored (weight 0) but whose failure fails the gate, with the reason the
   * gate gives (`matches-contract` under `onUnhandledRequest: 'error'`).
   */
  gating?: ReadonlyMap<string, string>;
}

export interface ScoreResult {
  /** Every category, in `CATEGORY_IDS` order. */
  categories: CategoryReport[];
  /**
   * How much of what applies was exercised: the weight of scored categories over the weight of
   * scored and not-exercised ones, 0–100; `null` when none applies.
   */
  coverage: number | null;
  /** 0–100, one decimal; `null` when no category was scored. */
  score: number | null;
  grade: Grade | null;
  gate: 'pass' | 'fail';
  gateReasons: string[];
}

/** A category whose critical check failed scores at most this. */
export const CRITICAL_CAP = 40;

/** Reason given for a category no scenario judged, when its checks gave no reason of their own. */
export const NOT_EXERCISED = 'no execution gave its checks anything to judge';

/** `reason (3 executions); other reason (1 execution)`: the reasons a check was skipped, most frequent first. */
function skipReasons(tally: CheckTally): string | undefined {
  const entries = [...(tally.skipped ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (entries.length === 0) return undefined;
  // a policy check's reason carries no count (0): it speaks of the whole run
  const shown = entries.slice(0, 2).map(([reason, count]) => (count > 0 ? `${reason} (${count} ${count === 1 ? 'execution' : 'executions'})` : reason));
  return `${shown.join('; ')}${entries.length > 2 ? `; and ${entries.length - 2} more` : ''}`;
}

/** Rounds to one decimal. */
function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, F below. */
export function gradeFor(score: number): Grade {
  if (score >= 90) return 'A';
  if (score >= 75) return 'B';
  if (score >= 60) return 'C';
  if (score >= 40) return 'D';
  return 'F';
}

/** Tallies of one check in one category added up (the input should hold one, but two must not count twice). */
function merge(tallies: CheckTally[]): CheckTally[] {
  const byCheck = new Map<string, CheckTally>();
  for (const tally of tallies) {
    const seen = byCheck.get(tally.check.id);
    if (seen) {
      const skipped = new Map(seen.skipped ?? []);
      for (const [reason, count] of tally.skipped ?? []) skipped.set(reason, (skipped.get(reason) ?? 0) + count);
      byCheck.set(tally.check.id, {
        ...seen,
        executions: seen.executions + tally.executions,
        passes: seen.passes + tally.passes,
        ...(seen.durationMs !== undefined || tally.durationMs !== undefined ? { durationMs: (seen.durationMs ?? 0) + (tally.durationMs ?? 0) } : {}),
        findings: [...seen.findings, ...tally.findings],
        skipped,
        ...(seen.undecided || tally.undecided ? { undecided: [...(seen.undecided ?? []), ...(tally.undecided ?? [])] } : {}),
      });
    } else {
      byCheck.set(tally.check.id, tally);
    }
  }
  return [...byCheck.values()];
}

function summary(tally: CheckTally): CheckSummary {
  const base: CheckSummary = {
    id: tally.check.id,
    critical: tally.check.critical,
    weight: tally.check.weight,
    passed: tally.executions > 0 && tally.passes === tally.executions,
    executions: tally.executions,
    passes: tally.passes,
  };
  if (tally.durationMs !== undefined) base.durationMs = tally.durationMs;
  if (tally.undecided && tally.undecided.length > 0) base.undecided = tally.undecided.map((u) => ({ ...u }));
  if (tally.executions > 0) {
    // executions it was named for but could not judge, and why (an overrun another category owns says which)
    const skipped = skipReasons(tally);
    return skipped === undefined ? base : { ...base, skipped };
  }
  return { ...base, notExercised: skipReasons(tally) ?? 'no execution it was named for ran' };
}

function scoreCategory(
  id: CategoryId,
  tallies: CheckTally[],
  input: ScoreInput,
): { report: CategoryReport; criticalFailures: string[] } {
  const checks = tallies.map(summary);
  const findings = tallies.flatMap((tally) => tally.findings);
  const base = { id, weight: CATEGORY_WEIGHTS[id], checks, findings };
  const notRun = input.notRun[id];
  if (notRun !== undefined) return { report: { ...base, status: 'not-run', reason: notRun }, criticalFailures: [] };
  const notApplicable = input.notApplicable[id];
  if (notApplicable !== undefined) {
    return { report: { ...base, status: 'not-applicable', reason: notApplicable }, criticalFailures: [] };
  }
  // weight 0: reported, never scored (matches-contract)
  const scored = tallies.filter((tally) => tally.check.weight > 0);
  const judged = scored.filter((tally) => tally.executions > 0);
  const unexercised = scored.filter((tally) => tally.executions === 0);
  const why = (list: CheckTally[]): string =>
    list.map((tally) => `${tally.check.id} never judged an execution: ${skipReasons(tally) ?? 'no execution it was named for ran'}`).join('; ');
  if (judged.length === 0) {
    const reason = unexercised.length > 0 ? why(unexercised) : NOT_EXERCISED;
    return { report: { ...base, status: 'not-exercised', reason }, criticalFailures: [] };
  }
  let weighted = 0;
  let weights = 0;
  for (const tally of judged) {
    weighted += tally.check.weight * (tally.passes / tally.executions);
    weights += tally.check.weight;
  }
  let score = weights > 0 ? round1((weighted / weights) * 100) : 0;
  const failed = judged.filter((tally) => tally.passes < tally.executions);
  const criticalFailures = failed.filter((tally) => tally.check.critical).map((tally) => tally.check.id);
  // no silent pass: a category whose critical check never ran has not shown it holds
  const missingCritical = unexercised.filter((tally) => tally.check.critical);
  if (failed.length === 0 && missingCritical.length > 0) {
    return { report: { ...base, status: 'not-exercised', reason: why(missingCritical) }, criticalFailures: [] };
  }
  const report: CategoryReport = { ...base, status: failed.length > 0 ? 'fail' : 'pass', score };
  if (criticalFailures.length > 0) {
    score = Math.min(score, CRITICAL_CAP);
    report.score = score;
    report.capped = true;
  }
  return { report, criticalFailures };
}

/** Scores one connector: every category, the overall score and grade, and its gate. */
export function scoreConnector(input: ScoreInput): ScoreResult {
  const gateReasons: string[] = [];
  const categories = CATEGORY_IDS.map((id) => {
    const { report, criticalFailures } = scoreCategory(
      id,
      merge(input.tallies.filter((tally) => tally.category === id)),
      input,
    );
    for (const check of criticalFailures) gateReasons.push(`critical check ${check} failed in ${id}`);
    for (const summary of report.checks) {
      const gate = input.gating?.get(summary.id);
      if (gate !== undefined && summary.executions > summary.passes) gateReasons.push(`${gate} in ${id}`);
    }
    const threshold = input.thresholds?.categories?.[id];
    if (threshold !== undefined && report.score !== undefined && report.score < threshold) {
      gateReasons.push(`${id} score ${report.score} is below the threshold of ${threshold}`);
    }
    return report;
  });

  let weighted = 0;
  let weights = 0;
  for (const category of categories) {
    if (category.score === undefined) continue;
    weighted += category.weight * category.score;
    weights += category.weight;
  }
  const score = weights > 0 ? round1(weighted / weights) : null;
  const exercisable = categories.filter((category) => category.score !== undefined || category.status === 'not-exercised');
  const exercisableWeight = exercisable.reduce((sum, category) => sum + category.weight, 0);
  const coverage = exercisableWeight > 0 ? round1((weights / exercisableWeight) * 100) : null;
  const overall = input.thresholds?.overall;
  if (overall !== undefined && score !== null && score < overall) {
    gateReasons.push(`overall score ${score} is below the threshold of ${overall}`);
  }
  return {
    categories,
    coverage,
    score,
    grade: score === null ? null : gradeFor(score),
    gate: gateReasons.length > 0 ? 'fail' : 'pass',
    gateReasons,
  };
}
