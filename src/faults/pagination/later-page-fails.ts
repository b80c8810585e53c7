import { defineFault } from '../../core/index.js';
import { jsonResponse, errorBody } from '../respond.js';
import { drawPaging, isFirstPage, isPage, PagingParams } from '../pages.js';

export const laterPageFails = defineFault({
  id: 'pagination/later-page-fails',
  category: 'pagination',
  summary: 'Every page after the first answers 500: a client must fail loudly, never return the first pages as the whole list.',
  on: 'api',
  fails: true,
  derived: true,
  params: PagingParams,
  draw: (_rng, given, ctx) => drawPaging(given, ctx),
  apply: (paging, ctx) => {
    if (!isPage(paging, ctx.request) || isFirstPage(paging, ctx.request)) return { ...ctx.next(), untouched: true };
    return jsonResponse(500, errorBody('api_error', 'An unexpected error occurred while listing.'), ctx.epochMs);
  },
});
