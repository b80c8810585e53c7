import { z } from 'zod';
import type { Json } from '../../core/index.js';
import { bodyMutation } from '../body.js';

export const removeField = bodyMutation({
  id: 'schema-drift/remove-field',
  summary: 'The upstream stops sending one field of its JSON body.',
  accepts: (place) => typeof place.segments.at(-1) === 'string' && place.segments.at(-1) !== '*',
  prefer: 'used',
  extra: z.object({}),
  drawExtra: () => ({}),
  change: (parent, key) => delete (parent as { [key: string]: Json })[key],
});
