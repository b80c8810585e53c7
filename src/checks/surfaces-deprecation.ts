import type { Check } from '../core/index.js';
import { apiRequests, describeRequest, header } from './trace.js';
import { notApplicable, plural, verdictOf } from './verdict.js';

/** A deprecated endpoint works until its sunset; the team only learns in time if the connector says so. */
export const surfacesDeprecation: Check = {
  id: 'surfaces-deprecation',
  critical: false,
  weight: 2,
  summary: 'After a `Deprecation` or `Sunset` header, a warning reaches warn(), console.warn, console.error or process.emitWarning at least once.',
  codes: {
    'HU-DP-001': 'kept a deprecation notice to itself',
  },
  docs: {
    rule:
      "After the first response with a Deprecation (RFC 9745) or Sunset (RFC 8594) header, at least one warning reaches warn(), console.warn, console.error or process.emitWarning during the execution.",
    evidence:
      "The responses' headers and the warnings captured for the execution (each filed under its own execution, in both modes).",
    notExercised:
      "No response carried a Deprecation or Sunset header.",
  },
  evaluate(observation) {
    const notices = apiRequests(observation.trace).filter(
      (entry) => header(entry.response, 'deprecation') !== undefined || header(entry.response, 'sunset') !== undefined,
    );
    const first = notices[0];
    if (!first) return notApplicable('no response carried a Deprecation or Sunset header');
    // a warning from before the first notice (a retry notice, say) does not count
    if (observation.warnings.some((warning) => warning.atMs >= first.startMs)) return verdictOf([]);
    const said = ['deprecation', 'sunset']
      .map((name) => [name, header(first.response, name)] as const)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name === 'deprecation' ? 'Deprecation' : 'Sunset'}: ${value}`)
      .join(', ');
    return verdictOf([
      {
        code: 'HU-DP-001',
        message: `no warning after ${plural(notices.length, 'response')} saying the endpoint is deprecated (${describeRequest(first)}: ${said}); nothing reached warn(), console.warn, console.error or process.emitWarning`,
        details: { responses: notices.length, headers: said },
        seqs: notices.map((entry) => entry.seq),
      },
    ]);
  },
};
