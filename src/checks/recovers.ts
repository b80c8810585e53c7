import type { Check, FindingDraft, Outcome } from '../core/index.js';
import { jsonDiff } from './golden.js';
import { describeError } from './trace.js';
import { notApplicable, ofInvocations, plural, verdictOf } from './verdict.js';

/**
 * After a transient fault, the operation still returns what the control returned — judged
 * where the demand is fair (README.md, "Verdicts you can defend"; docs/checks.md):
 *
 * - the retry budget: a fault that fails more requests in a row than the connector's budget of
 *   retries (2 by default) may end the operation; ending loudly is correct there;
 * - reads only: a write may end loudly rather than be sent again, as got, ky, axios-retry and
 *   undici's RetryAgent do by default (they retry no POST); write-safety judges what a retried
 *   write did;
 * - one behaviour, one charge: only a thrown error counts here. A hang is
 *   `settles-before-deadline`'s, other data returned without an error is `correct-or-loud`'s.
 */
export const recovers: Check = {
  id: 'recovers',
  critical: false,
  weight: 2,
  summary: 'A read returns the golden result, not an error, despite a transient fault that fits the retry budget.',
  codes: {
    'HU-RC-001': 'did not recover from a transient fault',
  },
  docs: {
    rule:
      "A read whose fault fits the retry budget returns the golden result instead of throwing.",
    evidence:
      "The outcomes, the golden result, the schedule's failing faults (how many requests in a row they fail) and the connector's retry budget.",
    budget:
      "Demanded only when the fault fails at most retryBudget requests in a row (2 by default; the config's or the connector's retryBudget): past it, ending loudly is correct. One behaviour, one charge: a hang is settles-before-deadline's, other data returned without an error is correct-or-loud's; only a thrown error fails this check.",
    notExercised:
      "A write (got, ky, axios-retry and undici's RetryAgent retry no POST by default: ending loudly is acceptable), a fault longer than the budget, no golden result, or no invocation that threw or returned the golden result.",
  },
  evaluate(observation) {
    const golden = observation.golden;
    if (!golden) return notApplicable('no golden result');
    if (observation.kind === 'write') return notApplicable('a write may end loudly instead of being sent again');
    const needed = observation.retriesNeeded;
    if (needed > observation.retryBudget) {
      const lasts = Number.isFinite(needed) ? `fails ${plural(needed, 'request')} in a row` : 'fails every request from some point on';
      return notApplicable(`the fault ${lasts}, past the retry budget of ${plural(observation.retryBudget, 'retry', 'retries')}`);
    }
    const total = observation.outcomes.length;
    const threw: Extract<Outcome, { status: 'threw' }>[] = [];
    let judged = 0;
    for (const outcome of observation.outcomes) {
      if (outcome.status === 'threw') threw.push(outcome);
      // a hang and other data are charged elsewhere; the golden result is a recovery
      if (outcome.status === 'threw' || (outcome.status === 'returned' && !jsonDiff(golden.value, outcome.value))) judged += 1;
    }
    if (judged === 0) return notApplicable('no invocation returned the golden result or threw (a hang or other data is judged by other checks)');
    const findings: FindingDraft[] = [];
    const first = threw[0];
    if (first) {
      findings.push({
        code: 'HU-RC-001',
        message: `threw instead of recovering: ${describeError(first)}${ofInvocations(threw.length, total)}`,
        details: { outcome: 'threw', error: describeError(first), invocations: threw.length },
      });
    }
    return verdictOf(findings);
  },
};
