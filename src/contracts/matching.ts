/**
 * Pact matching semantics: does a request (or response) satisfy an interaction? Returns the
 * list of parts that differ; an empty list is a match.
 *
 * Rules are selected per value as Pact does: among the rule paths that apply to a value's
 * path (as itself or as an ancestor), the most specific one wins (exact names weigh more
 * than `*`, deeper more than shallower). A winning rule on the value itself applies all its
 * matchers; a winning rule on an ancestor cascades only when it is type-style (`like`,
 * `eachLike`, …), so `equality` on a descendant stops the cascade. Without a rule, values
 * must be equal.
 */
import type { ContractBody, Interaction, MatchingRule, RuleList } from '../core/contract.js';
import { dateFormatParts } from './dates.js';
import { escapeRegex } from './infer.js';
import { jsonPath } from '../core/errors.js';
import { headerValue, type HttpRequestData, type HttpResponseData } from '../core/http.js';
import type { Json } from '../core/json.js';
import { describeValue as describeAny } from '../core/parse.js';
import type { Mismatch } from '../core/observation.js';
import { decodePath, isFormMediaType, mediaType, parseForm } from './media.js';
import { boundaryOf, isMultipartMediaType, parseMultipart } from './multipart.js';
import { parsePactPath, pathWeight, type PathToken } from './paths.js';
import { contractRegex, regexProblem, type ContractRegex } from './regex.js';

type Segments = (string | number)[];

interface CompiledRule {
  tokens: PathToken[];
  list: RuleList;
}

interface Context {
  rules: readonly CompiledRule[];
  /** Requests may not carry keys the contract does not have (Pact's strictness for requests). */
  strictKeys: boolean;
  /** 'text': values come from headers, query, path, form fields: numbers and booleans are strings. */
  mode: 'json' | 'text';
  part: Mismatch['part'];
  /** For non-body parts: the header or query name reported as the mismatch path. */
  label: string | undefined;
  /** The actual content type, for the `contentType` matcher. */
  contentType: string | undefined;
  /** JSON bodies: the paths (`JSON.stringify(path)`) of numbers written without a point or an exponent, read when a `decimal` matcher asks. */
  integers?: () => ReadonlySet<string>;
  out: Mismatch[];
}

// ---------------------------------------------------------------------------------------------
// Descriptions

/** A short readable description of an actual value: `"1200"`, `42`, `an object`, `absent`. */
export function describeValue(value: Json | undefined): string {
  return describeAny(value, 'absent');
}

