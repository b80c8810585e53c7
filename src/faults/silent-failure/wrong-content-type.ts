import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { httpDate } from '../respond.js';

export const wrongContentType = defineFault({
  id: 'silent-failure/wrong-content-type',
  category: 'silent-failure',
  summary: '200 OK with `Content-Type: text/plain` and a plain-text notice instead of JSON.',
  on: 'api',
  params: z.object({}),
  draw: () => ({}),
  apply: (_params, ctx) => ({
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8', date: httpDate(ctx.epochMs) },
    body: 'Service temporarily unavailable. Please retry later.\n',
  }),
});
