import type { Check } from '../core/index.js';
import { describeRequest, notApplicable, plural, verdictOf } from './lib.js';
import { idempotencyKey, logicalWrites, writeRequests } from './writes.js';

/** Without a key the upstream cannot deduplicate: retrying such a write after a lost response may do it twice. */
export const noBlindWriteRetry: Check = {
  id: 'no-blind-write-retry',
  critical: false,
  weight: 2,
  summary: 'A write that carries no Idempotency-Key is not sent again after its response was lost.',
  codes: {
    'HU-WS-004': 'retried a write that carries no Idempotency-Key',
  },
  evaluate(observation) {
    const expected = logicalWrites(observation);
    const blind = writeRequests(observation).filter((entry) => idempotencyKey(entry) === undefined);
    if (expected === undefined || blind.length === 0) return notApplicable();
    const first = blind[0] as (typeof blind)[number];
    if (blind.length <= expected) return verdictOf([]);
    return verdictOf([
      {
        code: 'HU-WS-004',
        message: `sent ${describeRequest(first)} ${plural(blind.length, 'time')} without an Idempotency-Key for ${plural(expected, 'logical write')}`,
        details: { attempts: blind.length, logicalWrites: expected },
        seqs: blind.map((entry) => entry.seq),
      },
    ]);
  },
};
