import type { Check, FindingDraft } from '../core/index.js';
import { describeRequest, notApplicable, plural, verdictOf } from './lib.js';
import { idempotencyKey, logicalWrites, writeRequests } from './writes.js';

/** A retry is only safe when the upstream can tell it is one: the same key on every attempt of one write, a new key for a new write. */
export const idempotencyKeyPerWrite: Check = {
  id: 'idempotency-key-per-write',
  critical: false,
  weight: 2,
  summary: 'Every retry of a write carries the Idempotency-Key of its first attempt, and different writes carry different keys.',
  codes: {
    'HU-WS-002': 'a retry of a write changed or dropped its Idempotency-Key',
    'HU-WS-003': 'different writes shared one Idempotency-Key',
  },
  evaluate(observation) {
    const expected = logicalWrites(observation);
    const writes = writeRequests(observation);
    const keyed = writes.filter((entry) => idempotencyKey(entry) !== undefined);
    if (expected === undefined || keyed.length === 0) return notApplicable();
    const findings: FindingDraft[] = [];
    const unkeyed = writes.filter((entry) => idempotencyKey(entry) === undefined);
    const first = unkeyed[0];
    if (first) {
      findings.push({
        code: 'HU-WS-002',
        message: `request #${first.seq} (${describeRequest(first)}) carried no Idempotency-Key although the other attempts did`,
        details: { withoutKey: unkeyed.map((entry) => entry.seq) },
        seqs: unkeyed.map((entry) => entry.seq),
      });
    }
    const keys = [...new Set(keyed.map((entry) => idempotencyKey(entry) as string))];
    if (keys.length > expected) {
      findings.push({
        code: 'HU-WS-002',
        message: `${plural(keyed.length, 'attempt')} of ${plural(expected, 'logical write')} carried ${plural(keys.length, 'different Idempotency-Key')}: a retry got a new key, so the upstream cannot tell it from a new write`,
        details: { keys, logicalWrites: expected },
        seqs: keyed.map((entry) => entry.seq),
      });
    } else if (keys.length < expected) {
      findings.push({
        code: 'HU-WS-003',
        message: `${plural(expected, 'logical write')} shared ${plural(keys.length, 'Idempotency-Key')}: the upstream will answer a different write with the first one's result`,
        details: { keys, logicalWrites: expected },
        seqs: keyed.map((entry) => entry.seq),
      });
    }
    return verdictOf(findings);
  },
};
