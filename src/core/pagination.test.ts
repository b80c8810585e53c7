import { describe, expect, it } from 'vitest';
import type { TraceEntry } from './observation.js';
import { discoverPagination, linkNext } from './pagination.js';

function entry(seq: number, query: Record<string, string[]>, body: unknown, headers: Record<string, string> = {}): TraceEntry {
  return {
    seq,
    stream: 'api',
    streamIndex: seq,
    startMs: seq,
    endMs: seq,
    request: { method: 'GET', path: '/v2/items', query, headers: {}, body: '' },
    response: { status: 200, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
    delivery: 'normal',
  };
}

describe('discoverPagination', () => {
  it('finds a cursor the next request took from the previous body, and the flag that says more follow', () => {
    const trace = [
      entry(1, { limit: ['2'] }, { items: [1, 2], meta: { next: 'abc', more: true } }),
      entry(2, { limit: ['2'], after: ['abc'] }, { items: [3], meta: { next: null, more: false } }),
    ];
    expect(discoverPagination(trace)).toEqual({
      style: 'cursor',
      method: 'GET',
      path: '/v2/items',
      cursorParam: 'after',
      cursorPath: '$.meta.next',
      cursorFrom: 'field',
      morePath: '$.meta.more',
    });
  });

  it("finds a cursor taken from the last item of the previous page (Stripe's starting_after)", () => {
    const trace = [
      entry(1, { limit: ['2'] }, { data: [{ id: 'ch_1' }, { id: 'ch_2' }], has_more: true }),
      entry(2, { limit: ['2'], starting_after: ['ch_2'] }, { data: [{ id: 'ch_3' }], has_more: false }),
    ];
    expect(discoverPagination(trace)).toEqual({
      style: 'cursor',
      method: 'GET',
      path: '/v2/items',
      cursorParam: 'starting_after',
      cursorPath: '$.data[*].id',
      cursorFrom: 'last-item',
      morePath: '$.has_more',
    });
  });

  it('finds a numeric cursor, the query carrying it as text', () => {
    const trace = [entry(1, {}, [{ id: 1 }, { id: 2 }]), entry(2, { after: ['2'] }, [{ id: 3 }])];
    expect(discoverPagination(trace)).toMatchObject({ style: 'cursor', cursorParam: 'after', cursorPath: '$[*].id', cursorFrom: 'last-item' });
    const pages = [entry(1, {}, { items: [1], next: 2 }), entry(2, { page: ['2'] }, { items: [2], next: null })];
    expect(discoverPagination(pages)).toMatchObject({ cursorParam: 'page', cursorPath: '$.next', cursorFrom: 'field' });
  });

  it('finds Link rel="next" pagination, absolute or relative', () => {
    const trace = [
      entry(1, { page: ['1'] }, [1, 2], { link: '<https://api.example.test/v2/items?page=2>; rel="next", <https://api.example.test/v2/items?page=9>; rel="last"' }),
      entry(2, { page: ['2'] }, [3]),
    ];
    expect(discoverPagination(trace)).toEqual({ style: 'link', method: 'GET', path: '/v2/items' });
  });

  it('finds none in an operation that fetched one page', () => {
    expect(discoverPagination([entry(1, {}, { items: [1], next: 'abc' })])).toBeUndefined();
  });

  it('reads the next link among several relations', () => {
    expect(linkNext('</a?page=1>; rel="prev", </a?page=3>; rel="next"')).toBe('/a?page=3');
    expect(linkNext('</a?page=1>; rel="prev"')).toBeUndefined();
  });
});
