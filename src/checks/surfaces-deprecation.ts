import { clip, type Check, type ConnectorWarning, type TraceEntry } from '../core/index.js';
import { apiRequests, describeRequest, header } from './trace.js';
import { notApplicable, plural, verdictOf } from './verdict.js';

/** A deprecated endpoint works until its sunset; the team only learns in time if the connector says so. */
export const surfacesDeprecation: Check = {
  id: 'surfaces-deprecation',
  critical: false,
  weight: 2,
  summary: 'After a `Deprecation` or `Sunset` header, a warning about it reaches warn(), console.warn, console.error or process.emitWarning at least once.',
  codes: {
    'HU-DP-001': 'kept a deprecation notice to itself',
  },
  docs: {
    rule:
      "After the first response with a Deprecation (RFC 9745) or Sunset (RFC 8594) header, at least one warning about it reaches warn(), console.warn, console.error or process.emitWarning during the execution: one that says deprecated, sunset, removed, retired, end of life, obsolete, shut down, decommissioned or no longer supported, or quotes the header's value. Other output (a retry logged to stderr, even one naming the path) is not a deprecation surfaced.",
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
    // a warning from before the first notice does not count, nor one about something else (a retry logged)
    const after = observation.warnings.filter((warning) => warning.atMs >= first.startMs);
    if (after.some((warning) => aboutDeprecation(warning, notices))) return verdictOf([]);
    const said = ['deprecation', 'sunset']
      .map((name) => [name, header(first.response, name)] as const)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name === 'deprecation' ? 'Deprecation' : 'Sunset'}: ${value}`)
      .join(', ');
    return verdictOf([
      {
        code: 'HU-DP-001',
        message:
          after.length === 0
            ? `no warning after ${plural(notices.length, 'response')} saying the endpoint is deprecated (${describeRequest(first)}: ${said}); nothing reached warn(), console.warn, console.error or process.emitWarning`
            : `no warning about the deprecation after ${plural(notices.length, 'response')} saying the endpoint is deprecated (${describeRequest(first)}: ${said}); ${plural(after.length, 'other warning')} (first: ${JSON.stringify(clip(after[0]?.message ?? '', 80))}) did not mention it`,
        details: { responses: notices.length, headers: said, ...(after.length > 0 ? { otherWarnings: after.length } : {}) },
        seqs: notices.map((entry) => entry.seq),
      },
    ]);
  },
};

const ABOUT_DEPRECATION = /deprecat|sunset|remov|retir|end[- ]of[- ]life|obsolete|shut ?down|decommission|no longer supported/i;

/**
 * Whether a warning is about the deprecation: it says so, or quotes a notice's header value. The
 * path alone does not make it one: a client that logs its retries names the path too.
 */
function aboutDeprecation(warning: ConnectorWarning, notices: readonly TraceEntry[]): boolean {
  if (ABOUT_DEPRECATION.test(warning.message)) return true;
  return notices.some((entry) => {
    const values = [header(entry.response, 'deprecation'), header(entry.response, 'sunset')];
    return values.some((value) => value !== undefined && value.length > 1 && warning.message.includes(value));
  });
}
