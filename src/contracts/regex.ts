/**
 * Regular expressions written in contracts (`regex` matchers, date formats) run on RE2 (re2js):
 * matching time grows linearly with the input whatever the pattern, so a contract can never
 * stall the replay server the way `^([^!]+)+!$` stalls a backtracking engine.
 *
 * The dialect is Pact's: the Rust `regex` crate's syntax, which is RE2's, plus the escapes
 * JavaScript-written contracts use (`\uXXXX`, `\u{X…}`). Look-around and back-references have
 * no linear-time implementation; a contract using them is refused when it loads, with the
 * place of the pattern in the file (`regexProblem`), never matched silently against nothing.
 */
import { createRequire } from 'node:module';
import type { RE2JS as RE2JSClass } from 're2js';

/** re2js (260 kB) is loaded when the first contract regex is compiled, not at every start of the command line. */
let re2: typeof RE2JSClass | undefined;
function re2js(): typeof RE2JSClass {
  re2 ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JSClass }).RE2JS;
  return re2;
}

/** A compiled contract regex: does it match somewhere in `text` (Pact's regex matcher is unanchored)? */
export interface ContractRegex {
  test(text: string): boolean;
  /** The text a group (by number or name) took in the first match in `text`; undefined when there is none. */
  group(text: string, group: number | string): string | undefined;
}

type Engine = 're2' | 'native';

let engine: Engine = 're2';
const cache = new Map<string, ContractRegex | string>();
/** Compiled patterns kept at most; a process that loads many contracts (the vitest plugin) stays bounded. */
const CACHE_LIMIT = 2_000;

/**
 * Chooses the engine contract regexes compile with. `native` (V8's backtracking RegExp) exists
 * only so that `bench/replay-throughput.ts` can measure both in one run; holdup never uses it.
 */
export function useRegexEngine(next: Engine): void {
  engine = next;
  cache.clear();
}

/** Pact's (Rust's) `\uXXXX` and `\u{X…}` escapes, which RE2 spells `\x{…}`. */
function toRe2Syntax(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = source[i + 1];
    if (next === 'u') {
      const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(source.slice(i + 2, i + 10));
      const plain = /^[0-9A-Fa-f]{4}/.exec(source.slice(i + 2, i + 6));
      if (braced) {
        out += `\\x{${braced[1]}}`;
        i += 1 + braced[0].length;
        continue;
      }
      if (plain) {
        out += `\\x{${plain[0]}}`;
        i += 5;
        continue;
      }
    }
    out += next === undefined ? c : c + next;
    i++;
  }
  return out;
}

function compile(source: string): ContractRegex | string {
  try {
    if (engine === 'native') {
      const native = new RegExp(source);
      return {
        test: (text) => native.test(text),
        group: (text, group) => {
          const found = native.exec(text);
          return (typeof group === 'number' ? found?.[group] : found?.groups?.[group]) ?? undefined;
        },
      };
    }
    const re = re2js().compile(toRe2Syntax(source));
    return {
      test: (text) => re.test(text),
      group: (text, group) => {
        const matcher = re.matcher(text);
        return matcher.find() ? (matcher.group(group) ?? undefined) : undefined;
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/^error parsing regexp: /, '');
  }
}

function lookup(source: string): ContractRegex | string {
  let found = cache.get(source);
  if (found === undefined) {
    found = compile(source);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(source, found);
  }
  return found;
}

/** Why `source` is not a usable contract regex, or undefined when it is. */
export function regexProblem(source: string): string | undefined {
  const found = lookup(source);
  return typeof found === 'string' ? found : undefined;
}

/** The compiled regex; a pattern that does not compile matches nothing (loaders refuse such contracts first). */
export function contractRegex(source: string): ContractRegex {
  const found = lookup(source);
  return typeof found === 'string' ? NEVER : found;
}

const NEVER: ContractRegex = { test: () => false, group: () => undefined };
