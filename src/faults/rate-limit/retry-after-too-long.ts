import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { errorBody, jsonResponse } from '../respond.js';

export const retryAfterTooLong = defineFault({
  id: 'rate-limit/retry-after-too-long',
  category: 'rate-limit',
  summary: '429 Too Many Requests asking for a wait far longer than the connector\'s deadline.',
  on: 'api',
  fails: true,
  params: z.object({ seconds: z.number().int().min(1) }),
  draw: (rng, given, ctx) => ({ seconds: given.seconds ?? Math.ceil(ctx.deadlineMs / 1000) * rng.int(6, 360) }),
  apply: ({ seconds }, ctx) =>
    jsonResponse(429, errorBody('rate_limit_error', 'Daily quota exhausted.'), ctx.epochMs, {
      'retry-after': String(seconds),
    }),
});
