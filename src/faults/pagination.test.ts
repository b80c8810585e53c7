import { describe, expect, it } from 'vitest';
import { createRng, type FaultContext, type HttpRequestData, type Json, type ReplayResponse, type TraceEntry } from '../core/index.js';
import { FAULTS } from './index.js';

/** An upstream of two pages: `?limit=2` gives 1, 2 and cursor c2; `?limit=2&after=c2` gives 3 and no cursor. */
function upstream(request: HttpRequestData): ReplayResponse {
  const later = request.query['after']?.[0] === 'c2';
  const body = later ? { items: [3], next: null, more: false } : { items: [1, 2], next: 'c2', more: true };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function request(query: Record<string, string[]>): HttpRequestData {
  return { method: 'GET', path: '/v1/items', query, headers: {}, body: '' };
}

const FIRST = request({ limit: ['2'] });
const SECOND = request({ limit: ['2'], after: ['c2'] });

function controlTrace(): TraceEntry[] {
  return [FIRST, SECOND].map((req, index) => ({
    seq: index + 1,
    stream: 'api',
    streamIndex: index + 1,
    startMs: index,
    endMs: index,
    request: req,
    response: upstream(req),
    delivery: 'normal',
  }));
}

function apply(id: string, req: HttpRequestData): { response: ReplayResponse; forwarded: HttpRequestData[] } {
  const fault = FAULTS.get(id);
  if (!fault) throw new Error(id);
  const params = fault.draw(createRng(1), {}, { deadlineMs: 10_000, control: { trace: controlTrace(), golden: [1, 2, 3] } });
  const forwarded: HttpRequestData[] = [];
  const ctx: FaultContext = {
    request: req,
    interaction: undefined,
    nowMs: 0,
    epochMs: 0,
    tokens: { expireAccessTokens: () => {}, revokeRefreshTokens: () => {} },
    next: (instead) => {
      forwarded.push(instead ?? req);
      return upstream(instead ?? req);
    },
  };
  return { response: fault.apply(params, ctx), forwarded };
}

const body = (response: ReplayResponse): Json => JSON.parse(response.body) as Json;

describe('pagination faults', () => {
  it('learn the cursor and the "more" flag from the control run', () => {
    expect(FAULTS.get('pagination/repeated-cursor')?.draw(createRng(1), {}, { deadlineMs: 1, control: { trace: controlTrace(), golden: [] } })).toEqual({
      style: 'cursor',
      method: 'GET',
      path: '/v1/items',
      firstQuery: '{"limit":["2"]}',
      cursorParam: 'after',
      cursorPath: '$.next',
      morePath: '$.more',
    });
  });

  it('repeated-cursor makes the last page point back at itself, and leaves the others alone', () => {
    expect(body(apply('pagination/repeated-cursor', SECOND).response)).toEqual({ items: [3], next: 'c2', more: true });
    expect(apply('pagination/repeated-cursor', FIRST).response.untouched).toBe(true);
  });

  it('later-page-fails answers 500 to every page but the first', () => {
    expect(apply('pagination/later-page-fails', SECOND).response.status).toBe(500);
    expect(apply('pagination/later-page-fails', FIRST).response.untouched).toBe(true);
  });

  it('empty-page answers the first request with an empty page that says more follow, whose cursor leads to the real first page', () => {
    const empty = body(apply('pagination/empty-page', FIRST).response) as { items: Json[]; next: string; more: boolean };
    expect(empty).toEqual({ items: [], next: 'holdup-empty-page', more: true });
    const { response, forwarded } = apply('pagination/empty-page', request({ limit: ['2'], after: [empty.next] }));
    expect(forwarded).toEqual([FIRST]);
    expect(body(response)).toEqual({ items: [1, 2], next: 'c2', more: true });
  });

  it('change nothing for an operation that fetched one page', () => {
    const fault = FAULTS.get('pagination/repeated-cursor');
    const params = fault?.draw(createRng(1), {}, { deadlineMs: 1, control: { trace: controlTrace().slice(0, 1), golden: [] } });
    expect(params?.['style']).toBe('none');
  });
});
