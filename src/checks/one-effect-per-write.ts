import type { Check } from '../core/index.js';
import { notApplicable, plural, verdictOf } from './lib.js';
import { logicalWrites } from './writes.js';

/** A write the upstream commits twice charges a card twice. */
export const oneEffectPerWrite: Check = {
  id: 'one-effect-per-write',
  critical: true,
  weight: 3,
  summary: "The upstream's side-effect ledger shows at most one committed effect per logical write.",
  codes: {
    'HU-WS-001': 'the upstream committed one logical write more than once',
  },
  evaluate(observation) {
    const expected = logicalWrites(observation);
    if (expected === undefined) return notApplicable();
    const committed = observation.effects.filter((effect) => !effect.replayed);
    if (committed.length <= expected) return verdictOf([]);
    const keyed = committed.filter((effect) => effect.idempotencyKey !== undefined).length;
    const why =
      keyed === 0
        ? 'none of them carried an Idempotency-Key'
        : `they carried ${plural(new Set(committed.map((e) => e.idempotencyKey ?? '(none)')).size, 'different key')}`;
    return verdictOf([
      {
        code: 'HU-WS-001',
        message: `the upstream committed ${plural(committed.length, 'write')} for ${plural(expected, 'logical write')}: ${why}`,
        details: {
          committed: committed.length,
          logicalWrites: expected,
          keys: committed.map((effect) => effect.idempotencyKey ?? null),
        },
        seqs: committed.map((effect) => effect.seq),
      },
    ]);
  },
};
