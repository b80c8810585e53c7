import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { errorBody, jsonResponse } from '../respond.js';

export const unavailableRetryAfter = defineFault({
  id: 'server-errors/unavailable-retry-after',
  category: 'server-errors',
  summary: '503 Service Unavailable with `Retry-After` in seconds (maintenance window).',
  on: 'api',
  fails: true,
  params: z.object({ seconds: z.number().int().min(0).max(86_400) }),
  draw: (rng, given) => ({ seconds: given.seconds ?? rng.int(1, 2) }),
  apply: ({ seconds }, ctx) =>
    jsonResponse(503, errorBody('api_error', 'Down for maintenance.'), ctx.epochMs, { 'retry-after': String(seconds) }),
});
