import { describe, expect, it } from 'vitest';
import { idempotencyKeyPerWrite } from './idempotency-key-per-write.js';
import {
  api,
  blindRetry,
  droppedKeyRetry,
  effect,
  hung,
  INVOICE,
  newKeyRetry,
  observation,
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
import { idempotencyKey, logicalWrites, writeRequests } from './writes.js';

const threeInvocations = {
  schedule: { steps: [1, 2, 3].map((n) => step('write-safety/reset-after-commit', n)) },
  outcomes: [returned(INVOICE), returned(INVOICE), returned(INVOICE)],
};

/** Three concurrent writes that all carry the same key: the upstream commits the first and replays it to the others. */
const sharedKey = writeObservation({
  ...threeInvocations,
  trace: trace(write(0, 5, 201, 'k1'), write(1, 6, 201, 'k1'), write(2, 7, 201, 'k1')),
  effects: [effect(1, 'k1'), effect(2, 'k1', true), effect(3, 'k1', true)],
});

describe('idempotency-key-per-write', () => {
  it('is not critical, and declares HU-WS-002 and HU-WS-003', () => {
    expect(idempotencyKeyPerWrite.critical).toBe(false);
    expect(idempotencyKeyPerWrite.codes).toEqual({
      'HU-WS-002': 'a retry of a write changed or dropped its Idempotency-Key',
      'HU-WS-003': 'different writes shared one Idempotency-Key',
    });
  });

  it('passes a retry that kept the Idempotency-Key of its first attempt', () => {
    expect(idempotencyKeyPerWrite.evaluate(sameKeyRetry)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('passes a keyed write that was never retried', () => {
    const o = writeObservation({ trace: trace(write(0, 5, 201, 'k1')), effects: [effect(1, 'k1')] });
    expect(idempotencyKeyPerWrite.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('reads the key whatever the case of the header name', () => {
    const o = writeObservation({
      trace: trace(
        write(0, 5, undefined, undefined, { delivery: 'reset', requestHeaders: { 'Idempotency-Key': 'k1' } }),
        write(105, 110, 201, undefined, { requestHeaders: { 'IDEMPOTENCY-KEY': 'k1' } }),
      ),
      effects: [effect(1, 'k1'), effect(2, 'k1', true)],
    });
    expect(idempotencyKeyPerWrite.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('ignores reads and token requests, which carry no key', () => {
    const o = writeObservation({
      trace: trace(token(0, 5, 200), resetWrite(10, 15, 'k1'), api(20, 25, 200, { path: '/v1/invoices/in_1' }), write(120, 125, 201, 'k1')),
      effects: [effect(2, 'k1'), effect(4, 'k1', true)],
    });
    expect(idempotencyKeyPerWrite.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('fails HU-WS-002 when a retry got a new key', () => {
    expect(idempotencyKeyPerWrite.evaluate(newKeyRetry)).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-WS-002',
          message:
            '2 attempts of 1 logical write carried 2 different Idempotency-Keys: a retry got a new key, so the upstream cannot tell it from a new write',
          details: { keys: ['k1', 'k2'], logicalWrites: 1 },
          seqs: [1, 2],
        },
      ],
    });
  });

  it('fails HU-WS-002 when a retry dropped its key', () => {
    expect(idempotencyKeyPerWrite.evaluate(droppedKeyRetry)).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-WS-002',
          message: 'request #2 (POST /v1/invoices) carried no Idempotency-Key although the other attempts did',
          details: { withoutKey: [2] },
          seqs: [2],
        },
      ],
    });
  });

  it('fails HU-WS-002 naming the first attempt when only the retry carried a key', () => {
    const o = writeObservation({
      trace: trace(resetWrite(0, 5), write(105, 110, 201, 'k1')),
      effects: [effect(1, undefined), effect(2, 'k1')],
    });
    expect(idempotencyKeyPerWrite.evaluate(o).findings).toEqual([
      {
        code: 'HU-WS-002',
        message: 'request #1 (POST /v1/invoices) carried no Idempotency-Key although the other attempts did',
        details: { withoutKey: [1] },
        seqs: [1],
      },
    ]);
  });

  it('reports a dropped key and a changed key as two findings, the dropped one first', () => {
    const o = writeObservation({
      trace: trace(resetWrite(0, 5, 'k1'), resetWrite(105, 110), resetWrite(300, 305), write(700, 705, 201, 'k2')),
      effects: [effect(1, 'k1'), effect(2, undefined), effect(3, undefined), effect(4, 'k2')],
      outcomes: [returned(INVOICE)],
    });
    expect(idempotencyKeyPerWrite.evaluate(o)).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-WS-002',
          message: 'request #2 (POST /v1/invoices) carried no Idempotency-Key although the other attempts did',
          details: { withoutKey: [2, 3] },
          seqs: [2, 3],
        },
        {
          code: 'HU-WS-002',
          message:
            '2 attempts of 1 logical write carried 2 different Idempotency-Keys: a retry got a new key, so the upstream cannot tell it from a new write',
          details: { keys: ['k1', 'k2'], logicalWrites: 1 },
          seqs: [1, 4],
        },
      ],
    });
  });

  describe('with concurrent invocations', () => {
    it('passes three writes with three keys, each retried once with its own key', () => {
      const o = writeObservation({
        ...threeInvocations,
        trace: trace(
          resetWrite(0, 5, 'k1'),
          resetWrite(1, 6, 'k2'),
          resetWrite(2, 7, 'k3'),
          write(105, 110, 201, 'k2'),
          write(106, 111, 201, 'k1'),
          write(107, 112, 201, 'k3'),
        ),
        effects: [effect(1, 'k1'), effect(2, 'k2'), effect(3, 'k3'), effect(4, 'k2', true), effect(5, 'k1', true), effect(6, 'k3', true)],
      });
      expect(idempotencyKeyPerWrite.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
    });

    it('fails HU-WS-003 when three writes shared one key', () => {
      expect(idempotencyKeyPerWrite.evaluate(sharedKey)).toEqual({
        verdict: 'fail',
        findings: [
          {
            code: 'HU-WS-003',
            message: "3 logical writes shared 1 Idempotency-Key: the upstream will answer a different write with the first one's result",
            details: { keys: ['k1'], logicalWrites: 3 },
            seqs: [1, 2, 3],
          },
        ],
      });
    });

    it('fails HU-WS-003 when two of three writes shared a key, listing the keys in order of first use', () => {
      const o = writeObservation({
        ...threeInvocations,
        trace: trace(write(0, 5, 201, 'k2'), write(1, 6, 201, 'k1'), write(2, 7, 201, 'k2')),
        effects: [effect(1, 'k2'), effect(2, 'k1'), effect(3, 'k2', true)],
      });
      expect(idempotencyKeyPerWrite.evaluate(o).findings).toEqual([
        {
          code: 'HU-WS-003',
          message: "3 logical writes shared 2 Idempotency-Keys: the upstream will answer a different write with the first one's result",
          details: { keys: ['k2', 'k1'], logicalWrites: 3 },
          seqs: [1, 2, 3],
        },
      ]);
    });

    it('fails HU-WS-002 when the retries of three writes got four keys', () => {
      const o = writeObservation({
        ...threeInvocations,
        trace: trace(resetWrite(0, 5, 'k1'), resetWrite(1, 6, 'k2'), resetWrite(2, 7, 'k3'), write(105, 110, 201, 'k4')),
        effects: [effect(1, 'k1'), effect(2, 'k2'), effect(3, 'k3'), effect(4, 'k4')],
        outcomes: [returned(INVOICE), threw('socket hang up'), threw('socket hang up')],
      });
      expect(idempotencyKeyPerWrite.evaluate(o).findings).toEqual([
        {
          code: 'HU-WS-002',
          message:
            '4 attempts of 3 logical writes carried 4 different Idempotency-Keys: a retry got a new key, so the upstream cannot tell it from a new write',
          details: { keys: ['k1', 'k2', 'k3', 'k4'], logicalWrites: 3 },
          seqs: [1, 2, 3, 4],
        },
      ]);
    });

    // Bug: the check expects one key per logical write whether or not the write was ever sent,
    // so invocations that failed before sending (a client-side circuit breaker, a failed token
    // request) read as writes that shared the key of the one that was sent.
    it('does not fail HU-WS-003 when the other invocations never sent their write', () => {
      const o = writeObservation({
        trace: trace(write(0, 5, 201, 'k1')),
        effects: [effect(1, 'k1')],
        outcomes: [returned(INVOICE), threw('circuit open'), threw('circuit open')],
      });
      expect(idempotencyKeyPerWrite.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
    });
  });

  // regression: the unkeyed request of a two-request write read as a retry that dropped its key
  it('passes a two-request write that keys only one of its endpoints and was never retried', () => {
    const o = writeObservation({
      trace: trace(write(0, 5, 201, undefined, { path: '/v1/customers' }), write(10, 15, 201, 'k1')),
      effects: [effect(1, undefined), { ...effect(2, 'k1'), interaction: 1 }],
      golden: { value: INVOICE, effects: 2, effectsByTarget: { 'POST /v1/customers': 1, 'POST /v1/invoices': 1 } },
    });
    expect(idempotencyKeyPerWrite.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it.each([
    ['a write whose attempts carried no key (no-blind-write-retry judges it)', blindRetry],
    ['a read operation', writeObservation({ ...newKeyRetry, kind: 'read' })],
    ['a write whose control committed nothing', writeObservation({ ...newKeyRetry, golden: { value: INVOICE, effects: 0 } })],
    ['the control execution (no golden result)', writeObservation({ ...newKeyRetry, scenario: 'control', category: 'control', golden: undefined })],
  ])('is not applicable to %s', (_name, o) => {
    expect(idempotencyKeyPerWrite.evaluate(o)).toMatchObject({ verdict: 'not-applicable', findings: [] });
  });

  it('emits only the codes it declares', () => {
    const findings = [newKeyRetry, droppedKeyRetry, sharedKey].flatMap((o) => idempotencyKeyPerWrite.evaluate(o).findings);
    expect(findings.map((finding) => finding.code)).toEqual(['HU-WS-002', 'HU-WS-002', 'HU-WS-003']);
    for (const finding of findings) expect(idempotencyKeyPerWrite.codes).toHaveProperty(finding.code);
  });
});

describe('writes', () => {
  describe('writeRequests', () => {
    it('lists the API requests with POST, PUT, PATCH or DELETE, in order of arrival, whatever the case of the method', () => {
      const entries = trace(
        token(0, 5, 200),
        api(10, 15, 200),
        api(20, 25, 200, { method: 'HEAD' }),
        api(30, 35, 200, { method: 'OPTIONS' }),
        api(40, 45, 201, { method: 'post' }),
        api(50, 55, 200, { method: 'PUT' }),
        api(60, 65, 200, { method: 'PATCH' }),
        api(70, 75, 204, { method: 'DELETE' }),
      );
      const writes = writeRequests(observation({ trace: [...entries].reverse() }));
      expect(writes.map((entry) => `#${entry.seq} ${entry.request.method}`)).toEqual(['#5 post', '#6 PUT', '#7 PATCH', '#8 DELETE']);
    });

    it('lists none when the execution made no write', () => {
      expect(writeRequests(observation())).toEqual([]);
    });
  });

  describe('idempotencyKey', () => {
    it("returns the request's Idempotency-Key whatever the case of its name", () => {
      for (const name of ['idempotency-key', 'Idempotency-Key', 'IDEMPOTENCY-KEY']) {
        const [entry] = trace(write(0, 5, 201, undefined, { requestHeaders: { 'content-type': 'application/json', [name]: 'k1' } }));
        expect(idempotencyKey(entry!)).toBe('k1');
      }
    });

    it('returns undefined without one, and an empty key as it is', () => {
      const [none, lookalike, empty] = trace(
        write(0, 5, 201),
        write(10, 15, 201, undefined, { requestHeaders: { 'x-idempotency-key': 'k1' } }),
        write(20, 25, 201, ''),
      );
      expect(idempotencyKey(none!)).toBeUndefined();
      expect(idempotencyKey(lookalike!)).toBeUndefined();
      expect(idempotencyKey(empty!)).toBe('');
    });
  });

  describe('logicalWrites', () => {
    it("is the control's effects per invocation times the invocations, hung ones included", () => {
      expect(logicalWrites(writeObservation())).toBe(1);
      expect(logicalWrites(writeObservation({ outcomes: [returned(INVOICE), threw('HTTP 500'), hung()] }))).toBe(3);
      expect(logicalWrites(writeObservation({ golden: { value: INVOICE, effects: 2 }, outcomes: [returned(INVOICE), hung()] }))).toBe(4);
    });

    it('is undefined for a read, a write whose control committed nothing, and the control itself', () => {
      expect(logicalWrites(writeObservation({ kind: 'read' }))).toBeUndefined();
      expect(logicalWrites(writeObservation({ golden: { value: INVOICE, effects: 0 } }))).toBeUndefined();
      expect(logicalWrites(writeObservation({ golden: undefined }))).toBeUndefined();
    });
  });
});