function typeName(value: Json | undefined): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return 'an object';
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function items(n: number): string {
  return `${n} item${n === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------------------------
// Rule compilation and selection

const compiledCache = new WeakMap<Record<string, RuleList>, CompiledRule[]>();

function compileRules(rules: Record<string, RuleList>): CompiledRule[] {
  let compiled = compiledCache.get(rules);
  if (!compiled) {
    compiled = [];
    for (const [expression, list] of Object.entries(rules)) {
      const tokens = parsePactPath(expression);
      if (tokens) compiled.push({ tokens, list });
    }
    compiledCache.set(rules, compiled);
  }
  return compiled;
}

/** The rule list Pact applies at `path` (the most specific rule path that covers it), compiled once per rules object. */
export function ruleFor(rules: Record<string, RuleList>, path: readonly (string | number)[]): RuleList | undefined {
  return selectRule(compileRules(rules), [...path])?.list;
}

/** Rule lists given inline (arrayContains variants), keyed by paths relative to an item. */
function compileInline(rules: unknown): CompiledRule[] {
  if (!rules || typeof rules !== 'object') return [];
  const out: CompiledRule[] = [];
  for (const [expression, raw] of Object.entries(rules as Record<string, unknown>)) {
    const tokens = parsePactPath(expression);
    const list = toRuleList(raw);
    if (tokens && list) out.push({ tokens, list });
  }
  return out;
}

function toRuleList(raw: unknown): RuleList | undefined {
  if (Array.isArray(raw)) return { combine: 'AND', matchers: raw as MatchingRule[] };
  if (raw && typeof raw === 'object' && Array.isArray((raw as RuleList).matchers)) {
    const list = raw as RuleList;
    return { combine: list.combine === 'OR' ? 'OR' : 'AND', matchers: list.matchers };
  }
  return undefined;
}

function selectRule(rules: readonly CompiledRule[], path: Segments): { list: RuleList; exact: boolean } | undefined {
  let best: CompiledRule | undefined;
  let bestWeight = 0;
  for (const rule of rules) {
    const weight = pathWeight(rule.tokens, path);
    if (weight > bestWeight) {
      best = rule;
      bestWeight = weight;
    }
  }
  return best ? { list: best.list, exact: best.tokens.length === path.length } : undefined;
}

const CASCADING = new Set(['type', 'min', 'max', 'notEmpty', 'eachKey', 'eachValue', 'arrayContains']);

function cascades(list: RuleList): boolean {
  return list.matchers.some((m) => CASCADING.has(m.match));
}

// ---------------------------------------------------------------------------------------------
// The comparison engine

function report(ctx: Context, path: Segments, expected: string, actual: string): void {
  const where = ctx.part === 'body' ? jsonPath(path) : (ctx.label ?? jsonPath(path));
  ctx.out.push({ part: ctx.part, path: where, expected, actual });
}

/** Compares one value, choosing its rule. `inherited`: a type-style rule given inline above it. */
function compareNode(expected: Json | undefined, actual: Json, path: Segments, ctx: Context, inherited: boolean): void {
  const selected = selectRule(ctx.rules, path);
  if (selected?.exact) return applyList(selected.list, expected, actual, path, ctx);
  if (selected) {
    if (cascades(selected.list)) return typeMatch(expected, actual, path, ctx, undefined, undefined);
    return plain(expected, actual, path, ctx, false);
  }
  if (inherited) return typeMatch(expected, actual, path, ctx, undefined, undefined);
  return plain(expected, actual, path, ctx, false);
}

function scalarEquals(expected: Json | undefined, actual: Json, ctx: Context): boolean {
  if (expected === actual) return true;
  if (ctx.mode === 'text' && expected !== undefined && expected !== null && typeof expected !== 'object') {
    return String(expected) === String(actual);
  }
  return false;
}

/** No rule (or equality): containers compared member by member, scalars must be equal. */
function plain(expected: Json | undefined, actual: Json, path: Segments, ctx: Context, inherited: boolean): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return report(ctx, path, typeName(expected), describeValue(actual));
    if (expected.length !== actual.length) {
      report(ctx, path, `an array of ${expected.length}`, describeValue(actual));
    }
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) compareNode(expected[i], actual[i]!, [...path, i], ctx, inherited);
    return;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return report(ctx, path, typeName(expected), describeValue(actual));
    return compareObject(expected, actual, path, ctx, inherited);
  }
  if (!scalarEquals(expected, actual, ctx)) report(ctx, path, describeValue(expected), describeValue(actual));
}

function compareObject(
  expected: { [key: string]: Json },
  actual: { [key: string]: Json },
  path: Segments,
  ctx: Context,
  inherited: boolean,
): void {
  for (const key of Object.keys(expected)) {
    const child = [...path, key];
    if (!Object.prototype.hasOwnProperty.call(actual, key)) {
      report(ctx, child, describeExpected(expected[key], child, ctx), 'absent');
      continue;
    }
    compareNode(expected[key], actual[key]!, child, ctx, inherited);
  }
  if (ctx.strictKeys) {
    for (const key of Object.keys(actual)) {
      if (!Object.prototype.hasOwnProperty.call(expected, key)) report(ctx, [...path, key], 'no such field', describeValue(actual[key]));
    }
  }
}

/** What a missing value should have been: its type under a type rule, else its value. */
function describeExpected(expected: Json | undefined, path: Segments, ctx: Context): string {
  const selected = selectRule(ctx.rules, path);
  if (selected && cascades(selected.list)) return typeName(expected);
  return describeValue(expected);
}

function typeMatch(
  expected: Json | undefined,
  actual: Json,
  path: Segments,
  ctx: Context,
  min: number | undefined,
  max: number | undefined,
): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return report(ctx, path, 'an array', describeValue(actual));
    checkLength(actual, path, ctx, min, max);
    if (expected.length === 0) return;
    const template = expected[0];
    for (let i = 0; i < actual.length; i++) compareNode(template, actual[i]!, [...path, i], ctx, true);
    return;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return report(ctx, path, 'an object', describeValue(actual));
    return compareObject(expected, actual, path, ctx, true);
  }
  if (expected === undefined || ctx.mode === 'text') return;
  if (typeName(expected) !== typeName(actual)) report(ctx, path, typeName(expected), describeValue(actual));
}

function checkLength(actual: Json[], path: Segments, ctx: Context, min: number | undefined, max: number | undefined): void {
  if (min !== undefined && actual.length < min) report(ctx, path, `an array of at least ${items(min)}`, describeValue(actual));
  if (max !== undefined && actual.length > max) report(ctx, path, `an array of at most ${items(max)}`, describeValue(actual));
}

function applyList(list: RuleList, expected: Json | undefined, actual: Json, path: Segments, ctx: Context): void {
  if (list.matchers.length === 0) return plain(expected, actual, path, ctx, false);
  const outer = ctx.out;
  const results: Mismatch[][] = [];
  for (const matcher of list.matchers) {
    ctx.out = [];
    applyMatcher(matcher, list, expected, actual, path, ctx);
    results.push(ctx.out);
  }
  ctx.out = outer;
  if (list.combine === 'OR') {
    if (results.some((r) => r.length === 0)) return;
    outer.push(...results[0]!);
  } else {
    for (const r of results) outer.push(...r);
  }
}

function optionNumber(matcher: MatchingRule, name: string): number | undefined {
  const value = matcher[name];
  return typeof value === 'number' ? value : typeof value === 'string' && value !== '' && !Number.isNaN(Number(value)) ? Number(value) : undefined;
}

function scalarText(value: Json): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

const INTEGER_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^-?(?:\d+\.\d*|\.\d+)$/;
const NUMBER_TEXT = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function applyMatcher(matcher: MatchingRule, list: RuleList, expected: Json | undefined, actual: Json, path: Segments, ctx: Context): void {
  const text = ctx.mode === 'text';
  switch (matcher.match) {
    case 'equality':
      return plain(expected, actual, path, ctx, false);
    case 'type':
    case 'min':
    case 'max':
      return typeMatch(expected, actual, path, ctx, optionNumber(matcher, 'min'), optionNumber(matcher, 'max'));
    case 'regex': {
      const source = typeof matcher.regex === 'string' ? matcher.regex : '';
      const value = scalarText(actual);
      if (value === undefined || !contractRegex(source).test(value)) report(ctx, path, `a string matching /${source}/`, describeValue(actual));
      return;
    }
    case 'include': {
      const needle = String(matcher.value ?? '');
      const value = scalarText(actual);
      if (value === undefined || !value.includes(needle)) report(ctx, path, `a string including ${JSON.stringify(needle)}`, describeValue(actual));
      return;
    }
    case 'integer': {
      const ok = typeof actual === 'number' ? Number.isInteger(actual) : text && typeof actual === 'string' && INTEGER_TEXT.test(actual);
      if (!ok) report(ctx, path, 'an integer', describeValue(actual));
      return;
    }
    case 'decimal': {
      // as Pact: 12.0 and 1e3 are decimals, 12 is not (read from the body's text: JSON.parse makes 12.0 and 12 one number)
      const ok =
        typeof actual === 'number'
          ? Number.isFinite(actual) && (text || !(ctx.integers?.().has(JSON.stringify(path)) ?? Number.isInteger(actual)))
          : text && typeof actual === 'string' && DECIMAL_TEXT.test(actual);
      if (!ok) report(ctx, path, 'a decimal number', describeValue(actual));
      return;
    }
    case 'number': {
      const ok = typeof actual === 'number' ? Number.isFinite(actual) : text && typeof actual === 'string' && NUMBER_TEXT.test(actual);
      if (!ok) report(ctx, path, 'a number', describeValue(actual));
      return;
    }
    case 'boolean': {
      const ok = typeof actual === 'boolean' || (text && (actual === 'true' || actual === 'false'));
      if (!ok) report(ctx, path, 'a boolean', describeValue(actual));
      return;
    }
    case 'null':
      if (actual !== null) report(ctx, path, 'null', describeValue(actual));
      return;
    case 'date':
    case 'time':
    case 'timestamp':
    case 'datetime': {
      const format = dateFormatOf(matcher);
      const value = typeof actual === 'string' ? actual : undefined;
      const pattern = format === undefined ? defaultDatePattern(matcher.match) : dateFormatRegex(format);
      if (value === undefined || !pattern.test(value) || !realDate(format ?? defaultDateFormat(matcher.match), value)) {
        const kind = matcher.match === 'datetime' ? 'timestamp' : matcher.match;
        report(ctx, path, `a ${kind} like ${format ?? defaultDateFormat(matcher.match)}`, describeValue(actual));
      }
      return;
    }
    case 'contentType': {
      const want = mediaType(String(matcher.value ?? ''));
      const have = mediaType(ctx.contentType);
      if (want !== have) report(ctx, path, `content of type ${want ?? 'unknown'}`, have ?? 'no content type');
      return;
    }
    case 'values':
      // as Pact: the keys are free, each value is held to the example's (equal, unless a rule below says otherwise)
      if (isObject(actual) && isObject(expected)) {
        const template = Object.values(expected)[0];
        for (const [key, value] of Object.entries(actual)) compareNode(own(expected, key) ?? template, value, [...path, key], ctx, false);
        return;
      }
      return typeMatch(expected, actual, path, ctx, undefined, undefined);
    case 'notEmpty': {
      const empty =
        actual === null || actual === '' || (Array.isArray(actual) && actual.length === 0) || (isObject(actual) && Object.keys(actual).length === 0);
      if (empty) return report(ctx, path, `a non-empty value`, describeValue(actual));
      return typeMatch(expected, actual, path, ctx, undefined, undefined);
    }
    case 'semver': {
      const value = typeof actual === 'string' ? actual : undefined;
      if (value === undefined || !SEMVER.test(value)) report(ctx, path, 'a semantic version', describeValue(actual));
      return;
    }
    case 'arrayContains':
      return arrayContains(matcher, expected, actual, path, ctx);
    case 'eachKey':
      return eachKey(matcher, list, expected, actual, path, ctx);
    case 'eachValue':
      return eachValue(matcher, expected, actual, path, ctx);
    case 'statusCode':
      return;
    default:
      // A matcher holdup does not know: the value must be equal, the safe reading.
      return plain(expected, actual, path, ctx, false);
  }
}

function arrayContains(matcher: MatchingRule, expected: Json | undefined, actual: Json, path: Segments, ctx: Context): void {
  if (!Array.isArray(actual)) return report(ctx, path, 'an array', describeValue(actual));
  const variants = Array.isArray(matcher.variants) ? (matcher.variants as { index?: number; rules?: unknown }[]) : [];
  variants.forEach((variant, position) => {
    const index = typeof variant.index === 'number' ? variant.index : position;
    const template = Array.isArray(expected) ? expected[index] : undefined;
    if (template === undefined) return;
    const rules = compileInline(variant.rules);
    const found = actual.some((item) => {
      const sub: Context = { ...ctx, rules, out: [] };
      compareNode(template, item, [], sub, false);
      return sub.out.length === 0;
    });
    if (!found) report(ctx, path, `an array containing an item like ${describeValue(template)}`, describeValue(actual));
  });
}

function inlineMatchers(matcher: MatchingRule): RuleList {
  return toRuleList(matcher.rules) ?? { combine: 'AND', matchers: [] };
}

function eachKey(matcher: MatchingRule, list: RuleList, expected: Json | undefined, actual: Json, path: Segments, ctx: Context): void {
  if (!isObject(actual)) return report(ctx, path, 'an object', describeValue(actual));
  const keyRules = inlineMatchers(matcher);
  const keyContext: Context = { ...ctx, rules: [], mode: 'text' };
  for (const key of Object.keys(actual)) applyList(keyRules, key, key, [...path, key], keyContext);
  const valuesHandled = list.matchers.some((m) => m.match === 'eachValue' || m.match === 'values');
  if (valuesHandled || !isObject(expected)) return;
  for (const [key, value] of Object.entries(expected)) {
    const have = own(actual, key);
    if (have !== undefined) compareNode(value, have, [...path, key], ctx, false);
  }
}

function eachValue(matcher: MatchingRule, expected: Json | undefined, actual: Json, path: Segments, ctx: Context): void {
  const valueRules = inlineMatchers(matcher);
  const example = matcher.value as Json | undefined;
  if (Array.isArray(actual)) {
    const template = Array.isArray(expected) ? expected[0] : Array.isArray(example) ? example[0] : undefined;
    actual.forEach((item, i) => applyValueRules(valueRules, template, item, [...path, i], ctx));
    return;
  }
  if (!isObject(actual)) return report(ctx, path, 'an object', describeValue(actual));
  const source = isObject(expected) ? expected : isObject(example) ? example : {};
  const template = Object.values(source)[0];
  for (const [key, value] of Object.entries(actual)) applyValueRules(valueRules, own(source, key) ?? template, value, [...path, key], ctx);
}

function applyValueRules(list: RuleList, template: Json | undefined, actual: Json, path: Segments, ctx: Context): void {
  if (list.matchers.length === 0) return typeMatch(template, actual, path, ctx, undefined, undefined);
  applyList(list, template, actual, path, ctx);
}

// ---------------------------------------------------------------------------------------------
// Dates: Java DateTimeFormatter patterns to regular expressions

export function dateFormatOf(matcher: MatchingRule): string | undefined {
  for (const key of ['format', matcher.match, 'date', 'time', 'timestamp', 'datetime']) {
    const value = matcher[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function defaultDateFormat(kind: string): string {
  return kind === 'date' ? 'yyyy-MM-dd' : kind === 'time' ? 'HH:mm:ss' : "yyyy-MM-dd'T'HH:mm:ss";
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;

function defaultDatePattern(kind: string): Pick<ContractRegex, 'test'> {
  if (kind === 'date') return dateFormatRegex('yyyy-MM-dd');
  if (kind === 'time') return /^([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?$/;
  return ISO_TIMESTAMP;
}

// Numeric fields as Pact's parser reads them: one or two digits whatever the pattern's width
// (`HH` takes `1:30:00`, `MM` takes `2024-1-02`), within the field's range; `yyyy` up to four digits.
const LETTER_PATTERNS: Record<string, (n: number) => string> = {
  y: (n) => (n === 2 ? '\\d{2}' : '\\d{1,4}'),
  u: (n) => (n === 2 ? '\\d{2}' : '\\d{1,4}'),
  M: (n) => (n <= 2 ? '(?:0?[1-9]|1[0-2])' : n === 3 ? '[A-Za-z]{3}' : '[A-Za-z]+'),
  L: (n) => (n <= 2 ? '(?:0?[1-9]|1[0-2])' : n === 3 ? '[A-Za-z]{3}' : '[A-Za-z]+'),
  d: () => '(?:0?[1-9]|[12]\\d|3[01])',
  D: () => '\\d{1,3}',
  H: () => '(?:[01]?\\d|2[0-3])',
  k: () => '(?:0?[1-9]|1\\d|2[0-4])',
  K: () => '(?:0?\\d|1[01])',
  h: () => '(?:0?[1-9]|1[0-2])',
  m: () => '[0-5]?\\d',
  s: () => '(?:[0-5]?\\d|60)',
  S: (n) => `\\d{${n}}`,
  n: () => '\\d+',
  a: () => '(?:AM|PM|am|pm)',
  E: (n) => (n <= 3 ? '[A-Za-z]{3}' : '[A-Za-z]+'),
  e: (n) => (n <= 2 ? '\\d{1,2}' : '[A-Za-z]+'),
  G: () => '[A-Za-z]+',
  X: (n) => (n === 1 ? '(?:Z|[+-]\\d{2}(?:\\d{2})?)' : n === 2 ? '(?:Z|[+-]\\d{4})' : n === 3 ? '(?:Z|[+-]\\d{2}:\\d{2})' : '(?:Z|[+-]\\d{2}:?\\d{2}(?::?\\d{2})?)'),
  x: (n) => (n === 1 ? '[+-]\\d{2}(?:\\d{2})?' : n === 2 ? '[+-]\\d{4}' : '[+-]\\d{2}:\\d{2}'),
  Z: (n) => (n <= 3 ? '[+-]\\d{4}' : n === 4 ? '(?:GMT|UTC)(?:[+-]\\d{1,2}(?::\\d{2})?)?' : '(?:Z|[+-]\\d{2}:\\d{2})'),
  z: () => '[A-Za-z][A-Za-z0-9/_+-]*',
  V: () => '[A-Za-z][A-Za-z0-9/_+-]*',
  O: () => '(?:GMT|UTC)(?:[+-]\\d{1,2}(?::\\d{2})?)?',
};


/** `yyyy-MM-dd'T'HH:mm:ss.SSSX` → an anchored regular expression (RE2: linear whatever the format). */
export function dateFormatRegex(format: string): ContractRegex {
  return contractRegex(dateFormatSource(format));
}

/** Why `format` cannot be matched (an unclosed optional section, a field repeated past RE2's 1,000), or undefined. */
export function dateFormatProblem(format: string): string | undefined {
  let open = 0;
  let quoted = false;
  for (const c of format) {
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '[') open++;
    else if (!quoted && c === ']' && --open < 0) return 'a "]" closes no optional section';
  }
  if (open > 0) return 'an optional section opened with "[" is not closed';
  const problem = regexProblem(dateFormatSource(format));
  return problem === undefined ? undefined : `it cannot be turned into a pattern (${problem.slice(0, 60)})`;
}

/** Whether the year, month and day a value of `format` holds are a day of the calendar (not 2024-02-30), as Pact's parser checks. */
function realDate(format: string, value: string): boolean {
  if (!/[dM]/.test(format.replace(/'[^']*'/g, ''))) return true;
  const fields = contractRegex(dateFormatSource(format, true));
  const d = fields.group(value, 'd');
  const m = fields.group(value, 'M');
  if (d === undefined || m === undefined) return true;
  const y = fields.group(value, 'y');
  const year = y === undefined ? 2000 : Number(y) + (y.length <= 2 ? 2000 : 0);
  return Number(d) <= new Date(Date.UTC(year, Number(m), 0)).getUTCDate();
}

function dateFormatSource(format: string, capture = false): string {
  const captured = new Set<string>();
  let out = '';
  for (const part of dateFormatParts(format)) {
    if (part.kind === 'literal') out += escapeRegex(part.text);
    else if (part.kind === 'open') out += '(?:';
    else if (part.kind === 'close') out += ')?';
    else {
      const { letter: c, count: n } = part;
      const letter = LETTER_PATTERNS[c];
      if (!letter) {
        out += escapeRegex(c.repeat(n));
        continue;
      }
      // with `capture`, the first numeric year, month and day are named groups
      const group = c === 'u' ? 'y' : c === 'L' ? 'M' : c;
      if (capture && 'yMd'.includes(group) && !captured.has(group) && (group !== 'M' || n <= 2)) {
        captured.add(group);
        out += `(?<${group}>${letter(n)})`;
      } else out += letter(n);
    }
  }
  return `^${out}$`;
}

// ---------------------------------------------------------------------------------------------
// Request and response parts

function context(part: Mismatch['part'], label: string | undefined, strictKeys: boolean): Context {
  return { rules: [], strictKeys, mode: 'text', part, label, contentType: undefined, out: [] };
}

function sameMethod(expected: string, actual: string): boolean {
  return expected === actual || expected.toUpperCase() === actual.toUpperCase();
}

function matchPath(interaction: Interaction, actualPath: string, out: Mismatch[]): void {
  const expected = interaction.request.path;
  const rule = interaction.request.rules.path;
  if (rule) {
    const ctx = context('path', '', false);
    applyList(rule, expected, actualPath, [], ctx);
    if (ctx.out.length > 0) out.push({ part: 'path', path: '', expected: ctx.out[0]!.expected, actual: JSON.stringify(actualPath) });
    return;
  }
  if (expected !== actualPath && decodePath(expected) !== actualPath) {
    out.push({ part: 'path', path: '', expected: JSON.stringify(expected), actual: JSON.stringify(actualPath) });
  }
}

function describeList(values: readonly string[]): string {
  return values.length === 1 ? JSON.stringify(values[0]) : `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
}

