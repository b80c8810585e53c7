import { defineFault, type Json } from '../../core/index.js';
import { cursorOf, drawPaging, isFirstPage, isPage, PagingParams, parseBody, setAt, setCursor, urlOf } from '../pages.js';

/** The cursor (or, for Link pagination, the value of the query parameter `LINK_PARAM`) of the page holdup inserts; asking for it gets the real first page. */
export const EMPTY_PAGE_MARKER = 'holdup-empty-page';
const LINK_PARAM = 'holdup_page';

/** Empties the lists in a page: the body itself when it is an array, else its top-level arrays. */
function emptied(body: Json): Json {
  if (Array.isArray(body)) return [];
  if (body === null || typeof body !== 'object') return body;
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, Array.isArray(value) ? [] : value]));
}

export const emptyPage = defineFault({
  id: 'pagination/empty-page',
  category: 'pagination',
  summary:
    'An empty page that says more follow comes before the real first page (as a search index catching up does): a client must follow it, not stop with an empty list.',
  on: 'api',
  derived: true,
  params: PagingParams,
  draw: (_rng, given, ctx) => drawPaging(given, ctx),
  apply: (paging, ctx) => {
    const { request } = ctx;
    if (!isPage(paging, request)) return { ...ctx.next(), untouched: true };
    const marker = paging.style === 'link' ? request.query[LINK_PARAM]?.[0] : cursorOf(paging, request);
    if (marker === EMPTY_PAGE_MARKER) {
      // the page after the inserted one is the real first page
      const query = { ...request.query };
      delete query[paging.style === 'link' ? LINK_PARAM : (paging.cursorParam as string)];
      return ctx.next({ ...request, query });
    }
    const response = ctx.next();
    if (!isFirstPage(paging, request) || response.status < 200 || response.status >= 300) return { ...response, untouched: true };
    const body = parseBody(response);
    if (body === undefined) return { ...response, untouched: true };
    const empty = emptied(body);
    if (paging.style === 'link') {
      // the first page's Link header gives way to one whose next is the real first page
      const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => name.toLowerCase() !== 'link'));
      return { ...response, body: JSON.stringify(empty), headers: { ...headers, link: `<${urlOf(request, { [LINK_PARAM]: EMPTY_PAGE_MARKER })}>; rel="next"` } };
    }
    // a cursor taken from the last item cannot come from an empty page: nothing to insert
    if (!setCursor(paging, empty, EMPTY_PAGE_MARKER)) return { ...response, untouched: true };
    if (paging.morePath) setAt(empty, paging.morePath, true);
    return { ...response, body: JSON.stringify(empty) };
  },
});
