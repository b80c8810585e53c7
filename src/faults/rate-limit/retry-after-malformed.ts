import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { errorBody, jsonResponse } from '../respond.js';

const MALFORMED = ['soon', '1.5s', '-1', 'Thu, 32 Foo 2026 99:99:99 GMT', ''] as const;

export const retryAfterMalformed = defineFault({
  id: 'rate-limit/retry-after-malformed',
  category: 'rate-limit',
  summary: '429 Too Many Requests with a `Retry-After` value that is neither seconds nor an HTTP-date.',
  on: 'api',
  fails: true,
  params: z.object({ value: z.string() }),
  draw: (rng, given) => ({ value: given.value ?? rng.pick(MALFORMED) }),
  apply: ({ value }, ctx) =>
    jsonResponse(429, errorBody('rate_limit_error', 'Too many requests.'), ctx.epochMs, { 'retry-after': value }),
});