function matchQuery(interaction: Interaction, query: Record<string, string[]>, out: Mismatch[]): void {
  const expected = interaction.request.query;
  const rules = interaction.request.rules.query;
  for (const [name, values] of Object.entries(expected)) {
    const actual = own(query, name);
    if (actual === undefined) {
      out.push({ part: 'query', path: name, expected: describeList(values), actual: 'absent' });
      continue;
    }
    const rule = own(rules, name);
    if (rule) {
      const ctx = context('query', name, false);
      const min = Math.max(0, ...rule.matchers.map((m) => optionNumber(m, 'min') ?? 0));
      const max = Math.min(Infinity, ...rule.matchers.map((m) => optionNumber(m, 'max') ?? Infinity));
      if (actual.length < min) ctx.out.push({ part: 'query', path: name, expected: `at least ${min} values`, actual: describeList(actual) });
      if (actual.length > max) ctx.out.push({ part: 'query', path: name, expected: `at most ${max} values`, actual: describeList(actual) });
      actual.forEach((value, i) => applyList(rule, values[i] ?? values[0], value, [], ctx));
      out.push(...ctx.out);
      continue;
    }
    if (values.length !== actual.length || values.some((v, i) => v !== actual[i])) {
      out.push({ part: 'query', path: name, expected: describeList(values), actual: describeList(actual) });
    }
  }
  for (const [name, values] of Object.entries(query)) {
    if (!(name in expected)) out.push({ part: 'query', path: name, expected: 'absent', actual: describeList(values) });
  }
}

