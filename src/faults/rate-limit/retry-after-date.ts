import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { errorBody, httpDate, jsonResponse } from '../respond.js';

export const retryAfterDate = defineFault({
  id: 'rate-limit/retry-after-date',
  category: 'rate-limit',
  summary: '429 Too Many Requests with `Retry-After` as an HTTP-date, `seconds` after the response `Date`.',
  on: 'api',
  fails: true,
  params: z.object({ seconds: z.number().int().min(1).max(86_400) }),
  draw: (rng, given) => ({ seconds: given.seconds ?? rng.int(2, 3) }),
  apply: ({ seconds }, ctx) =>
    jsonResponse(429, errorBody('rate_limit_error', 'Too many requests. Slow down.'), ctx.epochMs, {
      'retry-after': httpDate(ctx.epochMs + seconds * 1000),
    }),
});
