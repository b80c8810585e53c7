import type { Check, FindingDraft } from '../core/index.js';
import { apiRequests, describeRequest } from './trace.js';
import { notApplicable, plural, verdictOf } from './verdict.js';

/**
 * An upstream that hands back a cursor already followed would be paged forever: the connector
 * must notice and fail loudly. Returning what it collected hides a broken list (duplicates, or
 * pages never reached); paging until the deadline holds its caller.
 */
export const stopsOnRepeatedCursor: Check = {
  id: 'stops-on-repeated-cursor',
  critical: true,
  weight: 3,
  summary: 'Stops with an error when a page points back at a page already fetched.',
  codes: {
    'HU-PG-001': 'did not stop with an error on a repeated cursor',
  },
  docs: {
    rule:
      "When a page points back at itself (its own cursor, or a Link rel=\"next\" to its own URL), the operation throws: it neither returns a result nor pages until the deadline.",
    evidence:
      "The pages the repeated-cursor fault changed and the outcomes.",
    notExercised:
      "No page was made to repeat a cursor (the operation fetched one page, or the fault found no place for a cursor: it creates a missing cursor object, but not a missing list).",
  },
  evaluate(observation) {
    const repeated = apiRequests(observation.trace).filter((entry) => entry.fault?.id === 'pagination/repeated-cursor');
    const first = repeated[0];
    if (!first) return notApplicable('no page was made to repeat a cursor');
    const pages = apiRequests(observation.trace).filter((entry) => entry.request.method === first.request.method && entry.request.path === first.request.path);
    const findings: FindingDraft[] = [];
    const hung = observation.outcomes.filter((outcome) => outcome.status === 'hung').length;
    const returned = observation.outcomes.filter((outcome) => outcome.status === 'returned').length;
    const what = `${describeRequest(first)} kept answering with a next page that points at itself`;
    // past 1,000 requests holdup stops recording a loop (and slows it): say how many more it sent
    const more = observation.requestsCut ? ` (and ${observation.requestsCut} more, slowed and not recorded)` : '';
    if (hung > 0) {
      findings.push({
        code: 'HU-PG-001',
        message: `kept paging until the ${observation.deadlineMs} ms deadline: ${plural(pages.length, 'page request')}${more} while ${what}`,
        details: { outcome: 'hung', pageRequests: pages.length },
        seqs: repeated.slice(0, 3).map((entry) => entry.seq),
      });
    }
    if (returned > 0) {
      findings.push({
        code: 'HU-PG-001',
        message: `returned a result without an error after ${plural(pages.length, 'page request')} while ${what}`,
        details: { outcome: 'returned', pageRequests: pages.length },
        seqs: repeated.slice(0, 3).map((entry) => entry.seq),
      });
    }
    return verdictOf(findings);
  },
};
