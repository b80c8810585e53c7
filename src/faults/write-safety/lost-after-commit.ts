import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const lostAfterCommit = defineFault({
  id: 'write-safety/lost-after-commit',
  category: 'write-safety',
  summary: 'The upstream commits the write and never answers; the connection stays open (a timeout after processing).',
  on: 'api',
  fails: true,
  params: z.object({}).strict(),
  draw: () => ({}),
  apply: (_params, ctx) => ({ ...ctx.next(), delivery: 'never' }),
});
