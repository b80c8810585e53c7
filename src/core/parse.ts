import { z } from 'zod';
import { HoldupError, jsonPath, type ErrorCode } from './errors.js';
import { describeFoundAt, lineAndColumn, locateJsonError } from './json-syntax.js';

/** The closest of `candidates` to `name` (edit distance), if it is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  // a typo of an id is short; a long value is not one (and its edit distance would cost seconds)
  if (name.length > MAX_TYPO_LENGTH) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(3, Math.floor(name.length / 3)) ? best : undefined;
}

const MAX_TYPO_LENGTH = 100;

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** How deep the JSON holdup reads may nest: far beyond any real document, and shallow enough that every recursive walk of it is safe. */
export const MAX_JSON_DEPTH = 256;

/** The offset at which JSON `text` first opens a level deeper than `max`, or -1. Linear; strings are skipped. */
export function tooDeepAt(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: skip to its closing quote
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return -1;
}

/**
 * Parses JSON text; on a syntax error throws `code` saying at which line and column the text
 * stops being JSON, what was expected there and what was found.
 */
export function parseJsonText(
  text: string,
  file: string,
  code: ErrorCode,
  options: { hint: string; emptyHint?: string; expected?: string },
): unknown {
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    const { line, column } = lineAndColumn(text, deep);
    throw new HoldupError(code, `nested more than ${MAX_JSON_DEPTH} levels deep at line ${line}, column ${column}`, {
      file,
      hint: `holdup reads JSON nested at most ${MAX_JSON_DEPTH} levels deep: check that this is the file you meant, and flatten what nests that far`,
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    if (text.trim() === '') {
      throw new HoldupError(code, `the file is empty: expected ${options.expected ?? 'a JSON document'}`, {
        file,
        hint: options.emptyHint ?? options.hint,
        cause,
      });
    }
    const problem = locateJsonError(text);
    const { line, column } = lineAndColumn(text, problem.offset);
    throw new HoldupError(
      code,
      `not valid JSON at line ${line}, column ${column}: expected ${problem.expected}, found ${describeFoundAt(text, problem.offset)}`,
      { file, hint: options.hint, cause },
    );
  }
}

/**
 * A value found in a file or a response, in a few words for a message: `"1200"`, `42`, `null`,
 * `an array of 3`, `an object`, and `absent` (or the word given) where there is none. Long
 * strings are cut short.
 */
export function describeValue(value: unknown, absent = 'nothing'): string {
  if (value === undefined) return absent;
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 60 ? `${JSON.stringify(value.slice(0, 57))}…` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length}`;
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty object' : 'an object';
  return typeof value;
}

const TYPE_PHRASES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'an integer',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
  record: 'an object',
  map: 'an object',
  null: 'null',
  undefined: 'nothing',
};

const UNITS: Record<string, [string, string]> = { string: ['character', 'characters'], array: ['item', 'items'], set: ['item', 'items'] };

function bound(issue: { origin: string; inclusive?: boolean }, limit: number | bigint | Date, side: 'min' | 'max'): string {
  const unit = UNITS[issue.origin];
  if (unit) {
    const [one, many] = unit;
    if (side === 'min' && Number(limit) === 1) return issue.origin === 'string' ? 'a non-empty string' : 'a non-empty list';
    const noun = Number(limit) === 1 ? one : many;
    return `${issue.origin === 'string' ? 'a string' : 'a list'} of at ${side === 'min' ? 'least' : 'most'} ${String(limit)} ${noun}`;
  }
  const what = issue.origin === 'date' ? 'a date' : 'a number';
  const shown = limit instanceof Date ? limit.toISOString() : String(limit);
  if (issue.inclusive === false) return `${what} ${side === 'min' ? 'above' : 'below'} ${shown}`;
  return `${what} of at ${side === 'min' ? 'least' : 'most'} ${shown}`;
}

type LocaleError = (issue: z.core.$ZodRawIssue) => string | { message: string } | undefined | null;
/** zod's English messages, made the first time an issue needs telling apart (never at import). */
let defaultMessage: LocaleError | undefined;

/**
 * The phrase a schema gave for this check (`z.number().min(100, 'an HTTP status between 100 and
 * 599')`), or undefined when the message is zod's own: told apart by asking zod's English locale
 * for its default message for the same issue data.
 */
function authoredMessage(issue: z.core.$ZodIssue, found: unknown): string | undefined {
  if (issue.code === 'custom') return issue.message;
  defaultMessage ??= z.locales.en().localeError as LocaleError;
  const fallback = defaultMessage({ ...issue, input: found } as z.core.$ZodRawIssue);
  const text = typeof fallback === 'string' ? fallback : fallback?.message;
  return text === undefined || issue.message === text ? undefined : issue.message;
}

/**
 * What a schema wanted where a zod issue says it was not met, in words made from the issue's
 * data (`code`, `expected`, `values`, `minimum`…), never by rewriting zod's English message; a
 * phrase the schema gave for the check (and a `custom` issue's message) is holdup's own and is kept.
 * `found` is the value at the issue's place (zod's default message for a type names its type).
 */
export function expectedOf(issue: z.core.$ZodIssue, found?: unknown): string {
  const authored = authoredMessage(issue, found);
  if (authored !== undefined) return authored;
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_PHRASES[issue.expected] ?? `a ${issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return bound(issue, issue.minimum, 'min');
    case 'too_big':
      return bound(issue, issue.maximum, 'max');
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue ? `a string matching ${String(issue.pattern)}` : `a valid ${issue.format}`;
    case 'invalid_union': {
      const options = 'options' in issue && Array.isArray(issue.options) ? issue.options : undefined;
      if (options) return `one of ${options.map((value) => JSON.stringify(value)).join(', ')}`;
      // every branch failed: say what the branches wanted at this place, when each wanted a type
      const wanted = issue.errors.map((branch) => branch.find((inner) => inner.path.length === 0 && inner.code === 'invalid_type'));
      if (wanted.length > 0 && wanted.every((inner) => inner !== undefined)) return [...new Set(wanted.map((inner) => TYPE_PHRASES[(inner as { expected: string }).expected] ?? 'a value'))].join(' or ');
      return 'one of the shapes allowed here';
    }
    case 'invalid_key':
      return issue.issues[0] ? `a key that is ${expectedOf(issue.issues[0])}` : 'a valid key';
    case 'invalid_element':
      return issue.issues[0] ? expectedOf(issue.issues[0]) : 'a valid entry';
    case 'unrecognized_keys':
      return 'no other key';
    case 'custom':
      return issue.message;
  }
}

/** The first problem of a failed parse, as `{ path, message }`: what was wanted and what was found there, and how many more there are. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): { path: (string | number)[]; message: string } {
  const [issue, ...rest] = issues;
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  if (!issue) return { path: [], message: 'is not valid' };
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
    return { path, message: `unknown key${issue.keys.length === 1 ? '' : 's'} ${keys} (not allowed here)${more}` };
  }
  if (issue.code === 'custom') return { path, message: `${issue.message}${more}` };
  const found = valueIn(input, path);
  return { path, message: `expected ${expectedOf(issue, found)}, found ${describeValue(found)}${more}` };
}

/** The value at `path` inside a parsed document, or undefined where the path leaves it. */
export function valueIn(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Parses `input` with `schema`; on failure throws `code` naming the JSON path of the first
 * problem, what was expected and what was found, and how many more problems there are.
 */
export function parseWithSchema<S extends z.ZodType>(
  schema: S,
  input: unknown,
  options: { file: string; code: ErrorCode; hint: string; what?: string },
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const { path, message } = describeIssues(result.error.issues, input);
  throw new HoldupError(options.code, message, { file: options.file, path: jsonPath(path), hint: options.hint });
}
