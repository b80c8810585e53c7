import { z } from 'zod';
import {
  EVERY,
  changeAt,
  discoverPagination,
  headerValue,
  jsonOrUndefined,
  linkNext,
  parseJsonPath,
  valueAt,
  valuesAt,
  type DrawContext,
  type HttpRequestData,
  type Json,
  type PathSegment,
  type ReplayResponse,
} from '../core/index.js';

/**
 * What pagination faults know about how the operation pages, learnt from its control
 * execution (`discoverPagination`) and logged with the schedule. `style: 'none'` when the
 * operation fetched one page only: the faults then change nothing.
 */
const jsonPathParam = z.string().refine((value) => parseJsonPath(value) !== undefined, 'a JSON path like $.next_cursor');

export const PagingParams = z
  .object({
    style: z.enum(['cursor', 'link', 'none']).describe('how the pages link: a cursor in the body, a Link rel="next" header, or none seen'),
    method: z.string().nullable(),
    path: z.string().nullable().describe('the paginated request path'),
    firstQuery: z.string().nullable().describe("the first page's query (JSON), to tell it from later pages"),
    cursorParam: z.string().nullable().describe('the query parameter carrying the cursor'),
    cursorPath: jsonPathParam.nullable().describe('where the body gives the next cursor'),
    cursorFrom: z.enum(['field', 'last-item']).nullable().describe("the cursor is that field, or that field of the list's last item"),
    morePath: jsonPathParam.nullable().describe('the boolean that says more pages follow'),
  })
  .strict();
export type Paging = z.output<typeof PagingParams>;

const NONE: Paging = { style: 'none', method: null, path: null, firstQuery: null, cursorParam: null, cursorPath: null, cursorFrom: null, morePath: null };

export function drawPaging(given: Partial<Paging>, ctx: DrawContext): Paging {
  if (given.style !== undefined) return { ...NONE, ...given } as Paging;
  const found = ctx.control ? discoverPagination(ctx.control.trace) : undefined;
  if (!found) return NONE;
  const first = ctx.control?.trace.find((entry) => entry.stream === 'api' && entry.request.method === found.method && entry.request.path === found.path);
  return {
    ...NONE,
    style: found.style,
    method: found.method,
    path: found.path,
    firstQuery: first ? JSON.stringify(first.request.query) : null,
    ...(found.style === 'cursor' ? { cursorParam: found.cursorParam, cursorPath: found.cursorPath, cursorFrom: found.cursorFrom, morePath: found.morePath ?? null } : {}),
  };
}

/** Whether the request asks for a page of the paginated list. */
export function isPage(paging: Paging, request: HttpRequestData): boolean {
  return paging.style !== 'none' && request.method === paging.method && request.path === paging.path;
}

/** Whether it asks for the first page. */
export function isFirstPage(paging: Paging, request: HttpRequestData): boolean {
  return isPage(paging, request) && JSON.stringify(request.query) === paging.firstQuery;
}

/** The cursor the request carries, if any. */
export function cursorOf(paging: Paging, request: HttpRequestData): string | undefined {
  return paging.cursorParam ? request.query[paging.cursorParam]?.[0] : undefined;
}

/** `/v1/things?a=1&b=2` for a request (what a Link header points at). */
export function urlOf(request: HttpRequestData, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(request.query)) for (const value of values) query.append(name, value);
  for (const [name, value] of Object.entries(extra)) query.append(name, value);
  const search = query.toString();
  return `${request.path.split('/').map(encodeURIComponent).join('/')}${search ? `?${search}` : ''}`;
}

export function parseBody(response: ReplayResponse): Json | undefined {
  return jsonOrUndefined(response.body);
}

/**
 * Sets the value at a JSON path: an existing key, or a new key on an existing object. Missing
 * objects on the way are created when every segment is a name (`$.paging.next` on a last page
 * that omits `paging`): a fault looks for the place where it can act.
 */
export function setAt(body: Json, path: string, value: Json): boolean {
  const segments = parseJsonPath(path) as PathSegment[];
  const parentPath = segments.slice(0, -1);
  const key = segments.at(-1);
  if (key === undefined) return false;
  if (parentPath.every((segment) => typeof segment === 'string' && segment !== EVERY)) {
    let node: Json = body;
    for (const segment of parentPath as string[]) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
      const next: Json | undefined = node[segment];
      if (next === undefined || next === null) node[segment] = {};
      node = node[segment] as Json;
    }
  }
  let set = false;
  const assign = (parent: Json): void => {
    if (parent !== null && typeof parent === 'object' && !Array.isArray(parent) && typeof key === 'string') {
      parent[key] = value;
      set = true;
    }
  };
  if (parentPath.length === 0) assign(body);
  else changeAt(body, parentPath, (holder, k) => assign((holder as Record<string | number, Json>)[k] as Json));
  return set;
}

/** Whether the page says more follow: its Link has a next, or its cursor and "more" flag say so. */
export function saysMore(paging: Paging, response: ReplayResponse, body: Json | undefined): boolean {
  if (paging.style === 'link') return linkNext(headerValue(response.headers, 'link')) !== undefined;
  if (body === undefined || !paging.cursorPath) return false;
  const cursor = paging.cursorFrom === 'last-item' ? lastItemValue(body, paging.cursorPath) : valueAtPath(body, paging.cursorPath);
  const more = paging.morePath ? valueAtPath(body, paging.morePath) : true;
  return (typeof cursor === 'number' || (typeof cursor === 'string' && cursor !== '')) && more === true;
}


/** The list a `last-item` cursor path (`$.data[*].id`) runs through, and the key in its items. */
function lastItemPlace(body: Json, path: string): { list: Json[]; key: string } | undefined {
  const segments = parseJsonPath(path) ?? [];
  const key = segments.at(-1);
  const list = valuesAt(body, segments.slice(0, -2))[0];
  return Array.isArray(list) && typeof key === 'string' ? { list, key } : undefined;
}

function lastItemValue(body: Json, path: string): Json | undefined {
  const place = lastItemPlace(body, path);
  const last = place?.list.at(-1);
  return last !== null && typeof last === 'object' && !Array.isArray(last) && place ? last[place.key] : undefined;
}

/**
 * Puts `cursor` where the page gives the next cursor (a number when the page gives numbers and
 * the cursor is one); false when the page has no such place.
 */
export function setCursor(paging: Paging, body: Json, cursor: string): boolean {
  if (!paging.cursorPath) return false;
  const typed = (was: Json | undefined): Json => (typeof was === 'number' && /^-?\d+(\.\d+)?$/.test(cursor) ? Number(cursor) : cursor);
  if (paging.cursorFrom !== 'last-item') return setAt(body, paging.cursorPath, typed(valueAtPath(body, paging.cursorPath)));
  const place = lastItemPlace(body, paging.cursorPath);
  const last = place?.list.at(-1);
  if (!place || last === null || typeof last !== 'object' || Array.isArray(last)) return false;
  last[place.key] = typed(last[place.key]);
  return true;
}

/** The value at a JSON path written as text. */
function valueAtPath(body: Json, path: string): Json | undefined {
  return valueAt(body, parseJsonPath(path) ?? []);
}

