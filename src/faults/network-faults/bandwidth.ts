import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const bandwidth = defineFault({
  id: 'network-faults/bandwidth',
  category: 'network-faults',
  summary: 'The response crawls back at a few kilobytes a second (Toxiproxy `bandwidth`).',
  on: 'api',
  needs: 'network',
  params: z.object({ rateKbps: z.number().int().min(1).max(1_000_000).describe('kilobytes a second') }),
  draw: (rng, given) => ({ rateKbps: given.rateKbps ?? rng.int(2, 4) }),
  apply: ({ rateKbps }, ctx) => ({ ...ctx.next(), toxics: [{ type: 'bandwidth', attributes: { rate: rateKbps } }] }),
});
