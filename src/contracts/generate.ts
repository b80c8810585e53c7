/**
 * Pact generators: the values a Pact mock server puts in a response in place of the contract's
 * examples (`RandomInt`, `Uuid`, `DateTime`, `ProviderState`, `MockServerURL`, …). holdup draws
 * every random value from the execution's seeded `Rng`, so a seed replays the same values.
 *
 * A generator holdup cannot honour (an unknown type, a regex it cannot generate from, a provider
 * state value the interaction does not give) leaves the contract's example in place: the
 * example satisfies the contract by construction.
 */
import type { Generator, Generators, Json, ProviderState } from '../core/index.js';
import type { Rng } from '../core/rng.js';
import { formatDate } from './dates.js';
import { parsePactPath, type PathToken } from './paths.js';
import { contractRegex, regexProblem } from './regex.js';
import { HEADER_VALUE } from './schema.js';

export interface GenerateContext {
  rng: Rng;
  /** The time the response is generated at (the execution's clock). */
  epochMs: number;
  /** Where the client reached the server: `http://host:port` (for `MockServerURL`). */
  baseUrl: string | undefined;
  /** The interaction's provider states: their params fill `ProviderState` generators. */
  states: readonly ProviderState[];
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function option(generator: Generator, name: string, fallback: number): number {
  const value = generator[name];
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : fallback;
}

function chars(rng: Rng, alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

/** `digits` digits with a point inside, never ending in 0, so that it stays a decimal once written as JSON. */
function randomDecimal(rng: Rng, digits: number): number {
  const n = Math.min(Math.max(Math.trunc(digits), 2), 15);
  let text = String(rng.int(1, 9)) + chars(rng, '0123456789', n - 2) + String(rng.int(1, 9));
  const point = rng.int(1, n - 1);
  text = `${text.slice(0, point)}.${text.slice(point)}`;
  return Number(text);
}

function uuid(rng: Rng): string {
  const hex = chars(rng, '0123456789abcdef', 32).split('');
  hex[12] = '4';
  hex[16] = '89ab'[rng.int(0, 3)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `${name}` expressions filled from the provider states' params; undefined when one is missing. */
function fromProviderState(expression: string, states: readonly ProviderState[], example: Json | undefined): Json | undefined {
  const params: Record<string, Json> = {};
  for (const state of states) Object.assign(params, state.params ?? {});
  const whole = /^\$\{([^}]+)\}$/.exec(expression);
  if (whole) {
    const value = Object.prototype.hasOwnProperty.call(params, whole[1]!) ? params[whole[1]!] : undefined;
    if (value === undefined) return undefined;
    // a number written as text stays the example's type
    if (typeof example === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    if (typeof example === 'string' && typeof value !== 'string') return typeof value === 'object' ? JSON.stringify(value) : String(value);
    return value;
  }
  let missing = false;
  const text = expression.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
    if (value === undefined) {
      missing = true;
      return '';
    }
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
  return missing ? undefined : text;
}

function mockServerUrl(generator: Generator, example: Json | undefined, baseUrl: string | undefined): Json | undefined {
  const source = typeof generator['regex'] === 'string' ? generator['regex'] : undefined;
  const sample = typeof generator['example'] === 'string' ? generator['example'] : typeof example === 'string' ? example : undefined;
  if (baseUrl === undefined || source === undefined || sample === undefined || regexProblem(source) !== undefined) return undefined;
  const captured = contractRegex(source).group(sample, 1);
  return captured === undefined ? undefined : `${baseUrl.replace(/\/$/, '')}${captured}`;
}

/** One generated value; undefined leaves the example. */
export function generateValue(generator: Generator, example: Json | undefined, ctx: GenerateContext): Json | undefined {
  const { rng } = ctx;
  switch (generator.type) {
    case 'RandomInt': {
      const min = Math.trunc(option(generator, 'min', 0));
      const max = Math.trunc(option(generator, 'max', 10));
      return max < min ? undefined : rng.int(min, max);
    }
    case 'RandomDecimal':
      return randomDecimal(rng, option(generator, 'digits', 10));
    case 'RandomHexadecimal': {
      const digits = Math.min(Math.max(Math.trunc(option(generator, 'digits', 10)), 1), 1_000);
      // the case of the example: a contract whose regex asks for [0-9a-f] gets lower-case digits
      const upper = typeof example === 'string' && /[A-F]/.test(example) && !/[a-f]/.test(example);
      return chars(rng, upper ? '0123456789ABCDEF' : '0123456789abcdef', digits);
    }
    case 'RandomString':
      return chars(rng, ALPHANUMERIC, Math.min(Math.max(Math.trunc(option(generator, 'size', 20)), 0), 10_000));
    case 'RandomBoolean':
      return rng.next() < 0.5;
    case 'Uuid':
      return uuid(rng);
    case 'Regex': {
      const source = typeof generator['regex'] === 'string' ? generator['regex'] : undefined;
      return source === undefined ? undefined : generateFromRegex(source, rng);
    }
    case 'Date':
    case 'Time':
    case 'DateTime': {
      const fallback = generator.type === 'Date' ? 'yyyy-MM-dd' : generator.type === 'Time' ? 'HH:mm:ss' : "yyyy-MM-dd'T'HH:mm:ss";
      const format = typeof generator['format'] === 'string' && generator['format'] !== '' ? generator['format'] : fallback;
      return formatDate(format, ctx.epochMs);
    }
    case 'ProviderState':
      return typeof generator['expression'] === 'string' ? fromProviderState(generator['expression'], ctx.states, example) : undefined;
    case 'MockServerURL':
      return mockServerUrl(generator, example, ctx.baseUrl);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Strings from a regular expression (the `Regex` generator)

const DIGITS = '0123456789';
const WORD = `${ALPHANUMERIC}_`;

/**
 * A string the pattern matches, for the patterns contracts use (literals, classes, `\d \w \s`,
 * groups, alternation, `? * + {n,m}`); undefined for anything else, or when what was drawn does
 * not match after all (the caller keeps the example).
 */
export function generateFromRegex(source: string, rng: Rng): string | undefined {
  const parser: RegexParser = { source, at: 0, rng, ok: true, depth: 0, budget: { steps: MAX_REGEX_STEPS } };
  const out = alternation(parser);
  if (!parser.ok || parser.at !== source.length) return undefined;
  return contractRegex(`^(?:${source.replace(/^\^/, '').replace(/\$$/, '')})$`).test(out) ? out : undefined;
}

/** What one generated string may cost (atoms drawn, characters written): a pattern like `((a{999}){999}){999}` gives up instead of running for ever. */
const MAX_REGEX_STEPS = 20_000;
/** Groups nested deeper than this give up too (the parser recurses). */
const MAX_REGEX_DEPTH = 32;

interface RegexParser {
  source: string;
  at: number;
  rng: Rng;
  ok: boolean;
  depth: number;
  /** Shared by a pattern's groups. */
  budget: { steps: number };
}

function alternation(p: RegexParser): string {
  const branches: string[] = [sequence(p)];
  while (p.ok && p.source[p.at] === '|') {
    p.at++;
    branches.push(sequence(p));
  }
  return branches[p.rng.int(0, branches.length - 1)]!;
}

function sequence(p: RegexParser): string {
  let out = '';
  while (p.ok && p.at < p.source.length && p.source[p.at] !== '|' && p.source[p.at] !== ')') {
    const c = p.source[p.at]!;
    if (c === '^' || c === '$') {
      p.at++;
      continue;
    }
    const atom = atomGenerator(p);
    if (!p.ok) return out;
    const [min, max] = quantifier(p);
    const times = p.rng.int(min, max);
    for (let i = 0; i < times && p.ok; i++) {
      if (--p.budget.steps < 0) p.ok = false;
      else out += atom();
    }
  }
  return out;
}

function quantifier(p: RegexParser): [number, number] {
  const c = p.source[p.at];
  let range: [number, number] = [1, 1];
  if (c === '?') range = [0, 1];
  else if (c === '*') range = [0, 4];
  else if (c === '+') range = [1, 4];
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.source.slice(p.at));
    if (!m) {
      p.ok = false;
      return range;
    }
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? min + 4 : Number(m[3]);
    if (max < min || max > 1_000) p.ok = false;
    p.at += m[0].length;
    range = [min, max];
    if (p.source[p.at] === '?') p.at++;
    return range;
  } else return range;
  p.at++;
  if (p.source[p.at] === '?') p.at++;
  return range;
}

function escapeClass(c: string): string | undefined {
  if (c === 'd') return DIGITS;
  if (c === 'w') return WORD;
  if (c === 's') return ' ';
  return undefined;
}

function atomGenerator(p: RegexParser): () => string {
  const c = p.source[p.at]!;
  if (c === '(') {
    if (p.depth >= MAX_REGEX_DEPTH) {
      p.ok = false;
      return () => '';
    }
    p.at++;
    if (p.source.startsWith('?:', p.at)) p.at += 2;
    else if (p.source[p.at] === '?') {
      p.ok = false;
      return () => '';
    }
    const start = p.at;
    p.depth++;
    alternation(p);
    p.depth--;
    if (p.source[p.at] !== ')') {
      p.ok = false;
      return () => '';
    }
    const inner = p.source.slice(start, p.at);
    p.at++;
    return () => {
      const sub: RegexParser = { source: inner, at: 0, rng: p.rng, ok: true, depth: p.depth + 1, budget: p.budget };
      const out = alternation(sub);
      if (!sub.ok) p.ok = false;
      return out;
    };
  }
  if (c === '[') return classGenerator(p);
  if (c === '.') {
    p.at++;
    return () => chars(p.rng, ALPHANUMERIC, 1);
  }
  if (c === '\\') {
    const next = p.source[p.at + 1];
    p.at += 2;
    if (next === undefined) {
      p.ok = false;
      return () => '';
    }
    const set = escapeClass(next);
    if (set) return () => chars(p.rng, set, 1);
    if (/[A-Za-z0-9]/.test(next)) {
      p.ok = false; // \b, \p{…}, \x41, \D …: not generated
      return () => '';
    }
    return () => next;
  }
  if ('*+?{'.includes(c)) {
    p.ok = false;
    return () => '';
  }
  p.at++;
  return () => c;
}

function classGenerator(p: RegexParser): () => string {
  p.at++;
  if (p.source[p.at] === '^') {
    p.ok = false;
    return () => '';
  }
  let set = '';
  let first = true;
  while (p.at < p.source.length && (p.source[p.at] !== ']' || first)) {
    first = false;
    let c = p.source[p.at]!;
    if (c === '\\') {
      const next = p.source[p.at + 1] ?? '';
      p.at += 2;
      const escaped = escapeClass(next);
      if (escaped) {
        set += escaped;
        continue;
      }
      c = next;
    } else p.at++;
    if (p.source[p.at] === '-' && p.source[p.at + 1] !== ']' && p.at + 1 < p.source.length) {
      const end = p.source[p.at + 1]!;
      p.at += 2;
      const from = c.charCodeAt(0);
      const to = end.charCodeAt(0);
      if (to < from || to - from > 256) {
        p.ok = false;
        return () => '';
      }
      for (let code = from; code <= to; code++) set += String.fromCharCode(code);
    } else set += c;
  }
  if (p.source[p.at] !== ']' || set === '') {
    p.ok = false;
    return () => '';
  }
  p.at++;
  return () => chars(p.rng, set, 1);
}

// ---------------------------------------------------------------------------------------------
// Applying a response's generators

function setAt(root: Json, tokens: readonly PathToken[], update: (value: Json) => Json | undefined): Json {
  if (tokens.length === 0) return update(root) ?? root;
  const [token, ...rest] = tokens;
  if (Array.isArray(root)) {
    root.forEach((item, i) => {
      if (token!.kind === 'star' || (token!.kind === 'index' && token!.index === i)) root[i] = setAt(item, rest, update);
    });
  } else if (root !== null && typeof root === 'object') {
    for (const key of Object.keys(root)) {
      if (token!.kind === 'star' || (token!.kind === 'field' && token!.name === key)) root[key] = setAt(root[key]!, rest, update);
    }
  }
  return root;
}

/** The body with every generator applied (a copy; the contract's own body is left as it is). */
export function generateBody(body: Json, generators: Generators['body'], ctx: GenerateContext): Json {
  let out = structuredClone(body);
  for (const [path, generator] of Object.entries(generators)) {
    const tokens = parsePactPath(path);
    if (!tokens) continue;
    out = setAt(out, tokens, (example) => generateValue(generator, example, ctx));
  }
  return out;
}

/**
 * The headers with the generators of the headers the response has applied (names lower-cased).
 * A value Node could not send (a provider state param with a line break) leaves the example.
 */
export function generateHeaders(headers: Record<string, string>, generators: Generators['header'], ctx: GenerateContext): Record<string, string> {
  for (const [name, generator] of Object.entries(generators)) {
    if (!Object.prototype.hasOwnProperty.call(headers, name)) continue;
    const value = generateValue(generator, headers[name], ctx);
    const text = value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
    if (text !== undefined && HEADER_VALUE.test(text)) headers[name] = text;
  }
  return headers;
}
