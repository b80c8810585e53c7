import { z } from 'zod';
import {
  changeAt,
  controlBodies,
  isJsonObject,
  defineFault,
  formatJsonPath,
  jsonOrUndefined,
  parseJsonPath,
  placesIn,
  scalarsIn,
  type DrawContext,
  type Fault,
  type FaultContext,
  type Json,
  type JsonPlace,
  type PathSegment,
  type ReplayResponse,
  type Rng,
} from '../core/index.js';

/**
 * Schema mutations: faults that let the upstream process the request, then change one place in
 * the JSON body it answers with. The place is drawn from the seed among the places of the
 * bodies the control execution received — preferring places whose value the operation's golden
 * result carries (so the change matters to it) — and logged as a JSON path with `[*]` for every
 * element of an array. Scenarios apply them to every response: one with that place is changed,
 * one without it is sent unchanged (and the trace records no fault on it).
 */
export interface BodyMutation<Extra extends Record<string, Json>> {
  id: string;
  summary: string;
  /** The places this mutation can change. */
  accepts(place: JsonPlace): boolean;
  /** `used` prefers places the golden result carries; `unused` the others (additive changes an operation ignores). */
  prefer: 'used' | 'unused';
  /** Extra parameters drawn for the chosen place (a new name, a new value). */
  extra: z.ZodObject<z.ZodRawShape>;
  drawExtra(place: JsonPlace | undefined, rng: Rng, given: Partial<Extra>): Extra;
  /** Changes `parent[key]` in place; false when there was nothing to change there (another value). */
  change(parent: { [key: string]: Json } | Json[], key: string | number, params: Extra): boolean;
  /** Applies to the root object itself when the path is `$` (only `extra-field`). */
  changeRoot?(root: { [key: string]: Json }, params: Extra): void;
}

const pathParam = z
  .string()
  .refine((value) => parseJsonPath(value) !== undefined, 'a JSON path like $.data[*].amount_due')
  .nullable()
  .describe('where in the body; drawn from the control response; null when the body had no such place');

/** Whether a place's value (or anything inside it) is carried by the golden result. */
function usedBy(place: JsonPlace, golden: Set<string | number>): boolean {
  for (const value of scalarsIn(place.value)) if (golden.has(value)) return true;
  return false;
}

/** The distinct places of the control's bodies (by path, the first value seen), the root objects first when the mutation can change a root. */
function controlPlaces(ctx: DrawContext, roots: boolean): JsonPlace[] {
  const seen = new Map<string, JsonPlace>();
  for (const body of controlBodies(ctx)) {
    const rootPlace = roots && isJsonObject(body) ? [{ segments: [] as PathSegment[], value: body }] : [];
    for (const place of [...rootPlace, ...placesIn(body)]) {
      const path = formatJsonPath(place.segments);
      if (!seen.has(path)) seen.set(path, place);
    }
  }
  // sorted: the draw must not depend on the order concurrent requests reached the control's server
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, place]) => place);
}

function choosePlace<E extends Record<string, Json>>(mutation: BodyMutation<E>, rng: Rng, ctx: DrawContext): JsonPlace | undefined {
  const places = controlPlaces(ctx, mutation.changeRoot !== undefined).filter((place) => mutation.accepts(place));
  if (places.length === 0) return undefined;
  const golden = scalarsIn(ctx.control?.golden);
  const preferred = places.filter((place) => usedBy(place, golden) === (mutation.prefer === 'used'));
  const pool = preferred.length > 0 ? preferred : places;
  return pool[rng.int(0, pool.length - 1)];
}

function placeAt(path: string, ctx: DrawContext): JsonPlace {
  return controlPlaces(ctx, true).find((place) => formatJsonPath(place.segments) === path) ?? { segments: parseJsonPath(path) as PathSegment[], value: null };
}

export function bodyMutation<E extends Record<string, Json>>(mutation: BodyMutation<E>): Fault<{ path: string | null } & E> {
  const params = mutation.extra.extend({ path: pathParam }).strict() as unknown as z.ZodType<{ path: string | null } & E>;
  return defineFault({
    id: mutation.id,
    category: 'schema-drift',
    summary: mutation.summary,
    on: 'api',
    derived: true,
    params,
    draw: (rng, given, ctx) => {
      const place = typeof given.path === 'string' ? placeAt(given.path, ctx) : given.path === null ? undefined : choosePlace(mutation, rng, ctx);
      const extra = mutation.drawExtra(place, rng, given as Partial<E>);
      return { ...extra, path: place ? formatJsonPath(place.segments) : null };
    },
    apply: (drawn, ctx: FaultContext): ReplayResponse => {
      const response = ctx.next();
      const unchanged: ReplayResponse = { ...response, untouched: true };
      if (drawn.path === null) return unchanged;
      const body = jsonOrUndefined(response.body);
      if (body === undefined) return unchanged;
      const segments = parseJsonPath(drawn.path) as PathSegment[];
      let reached: number;
      if (segments.length === 0) {
        if (!mutation.changeRoot || body === null || typeof body !== 'object' || Array.isArray(body)) return unchanged;
        mutation.changeRoot(body, drawn);
        reached = 1;
      } else {
        reached = 0;
        changeAt(body, segments, (parent, key) => {
          if (mutation.change(parent, key, drawn)) reached++;
        });
      }
      return reached === 0 ? unchanged : { ...response, body: JSON.stringify(body) };
    },
  });
}

