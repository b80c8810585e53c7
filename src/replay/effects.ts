import type { CommittedEffect, ReplayResponse } from '../core/index.js';

/**
 * The side-effect ledger of one execution: each write the upstream committed, keyed by
 * interaction and `Idempotency-Key`. A repeated key gets the first response again and
 * commits nothing new, as Stripe and the IETF idempotency-key draft specify.
 */
export class EffectLedger {
  readonly effects: CommittedEffect[] = [];
  private readonly byKey = new Map<string, ReplayResponse>();

  /** Returns the response to send: the stored one for a repeated key, else `response` (now committed). */
  commit(entry: { interaction: number; idempotencyKey: string | undefined; seq: number; atMs: number }, response: ReplayResponse): ReplayResponse {
    const key = entry.idempotencyKey === undefined ? undefined : `${entry.interaction}\u0000${entry.idempotencyKey}`;
    const stored = key === undefined ? undefined : this.byKey.get(key);
    this.effects.push({ ...entry, replayed: stored !== undefined });
    if (stored) return stored;
    if (key !== undefined) this.byKey.set(key, response);
    return response;
  }
}
