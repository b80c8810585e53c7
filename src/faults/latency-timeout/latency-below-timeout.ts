import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const latencyBelowTimeout = defineFault({
  id: 'latency-timeout/latency-below-timeout',
  category: 'latency-timeout',
  summary:
    "Every response is delayed (Toxiproxy `latency` with jitter), by well under the connector's own request timeout: it must still succeed.",
  on: 'api',
  needs: 'network',
  params: z.object({ latencyMs: z.number().int().min(0).max(600_000), jitterMs: z.number().int().min(0).max(600_000) }),
  draw: (rng, given, ctx) => {
    // a quarter of the connector's timeout when it states one, and never more than 1/20 of the deadline
    const ceiling = Math.min((ctx.requestTimeoutMs ?? ctx.deadlineMs / 5) / 4, ctx.deadlineMs / 20);
    const latencyMs = given.latencyMs ?? Math.max(1, Math.round(ceiling * (0.5 + rng.next() * 0.4)));
    return { latencyMs, jitterMs: given.jitterMs ?? Math.round(latencyMs / 10) };
  },
  apply: ({ latencyMs, jitterMs }, ctx) => ({
    ...ctx.next(),
    toxics: [{ type: 'latency', attributes: { latency: latencyMs, jitter: jitterMs } }],
  }),
});
