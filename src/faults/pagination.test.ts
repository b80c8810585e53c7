import { describe, expect, it } from 'vitest';
import { createRng, type FaultContext, type HttpRequestData, type Json, type ReplayResponse, type TraceEntry } from '../core/index.js';
import { FAULTS } from './index.js';

type Upstream = (request: HttpRequestData) => ReplayResponse;

/** The control trace of an operation that asked for `pages` in turn from `upstream`. */
function controlOf(upstream: Upstream, pages: HttpRequestData[]): TraceEntry[] {
  return pages.map((req, index) => ({
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

/** Draws the fault from that control run (`override` replaces drawn params) and applies it to `req`; `forwarded` is what reached the upstream. */
function applyFault(
  id: string,
  upstream: Upstream,
  control: TraceEntry[],
  req: HttpRequestData,
  override: Record<string, Json> = {},
): { response: ReplayResponse; forwarded: HttpRequestData[] } {
  const fault = FAULTS.get(id);
  if (!fault) throw new Error(id);
  const params = { ...fault.draw(createRng(1), {}, { deadlineMs: 10_000, control: { trace: control, golden: [] } }), ...override };
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
const controlTrace = (): TraceEntry[] => controlOf(upstream, [FIRST, SECOND]);
const apply = (id: string, req: HttpRequestData) => applyFault(id, upstream, controlTrace(), req);

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
      cursorFrom: 'field',
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

describe('pagination faults on Link rel="next" pagination', () => {
  /** GitHub-like: a bare array per page, the next page in the Link header. */
  function linked(request: HttpRequestData): ReplayResponse {
    const page = request.query['page']?.[0] ?? '1';
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (page === '1') headers['link'] = '</v1/items?page=2>; rel="next"';
    return { status: 200, headers, body: JSON.stringify(page === '1' ? [1, 2] : [3]) };
  }
  const page = (n: string, extra: Record<string, string[]> = {}) => request({ page: [n], ...extra });
  const control = controlOf(linked, [page('1'), page('2')]);
  const applyLinked = (id: string, req: HttpRequestData) => applyFault(id, linked, control, req);

  it('repeated-cursor links the last page to itself', () => {
    expect(applyLinked('pagination/repeated-cursor', page('2')).response.headers['link']).toBe('</v1/items?page=2>; rel="next"');
  });

  it('empty-page links an empty first page to the real one', () => {
    const first = applyLinked('pagination/empty-page', page('1')).response;
    expect(first.body).toBe('[]');
    expect(first.headers['link']).toBe('</v1/items?page=1&holdup_page=holdup-empty-page>; rel="next"');
    const { response, forwarded } = applyLinked('pagination/empty-page', page('1', { holdup_page: ['holdup-empty-page'] }));
    expect(forwarded).toEqual([page('1')]);
    expect(response.body).toBe('[1,2]');
  });
});

describe("pagination faults on a cursor taken from the last item (Stripe's starting_after)", () => {
  function stripe(request: HttpRequestData): ReplayResponse {
    const later = request.query['starting_after']?.[0] === 'ch_2';
    const body = later ? { data: [{ id: 'ch_3' }], has_more: false } : { data: [{ id: 'ch_1' }, { id: 'ch_2' }], has_more: true };
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  }
  const first = request({ limit: ['2'] });
  const second = request({ limit: ['2'], starting_after: ['ch_2'] });
  const control = controlOf(stripe, [first, second]);
  const applyStripe = (id: string, req: HttpRequestData) => applyFault(id, stripe, control, req).response;

  it('repeated-cursor makes the last page end with the item it started after, and say more follow', () => {
    expect(JSON.parse(applyStripe('pagination/repeated-cursor', second).body)).toEqual({ data: [{ id: 'ch_2' }], has_more: true });
  });

  it('empty-page changes nothing: an empty page has no last item to carry the cursor', () => {
    expect(applyStripe('pagination/empty-page', first).untouched).toBe(true);
  });
});

describe('repeated-cursor on a last page without the cursor field', () => {
  it('puts the cursor it was asked for where the first page gave one, and says more follow (issue #11: it must find a place to act)', () => {
    // the cursor sits in an object the last page does not have at all
    const noCursor: Upstream = (req) => (req === SECOND ? { status: 200, headers: {}, body: '{"items":[3]}' } : upstream(req));
    const { response } = applyFault('pagination/repeated-cursor', noCursor, controlTrace(), SECOND, { cursorPath: '$.meta.next' });
    expect(response.untouched).toBeUndefined();
    expect(body(response)).toEqual({ items: [3], meta: { next: 'c2' }, more: true });
  });

  it('leaves a page alone when the cursor path runs through a list it cannot create', () => {
    const noCursor: Upstream = (req) => (req === SECOND ? { status: 200, headers: {}, body: '{"items":[3]}' } : upstream(req));
    const { response } = applyFault('pagination/repeated-cursor', noCursor, controlTrace(), SECOND, { cursorPath: '$.links[0].next' });
    expect(response.untouched).toBe(true);
  });
});