/**
 * `record[key]` when the record itself has it: names come from files and requests, and
 * `constructor` or `__proto__` must not find what every object inherits.
 */
function own<T>(record: { readonly [key: string]: T }, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}


function splitHeader(value: string): string[] {
  return value.split(',').map((part) => part.trim());
}

function matchHeaders(
  expected: Record<string, string[]>,
  rules: Record<string, RuleList>,
  headers: Record<string, string>,
  out: Mismatch[],
  accepts?: (name: string, value: string, expected: string) => boolean,
): void {
  for (const [name, values] of Object.entries(expected)) {
    const want = values.join(', ');
    const actual = headerValue(headers, name);
    if (actual === undefined) {
      out.push({ part: 'header', path: name, expected: JSON.stringify(want), actual: 'absent' });
      continue;
    }
    if (accepts?.(name, actual, want)) continue;
    const rule = own(rules, name);
    if (rule) {
      const ctx = context('header', name, false);
      applyList(rule, want, actual, [], ctx);
      out.push(...ctx.out);
      continue;
    }
    if (name === 'content-type') {
      if (mediaType(want) !== mediaType(actual)) out.push({ part: 'header', path: name, expected: JSON.stringify(want), actual: JSON.stringify(actual) });
      continue;
    }
    const a = splitHeader(want);
    const b = splitHeader(actual);
    if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
      out.push({ part: 'header', path: name, expected: JSON.stringify(want), actual: JSON.stringify(actual) });
    }
  }
}

