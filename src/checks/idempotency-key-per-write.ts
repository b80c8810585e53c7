import type { Check, FindingDraft } from '../core/index.js';
import { describeRequest } from './trace.js';
import { notApplicable, plural, verdictOf } from './verdict.js';
import { idempotencyKey, targetSuffix, writeGroups } from './writes.js';

/**
 * A retry is only safe when the upstream can tell it is one: the same key on every attempt of
 * one write, a new key for a new write. Judged per target, on targets the connector keys.
 */
export const idempotencyKeyPerWrite: Check = {
  id: 'idempotency-key-per-write',
  critical: false,
  weight: 2,
  summary: 'Every retry of a write carries the Idempotency-Key of its first attempt, and different writes carry different keys.',
  codes: {
    'HU-WS-002': 'a retry of a write changed or dropped its Idempotency-Key',
    'HU-WS-003': 'different writes shared one Idempotency-Key',
  },
  docs: {
    rule:
      "Every attempt of one logical write carries the same Idempotency-Key, and different logical writes carry different keys.",
    evidence:
      "The Idempotency-Key header of every write request, grouped by target.",
    notExercised:
      "No write carried an Idempotency-Key (no-blind-write-retry judges those).",
  },
  evaluate(observation) {
    const groups = (writeGroups(observation) ?? []).filter((group) => group.requests.some((entry) => idempotencyKey(entry) !== undefined));
    if (groups.length === 0) return notApplicable('no write carried an Idempotency-Key');
    const findings: FindingDraft[] = [];
    for (const group of groups) {
      const keyed = group.requests.filter((entry) => idempotencyKey(entry) !== undefined);
      const unkeyed = group.requests.filter((entry) => idempotencyKey(entry) === undefined);
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
      // writes of invocations that threw may never have been sent: only those that returned must have their own key
      const mustDiffer = Math.min(group.expected, group.confirmed);
      if (keys.length > group.expected) {
        findings.push({
          code: 'HU-WS-002',
          message: `${plural(keyed.length, 'attempt')} of ${plural(group.expected, 'logical write')}${targetSuffix(group)} carried ${plural(keys.length, 'different Idempotency-Key')}: a retry got a new key, so the upstream cannot tell it from a new write`,
          details: { keys, logicalWrites: group.expected },
          seqs: keyed.map((entry) => entry.seq),
        });
      } else if (keys.length < mustDiffer) {
        findings.push({
          code: 'HU-WS-003',
          message: `${plural(mustDiffer, 'logical write')}${targetSuffix(group)} shared ${plural(keys.length, 'Idempotency-Key')}: the upstream will answer a different write with the first one's result`,
          details: { keys, logicalWrites: mustDiffer },
          seqs: keyed.map((entry) => entry.seq),
        });
      }
    }
    return verdictOf(findings);
  },
};
