import { headerValue, type HttpRequestData } from './http.js';
import { EVERY, formatJsonPath, isJsonObject, placesIn, valueAt, valuesAt, type PathSegment } from './json-path.js';
import { jsonOrUndefined, type Json } from './json.js';
import type { TraceEntry } from './observation.js';

/**
 * How an operation pages through a list, learnt from its control execution: the pages are
 * consecutive requests to the same method and path, and each next request was built from the
 * previous response — a cursor taken from its body, or the URL of its `Link: rel="next"`.
 */
export type Pagination =
  | {
      style: 'cursor';
      method: string;
      path: string;
      /** The query parameter that carries the cursor (`starting_after`). */
      cursorParam: string;
      /**
       * Where the previous page's body gave it: a field (`$.next_cursor`), or, with
       * `cursorFrom: 'last-item'`, a field of the last item of a list (`$.data[*].id`, Stripe's
       * `starting_after`).
       */
      cursorPath: string;
      cursorFrom: 'field' | 'last-item';
      /** A boolean in the body that is true while more pages follow (`$.has_more`), when there is one. */
      morePath?: string;
    }
  | { style: 'link'; method: string; path: string };

/** The URL of a `Link` header's `rel="next"`, or `undefined`. */
export function linkNext(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel="?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}


/** Whether `url` (absolute or relative) names this request's path and query. */
export function sameRequestUrl(url: string, request: HttpRequestData): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://upstream.invalid');
  } catch {
    return false;
  }
  if (decodeURIComponent(parsed.pathname) !== request.path) return false;
  const query = new URLSearchParams(parsed.search);
  const names = new Set([...query.keys(), ...Object.keys(request.query)]);
  for (const name of names) {
    if (JSON.stringify(query.getAll(name)) !== JSON.stringify(request.query[name] ?? [])) return false;
  }
  return true;
}

/** Where a cursor value appears in a body: a field outside lists, or a field of a list's last item. */
function placeOf(body: Json, value: string): { segments: PathSegment[]; from: 'field' | 'last-item' } | undefined {
  const places = placesIn(body);
  // a cursor travels in a query as text: a number in the body (`next: 2`, `id: 2`) counts
  const same = (v: Json | undefined) => (typeof v === 'string' || typeof v === 'number') && String(v) === value;
  const field = places.find((place) => same(place.value) && !place.segments.includes(EVERY));
  if (field) return { segments: field.segments, from: 'field' };
  for (const place of places) {
    if (place.segments.at(-1) !== EVERY || place.segments.slice(0, -1).includes(EVERY)) continue;
    const list = valuesAt(body, place.segments.slice(0, -1))[0];
    const last = Array.isArray(list) ? list.at(-1) : undefined;
    if (!isJsonObject(last ?? null)) continue;
    const key = Object.entries(last as { [key: string]: Json }).find(([, v]) => same(v))?.[0];
    if (key !== undefined) return { segments: [...place.segments, key], from: 'last-item' };
  }
  return undefined;
}

/** A boolean true on `page` that is not true on `last`: what says more pages follow. */
function morePlace(page: Json, last: Json | undefined): string | undefined {
  for (const place of placesIn(page)) {
    if (place.value !== true || place.segments.includes('*')) continue;
    if (valueAt(last, place.segments) !== true) return formatJsonPath(place.segments);
  }
  return undefined;
}

export function discoverPagination(trace: readonly TraceEntry[]): Pagination | undefined {
  const api = trace.filter((entry) => entry.stream === 'api' && entry.response).sort((a, b) => a.seq - b.seq);
  for (let i = 0; i + 1 < api.length; i++) {
    const page = api[i] as TraceEntry;
    const next = api[i + 1] as TraceEntry;
    if (page.request.method !== next.request.method || page.request.path !== next.request.path) continue;
    const response = page.response;
    if (!response || response.status < 200 || response.status >= 300) continue;
    const { method, path } = page.request;
    const link = linkNext(headerValue(response.headers, 'link'));
    if (link !== undefined && sameRequestUrl(link, next.request)) return { style: 'link', method, path };
    const body = jsonOrUndefined(response.body);
    if (body === undefined) continue;
    for (const [name, values] of Object.entries(next.request.query)) {
      const value = values[0];
      if (value === undefined || JSON.stringify(page.request.query[name]) === JSON.stringify(values)) continue;
      const found = placeOf(body, value);
      if (!found) continue;
      const pages = api.filter((e) => e.request.method === method && e.request.path === path);
      const more = morePlace(body, jsonOrUndefined(pages.at(-1)?.response?.body ?? ''));
      return {
        style: 'cursor',
        method,
        path,
        cursorParam: name,
        cursorPath: formatJsonPath(found.segments),
        cursorFrom: found.from,
        ...(more ? { morePath: more } : {}),
      };
    }
  }
  return undefined;
}