function truncate(text: string): string {
  return text.length > 60 ? `${JSON.stringify(text.slice(0, 57))}…` : JSON.stringify(text);
}

/** Parses an actual body the way the expected one was read; undefined when it cannot be. */
function parseActualBody(body: string, expected: ContractBody, contentType: string | undefined): Json | undefined {
  if (isFormMediaType(expected.contentType) || (expected.contentType === undefined && isFormMediaType(contentType))) {
    return parseForm(body);
  }
  try {
    return JSON.parse(body) as Json;
  } catch {
    return undefined;
  }
}

function matchBody(
  expected: ContractBody | undefined,
  rules: Record<string, RuleList>,
  actualText: string,
  actualContentType: string | undefined,
  strictKeys: boolean,
  out: Mismatch[],
  sides: { expectedType?: string | undefined; actualBinary?: boolean | undefined } = {},
): void {
  if (expected === undefined) return;
  const compiled = compileRules(rules);
  if (expected.binary || isMultipartMediaType(expected.contentType)) {
    // bytes against bytes: both sides one character per byte
    const want = expected.binary ? (expected.text ?? '') : Buffer.from(expected.text ?? '', 'utf8').toString('latin1');
    const got = sides.actualBinary ? actualText : Buffer.from(actualText, 'utf8').toString('latin1');
    if (isMultipartMediaType(expected.contentType) && matchMultipart(want, sides.expectedType ?? expected.contentType, got, actualContentType, compiled, strictKeys, out)) return;
    return matchText(want, got, compiled, actualContentType, strictKeys, out);
  }
  if (expected.json !== undefined) {
    const form = isFormMediaType(expected.contentType);
    if (actualText === '') {
      out.push({ part: 'body', path: '$', expected: form ? 'a form body' : 'a JSON body', actual: 'an empty body' });
      return;
    }
    const actual = parseActualBody(actualText, expected, actualContentType);
    if (actual === undefined) {
      out.push({ part: 'body', path: '$', expected: 'a JSON body', actual: truncate(actualText) });
      return;
    }
    let integers: ReadonlySet<string> | undefined;
    const ctx: Context = {
      rules: compiled,
      strictKeys,
      mode: form ? 'text' : 'json',
      part: 'body',
      label: undefined,
      contentType: actualContentType,
      integers: () => (integers ??= integerLiterals(actualText)),
      out,
    };
    compareNode(expected.json, actual, [], ctx, false);
    return;
  }
  matchText(expected.text ?? '', actualText, compiled, actualContentType, strictKeys, out);
}

