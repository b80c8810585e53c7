/**
 * Comparing what an operation returned with its golden result: the first difference, what a
 * fault's additive change allows, and the difference in words.
 */
import type { Json, Observation } from '../core/index.js';

/** Where two JSON values first differ. `golden`/`actual` are absent when that side lacks the path. */
export interface JsonDifference {
  /** JSONPath of the first difference, e.g. `$.data[0].amount`; `$` for the whole value. */
  path: string;
  kind: 'changed' | 'missing' | 'extra';
  golden?: Json;
  actual?: Json;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The first path where `actual` differs from `golden` (depth first, golden's key order, then
 * keys only `actual` has), or `undefined` when they are deep-equal. Object key order does not
 * matter; array order does. `undefined` stands for "no value".
 */
/**
 * Differences a faithful connector may show after an additive upstream change: a field the
 * upstream added, passed through; a new enum value passed through in place of the recorded one.
 */
export interface Allowance {
  extraKeys: ReadonlySet<string>;
  /** Recorded value → the value the upstream sent instead. */
  values: ReadonlyMap<string, string>;
}

const NO_ALLOWANCE: Allowance = { extraKeys: new Set(), values: new Map() };

/** The additive schema changes applied in an execution (schema-drift/extra-field and unknown-enum). */
export function additiveAllowance(observation: Observation): Allowance {
  const extraKeys = new Set<string>();
  const values = new Map<string, string>();
  for (const entry of observation.trace) {
    const params = entry.fault?.params;
    if (!params) continue;
    if (entry.fault?.id === 'schema-drift/extra-field' && typeof params['name'] === 'string') extraKeys.add(params['name']);
    if (entry.fault?.id === 'schema-drift/unknown-enum' && typeof params['from'] === 'string' && typeof params['to'] === 'string') {
      values.set(params['from'], params['to']);
    }
  }
  return { extraKeys, values };
}

export function jsonDiff(golden: Json | undefined, actual: Json | undefined, path = '$', allow: Allowance = NO_ALLOWANCE): JsonDifference | undefined {
  if (golden === undefined && actual === undefined) return undefined;
  if (golden === undefined) return { path, kind: 'extra', actual: actual as Json };
  if (actual === undefined) return { path, kind: 'missing', golden };
  if (Array.isArray(golden) && Array.isArray(actual)) {
    const length = Math.max(golden.length, actual.length);
    for (let index = 0; index < length; index += 1) {
      const difference = jsonDiff(golden[index], actual[index], childPath(path, index), allow);
      if (difference) return difference;
    }
    return undefined;
  }
  if (isObject(golden) && isObject(actual)) {
    for (const key of Object.keys(golden)) {
      const inActual = Object.prototype.hasOwnProperty.call(actual, key);
      const difference = jsonDiff(golden[key], inActual ? actual[key] : undefined, childPath(path, key), allow);
      if (difference) return difference;
    }
    for (const key of Object.keys(actual)) {
      if (!Object.prototype.hasOwnProperty.call(golden, key) && !allow.extraKeys.has(key)) {
        return { path: childPath(path, key), kind: 'extra', actual: actual[key] as Json };
      }
    }
    return undefined;
  }
  if (golden === actual) return undefined;
  if (typeof golden === 'string' && allow.values.get(golden) === actual) return undefined;
  // NaN is not JSON, but a connector may return it: treat NaN as equal to NaN
  if (typeof golden === 'number' && typeof actual === 'number' && Number.isNaN(golden) && Number.isNaN(actual)) {
    return undefined;
  }
  return { path, kind: 'changed', golden, actual };
}

/** A JSON value as a person reads it in a message, shortened past 60 characters. */
export function show(value: Json | undefined): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** How a difference reads in a sentence: `$.amount: golden 1200, actual "1200"`. */
export function describeDifference(difference: JsonDifference): string {
  if (difference.kind === 'missing') {
    return difference.path === '$'
      ? `result was missing (golden ${show(difference.golden)})`
      : `${difference.path} was missing (golden ${show(difference.golden)})`;
  }
  if (difference.kind === 'extra') {
    return difference.path === '$'
      ? `result was extra (golden has none, actual ${show(difference.actual)})`
      : `${difference.path} was extra (golden has none, actual ${show(difference.actual)})`;
  }
  return `${difference.path}: golden ${show(difference.golden)}, actual ${show(difference.actual)}`;
}

/** The details of a difference: `{ field, golden, actual }`, with `missing`/`extra` when one side lacks it. */
export function differenceDetails(difference: JsonDifference): Record<string, Json> {
  const details: Record<string, Json> = { field: difference.path };
  if (difference.golden !== undefined) details.golden = difference.golden;
  if (difference.actual !== undefined) details.actual = difference.actual;
  if (difference.kind !== 'changed') details[difference.kind] = true;
  return details;
}
