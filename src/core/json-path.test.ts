import { describe, expect, it } from 'vitest';
import { changeAt, formatJsonPath, parseJsonPath, placesIn, scalarsIn, valuesAt } from './json-path.js';
import type { Json } from './json.js';

describe('JSON paths', () => {
  it('reads back every path it writes, wildcards and odd keys included', () => {
    for (const segments of [['data', '*', 'amount_due'], ['lines', 'data', 0, 'id'], ['a b', "it's"], []]) {
      const path = formatJsonPath(segments);
      expect(parseJsonPath(path)).toEqual(segments);
    }
    expect(formatJsonPath(['data', '*', 'amount_due'])).toBe('$.data[*].amount_due');
  });

  it('refuses text that is not a path', () => {
    expect(parseJsonPath('data.amount')).toBeUndefined();
    expect(parseJsonPath('$.data[')).toBeUndefined();
  });

  it('lists the places of a body, arrays through their first element as [*]', () => {
    const places = placesIn({ data: [{ id: 'in_1', lines: { n: 1 } }, { id: 'in_2' }], more: true }).map((p) => formatJsonPath(p.segments));
    expect(places).toEqual(['$.data', '$.data[*]', '$.data[*].id', '$.data[*].lines', '$.data[*].lines.n', '$.more']);
  });

  it('changes every element a [*] path reaches, and says how many', () => {
    const body: Json = { data: [{ amount: 1 }, { amount: 2 }, { other: 3 }] };
    const reached = changeAt(body, ['data', '*', 'amount'], (parent, key) => {
      (parent as Record<string, Json>)[key] = 0;
    });
    expect(reached).toBe(2);
    expect(body).toEqual({ data: [{ amount: 0 }, { amount: 0 }, { other: 3 }] });
    expect(valuesAt(body, ['data', '*', 'other'])).toEqual([3]);
  });

  it('collects the strings and numbers a result carries', () => {
    expect([...scalarsIn({ a: [1, 'x', { b: null, c: true }] })]).toEqual([1, 'x']);
  });
});
