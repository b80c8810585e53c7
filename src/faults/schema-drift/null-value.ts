import { z } from 'zod';
import type { Json } from '../../core/index.js';
import { bodyMutation } from '../body.js';

export const nullValue = bodyMutation({
  id: 'schema-drift/null-value',
  summary: 'The upstream sends `null` where the recorded body had a string, number or boolean.',
  accepts: (place) => place.segments.at(-1) !== '*' && ['string', 'number', 'boolean'].includes(typeof place.value),
  prefer: 'used',
  extra: z.object({}),
  drawExtra: () => ({}),
  change: (parent, key) => {
    (parent as Record<string | number, Json>)[key] = null;
    return true;
  },
});
