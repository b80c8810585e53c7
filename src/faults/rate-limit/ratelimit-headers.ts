import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { errorBody, jsonResponse } from '../respond.js';

export const ratelimitHeaders = defineFault({
  id: 'rate-limit/ratelimit-headers',
  category: 'rate-limit',
  summary:
    '429 without Retry-After; the wait is only in `RateLimit` (IETF draft) and `X-RateLimit-*` (epoch reset) headers.',
  on: 'api',
  fails: true,
  params: z.object({ seconds: z.number().int().min(1).max(3600), limit: z.number().int().min(1) }),
  draw: (rng, given) => ({ seconds: given.seconds ?? rng.int(1, 2), limit: given.limit ?? rng.pick([60, 100, 5000]) }),
  apply: ({ seconds, limit }, ctx) =>
    jsonResponse(429, errorBody('rate_limit_error', 'Rate limit exceeded.'), ctx.epochMs, {
      ratelimit: `limit=${limit}, remaining=0, reset=${seconds}`,
      'ratelimit-policy': `${limit};w=60`,
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil(ctx.epochMs / 1000) + seconds),
    }),
});
