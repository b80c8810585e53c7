import { scalarsIn, type Check, type FindingDraft, type Json, type Outcome, type TraceEntry } from '../core/index.js';
import { show } from './golden.js';
import { describeError } from './trace.js';
import { notApplicable, ofInvocations, verdictOf } from './verdict.js';

/** What the upstream added, as a person reads it. */
function describeChange(entry: TraceEntry): string {
  const params = entry.fault?.params ?? {};
  if (entry.fault?.id === 'schema-drift/extra-field') return `added the field "${String(params['name'])}" at ${String(params['path'])}`;
  return `sent ${show(params['to'] as Json)} instead of ${show(params['from'] as Json)} at ${String(params['path'])}, a field the golden result does not carry`;
}

/**
 * A tolerant reader: an upstream adding a field, or a new value in a field the operation does
 * not use, breaks nothing the operation returns, so the operation must not fail on it. (A new
 * value in a field the result carries may be refused: that is loud, and correct.)
 */
export const toleratesAdditiveChanges: Check = {
  id: 'tolerates-additive-changes',
  critical: false,
  weight: 2,
  summary: 'Does not fail when the upstream only adds a field, or a new value in a field the operation does not use.',
  codes: {
    'HU-SD-002': 'failed on an additive change',
  },
  docs: {
    rule:
      "The operation does not throw when the upstream only added a field, or sent a new enum value in a field the golden result does not carry.",
    evidence:
      "The schema-drift extra-field and unknown-enum faults applied in the execution, and the outcomes.",
    notExercised:
      "No additive change reached the connector (the fault found no place to act).",
  },
  evaluate(observation) {
    const golden = observation.golden;
    if (!golden) return notApplicable('no golden result');
    const used = scalarsIn(golden.value);
    const additive = observation.trace.filter(
      (entry) =>
        entry.fault?.id === 'schema-drift/extra-field' ||
        (entry.fault?.id === 'schema-drift/unknown-enum' && !used.has(entry.fault.params['from'] as string)),
    );
    const first = additive[0];
    if (!first) return notApplicable('no additive change reached the connector');
    const threw = observation.outcomes.filter((outcome): outcome is Extract<Outcome, { status: 'threw' }> => outcome.status === 'threw');
    const findings: FindingDraft[] = [];
    const example = threw[0];
    if (example) {
      findings.push({
        code: 'HU-SD-002',
        message: `threw when the upstream only ${describeChange(first)}: ${describeError(example)}${ofInvocations(threw.length, observation.outcomes.length)}`,
        details: { change: first.fault?.id ?? '', path: String(first.fault?.params['path']), error: describeError(example) },
        seqs: additive.map((entry) => entry.seq),
      });
    }
    return verdictOf(findings);
  },
};
