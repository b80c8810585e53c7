import type { Json } from '../core/index.js';

/**
 * Turns whatever an operation returned into plain JSON so it can be compared with the golden
 * result and written to a report: Dates become ISO strings, Maps and Sets objects and arrays,
 * class instances their own enumerable properties, functions and symbols are dropped.
 */
export function toJson(value: unknown, seen = new WeakSet<object>()): Json | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  const object = value as object;
  if (seen.has(object)) return '[Circular]';
  seen.add(object);
  try {
    if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
    if (Array.isArray(object)) return object.map((item) => toJson(item, seen) ?? null);
    if (object instanceof Set) return [...object].map((item) => toJson(item, seen) ?? null);
    if (object instanceof Map) {
      return Object.fromEntries([...object].map(([k, v]) => [String(k), toJson(v, seen) ?? null]));
    }
    if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
      return toJson((object as { toJSON(): unknown }).toJSON(), seen);
    }
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(object)) {
      const converted = toJson(item, seen);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

/** What an execution's own address is replaced with in what its operation returned. */
export const BASE_URL_PLACEHOLDER = 'http://upstream.holdup.invalid';

/**
 * `value` with the execution's own address (`http://127.0.0.1:<port>`, a fresh one per
 * execution) replaced by one placeholder in every string, so that a result that carries a URL of
 * the upstream (a `self` link, a Pact `MockServerURL` value, a URL the client built) compares
 * equal across the control and the fault executions.
 */
export function withoutBaseUrl(value: Json | undefined, baseUrl: string): Json | undefined {
  const origin = URL.canParse(baseUrl) ? new URL(baseUrl).origin : baseUrl.replace(/\/+$/, '');
  if (origin === '' || origin === 'null') return value;
  const walk = (item: Json | undefined): Json | undefined => {
    if (typeof item === 'string') return item.includes(origin) ? item.split(origin).join(BASE_URL_PLACEHOLDER) : item;
    if (Array.isArray(item)) return item.map((entry) => walk(entry) ?? null);
    if (item !== null && typeof item === 'object') {
      // fromEntries defines own properties: a key named __proto__ stays a key
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry) ?? null]));
    }
    return item;
  };
  return walk(value);
}
