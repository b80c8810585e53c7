import { describe, expect, it } from 'vitest';
import type { Json, TraceEntry } from '../core/index.js';
import { correctOrLoud } from './correct-or-loud.js';
import { api, observation, returned, threw, trace } from './test-helpers.js';
import { toleratesAdditiveChanges } from './tolerates-additive-changes.js';

const GOLDEN: Json = { id: 'in_1', amount: 1200, status: 'open' };

function mutated(id: string, params: Record<string, Json>): TraceEntry[] {
  const entries = trace(api(0, 5, 200));
  (entries[0] as TraceEntry).fault = { id, params };
  return entries;
}

describe('correct-or-loud after a schema mutation', () => {
  it('fails HU-CL-001 with the field and both values when a retyped field is passed on', () => {
    const o = observation({
      trace: mutated('schema-drift/change-type', { path: '$.amount', from: 'number', to: 'string' }),
      outcomes: [returned({ ...(GOLDEN as object), amount: '1200' })],
      golden: { value: GOLDEN, effects: 0 },
    });
    expect(correctOrLoud.evaluate(o).findings[0]?.message).toBe(
      'returned data that differs from the golden result without an error: $.amount: golden 1200, actual "1200"',
    );
  });

  it('passes an added field carried through, but not another extra field', () => {
    const trace = mutated('schema-drift/extra-field', { path: '$', name: 'tax_rate', value: 0.2 });
    const golden = { value: GOLDEN, effects: 0 };
    expect(correctOrLoud.evaluate(observation({ trace, golden, outcomes: [returned({ ...(GOLDEN as object), tax_rate: 0.2 })] })).verdict).toBe('pass');
    expect(correctOrLoud.evaluate(observation({ trace, golden, outcomes: [returned({ ...(GOLDEN as object), other: 1 })] })).verdict).toBe('fail');
  });

  it('passes a new enum value carried through in place of the recorded one, but not a known value swapped in', () => {
    const trace = mutated('schema-drift/unknown-enum', { path: '$.status', from: 'open', to: 'archived' });
    const golden = { value: GOLDEN, effects: 0 };
    expect(correctOrLoud.evaluate(observation({ trace, golden, outcomes: [returned({ ...(GOLDEN as object), status: 'archived' })] })).verdict).toBe('pass');
    expect(correctOrLoud.evaluate(observation({ trace, golden, outcomes: [returned({ ...(GOLDEN as object), status: 'paid' })] })).verdict).toBe('fail');
  });
});

describe('tolerates-additive-changes', () => {
  it('fails HU-SD-002 when the operation throws on an added field', () => {
    const o = observation({
      trace: mutated('schema-drift/extra-field', { path: '$.data[*]', name: 'tax_rate', value: 0.2 }),
      outcomes: [threw('unknown field tax_rate', 'TypeError')],
    });
    expect(toleratesAdditiveChanges.evaluate(o)).toEqual({
      verdict: 'fail',
      findings: [
        {
          code: 'HU-SD-002',
          message: 'threw when the upstream only added the field "tax_rate" at $.data[*]: TypeError: unknown field tax_rate',
          details: { change: 'schema-drift/extra-field', path: '$.data[*]', error: 'TypeError: unknown field tax_rate' },
          seqs: [1],
        },
      ],
    });
  });

  it('passes an operation that returns after an added field', () => {
    const o = observation({ trace: mutated('schema-drift/extra-field', { path: '$', name: 'x', value: 1 }) });
    expect(toleratesAdditiveChanges.evaluate(o).verdict).toBe('pass');
  });

  it('lets an operation refuse a new value in a field its result carries', () => {
    const o = observation({
      trace: mutated('schema-drift/unknown-enum', { path: '$.status', from: 'open', to: 'archived' }),
      golden: { value: GOLDEN, effects: 0 },
      outcomes: [threw('unknown status archived')],
    });
    expect(toleratesAdditiveChanges.evaluate(o).verdict).toBe('not-applicable');
  });

  it('judges nothing after a breaking mutation', () => {
    const o = observation({ trace: mutated('schema-drift/remove-field', { path: '$.id' }), outcomes: [threw('missing id')] });
    expect(toleratesAdditiveChanges.evaluate(o).verdict).toBe('not-applicable');
  });
});
