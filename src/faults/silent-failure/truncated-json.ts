import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const truncatedJson = defineFault({
  id: 'silent-failure/truncated-json',
  category: 'silent-failure',
  summary:
    'The upstream processes the request, then sends a complete HTTP response whose JSON body stops part-way (a buggy serializer or proxy).',
  on: 'api',
  params: z.object({ keep: z.number().min(0.05).max(0.95) }),
  draw: (rng, given) => ({ keep: given.keep ?? Math.round((0.3 + rng.next() * 0.4) * 100) / 100 }),
  apply: ({ keep }, ctx) => {
    const response = ctx.next();
    const cut = Math.max(1, Math.floor(response.body.length * keep));
    return { ...response, body: response.body.slice(0, cut) };
  },
});
