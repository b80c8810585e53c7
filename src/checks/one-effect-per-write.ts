import type { Check, FindingDraft } from '../core/index.js';
import { notApplicable, plural, verdictOf } from './verdict.js';
import { targetSuffix, writeGroups } from './writes.js';

/**
 * A write the upstream commits twice charges a card twice. Per target, the committed effects
 * must not outnumber the logical writes. With concurrent invocations and no keys, holdup cannot
 * tell which invocation a commit belongs to, so it compares totals: a duplicate hidden behind an
 * invocation that committed nothing is left to `no-blind-write-retry`.
 */
export const oneEffectPerWrite: Check = {
  id: 'one-effect-per-write',
  critical: true,
  weight: 3,
  summary: "The upstream's side-effect ledger shows at most one committed effect per logical write.",
  codes: {
    'HU-WS-001': 'the upstream committed one logical write more than once',
  },
  docs: {
    rule:
      "Per write target, the upstream's side-effect ledger shows no more committed effects than logical writes (invocations × the effects the control committed); a replay of a known Idempotency-Key commits nothing.",
    evidence:
      "The side-effect ledger of the replay server (every committed write with its Idempotency-Key) and the control's effects per target.",
    budget:
      "An execution the deadline cut is judged on what it committed before the cut.",
    notExercised:
      "A read, the control execution, or a write whose control committed nothing.",
  },
  evaluate(observation) {
    const groups = writeGroups(observation);
    if (!groups) return notApplicable('no write reached the upstream');
    const findings: FindingDraft[] = [];
    for (const group of groups) {
      const { commits, expected } = group;
      if (commits.length <= expected) continue;
      const keys = commits.map((effect) => effect.idempotencyKey);
      const keyed = keys.filter((key) => key !== undefined);
      const why =
        keyed.length === 0
          ? 'none of them carried an Idempotency-Key'
          : keyed.length < keys.length
            ? `${plural(keys.length - keyed.length, 'attempt')} carried no Idempotency-Key`
            : `they carried ${plural(new Set(keyed).size, 'different key')}`;
      findings.push({
        code: 'HU-WS-001',
        message: `the upstream committed ${plural(commits.length, 'write')} for ${plural(expected, 'logical write')}${targetSuffix(group)}: ${why}`,
        details: { committed: commits.length, logicalWrites: expected, keys: keys.map((key) => key ?? null) },
        seqs: commits.map((effect) => effect.seq),
      });
    }
    return verdictOf(findings);
  },
};
