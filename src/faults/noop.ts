import { z } from 'zod';
import { defineFault } from '../core/index.js';

/**
 * The reference fault, in the spirit of Toxiproxy's `noop` toxic: the upstream answers and the
 * answer goes out unchanged. It is deliberately **not** listed in `./index.ts` (a fault that
 * injects nothing would make scenarios that judge nothing); CONTRIBUTING.md's recipe copies this
 * file, and `./faults.test.ts` runs it through the same conformance suite as every listed fault.
 *
 * What each field does:
 * - `id` is `<category>/<name>` and the file lives at `src/faults/<category>/<name>.ts`;
 * - `on`: the request stream it counts by default (`api`, or `token` for the token endpoint);
 * - `params`: a zod object; `draw` fills what a scenario left open from `rng` only (a seed
 *   replays it) and keeps what the scenario fixed (`given`);
 * - `apply` answers in the upstream's place, or calls `ctx.next()` for what the upstream would
 *   have sent and alters it; `untouched: true` says it changed nothing, so the trace records no
 *   fault on the response. A fault that makes the request fail also sets `fails: true`.
 */
export const noop = defineFault({
  id: 'server-errors/noop',
  category: 'server-errors',
  summary: 'Changes nothing: the upstream answers as it recorded.',
  on: 'api',
  params: z.object({ note: z.string().max(200).describe('free text, to show how a parameter is drawn') }),
  draw: (rng, given) => ({ note: given.note ?? `drawn ${rng.int(1, 1000)}` }),
  apply: (_params, ctx) => ({ ...ctx.next(), untouched: true }),
});
