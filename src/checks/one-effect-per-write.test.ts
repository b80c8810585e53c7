import { describe, expect, it } from 'vitest';
import { oneEffectPerWrite } from './one-effect-per-write.js';
import {
  blindRetry,
  droppedKeyRetry,
  effect,
  INVOICE,
  newKeyRetry,
  resetWrite,
  returned,
  step,
  threw,
  trace,
  write,
  writeObservation,
} from './test-helpers.js';

describe('one-effect-per-write', () => {
  it('is critical, and declares HU-WS-001', () => {
    expect(oneEffectPerWrite.critical).toBe(true);
    expect(oneEffectPerWrite.codes).toEqual({ 'HU-WS-001': 'the upstream committed one logical write more than once' });
  });

  it('passes a retry with the same Idempotency-Key, which the upstream replayed', () => {
    const o = writeObservation({
      trace: trace(resetWrite(0, 5, 'k1'), write(105, 110, 201, 'k1')),
      effects: [effect(1, 'k1'), effect(2, 'k1', true)],
    });
    expect(oneEffectPerWrite.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('passes a write that failed loudly without a retry', () => {
    const o = writeObservation({
      trace: trace(resetWrite(0, 5)),
      effects: [effect(1, undefined)],
      outcomes: [threw('socket hang up')],
    });
    expect(oneEffectPerWrite.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('passes a write the upstream never committed (fewer effects than writes is not its concern)', () => {
    const o = writeObservation({ trace: trace(write(0, 5, 500, undefined, { fault: 'server-errors/internal-error' })), effects: [] });
    expect(oneEffectPerWrite.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
  });

  it('fails HU-WS-001 when a blind retry committed the write twice', () => {
    expect(oneEffectPerWrite.evaluate(blindRetry)).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-WS-001',
          message: 'the upstream committed 2 writes for 1 logical write: none of them carried an Idempotency-Key',
          details: { committed: 2, logicalWrites: 1, keys: [null, null] },
          seqs: [1, 2],
        },
      ],
    });
  });

  it('fails HU-WS-001 naming the keys when a retry got a new key', () => {
    expect(oneEffectPerWrite.evaluate(newKeyRetry)).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-WS-001',
          message: 'the upstream committed 2 writes for 1 logical write: they carried 2 different keys',
          details: { committed: 2, logicalWrites: 1, keys: ['k1', 'k2'] },
          seqs: [1, 2],
        },
      ],
    });
  });

  it('fails HU-WS-001 when a retry dropped its key, and says how many attempts carried none', () => {
    expect(oneEffectPerWrite.evaluate(droppedKeyRetry)).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-WS-001',
          message: 'the upstream committed 2 writes for 1 logical write: 1 attempt carried no Idempotency-Key',
          details: { committed: 2, logicalWrites: 1, keys: ['k1', null] },
          seqs: [1, 2],
        },
      ],
    });
  });

  it('lists only the committed effects, not the replayed ones', () => {
    const o = writeObservation({
      trace: trace(resetWrite(0, 5), write(105, 110, 201, 'k1'), write(300, 305, 201, 'k1'), write(500, 505, 201)),
      effects: [effect(1, undefined), effect(2, 'k1'), effect(3, 'k1', true), effect(4, undefined)],
    });
    expect(oneEffectPerWrite.evaluate(o).findings).toEqual([
      {
        code: 'HU-WS-001',
        message: 'the upstream committed 3 writes for 1 logical write: 2 attempts carried no Idempotency-Key',
        details: { committed: 3, logicalWrites: 1, keys: [null, 'k1', null] },
        seqs: [1, 2, 4],
      },
    ]);
  });

  describe('with concurrent invocations', () => {
    const concurrent = { schedule: { steps: [1, 2, 3].map((n) => step('write-safety/reset-after-commit', n)) } };

    it('passes three writes, each retried once with its own key', () => {
      const o = writeObservation({
        ...concurrent,
        trace: trace(
          resetWrite(0, 5, 'k1'),
          resetWrite(1, 6, 'k2'),
          resetWrite(2, 7, 'k3'),
          write(105, 110, 201, 'k1'),
          write(106, 111, 201, 'k2'),
          write(107, 112, 201, 'k3'),
        ),
        effects: [effect(1, 'k1'), effect(2, 'k2'), effect(3, 'k3'), effect(4, 'k1', true), effect(5, 'k2', true), effect(6, 'k3', true)],
        outcomes: [returned(INVOICE), returned(INVOICE), returned(INVOICE)],
      });
      expect(oneEffectPerWrite.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
    });

    it('passes three writes sharing one key: the upstream committed only the first (idempotency-key-per-write judges that)', () => {
      const o = writeObservation({
        ...concurrent,
        trace: trace(write(0, 5, 201, 'k1'), write(1, 6, 201, 'k1'), write(2, 7, 201, 'k1')),
        effects: [effect(1, 'k1'), effect(2, 'k1', true), effect(3, 'k1', true)],
        outcomes: [returned(INVOICE), returned(INVOICE), returned(INVOICE)],
      });
      expect(oneEffectPerWrite.evaluate(o)).toEqual({ verdict: 'pass', findings: [] });
    });

    it('fails HU-WS-001 when one of three writes was committed twice', () => {
      const o = writeObservation({
        ...concurrent,
        trace: trace(resetWrite(0, 5), resetWrite(1, 6), resetWrite(2, 7), write(105, 110, 201)),
        effects: [effect(1, undefined), effect(2, undefined), effect(3, undefined), effect(4, undefined)],
        outcomes: [returned(INVOICE), threw('socket hang up'), threw('socket hang up')],
      });
      expect(oneEffectPerWrite.evaluate(o).findings).toEqual([
        {
          code: 'HU-WS-001',
          message: 'the upstream committed 4 writes for 3 logical writes: none of them carried an Idempotency-Key',
          details: { committed: 4, logicalWrites: 3, keys: [null, null, null, null] },
          seqs: [1, 2, 3, 4],
        },
      ]);
    });

    it('allows as many effects as the control committed per invocation, times the invocations', () => {
      const effects = [1, 2, 3, 4, 5, 6].map((seq) => effect(seq, `k${seq}`));
      const twoPerInvocation = {
        trace: trace(...effects.map((e) => write(e.seq, e.seq + 5, 201, e.idempotencyKey))),
        outcomes: [returned(INVOICE), returned(INVOICE), returned(INVOICE)],
        golden: { value: INVOICE, effects: 2 },
      };
      expect(oneEffectPerWrite.evaluate(writeObservation({ ...twoPerInvocation, effects })).verdict).toBe('pass');
      const seventh = writeObservation({ ...twoPerInvocation, effects: [...effects, effect(7, 'k7')] });
      expect(oneEffectPerWrite.evaluate(seventh).findings[0]?.message).toBe(
        'the upstream committed 7 writes for 6 logical writes: they carried 7 different keys',
      );
    });

    // Known limitation (documented on the check): without keys, holdup cannot tell which
    // concurrent invocation a commit belongs to and compares totals, so an invocation that
    // committed nothing hides one that committed twice; no-blind-write-retry still fails there.
    it.fails('fails HU-WS-001 when one write was committed twice while a concurrent write committed nothing', () => {
      const o = writeObservation({
        schedule: { steps: [step('server-errors/internal-error', 1), step('write-safety/reset-after-commit', 2)] },
        trace: trace(write(0, 5, 500, undefined, { fault: 'server-errors/internal-error' }), resetWrite(1, 6), write(106, 111, 201)),
        effects: [effect(2, undefined), effect(3, undefined)],
        outcomes: [threw('HTTP 500'), returned(INVOICE)],
      });
      expect(oneEffectPerWrite.evaluate(o).verdict).toBe('fail');
    });
  });

  it.each([
    ['a read operation', writeObservation({ ...blindRetry, kind: 'read' })],
    ['a write whose control committed nothing', writeObservation({ ...blindRetry, golden: { value: INVOICE, effects: 0 } })],
    ['the control execution (no golden result)', writeObservation({ ...blindRetry, scenario: 'control', category: 'control', golden: undefined })],
  ])('is not applicable to %s', (_name, o) => {
    expect(oneEffectPerWrite.evaluate(o)).toMatchObject({ verdict: 'not-applicable', findings: [] });
  });

  it('emits only the codes it declares', () => {
    const findings = [blindRetry, newKeyRetry, droppedKeyRetry].flatMap((o) => oneEffectPerWrite.evaluate(o).findings);
    expect(findings.length).toBe(3);
    for (const finding of findings) expect(oneEffectPerWrite.codes).toHaveProperty(finding.code);
  });
});
