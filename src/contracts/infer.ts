/**
 * Matcher inference for recorded bodies (`holdup record`). Pure. A recording holds one example
 * of each response; the matching rules say which of its values are the point (an enum, a
 * status, the shape) and which merely vary (ids, timestamps, amounts, tokens), so that
 * `holdup verify` and Pact judge the upstream's shape and not the example's data.
 *
 * - numbers: `integer` or `decimal`; booleans: `boolean`;
 * - strings with a clear prefix and a varying tail (`in_1`, `cus_9Hx2`): `regex` `^in_[A-Za-z0-9]+$`;
 *   UUIDs: a UUID `regex`;
 * - short enum-like words (`open`, `usd`, `invoice`, `Bearer`): exact (`equality`), or a `regex`
 *   of the alternatives seen when items of one array differ (`^(?:open|paid)$`);
 * - every other string (free text, timestamps, tokens, placeholders): `type`;
 * - arrays: `type` with `min` (1 when the example had items), their items judged as one template;
 * - null: no rule (it must stay null).
 */
import type { MatchingRule, RuleList } from '../core/contract.js';
import { jsonPath } from '../core/errors.js';
import type { Json } from '../core/json.js';
import { isPlaceholder } from './redact.js';

const ANY = Symbol('any item');
type Segment = string | typeof ANY;

interface Seen {
  /** The last field name on the way to this place, if any. */
  key: string | undefined;
  values: Json[];
  /** Lengths of the arrays found here. */
  arrays: number[];
}

/** `$.data[*].lines.data[*].id`: a Pact rule path; items of arrays are `[*]`. */
export function rulePath(segments: readonly Segment[]): string {
  let out = '$';
  for (const segment of segments) out += segment === ANY ? '[*]' : jsonPath([segment]).slice(1);
  return out;
}

function walk(value: Json, segments: Segment[], key: string | undefined, seen: Map<string, Seen>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [name, item] of Object.entries(value)) walk(item, [...segments, name], name, seen);
    return;
  }
  const path = rulePath(segments);
  let entry = seen.get(path);
  if (!entry) {
    entry = { key, values: [], arrays: [] };
    seen.set(path, entry);
  }
  if (Array.isArray(value)) {
    entry.arrays.push(value.length);
    for (const item of value) walk(item, [...segments, ANY], key, seen);
    return;
  }
  entry.values.push(value);
}

/** Field names whose values are identifiers or free text, never an enum. */
const FREE_KEY = /(?:^|[_-])(?:id|ids|cursor|token|key|secret|url|uri|href|link|email|name|title|description|message|text|note|path|hash|etag)$|Id$|Url$|Name$/i;
const PREFIXED_ID = /^([A-Za-z]{1,12}_)[A-Za-z0-9]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_REGEX = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** `open`, `usd`, `invalid_request_error`, `Bearer`: a word without digits or spaces. */
export const ENUM_WORD = /^[A-Za-z][A-Za-z_.-]{0,31}$/;

/** Escapes a text for a Pact regex (Rust's regex syntax as well as JavaScript's). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The rule for the strings seen at one place. */
function stringRule(key: string | undefined, values: readonly string[]): MatchingRule | undefined {
  if (values.some(isPlaceholder)) return { match: 'type' };
  if (values.every((v) => UUID.test(v))) return { match: 'regex', regex: UUID_REGEX };
  const prefixes = new Set(values.map((v) => PREFIXED_ID.exec(v)?.[1]));
  const prefix = prefixes.size === 1 ? [...prefixes][0] : undefined;
  if (prefix !== undefined && (values.some((v) => /\d/.test(v)) || (key !== undefined && FREE_KEY.test(key)))) {
    return { match: 'regex', regex: `^${escapeRegex(prefix)}[A-Za-z0-9]+$` };
  }
  const freeKey = key !== undefined && FREE_KEY.test(key);
  if (!freeKey && values.every((v) => ENUM_WORD.test(v))) {
    const distinct = [...new Set(values)];
    if (distinct.length === 1) return { match: 'equality' };
    return { match: 'regex', regex: `^(?:${distinct.map(escapeRegex).join('|')})$` };
  }
  return { match: 'type' };
}

/** The rule for the scalars seen at one place; undefined for none (null stays null). */
export function inferValueRule(key: string | undefined, values: readonly Json[]): MatchingRule | undefined {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return undefined;
  if (present.length !== values.length) return { match: 'type' };
  if (present.every((v) => typeof v === 'number')) {
    return present.every((v) => Number.isInteger(v)) ? { match: 'integer' } : { match: 'decimal' };
  }
  if (present.every((v) => typeof v === 'boolean')) return { match: 'boolean' };
  if (present.every((v) => typeof v === 'string')) return stringRule(key, present as string[]);
  return { match: 'type' };
}

/**
 * Matching rules for a body, keyed by Pact path (`$.data[*].id`). The items of an array are
 * judged together, so one rule serves them all.
 */
export function inferBodyRules(body: Json): Record<string, RuleList> {
  const seen = new Map<string, Seen>();
  walk(body, [], undefined, seen);
  const rules: Record<string, RuleList> = {};
  for (const [path, entry] of seen) {
    if (path === '$' && entry.arrays.length === 0) continue;
    let matcher: MatchingRule | undefined;
    if (entry.arrays.length > 0 && entry.values.length === 0) {
      matcher = { match: 'type', min: entry.arrays.some((n) => n > 0) ? 1 : 0 };
    } else if (entry.arrays.length === 0) {
      matcher = inferValueRule(entry.key, entry.values);
    } else {
      matcher = { match: 'type' };
    }
    if (matcher) rules[path] = { combine: 'AND', matchers: [matcher] };
  }
  return rules;
}
