import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const resetAfterCommit = defineFault({
  id: 'write-safety/reset-after-commit',
  category: 'write-safety',
  summary: 'The upstream commits the write, then the connection is reset before any of the response is sent.',
  on: 'api',
  fails: true,
  params: z.object({}).strict(),
  draw: () => ({}),
  apply: (_params, ctx) => ({ ...ctx.next(), delivery: 'reset' }),
});
