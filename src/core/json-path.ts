import type { Json } from './json.js';

/**
 * JSON paths as Pact's matching rules write them (`$.data[*].amount_due`), for faults that
 * change a recorded body and for the logs that say where. `*` is every element of an array.
 */
export type PathSegment = string | number;

/** The array wildcard segment. */
export const EVERY = '*';

type JsonObject = { [key: string]: Json };

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `['data', '*', 'amount_due']` → `$.data[*].amount_due`. With `wildcard: false` a `*` segment is
 * a key like any other (`$['*']`), as in a place inside a file (`jsonPath` in errors.ts).
 */
export function formatJsonPath(segments: readonly PathSegment[], { wildcard = true }: { wildcard?: boolean } = {}): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (segment === EVERY && wildcard) out += '[*]';
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += `.${segment}`;
    else out += `['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

/** The inverse of `formatJsonPath`; `undefined` for text that is not such a path. */
export function parseJsonPath(path: string): PathSegment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: PathSegment[] = [];
  const pattern = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\*\]|\['((?:[^'\\]|\\.)*)'\]/y;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (!match) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(match[3].replace(/\\(.)/g, '$1'));
    else segments.push(EVERY);
  }
  return segments;
}

/** One place in a body: its path (arrays as `*`) and the value found there in the first element of each array. */
export interface JsonPlace {
  segments: PathSegment[];
  value: Json;
}

/**
 * Every place in `value` below the root, parents before children. Arrays are walked through
 * their first element and written with `*`, since an upstream changes every element alike.
 */
export function placesIn(value: Json): JsonPlace[] {
  const places: JsonPlace[] = [];
  const walk = (node: Json, segments: PathSegment[]): void => {
    if (Array.isArray(node)) {
      if (node.length === 0) return;
      const first = node[0] as Json;
      places.push({ segments: [...segments, EVERY], value: first });
      walk(first, [...segments, EVERY]);
      return;
    }
    if (!isJsonObject(node)) return;
    for (const [key, child] of Object.entries(node)) {
      places.push({ segments: [...segments, key], value: child });
      walk(child, [...segments, key]);
    }
  };
  walk(value, []);
  return places;
}

/**
 * Calls `change(parent, key)` for every place the path reaches (every element for `*`), on
 * `root` itself: clone it first. Returns how many places it reached.
 */
export function changeAt(root: Json, segments: readonly PathSegment[], change: (parent: JsonObject | Json[], key: string | number) => void): number {
  if (segments.length === 0) return 0;
  let reached = 0;
  const walk = (node: Json, depth: number): void => {
    const segment = segments[depth] as PathSegment;
    const last = depth === segments.length - 1;
    const keys: (string | number)[] = [];
    if (Array.isArray(node)) {
      if (segment === EVERY) keys.push(...node.keys());
      else if (typeof segment === 'number' && segment < node.length) keys.push(segment);
    } else if (isJsonObject(node) && typeof segment === 'string' && Object.prototype.hasOwnProperty.call(node, segment)) {
      keys.push(segment);
    }
    for (const key of keys) {
      if (last) {
        change(node as JsonObject | Json[], key);
        reached++;
      } else {
        walk((node as Record<string | number, Json>)[key] as Json, depth + 1);
      }
    }
  };
  walk(root, 0);
  return reached;
}

/** The values the path reaches in `root` (every element for `*`). */
export function valuesAt(root: Json, segments: readonly PathSegment[]): Json[] {
  if (segments.length === 0) return [root];
  const found: Json[] = [];
  changeAt(root, segments, (parent, key) => found.push((parent as Record<string | number, Json>)[key] as Json));
  return found;
}

/** Every string and number anywhere in `value`: what a connector's result carries over from a body. */
export function scalarsIn(value: Json | undefined, into: Set<string | number> = new Set()): Set<string | number> {
  if (typeof value === 'string' || typeof value === 'number') into.add(value);
  else if (Array.isArray(value)) for (const item of value) scalarsIn(item, into);
  else if (isJsonObject(value)) for (const item of Object.values(value)) scalarsIn(item, into);
  return into;
}

/** The value at a path without `*` (the first one the path reaches), or `undefined`. */
export function valueAt(root: Json | undefined, segments: readonly PathSegment[]): Json | undefined {
  return root === undefined ? undefined : valuesAt(root, segments)[0];
}
