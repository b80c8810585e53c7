import { defineFault, type Json } from '../../core/index.js';
import { withHeaderValue } from '../respond.js';
import { cursorOf, drawPaging, isPage, PagingParams, parseBody, saysMore, setAt, setCursor, urlOf } from '../pages.js';

export const repeatedCursor = defineFault({
  id: 'pagination/repeated-cursor',
  category: 'pagination',
  summary:
    'The last page says more follow and points back at itself (its own cursor, or a Link rel="next" to its own URL): a client that trusts it pages forever.',
  on: 'api',
  derived: true,
  params: PagingParams,
  draw: (_rng, given, ctx) => drawPaging(given, ctx),
  apply: (paging, ctx) => {
    const response = ctx.next();
    const untouched = { ...response, untouched: true as const };
    if (!isPage(paging, ctx.request) || response.status < 200 || response.status >= 300) return untouched;
    const body = parseBody(response);
    if (saysMore(paging, response, body)) return untouched;
    if (paging.style === 'link') {
      return { ...response, headers: withHeaderValue(response.headers, 'link', `<${urlOf(ctx.request)}>; rel="next"`) };
    }
    const cursor = cursorOf(paging, ctx.request);
    if (cursor === undefined || body === undefined || !paging.cursorPath) return untouched;
    const changed = body as Json;
    // a last page without the place the cursor goes is left alone: nothing was repeated
    if (!setCursor(paging, changed, cursor)) return untouched;
    if (paging.morePath) setAt(changed, paging.morePath, true);
    return { ...response, body: JSON.stringify(changed) };
  },
});
