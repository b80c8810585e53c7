import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const latencyAboveDeadline = defineFault({
  id: 'latency-timeout/latency-above-deadline',
  category: 'latency-timeout',
  summary:
    'Every response is delayed (Toxiproxy `latency` with jitter) by longer than the whole deadline: the connector must give up on its own, before the deadline.',
  on: 'api',
  fails: true,
  needs: 'network',
  params: z.object({ latencyMs: z.number().int().min(0).max(600_000), jitterMs: z.number().int().min(0).max(600_000) }),
  draw: (rng, given, ctx) => {
    const latencyMs = given.latencyMs ?? ctx.deadlineMs + rng.int(2_000, 5_000);
    return { latencyMs, jitterMs: given.jitterMs ?? Math.round(latencyMs / 20) };
  },
  apply: ({ latencyMs, jitterMs }, ctx) => ({
    ...ctx.next(),
    toxics: [{ type: 'latency', attributes: { latency: latencyMs, jitter: jitterMs } }],
  }),
});