/** A body that is not JSON: by the rule at `$` (a `contentType`, a `regex`) or else equal. */
function matchText(text: string, actualText: string, compiled: CompiledRule[], actualContentType: string | undefined, strictKeys: boolean, out: Mismatch[]): void {
  const selected = selectRule(compiled, []);
  if (selected) {
    const ctx: Context = { rules: compiled, strictKeys, mode: 'text', part: 'body', label: '$', contentType: actualContentType, out };
    applyList(selected.list, text, actualText, [], ctx);
    return;
  }
  if (text !== actualText) out.push({ part: 'body', path: '$', expected: truncate(text), actual: truncate(actualText) });
}

/**
 * A multipart body, part by part as Pact compares it: the boundary is the sender's own; each part
 * the contract has must be sent (by name), with its content type, and its content as its rule
 * (`$.<name>`, e.g. `contentType`) says or else equal. False when the contract's body is not a
 * multipart body after all (compared as bytes instead).
 */
function matchMultipart(
  want: string,
  wantType: string | undefined,
  got: string,
  gotType: string | undefined,
  compiled: CompiledRule[],
  strictKeys: boolean,
  out: Mismatch[],
): boolean {
  const expectedParts = parseMultipart(want, boundaryOf(wantType, want));
  if (!expectedParts) return false;
  const actualParts = parseMultipart(got, boundaryOf(gotType, got));
  if (!actualParts) {
    out.push({ part: 'body', path: '$', expected: `a multipart body with ${items(expectedParts.length).replace('item', 'part')}`, actual: truncate(got) });
    return true;
  }
  for (const part of expectedParts) {
    const path = jsonPath([part.name]);
    const actual = actualParts.find((p) => p.name === part.name);
    if (!actual) {
      out.push({ part: 'body', path, expected: 'a part', actual: 'absent' });
      continue;
    }
    const wantPartType = part.headers['content-type'];
    if (wantPartType !== undefined && mediaType(wantPartType) !== mediaType(actual.headers['content-type'])) {
      out.push({ part: 'body', path: `${path}['content-type']`, expected: JSON.stringify(wantPartType), actual: describeValue(actual.headers['content-type']) });
    }
    const selected = selectRule(compiled, [part.name]);
    if (selected?.exact) {
      const ctx: Context = { rules: compiled, strictKeys, mode: 'text', part: 'body', label: path, contentType: actual.headers['content-type'], out };
      applyList(selected.list, part.body, actual.body, [part.name], ctx);
    } else if (part.body !== actual.body) {
      out.push({ part: 'body', path, expected: truncate(part.body), actual: truncate(actual.body) });
    }
  }
  return true;
}

