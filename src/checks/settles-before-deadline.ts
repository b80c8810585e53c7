import type { Check } from '../core/index.js';
import { overrunOwnedElsewhere } from './trace.js';
import { notApplicable, verdictOf } from './verdict.js';

/**
 * A connector that never settles holds its caller (a request handler, a job) forever. One
 * behaviour, one charge: an execution cut while it waited on a response that never came is
 * judged here only in latency-timeout and network-faults (elsewhere, on what it did before).
 * A fault that answers (a 429 whose Retry-After outlasts the deadline) owns its wait.
 */
export const settlesBeforeDeadline: Check = {
  id: 'settles-before-deadline',
  critical: true,
  weight: 2,
  summary: 'Every invocation returns or throws before the deadline.',
  codes: {
    'HU-DL-001': 'did not settle before the deadline',
  },
  docs: {
    rule:
      "Every invocation returns or throws before the connector's deadlineMs (10 000 ms by default).",
    evidence:
      "The outcomes: an invocation the deadline cut is recorded as hung.",
    budget:
      "One behaviour, one charge: outside latency-timeout and network-faults, an execution cut while it waited on a response that never came (the last request of the trace was never answered) is not judged here: latency-timeout's black-hole scenario judges that overrun. A fault that answers (a 429 whose Retry-After outlasts the deadline) owns its wait.",
    notExercised:
      "Never for an execution that settled or hung on an answered request; skipped (with that reason) for an overrun owned by latency-timeout.",
  },
  evaluate(observation) {
    const total = observation.outcomes.length;
    const hung = observation.outcomes.filter((outcome) => outcome.status === 'hung').length;
    if (hung === 0) return verdictOf([]);
    const elsewhere = overrunOwnedElsewhere(observation);
    if (elsewhere) return notApplicable(elsewhere);
    const who = total > 1 ? `${hung} of ${total} invocations` : 'the operation';
    return verdictOf([
      {
        code: 'HU-DL-001',
        message: `${who} neither returned nor threw within the ${observation.deadlineMs} ms deadline`,
        details: { deadlineMs: observation.deadlineMs, hung, invocations: total },
      },
    ]);
  },
};
