import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { httpDate } from '../respond.js';

export const emptyBody = defineFault({
  id: 'silent-failure/empty-body',
  category: 'silent-failure',
  summary: '200 OK with `Content-Type: application/json` and an empty body.',
  on: 'api',
  params: z.object({}),
  draw: () => ({}),
  apply: (_params, ctx) => ({
    status: 200,
    headers: { 'content-type': 'application/json', date: httpDate(ctx.epochMs) },
    body: '',
  }),
});
