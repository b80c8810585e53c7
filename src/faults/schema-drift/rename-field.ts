import { z } from 'zod';
import type { Json } from '../../core/index.js';
import { bodyMutation } from '../body.js';

/** `amount_due` → `amountDue`; a name without parts gets a version suffix (`status` → `status_v2`). */
function renamed(name: string): string {
  const camel = name.replace(/[_-]+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return camel !== name ? camel : `${name}_v2`;
}

export const renameField = bodyMutation({
  id: 'schema-drift/rename-field',
  summary: 'The upstream renames one field of its JSON body (`amount_due` → `amountDue`); the old name is gone.',
  accepts: (place) => typeof place.segments.at(-1) === 'string' && place.segments.at(-1) !== '*',
  prefer: 'used',
  extra: z.object({ to: z.string().min(1).describe('the new name') }),
  drawExtra: (place, _rng, given) => ({ to: given.to ?? renamed(String(place?.segments.at(-1) ?? 'field')) }),
  change: (parent, key, { to }) => {
    const object = parent as { [key: string]: Json };
    const value = object[key] as Json;
    delete object[key];
    object[to as string] = value;
    return true;
  },
});
