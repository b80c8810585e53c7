import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { errorBody, jsonResponse } from '../respond.js';

export const retryAfterSeconds = defineFault({
  id: 'rate-limit/retry-after-seconds',
  category: 'rate-limit',
  summary: '429 Too Many Requests with `Retry-After` in seconds.',
  on: 'api',
  fails: true,
  params: z.object({ seconds: z.number().int().min(0).max(86_400) }),
  draw: (rng, given) => ({ seconds: given.seconds ?? rng.int(1, 2) }),
  apply: ({ seconds }, ctx) =>
    jsonResponse(429, errorBody('rate_limit_error', 'Too many requests. Slow down.'), ctx.epochMs, {
      'retry-after': String(seconds),
    }),
});
