import { z } from 'zod';
import { isJsonObject, type Json } from '../../core/index.js';
import { bodyMutation } from '../body.js';

export const nestedShape = bodyMutation({
  id: 'schema-drift/nested-shape',
  summary: 'The upstream moves the fields of a nested object one level down (`lines.data` → `lines.attributes.data`).',
  accepts: (place) => place.segments.length >= 1 && isJsonObject(place.value) && Object.keys(place.value).length > 0,
  prefer: 'used',
  extra: z.object({ under: z.string().min(1).describe('the key the fields move under') }),
  drawExtra: (_place, _rng, given) => ({ under: given.under ?? 'attributes' }),
  change: (parent, key, { under }) => {
    const holder = parent as Record<string | number, Json>;
    const object = holder[key];
    if (!isJsonObject(object)) return false;
    holder[key] = { [String(under)]: object };
    return true;
  },
});
