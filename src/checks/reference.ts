import type { Check } from '../core/index.js';
import { apiRequests } from './trace.js';
import { notApplicable, verdictOf } from './verdict.js';

/**
 * The reference check: the smallest check with all three verdicts. It is deliberately **not**
 * listed in `./index.ts` (it judges something no scenario needs); CONTRIBUTING.md's recipe copies
 * this file, and `./index.test.ts` holds it to the rules every listed check obeys.
 *
 * - `evaluate` is pure: the observation in, a verdict out, no clock, no randomness, no I/O;
 * - it answers `not-applicable` with a reason in a few words when the observation gives it
 *   nothing to judge (a category whose critical check never judged is *not exercised*);
 * - each finding has a `code` declared in `codes`, a message with the specifics, `details`
 *   (data, for report.json) and the `seqs` of the trace entries it is about, which become the
 *   highlighted lines of the evidence;
 * - `docs` is its section of docs/checks.md (`npm run docs`).
 */
export const referenceCheck: Check = {
  id: 'reference',
  critical: false,
  weight: 1,
  summary: 'An operation that returned a result asked the upstream for it.',
  codes: {
    'HU-RF-001': 'returned a result without any API request',
  },
  docs: {
    rule: 'An invocation that returned made at least one API request: data that never came from the upstream is made up.',
    evidence: 'The invocations that returned, and the API requests in the trace.',
    notExercised: 'No invocation returned (each threw or hung).',
  },
  evaluate(observation) {
    const returned = observation.outcomes.filter((outcome) => outcome.status === 'returned');
    if (returned.length === 0) return notApplicable('no invocation returned');
    const requests = apiRequests(observation.trace);
    if (requests.length > 0) return verdictOf([]);
    return verdictOf([
      {
        code: 'HU-RF-001',
        message: `${returned.length === 1 ? 'the invocation' : `${returned.length} invocations`} returned without a single API request`,
        details: { returned: returned.length },
        seqs: observation.trace.map((entry) => entry.seq),
      },
    ]);
  },
};