const NUMBER_LITERAL = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * The paths (as `JSON.stringify(path)`) of the numbers a JSON text writes without a point or an
 * exponent (`12`, not `12.0`), read from the text itself. The text is valid JSON (it parsed).
 */
export function integerLiterals(text: string): Set<string> {
  const found = new Set<string>();
  /** The open containers: an array's next index, or `undefined` for an object (whose place is `key`). */
  const open: { path: (string | number)[]; next: number | undefined }[] = [];
  let key = '';
  /** The path of the value that starts here (and, in an array, the next one's place). */
  const here = (): (string | number)[] => {
    const top = open[open.length - 1];
    if (!top) return [];
    return top.next === undefined ? [...top.path, key] : [...top.path, top.next++];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const literal = text.slice(i, end + 1);
      i = end;
      let j = end + 1;
      while (j < text.length && ' \n\r\t'.includes(text[j]!)) j++;
      if (text[j] === ':' && open[open.length - 1]?.next === undefined) key = JSON.parse(literal) as string;
      else here();
    } else if (c === '{' || c === '[') {
      open.push({ path: here(), next: c === '[' ? 0 : undefined });
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER_LITERAL.lastIndex = i;
      const m = NUMBER_LITERAL.exec(text)!;
      const place = here();
      if (m[1] === undefined && m[2] === undefined) found.add(JSON.stringify(place));
      i += m[0].length - 1;
    } else if (c === 't' || c === 'n' || c === 'f') {
      here();
      i += c === 'f' ? 4 : 3;
    }
  }
  return found;
}

