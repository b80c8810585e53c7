import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const blackHole = defineFault({
  id: 'latency-timeout/black-hole',
  category: 'latency-timeout',
  summary:
    'The connection stays open and nothing comes back (Toxiproxy `timeout` 0, a black hole). Removing it closes the connections, so scenarios keep it on every later request.',
  on: 'api',
  fails: true,
  needs: 'network',
  params: z.object({}).strict(),
  draw: () => ({}),
  apply: (_params, ctx) => ({ ...ctx.next(), toxics: [{ type: 'timeout', attributes: { timeout: 0 } }] }),
});
