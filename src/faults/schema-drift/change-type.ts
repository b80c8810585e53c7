import { z } from 'zod';
import type { Json } from '../../core/index.js';
import { bodyMutation } from '../body.js';

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** What a value becomes: number ↔ string, object ↔ array, boolean → string. */
function retyped(value: Json): Json | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return NUMERIC.test(value) ? Number(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length > 0 ? { ...value } : {};
  if (value !== null && typeof value === 'object') return [value];
  return undefined;
}

function typeName(value: Json | undefined): string {
  if (value === null || value === undefined) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

export const changeType = bodyMutation({
  id: 'schema-drift/change-type',
  summary: 'The upstream sends one field with another JSON type: number ↔ string, object ↔ array, boolean → string.',
  accepts: (place) => place.segments.at(-1) !== '*' && retyped(place.value) !== undefined,
  prefer: 'used',
  extra: z.object({
    from: z.enum(['number', 'string', 'boolean', 'object', 'array', 'null']).describe('the type in the recorded body'),
    to: z.enum(['number', 'string', 'object', 'array', 'null']).describe('the type sent instead'),
  }),
  drawExtra: (place, _rng, given) => {
    const from = (given.from ?? typeName(place?.value)) as 'number';
    return { from, to: given.to ?? (typeName(place ? retyped(place.value) : null) as 'string') };
  },
  change: (parent, key, { to }) => {
    const holder = parent as Record<string | number, Json>;
    const next = retyped(holder[key] as Json);
    // a place whose value already changed type elsewhere (another element) is left alone
    if (next === undefined || typeName(next) !== to) return false;
    holder[key] = next;
    return true;
  },
});
