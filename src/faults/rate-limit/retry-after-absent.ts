import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { errorBody, jsonResponse } from '../respond.js';

export const retryAfterAbsent = defineFault({
  id: 'rate-limit/retry-after-absent',
  category: 'rate-limit',
  summary: '429 Too Many Requests with no hint of how long to wait.',
  on: 'api',
  fails: true,
  params: z.object({}),
  draw: () => ({}),
  apply: (_params, ctx) => jsonResponse(429, errorBody('rate_limit_error', 'Too many requests.'), ctx.epochMs),
});
