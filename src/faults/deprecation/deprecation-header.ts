import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { withHeaderValue } from '../respond.js';

const DAY_MS = 86_400_000;

export const deprecationHeader = defineFault({
  id: 'deprecation/deprecation-header',
  category: 'deprecation',
  summary:
    'The upstream answers as usual, adding `Deprecation: @<epoch seconds>` (RFC 9745) and `Link: <…>; rel="deprecation"`: the endpoint is deprecated.',
  on: 'api',
  params: z.object({ deprecatedDaysAgo: z.number().int().min(0).max(365).describe('how long ago the endpoint was deprecated') }).strict(),
  draw: (rng, given) => ({ deprecatedDaysAgo: given.deprecatedDaysAgo ?? rng.int(1, 90) }),
  apply: ({ deprecatedDaysAgo }, ctx) => {
    const response = ctx.next();
    const since = Math.floor((ctx.epochMs - deprecatedDaysAgo * DAY_MS) / 1000);
    return {
      ...response,
      headers: withHeaderValue({ ...response.headers, deprecation: `@${since}` }, 'link', '</docs/deprecations>; rel="deprecation"; type="text/html"'),
    };
  },
});
