import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const resetPeer = defineFault({
  id: 'network-faults/reset-peer',
  category: 'network-faults',
  summary: 'The upstream processes the request; the connection is reset (TCP RST, Toxiproxy `reset_peer`) as the response starts back.',
  on: 'api',
  fails: true,
  needs: 'network',
  params: z.object({ timeoutMs: z.number().int().min(0).max(10_000) }),
  draw: (_rng, given) => ({ timeoutMs: given.timeoutMs ?? 0 }),
  apply: ({ timeoutMs }, ctx) => ({ ...ctx.next(), toxics: [{ type: 'reset_peer', attributes: { timeout: timeoutMs } }] }),
});
