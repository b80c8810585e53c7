import type { Check, FindingDraft, Json } from '../core/index.js';
import { additiveAllowance, describeDifference, differenceDetails, jsonDiff, type JsonDifference } from './golden.js';
import { notApplicable, ofInvocations, verdictOf } from './verdict.js';

/**
 * Silent corruption is the worst failure: a result that differs from the golden one, returned
 * as if nothing happened. An error is always acceptable here (it is loud); a hang is judged by
 * `settles-before-deadline`. After an additive schema change (an added field, a new enum
 * value) a result that carries the change through faithfully is not a difference.
 */
export const correctOrLoud: Check = {
  id: 'correct-or-loud',
  critical: true,
  weight: 3,
  summary: 'Never returns a result that differs from the golden one without an error.',
  codes: {
    'HU-CL-001': 'returned wrong data without an error',
  },
  docs: {
    rule:
      "Every invocation that settled either threw or returned a result deep-equal to the golden one (object key order ignored, array order kept). After an additive schema change (an added field, a new enum value) a result that carries the change through faithfully is not a difference.",
    evidence:
      "The outcomes of the execution against the golden result of the operation's control execution; the schema-drift fault parameters say which additions are allowed.",
    budget:
      "None: an error is always acceptable here, however early. A hang is judged by settles-before-deadline.",
    notExercised:
      "No golden result (the control execution), or no invocation settled (all hung).",
  },
  evaluate(observation) {
    const golden = observation.golden;
    if (!golden) return notApplicable('no golden result');
    const settled = observation.outcomes.filter((outcome) => outcome.status !== 'hung');
    if (settled.length === 0) return notApplicable('no invocation settled (settles-before-deadline judges a hang)');
    // one finding per distinct difference, so ten concurrent invocations do not repeat one finding ten times
    const groups = new Map<string, { difference: JsonDifference; count: number }>();
    // an added field or a new enum value passed through faithfully is not corruption
    const allow = additiveAllowance(observation);
    for (const outcome of settled) {
      if (outcome.status !== 'returned') continue;
      const difference = jsonDiff(golden.value, outcome.value, '$', allow);
      if (!difference) continue;
      const key = JSON.stringify([difference.path, difference.kind, difference.golden, difference.actual]);
      const group = groups.get(key);
      if (group) group.count += 1;
      else groups.set(key, { difference, count: 1 });
    }
    const total = observation.outcomes.length;
    const findings: FindingDraft[] = [...groups.values()].map(({ difference, count }) => {
      const details: Record<string, Json> = differenceDetails(difference);
      if (total > 1) details.invocations = count;
      return {
        code: 'HU-CL-001',
        message: `returned data that differs from the golden result without an error: ${describeDifference(difference)}${ofInvocations(count, total)}`,
        details,
      };
    });
    return verdictOf(findings);
  },
};
