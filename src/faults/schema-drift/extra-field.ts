import { z } from 'zod';
import { isJsonObject, type Json } from '../../core/index.js';
import { bodyMutation } from '../body.js';

/** Fields an upstream plausibly adds, with a value of the kind it would send. */
const ADDED: readonly [string, Json][] = [
  ['tax_rate', 0.2],
  ['livemode', false],
  ['updated_at', '2026-01-01T00:00:00Z'],
  ['metadata', { source: 'api' }],
  ['external_reference', 'ext_9c1d'],
];

export const extraField = bodyMutation({
  id: 'schema-drift/extra-field',
  summary: 'The upstream adds a field it did not send before: an additive change a tolerant reader ignores.',
  accepts: (place) => isJsonObject(place.value),
  prefer: 'used',
  extra: z.object({ name: z.string().min(1).describe('the added field'), value: z.json().describe('its value') }),
  drawExtra: (place, rng, given) => {
    const taken = new Set(isJsonObject(place?.value) ? Object.keys(place.value) : []);
    const free = ADDED.filter(([name]) => !taken.has(name));
    const [name, value] = free.length > 0 ? (free[rng.int(0, free.length - 1)] as [string, Json]) : [`added_field_${taken.size}`, 'new'];
    return { name: given.name ?? name, value: given.value ?? value };
  },
  change: (parent, key, { name, value }) => {
    const object = (parent as Record<string | number, Json>)[key];
    if (!isJsonObject(object) || String(name) in object) return false;
    object[String(name)] = value as Json;
    return true;
  },
  changeRoot: (root, { name, value }) => {
    if (!(String(name) in root)) root[String(name)] = value as Json;
  },
});
