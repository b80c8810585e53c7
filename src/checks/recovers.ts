import type { Check, FindingDraft, Outcome } from '../core/index.js';
import { describeDifference, describeError, differenceDetails, jsonDiff, notApplicable, ofInvocations, verdictOf } from './lib.js';

/** After a transient fault, the operation still returns what the control returned. */
export const recovers: Check = {
  id: 'recovers',
  critical: false,
  weight: 2,
  summary: 'Every invocation eventually returns the golden result despite the transient fault.',
  codes: {
    'HU-RC-001': 'did not recover from a transient fault',
  },
  evaluate(observation) {
    const golden = observation.golden;
    if (!golden) return notApplicable();
    const total = observation.outcomes.length;
    const threw: Extract<Outcome, { status: 'threw' }>[] = [];
    let hung = 0;
    const wrong: Extract<Outcome, { status: 'returned' }>[] = [];
    for (const outcome of observation.outcomes) {
      if (outcome.status === 'threw') threw.push(outcome);
      else if (outcome.status === 'hung') hung += 1;
      else if (jsonDiff(golden.value, outcome.value)) wrong.push(outcome);
    }
    const findings: FindingDraft[] = [];
    const first = threw[0];
    if (first) {
      findings.push({
        code: 'HU-RC-001',
        message: `threw instead of recovering: ${describeError(first)}${ofInvocations(threw.length, total)}`,
        details: { outcome: 'threw', error: describeError(first), invocations: threw.length },
      });
    }
    if (hung > 0) {
      findings.push({
        code: 'HU-RC-001',
        message: `hung instead of recovering: no result within the ${observation.deadlineMs} ms deadline${ofInvocations(hung, total)}`,
        details: { outcome: 'hung', deadlineMs: observation.deadlineMs, invocations: hung },
      });
    }
    const firstWrong = wrong[0];
    if (firstWrong) {
      const difference = jsonDiff(golden.value, firstWrong.value);
      findings.push({
        code: 'HU-RC-001',
        message: `returned other data instead of the golden result: ${difference ? describeDifference(difference) : ''}${ofInvocations(wrong.length, total)}`,
        details: { outcome: 'returned', ...(difference ? differenceDetails(difference) : {}), invocations: wrong.length },
      });
    }
    return verdictOf(findings);
  },
};
