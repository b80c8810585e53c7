import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { httpDate } from '../respond.js';

const PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n' +
  '<body><h1>Bad Gateway</h1><p>The upstream server is not responding. Please try again later.</p></body></html>\n';

export const htmlErrorPage = defineFault({
  id: 'silent-failure/html-error-page',
  category: 'silent-failure',
  summary: '200 OK with an HTML error page from a proxy in front of the API.',
  on: 'api',
  params: z.object({}),
  draw: () => ({}),
  apply: (_params, ctx) => ({
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', date: httpDate(ctx.epochMs) },
    body: PAGE,
  }),
});
