import { isJsonObject, type Check, type FindingDraft, type Json } from '../core/index.js';
import { notApplicable, ofInvocations, verdictOf } from './verdict.js';

interface Shortfall {
  path: string;
  golden: number;
  actual: number;
}

/** The first list in `actual` with fewer items than the same list in `golden`. */
export function shorterList(golden: Json | undefined, actual: Json | undefined, path = '$'): Shortfall | undefined {
  if (Array.isArray(golden) && Array.isArray(actual)) {
    if (actual.length < golden.length) return { path, golden: golden.length, actual: actual.length };
    for (const [index, item] of golden.entries()) {
      const found = shorterList(item, actual[index], `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isJsonObject(golden ?? null) && isJsonObject(actual ?? null)) {
    for (const [key, value] of Object.entries(golden as { [key: string]: Json })) {
      const found = shorterList(value, (actual as { [key: string]: Json })[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

const PAGE_FAULTS = new Set(['pagination/later-page-fails', 'pagination/empty-page']);

/** A list missing its later pages, returned as if complete, is the quietest kind of wrong data. */
export const noTruncatedList: Check = {
  id: 'no-truncated-list',
  critical: false,
  weight: 3,
  summary: 'Never returns a list with fewer items than the golden one without an error when a page fails or comes back empty.',
  codes: {
    'HU-PG-002': 'returned a truncated list without an error',
  },
  docs: {
    rule:
      "After a later page fails or an empty page says more follow, no invocation returns a list with fewer items than the golden one without an error.",
    evidence:
      "The lists of the result against the golden result, where a pagination fault acted.",
    notExercised:
      "No page was faulted, or no golden result.",
  },
  evaluate(observation) {
    const golden = observation.golden;
    const faulted = observation.trace.find((entry) => entry.fault && PAGE_FAULTS.has(entry.fault.id));
    if (!golden || !faulted) return notApplicable('no page was faulted');
    const short: Shortfall[] = [];
    for (const outcome of observation.outcomes) {
      if (outcome.status !== 'returned') continue;
      const found = shorterList(golden.value, outcome.value);
      if (found) short.push(found);
    }
    const first = short[0];
    const findings: FindingDraft[] = [];
    if (first) {
      const cause = faulted.fault?.id === 'pagination/empty-page' ? 'after an empty page that said more follow' : 'after a later page failed';
      findings.push({
        code: 'HU-PG-002',
        message: `returned ${first.actual} of the ${first.golden} items at ${first.path} without an error, ${cause}${ofInvocations(short.length, observation.outcomes.length)}`,
        details: { path: first.path, golden: first.golden, actual: first.actual },
        seqs: observation.trace.filter((entry) => entry.fault && PAGE_FAULTS.has(entry.fault.id)).map((entry) => entry.seq).slice(0, 5),
      });
    }
    return verdictOf(findings);
  },
};
