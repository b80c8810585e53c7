import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const slowClose = defineFault({
  id: 'network-faults/slow-close',
  category: 'network-faults',
  summary:
    'The upstream answers with `Connection: close`, and the connection lingers before it closes (Toxiproxy `slow_close`).',
  on: 'api',
  needs: 'network',
  params: z.object({ delayMs: z.number().int().min(0).max(60_000) }),
  draw: (rng, given) => ({ delayMs: given.delayMs ?? rng.int(500, 2_000) }),
  apply: ({ delayMs }, ctx) => {
    const response = ctx.next();
    return {
      ...response,
      headers: { ...response.headers, connection: 'close' },
      toxics: [{ type: 'slow_close', attributes: { delay: delayMs } }],
    };
  },
});
