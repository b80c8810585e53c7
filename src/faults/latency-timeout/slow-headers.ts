import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const slowHeaders = defineFault({
  id: 'latency-timeout/slow-headers',
  category: 'latency-timeout',
  summary:
    'The upstream accepts the request and holds the status line and headers back for longer than the deadline (the connection is up; nothing is sent).',
  on: 'api',
  params: z.object({ delayMs: z.number().int().min(0).max(600_000) }),
  draw: (rng, given, ctx) => ({ delayMs: given.delayMs ?? ctx.deadlineMs + rng.int(2_000, 5_000) }),
  apply: ({ delayMs }, ctx) => ({ ...ctx.next(), headersDelayMs: delayMs }),
});
