import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const limitData = defineFault({
  id: 'network-faults/limit-data',
  category: 'network-faults',
  summary:
    'The connection closes part-way through the body (Toxiproxy `limit_data`): the headers promised more bytes than arrive. A truncated body must never be returned as data.',
  on: 'api',
  fails: true,
  needs: 'network',
  params: z.object({ keep: z.number().min(0.05).max(0.95) }),
  draw: (rng, given) => ({ keep: given.keep ?? Math.round((0.2 + rng.next() * 0.6) * 100) / 100 }),
  apply: ({ keep }, ctx) => {
    const response = ctx.next();
    const bytes = Math.max(1, Math.floor(Buffer.byteLength(response.body) * keep));
    return { ...response, toxics: [{ type: 'limit_data', attributes: { bytes }, countFromBody: true }] };
  },
});
