import { describe, expect, it } from 'vitest';
import { noBlindWriteRetry } from './no-blind-write-retry.js';
import {
  api,
  blindRetry,
  effect,
  INVOICE,
  resetWrite,
  returned,
  sameKeyRetry,
  step,
  threw,
  token,
  trace,
  write,
  writeObservation,
} from './test-helpers.js';

describe('no-blind-write-retry', () => {
  it('is not critical, and declares HU-WS-004', () => {
    expect(noBlindWriteRetry.critical).toBe(false);
    expect(noBlindWriteRetry.codes).toEqual({ 'HU-WS-004': 'retried a write that carries no Idempotency-Key' });
  });

  it('passes a write without a key that failed loudly instead of retrying', () => {
    const o = writeObservation({
      trace: trace(resetWrite(0, 5)),
      effects: [effect(1, undefined)],
      outcomes: [threw('socket hang up')],
    });
    expect(noBlindWriteRetry.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('fails HU-WS-004 when a write without a key was sent again after its response was lost', () => {
    expect(noBlindWriteRetry.evaluate(blindRetry)).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-WS-004',
          message: 'sent POST /v1/invoices 2 times without an Idempotency-Key for 1 logical write',
          details: { attempts: 2, logicalWrites: 1 },
          seqs: [1, 2],
        },
      ],
    });
  });

  it('counts every blind attempt, and only the writes', () => {
    const o = writeObservation({
      trace: trace(
        token(0, 5, 200),
        resetWrite(10, 15),
        api(20, 25, 200, { path: '/v1/invoices/in_1' }),
        resetWrite(120, 125),
        write(320, 325, 201),
      ),
      effects: [effect(2, undefined), effect(4, undefined), effect(5, undefined)],
      outcomes: [returned(INVOICE)],
    });
    expect(noBlindWriteRetry.evaluate(o).findings).toEqual([
      {
        code: 'HU-WS-004',
        message: 'sent POST /v1/invoices 3 times without an Idempotency-Key for 1 logical write',
        details: { attempts: 3, logicalWrites: 1 },
        seqs: [2, 4, 5],
      },
    ]);
  });

  it('leaves a retry that dropped its key to idempotency-key-per-write', () => {
    const o = writeObservation({
      trace: trace(resetWrite(0, 5, 'k1'), write(105, 110, 201)),
      effects: [effect(1, 'k1'), effect(2, undefined)],
    });
    expect(noBlindWriteRetry.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  describe('with concurrent invocations', () => {
    const concurrent = {
      schedule: { steps: [1, 2, 3].map((n) => step('write-safety/reset-after-commit', n)) },
      outcomes: [threw('socket hang up'), threw('socket hang up'), threw('socket hang up')],
    };

    it('passes three writes without a key, each sent once', () => {
      const o = writeObservation({
        ...concurrent,
        trace: trace(resetWrite(0, 5), resetWrite(1, 6), resetWrite(2, 7)),
        effects: [effect(1, undefined), effect(2, undefined), effect(3, undefined)],
      });
      expect(noBlindWriteRetry.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
    });

    it('fails HU-WS-004 when one of three writes without a key was retried', () => {
      const o = writeObservation({
        ...concurrent,
        trace: trace(resetWrite(0, 5), resetWrite(1, 6), resetWrite(2, 7), write(105, 110, 201)),
        effects: [effect(1, undefined), effect(2, undefined), effect(3, undefined), effect(4, undefined)],
      });
      expect(noBlindWriteRetry.evaluate(o).findings).toEqual([
        {
          code: 'HU-WS-004',
          message: 'sent POST /v1/invoices 4 times without an Idempotency-Key for 3 logical writes',
          details: { attempts: 4, logicalWrites: 3 },
          seqs: [1, 2, 3, 4],
        },
      ]);
    });
  });

  // Bug: the summary says a write without a key must not be sent again "after its response was
  // lost", but the check counts every unkeyed attempt: a POST retried after the upstream's own
  // 429 (nothing committed, nothing lost) fails too.
  it('passes a write without a key retried after a 429 the upstream answered', () => {
    const o = writeObservation({
      schedule: { steps: [step('rate-limit/retry-after-seconds')] },
      trace: trace(
        write(0, 5, 429, undefined, { fault: 'rate-limit/retry-after-seconds', headers: { 'retry-after': '1' } }),
        write(1010, 1015, 201),
      ),
      effects: [effect(2, undefined)],
    });
    expect(noBlindWriteRetry.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  // regression: the message named the first write of the execution, not the one retried
  it('names the write that was retried when a two-request write retried its second request', () => {
    const o = writeObservation({
      trace: trace(write(0, 5, 201, undefined, { path: '/v1/customers' }), resetWrite(10, 15), write(110, 115, 201)),
      effects: [{ ...effect(1, undefined), interaction: 1 }, effect(2, undefined), effect(3, undefined)],
      golden: { value: INVOICE, effects: 2, effectsByTarget: { 'POST /v1/customers': 1, 'POST /v1/invoices': 1 } },
    });
    expect(noBlindWriteRetry.evaluate(o).findings).toEqual([
      {
        code: 'HU-WS-004',
        message: 'sent POST /v1/invoices 2 times without an Idempotency-Key for 1 logical write',
        details: { attempts: 2, logicalWrites: 1 },
        seqs: [2, 3],
      },
    ]);
  });

  it.each([
    ['a write whose every attempt carried a key (idempotency-key-per-write judges it)', sameKeyRetry],
    ['a read operation', writeObservation({ ...blindRetry, kind: 'read' })],
    ['a write whose control committed nothing', writeObservation({ ...blindRetry, golden: { value: INVOICE, effects: 0 } })],
    ['the control execution (no golden result)', writeObservation({ ...blindRetry, scenario: 'control', category: 'control', golden: undefined })],
  ])('is not applicable to %s', (_name, o) => {
    expect(noBlindWriteRetry.evaluate(o)).toMatchObject({ verdict: 'not-applicable', findings: [] });
  });

  it('emits only the codes it declares', () => {
    const { findings } = noBlindWriteRetry.evaluate(blindRetry);
    expect(findings.length).toBe(1);
    for (const finding of findings) expect(noBlindWriteRetry.codes).toHaveProperty(finding.code);
  });
});
