import { z } from 'zod';
import type { Json } from '../../core/index.js';
import { bodyMutation } from '../body.js';

/** A value that looks like one of a fixed set (`open`, `usd`, `invoice`), not an id or free text. */
const ENUM_LIKE = /^[a-z][a-z_]{1,29}$/;

const NEW_VALUES = ['pending_review', 'archived', 'suspended', 'on_hold'];

export const unknownEnum = bodyMutation({
  id: 'schema-drift/unknown-enum',
  summary:
    'The upstream sends a value it never sent before in a field that holds one of a few values (a new status): additive where the operation does not use that field.',
  accepts: (place) => place.segments.at(-1) !== '*' && typeof place.value === 'string' && ENUM_LIKE.test(place.value),
  prefer: 'unused',
  extra: z.object({ from: z.string().describe('the recorded value'), to: z.string().min(1).describe('the value sent instead') }),
  drawExtra: (place, rng, given) => {
    const from = given.from ?? (typeof place?.value === 'string' ? place.value : '');
    const choices = NEW_VALUES.filter((value) => value !== from);
    return { from, to: given.to ?? (choices[rng.int(0, choices.length - 1)] as string) };
  },
  change: (parent, key, { from, to }) => {
    const holder = parent as Record<string | number, Json>;
    if (holder[key] !== from) return false;
    holder[key] = to as string;
    return true;
  },
});
