import type { Check, FindingDraft } from '../core/index.js';
import { notApplicable, plural, verdictOf } from './verdict.js';
import { idempotencyKey, responseLost, writeGroups } from './writes.js';

/**
 * Without a key the upstream cannot deduplicate: retrying such a write after its response was
 * lost may do it twice. A retry after a response the client did get (a 429, a 503) is not blind:
 * nothing was lost, and the upstream said whether it processed the write.
 */
export const noBlindWriteRetry: Check = {
  id: 'no-blind-write-retry',
  critical: false,
  weight: 2,
  summary: 'A write that carries no Idempotency-Key is not sent again after its response was lost.',
  codes: {
    'HU-WS-004': 'retried a write that carries no Idempotency-Key',
  },
  docs: {
    rule:
      "A write without an Idempotency-Key is not sent again after its response was lost (reset, truncated, never answered). A retry after a 429 or 503 the client received is not blind.",
    evidence:
      "The write requests without a key, and which of them lost their response.",
    notExercised:
      "Every write carried a key, or no write reached the upstream.",
  },
  evaluate(observation) {
    const groups = (writeGroups(observation) ?? []).filter((group) => group.requests.some((entry) => idempotencyKey(entry) === undefined));
    if (groups.length === 0) return notApplicable('every write carried an Idempotency-Key, or none was made');
    const findings: FindingDraft[] = [];
    for (const group of groups) {
      const blind = group.requests.filter((entry) => idempotencyKey(entry) === undefined);
      // more attempts than logical writes, and one of them came after a response that was lost
      const lost = blind.find((entry) => responseLost(entry));
      const after = lost ? blind.filter((entry) => entry.seq > lost.seq) : [];
      if (blind.length <= group.expected || after.length === 0) continue;
      const target = (blind[0] as (typeof blind)[number]).request;
      findings.push({
        code: 'HU-WS-004',
        message: `sent ${target.method.toUpperCase()} ${target.path} ${plural(blind.length, 'time')} without an Idempotency-Key for ${plural(group.expected, 'logical write')}`,
        details: { attempts: blind.length, logicalWrites: group.expected },
        seqs: blind.map((entry) => entry.seq),
      });
    }
    return verdictOf(findings);
  },
};