function dedupe(mismatches: Mismatch[]): Mismatch[] {
  if (mismatches.length < 2) return mismatches;
  const seen = new Set<string>();
  return mismatches.filter((m) => {
    const key = `${m.part}\u0000${m.path}\u0000${m.expected}\u0000${m.actual}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface RequestMatchOptions {
  /**
   * A header value the server takes in place of the one the contract describes, whatever its
   * matcher: the replay server's own bearer tokens in `authorization`, which stand for the
   * contract's example token (docs/contracts.md, "Pact fidelity").
   */
  acceptsHeader?: (name: string, value: string, expected: string) => boolean;
}

/** Does `request` satisfy the interaction's request? An empty list is a match. */
export function matchRequest(interaction: Interaction, request: HttpRequestData, options: RequestMatchOptions = {}): Mismatch[] {
  const out: Mismatch[] = [];
  const expected = interaction.request;
  if (!sameMethod(expected.method, request.method)) {
    out.push({ part: 'method', path: '', expected: expected.method.toUpperCase(), actual: request.method.toUpperCase() });
  }
  matchPath(interaction, request.path, out);
  matchQuery(interaction, request.query, out);
  matchHeaders(expected.headers, expected.rules.header, request.headers, out, options.acceptsHeader);
  const contentType = headerValue(request.headers, 'content-type');
  if (expected.body?.contentType && contentType !== undefined && expected.headers['content-type'] === undefined) {
    if (mediaType(expected.body.contentType) !== mediaType(contentType)) {
      out.push({ part: 'header', path: 'content-type', expected: JSON.stringify(expected.body.contentType), actual: JSON.stringify(contentType) });
    }
  }
  matchBody(expected.body, expected.rules.body, request.body, contentType, true, out, { expectedType: expected.headers['content-type']?.[0], actualBinary: request.binary });
  return dedupe(out);
}

function matchStatus(interaction: Interaction, status: number, out: Mismatch[]): void {
  const expected = interaction.response.status;
  const rule = interaction.response.rules.status;
  const statusMatcher = rule?.matchers.find((m) => m.match === 'statusCode');
  if (statusMatcher) {
    const spec = statusMatcher.status;
    const ok = statusClassMatches(spec, status);
    if (!ok) out.push({ part: 'status', path: '', expected: describeStatusSpec(spec), actual: String(status) });
    return;
  }
  if (expected !== status) out.push({ part: 'status', path: '', expected: String(expected), actual: String(status) });
}

const STATUS_CLASSES: Record<string, [number, number]> = {
  information: [100, 199],
  success: [200, 299],
  redirect: [300, 399],
  clientError: [400, 499],
  serverError: [500, 599],
  nonError: [100, 399],
  error: [400, 599],
};

function statusClassMatches(spec: unknown, status: number): boolean {
  if (Array.isArray(spec)) return spec.map(Number).includes(status);
  if (typeof spec === 'string' && STATUS_CLASSES[spec]) {
    const [lo, hi] = STATUS_CLASSES[spec]!;
    return status >= lo && status <= hi;
  }
  return true;
}

function describeStatusSpec(spec: unknown): string {
  if (Array.isArray(spec)) return `one of ${spec.join(', ')}`;
  return `a ${String(spec)} status`;
}

/** Does `response` satisfy the interaction's response? Responses may carry extra keys and headers. */
export function matchResponse(interaction: Interaction, response: HttpResponseData): Mismatch[] {
  const out: Mismatch[] = [];
  const expected = interaction.response;
  matchStatus(interaction, response.status, out);
  matchHeaders(expected.headers, expected.rules.header, response.headers, out);
  const contentType = headerValue(response.headers, 'content-type');
  matchBody(expected.body, expected.rules.body, response.body, contentType, false, out, { expectedType: expected.headers['content-type']?.[0], actualBinary: response.binary });
  return dedupe(out);
}
