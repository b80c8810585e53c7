import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../core/index.js';
import { noTruncatedList } from './no-truncated-list.js';
import { stopsOnRepeatedCursor } from './stops-on-repeated-cursor.js';
import { surfacesDeprecation } from './surfaces-deprecation.js';
import { GOLDEN, api, hung, observation, returned, threw, trace } from './test-helpers.js';

function faulted(entries: TraceEntry[], id: string, indexes: number[]): TraceEntry[] {
  for (const index of indexes) (entries[index] as TraceEntry).fault = { id, params: {} };
  return entries;
}

describe('surfaces-deprecation', () => {
  const notice = () => trace(api(0, 5, 200, { headers: { deprecation: '@1767225600' } }), api(10, 15, 200, { headers: { sunset: 'Fri, 01 Jan 2027 00:00:00 GMT' } }));

  it('passes when a warning reached the connector\'s warn()', () => {
    const o = observation({ trace: notice(), warnings: [{ source: 'warn', message: 'GET /v1/invoices is deprecated', atMs: 6 }] });
    expect(surfacesDeprecation.evaluate(o).verdict).toBe('pass');
  });

  it('fails HU-DP-001 naming the header when no warning came', () => {
    expect(surfacesDeprecation.evaluate(observation({ trace: notice() })).findings).toEqual([
      {
        code: 'HU-DP-001',
        message:
          'no warning after 2 responses saying the endpoint is deprecated (GET /v1/invoices: Deprecation: @1767225600); nothing reached warn(), console.warn, console.error or process.emitWarning',
        details: { responses: 2, headers: 'Deprecation: @1767225600' },
        seqs: [1, 2],
      },
    ]);
  });

  it('fails when the warnings after the notice are about something else (a retry logged to stderr), saying so', () => {
    const o = observation({ trace: notice(), warnings: [{ source: 'console.error', message: 'retrying GET /v1/invoices?page=2 in 200 ms', atMs: 6 }] });
    const result = surfacesDeprecation.evaluate(o);
    expect(result.verdict).toBe('fail');
    expect(result.findings[0]?.message).toMatch(/1 other warning \(first: "retrying GET \/v1\/invoices\?page=2 in 200 ms"\) did not mention it$/);
  });

  it.each([
    ['says it is deprecated', 'DeprecationWarning: the invoices API is deprecated'],
    ['says when it goes away', 'billing: endpoint will be shut down on 2027-01-01'],
    ['quotes the header', 'Sunset: Fri, 01 Jan 2027 00:00:00 GMT'],
  ])('passes a warning that %s', (_, message) => {
    const o = observation({ trace: notice(), warnings: [{ source: 'console.warn', message, atMs: 6 }] });
    expect(surfacesDeprecation.evaluate(o).verdict).toBe('pass');
  });

  it('does not count a warning given before the first notice', () => {
    const late = trace(api(100, 105, 200, { headers: { deprecation: '@1767225600' } }));
    const o = observation({ trace: late, warnings: [{ source: 'process.emitWarning', message: 'MaxListenersExceededWarning', atMs: 50 }] });
    expect(surfacesDeprecation.evaluate(o).verdict).toBe('fail');
  });

  it('judges nothing when no response carried a notice', () => {
    expect(surfacesDeprecation.evaluate(observation()).verdict).toBe('not-applicable');
  });
});

describe('stops-on-repeated-cursor', () => {
  const pages = () => faulted(trace(api(0, 5, 200), api(10, 15, 200), api(20, 25, 200)), 'pagination/repeated-cursor', [1, 2]);

  it('passes an operation that stops with an error', () => {
    expect(stopsOnRepeatedCursor.evaluate(observation({ trace: pages(), outcomes: [threw('cursor repeated')] })).verdict).toBe('pass');
  });

  it('fails HU-PG-001 when the operation returns what it collected', () => {
    expect(stopsOnRepeatedCursor.evaluate(observation({ trace: pages(), outcomes: [returned([1, 2, 3, 3])] })).findings[0]?.message).toBe(
      'returned a result without an error after 3 page requests while GET /v1/invoices kept answering with a next page that points at itself',
    );
  });

  it('fails HU-PG-001 when it pages until the deadline', () => {
    expect(stopsOnRepeatedCursor.evaluate(observation({ trace: pages(), outcomes: [hung()] })).findings[0]?.message).toBe(
      'kept paging until the 10000 ms deadline: 3 page requests while GET /v1/invoices kept answering with a next page that points at itself',
    );
  });
});

describe('no-truncated-list', () => {
  const failing = () => faulted(trace(api(0, 5, 200), api(10, 15, 500)), 'pagination/later-page-fails', [1]);
  const golden = { value: { data: [1, 2, 3] }, effects: 0 };

  it('fails HU-PG-002 with how many items came back', () => {
    expect(noTruncatedList.evaluate(observation({ trace: failing(), golden, outcomes: [returned({ data: [1, 2] })] })).findings).toEqual([
      {
        code: 'HU-PG-002',
        message: 'returned 2 of the 3 items at $.data without an error, after a later page failed',
        details: { path: '$.data', golden: 3, actual: 2 },
        seqs: [2],
      },
    ]);
  });

  it('passes an error, and the whole list', () => {
    expect(noTruncatedList.evaluate(observation({ trace: failing(), golden, outcomes: [threw('page 2 failed')] })).verdict).toBe('pass');
    expect(noTruncatedList.evaluate(observation({ trace: failing(), golden, outcomes: [returned({ data: [1, 2, 3] })] })).verdict).toBe('pass');
  });

  it('judges nothing without a page fault', () => {
    expect(noTruncatedList.evaluate(observation({ outcomes: [returned(GOLDEN)] })).verdict).toBe('not-applicable');
  });
});
