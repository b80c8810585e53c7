import { z } from 'zod';
import { defineFault } from '../../core/index.js';

export const slicer = defineFault({
  id: 'network-faults/slicer',
  category: 'network-faults',
  summary: 'The response arrives in many small TCP segments with a pause between them (Toxiproxy `slicer`).',
  on: 'api',
  needs: 'network',
  params: z.object({
    averageSize: z.number().int().min(1).max(1024).describe('bytes per segment, on average'),
    sizeVariation: z.number().int().min(0).max(1023),
    delayUs: z.number().int().min(0).max(100_000).describe('microseconds between segments'),
  }),
  draw: (rng, given) => {
    const averageSize = given.averageSize ?? rng.int(8, 32);
    return {
      averageSize,
      sizeVariation: given.sizeVariation ?? Math.min(averageSize - 1, rng.int(0, 4)),
      delayUs: given.delayUs ?? rng.int(500, 3_000),
    };
  },
  apply: ({ averageSize, sizeVariation, delayUs }, ctx) => ({
    ...ctx.next(),
    toxics: [{ type: 'slicer', attributes: { average_size: averageSize, size_variation: sizeVariation, delay: delayUs } }],
  }),
});
