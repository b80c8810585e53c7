import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const truncatedAfterCommit = defineFault({
  id: 'write-safety/truncated-after-commit',
  category: 'write-safety',
  summary: 'The upstream commits the write and starts the response; the connection closes half-way through the body.',
  on: 'api',
  fails: true,
  params: z.object({}).strict(),
  draw: () => ({}),
  apply: (_params, ctx) => ({ ...ctx.next(), delivery: 'truncated' }),
});
