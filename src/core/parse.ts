import type { z } from 'zod';
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

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
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
  const [issue, ...rest] = result.error.issues;
  if (!issue) throw new HoldupError(options.code, 'is not valid', { file: options.file, hint: options.hint });
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const found = describeValue(valueIn(input, path));
  let expected = issue.message.replace(/^Invalid (input|option): /, '').replace(/, received \w+$/, '');
  if (issue.code === 'unrecognized_keys') expected = `${issue.message.toLowerCase()} (not allowed here)`;
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  const message =
    issue.code === 'invalid_type' || issue.code === 'invalid_value'
      ? `${expected}, found ${found}${more}`
      : `${expected}${more}`;
  throw new HoldupError(options.code, message, { file: options.file, path: jsonPath(path), hint: options.hint });
}
