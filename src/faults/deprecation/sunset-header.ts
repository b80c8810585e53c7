import { z } from 'zod';
import { defineFault } from '../../core/index.js';
import { httpDate, withHeaderValue } from '../respond.js';

const DAY_MS = 86_400_000;

export const sunsetHeader = defineFault({
  id: 'deprecation/sunset-header',
  category: 'deprecation',
  summary: 'The upstream answers as usual, adding `Sunset: <HTTP-date>` (RFC 8594) and `Link: <…>; rel="sunset"`: the endpoint goes away then.',
  on: 'api',
  params: z.object({ sunsetInDays: z.number().int().min(1).max(365).describe('how many days until the endpoint is removed') }).strict(),
  draw: (rng, given) => ({ sunsetInDays: given.sunsetInDays ?? rng.int(7, 180) }),
  apply: ({ sunsetInDays }, ctx) => {
    const response = ctx.next();
    return {
      ...response,
      headers: withHeaderValue({ ...response.headers, sunset: httpDate(ctx.epochMs + sunsetInDays * DAY_MS) }, 'link', '</docs/migrations>; rel="sunset"'),
    };
  },
});
