import type { Check } from '../core/index.js';
import { verdictOf } from './lib.js';

/** A connector that never settles holds its caller (a request handler, a job) forever. */
export const settlesBeforeDeadline: Check = {
  id: 'settles-before-deadline',
  critical: true,
  weight: 2,
  summary: 'Every invocation returns or throws before the deadline.',
  codes: {
    'HU-DL-001': 'did not settle before the deadline',
  },
  evaluate(observation) {
    const total = observation.outcomes.length;
    const hung = observation.outcomes.filter((outcome) => outcome.status === 'hung').length;
    if (hung === 0) return verdictOf([]);
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
