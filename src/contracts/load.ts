/**
 * Reads a Pact file (V2, V3 or V4) into holdup's `Contract`. Every problem is a
 * `HoldupError` with the file, the JSON path inside it and the next step.
 */
import { isAbsolute, normalize, sep } from 'node:path';
import type {
  Contract,
  ContractBody,
  Generator,
  Generators,
  Interaction,
  MatchingRule,
  MatchingRules,
  ProviderState,
  RuleList,
} from '../core/contract.js';
import { HoldupError, jsonPath, quoted } from '../core/errors.js';
import { newRecord } from '../core/http.js';
import { readInputFile } from '../core/input.js';
import { MAX_JSON_DEPTH, describeValue, expectedOf, parseJsonText, tooDeepAt, valueIn } from '../core/parse.js';
import type { Json } from '../core/json.js';
import { isFormMediaType, isJsonMediaType, isTextMediaType, parseForm } from './media.js';
import {
  validatePact,
  type PactIssue,
  type RawMatcher,
  type RawRuleCategories,
  type RawRuleList,
  type ValidatedInteraction,
} from './schema.js';

const SCHEMA_HINT = 'fix the contract so it matches the Pact specification (docs/contracts.md)';

/** Reads and parses a contract file. `displayPath` is how the user named it (relative to the project root). */
export async function loadContract(absolutePath: string, displayPath: string): Promise<Contract> {
  const root = projectRoot(absolutePath, displayPath);
  const where = root === undefined ? '' : ` (${root})`;
  const text = await readInputFile(absolutePath, displayPath, {
    what: 'contract file',
    notFound: 'CONTRACT_NOT_FOUND',
    notFoundHint: `check the connector's \`contract\` field: it is resolved against the project root${where}, the folder of holdup.config.ts`,
  });
  return parseContract(text, displayPath);
}

/** The project root, when `absolutePath` is `displayPath` resolved against it. */
function projectRoot(absolutePath: string, displayPath: string): string | undefined {
  if (isAbsolute(displayPath)) return undefined;
  const abs = normalize(absolutePath);
  const rel = normalize(displayPath);
  if (!abs.endsWith(sep + rel)) return undefined;
  return abs.slice(0, abs.length - rel.length - 1) || sep;
}

/** Parses the text of a contract file. Pure: no file system. */
export function parseContract(text: string, displayPath: string): Contract {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const raw = parseJsonText(source, displayPath, 'CONTRACT_JSON', {
    hint: 'fix the JSON syntax of the contract (a trailing comma or a missing quote is the usual cause)',
    emptyHint: SCHEMA_HINT,
    expected: 'a Pact JSON document',
  });
  const validated = validatePact(raw);
  if (!validated.ok) throw schemaError(validated.issues, raw, displayPath);
  if (validated.interactions.length === 0) {
    const skipped = validated.skipped.length;
    throw new HoldupError(
      'CONTRACT_SCHEMA',
      `expected at least one HTTP interaction (type "Synchronous/HTTP") in the interactions list, found ${
        skipped === 0 ? 'none' : `none holdup can replay (${skipped} skipped: ${validated.skipped[0]!.reason})`
      }`,
      { file: displayPath, path: '$.interactions', hint: SCHEMA_HINT },
    );
  }
  const file = validated.file;
  const contract: Contract = {
    file: displayPath,
    consumer: file.consumer?.name ?? 'consumer',
    provider: file.provider?.name ?? 'provider',
    specVersion: validated.specVersion,
    interactions: validated.interactions.map((entry) => normaliseInteraction(entry, displayPath)),
  };
  if (validated.skipped.length > 0) contract.skipped = validated.skipped;
  return contract;
}

// ---------------------------------------------------------------------------------------------
// CONTRACT_SCHEMA: the first zod issue in words

/** A short, readable description of a value found in a file: `42`, `"get"`, `an object`, `nothing`. */
const FIELD_NAMES: Record<string, string> = {
  method: 'the HTTP method',
  status: 'the response status',
  description: 'the interaction description',
  interactions: 'the interactions list',
  request: 'the request',
  response: 'the response',
  headers: 'the headers',
  query: 'the query',
  body: 'the body',
  matchingRules: 'the matching rules',
  providerStates: 'the provider states',
  providerState: 'the provider state',
  consumer: 'the consumer',
  provider: 'the provider',
  metadata: 'the metadata',
  matchers: 'the matchers of a rule',
  combine: 'the "combine" of a rule',
  match: 'the matcher type',
  content: 'the body content',
  contentType: 'the body content type',
  encoded: 'the body "encoded" flag',
  type: 'the interaction type',
  pending: 'the "pending" flag',
  regex: 'the regular expression',
  format: 'the date format',
};

function fieldName(path: readonly (string | number)[]): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last === undefined) return 'the contract';
  if (typeof last === 'number') {
    if (parent === 'interactions') return 'an interaction';
    if (parent === 'providerStates') return 'a provider state';
    if (parent === 'matchers') return 'a matcher';
    return `an item of ${parent === undefined ? 'a list' : fieldName(path.slice(0, -1))}`;
  }
  if (parent === 'headers') return `the "${last}" header`;
  if (parent === 'query') return `the query parameter "${last}"`;
  if (last === 'path') return parent === 'request' ? 'the request path' : 'the "path" rules';
  if (last === 'name') {
    if (parent === 'consumer') return 'the consumer name';
    if (parent === 'provider') return 'the provider name';
    if (typeof parent === 'number') return 'the provider state name';
  }
  if (last === 'params') return 'the provider state params';
  if (last === 'type' && path.includes('generators')) return 'the generator type';
  if (path.includes('matchingRules') && FIELD_NAMES[last] === undefined) return `the matching rule "${last}"`;
  return FIELD_NAMES[last] ?? `"${last}"`;
}

function schemaError(issues: readonly PactIssue[], raw: unknown, displayPath: string): HoldupError {
  const first = issues[0]!;
  const more = issues.length - 1;
  const tail = more === 0 ? '' : ` (and ${more} more problem${more === 1 ? '' : 's'})`;
  if (first.issue.code === 'invalid_key') {
    // a name that cannot be one (a header name with a space): the key is what is wrong, not its value
    const key = first.path[first.path.length - 1];
    const phrase = first.issue.issues[0]?.message ?? 'a valid name';
    return new HoldupError('CONTRACT_SCHEMA', `expected ${phrase} as a key of ${fieldName(first.path.slice(0, -1))}, found ${quoted(String(key))}${tail}`, {
      file: displayPath,
      path: jsonPath(first.path),
      hint: SCHEMA_HINT,
    });
  }
  const value = valueIn(raw, first.path);
  const found = describeValue(value);
  if (first.issue.code === 'custom' && first.issue.params?.['sentence'] === true) {
    // a value of the right type that cannot work (a regex RE2 cannot compile): the value, then why
    const hint = first.issue.params['hint'];
    return new HoldupError('CONTRACT_SCHEMA', `${fieldName(first.path)} ${found} ${first.issue.message}${tail}`, {
      file: displayPath,
      path: jsonPath(first.path),
      hint: typeof hint === 'string' ? hint : SCHEMA_HINT,
    });
  }
  return new HoldupError('CONTRACT_SCHEMA', `expected ${expectedOf(first.issue, value)} for ${fieldName(first.path)}, found ${found}${tail}`, {
    file: displayPath,
    path: jsonPath(first.path),
    hint: SCHEMA_HINT,
  });
}

// ---------------------------------------------------------------------------------------------
// Normalisation into core types

type RawValues = string | number | (string | number)[];

function toList(value: RawValues): string[] {
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function normaliseHeaders(headers: Record<string, RawValues> | undefined): Record<string, string[]> {
  const out = newRecord<string[]>();
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    const values = toList(value);
    const previous = out[key];
    // pact-js writes a header twice when it was set under two spellings (`Content-Type` and
    // `content-type`): one header, as Pact reads it, not a list of two equal values
    if (previous && previous.length === values.length && previous.every((v, i) => v === values[i])) continue;
    out[key] = [...(previous ?? []), ...values];
  }
  return out;
}

function normaliseQuery(query: string | Record<string, RawValues> | undefined): Record<string, string[]> {
  const out = newRecord<string[]>();
  if (query === undefined) return out;
  if (typeof query === 'string') {
    for (const [name, value] of new URLSearchParams(query.startsWith('?') ? query.slice(1) : query)) {
      (out[name] ??= []).push(value);
    }
    return out;
  }
  for (const [name, value] of Object.entries(query)) out[name] = toList(value);
  return out;
}

function normaliseStates(data: { providerStates?: { name: string; params?: Record<string, unknown> | null | undefined }[]; providerState?: string | null | undefined }): ProviderState[] {
  if (data.providerStates && data.providerStates.length > 0) {
    return data.providerStates.map((state) =>
      state.params ? { name: state.name, params: state.params as Record<string, Json> } : { name: state.name },
    );
  }
  if (typeof data.providerState === 'string' && data.providerState !== '') return [{ name: data.providerState }];
  return [];
}

/** Where a body is in the file, for the error that refuses it. */
interface BodyPlace {
  file: string;
  path: (string | number)[];
}

/** JSON read out of a body's text (an `encoded` body, a string body of a JSON content type): held to the same depth as the file. */
function parseBodyJson(text: string, place: BodyPlace): Json | undefined {
  if (tooDeepAt(text) >= 0) {
    throw new HoldupError('CONTRACT_SCHEMA', `the body's JSON nests more than ${MAX_JSON_DEPTH} levels deep`, {
      file: place.file,
      path: jsonPath(place.path),
      hint: `holdup replays JSON nested at most ${MAX_JSON_DEPTH} levels deep: check that this is the body you meant, and flatten what nests that far`,
    });
  }
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function bodyFromText(text: string, contentType: string | undefined, place: BodyPlace): ContractBody {
  if (isFormMediaType(contentType)) return { contentType, json: parseForm(text) };
  if (isJsonMediaType(contentType) || (contentType === undefined && /^\s*[{[]/.test(text))) {
    const json = parseBodyJson(text, place);
    return json === undefined ? { contentType, text } : { contentType: contentType ?? 'application/json', json };
  }
  return { contentType, text };
}

/** V2/V3 bodies: a string is the raw body; any other JSON value is a JSON body. */
function normaliseRawBody(body: unknown, headers: Record<string, string[]>, place: BodyPlace): ContractBody | undefined {
  if (body === undefined || body === null) return undefined;
  const contentType = headers['content-type']?.[0];
  if (typeof body === 'string') return bodyFromText(body, contentType, place);
  return { contentType: contentType ?? 'application/json', json: body as Json };
}

function normaliseV4Body(
  body: { content?: unknown; contentType?: string | null | undefined; encoded?: boolean | string | null | undefined } | undefined,
  headers: Record<string, string[]>,
  place: BodyPlace,
): ContractBody | undefined {
  if (body === undefined || body.content === undefined || body.content === null) return undefined;
  // pact-js writes `*/*` for a body given as bytes, and the real type in the Content-Type header
  const declared = body.contentType === '*/*' ? undefined : body.contentType;
  const contentType = declared ?? headers['content-type']?.[0] ?? body.contentType ?? undefined;
  const encoded = typeof body.encoded === 'string' ? body.encoded.toLowerCase() : body.encoded;
  const content = body.content;
  const at = { file: place.file, path: [...place.path, 'content'] };
  if (typeof content !== 'string') return { contentType: contentType ?? 'application/json', json: content as Json };
  if (encoded === 'base64') {
    const bytes = Buffer.from(content, 'base64');
    if (!isTextMediaType(contentType)) return { contentType, text: bytes.toString('latin1'), binary: true };
    return bodyFromText(bytes.toString('utf8'), contentType, at);
  }
  if (encoded === 'json') {
    const json = parseBodyJson(content, at);
    return json === undefined ? bodyFromText(content, contentType, at) : { contentType: contentType ?? 'application/json', json };
  }
  return bodyFromText(content, contentType, at);
}

function normaliseGenerators(raw: { body?: Record<string, Generator>; header?: Record<string, Generator> } | undefined): Generators | undefined {
  if (!raw || (raw.body === undefined && raw.header === undefined)) return undefined;
  const generators: Generators = { body: newRecord(), header: newRecord() };
  for (const [path, generator] of Object.entries(raw.body ?? {})) generators.body[path] = generator;
  for (const [name, generator] of Object.entries(raw.header ?? {})) generators.header[name.toLowerCase()] = generator;
  return generators;
}

function normaliseMatcher(raw: RawMatcher): MatchingRule {
  const { match, ...options } = raw as RawMatcher & Record<string, unknown>;
  if (typeof match === 'string') return { ...options, match };
  if (typeof options.regex === 'string') return { ...options, match: 'regex' };
  if (options.min !== undefined || options.max !== undefined) return { ...options, match: 'type' };
  return { ...options, match: 'equality' };
}

function normaliseRuleList(raw: RawRuleList): RuleList {
  return { combine: raw.combine ?? 'AND', matchers: raw.matchers.map(normaliseMatcher) };
}

function wholeValue(raw: RawRuleList | Record<string, RawRuleList> | undefined): RuleList | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray((raw as RawRuleList).matchers)) return normaliseRuleList(raw as RawRuleList);
  const first = Object.values(raw as Record<string, RawRuleList>)[0];
  return first ? normaliseRuleList(first) : undefined;
}

function normaliseCategories(raw: RawRuleCategories | undefined): MatchingRules {
  const rules: MatchingRules = { body: newRecord(), header: newRecord(), query: newRecord() };
  if (!raw) return rules;
  for (const [key, list] of Object.entries(raw.body ?? {})) rules.body[key] = normaliseRuleList(list);
  for (const [key, list] of Object.entries({ ...raw.headers, ...raw.header })) rules.header[key.toLowerCase()] = normaliseRuleList(list);
  for (const [key, list] of Object.entries(raw.query ?? {})) rules.query[key] = normaliseRuleList(list);
  const path = wholeValue(raw.path);
  if (path) rules.path = path;
  const status = wholeValue(raw.status);
  if (status) rules.status = status;
  return rules;
}

/** V2: `$.body.a` → body `$.a`; `$.headers.X` → header `x`; `$.query.q` → query `q`; `$.path`; `$.status`. */
function normaliseFlatRules(raw: Record<string, RawMatcher> | undefined): MatchingRules {
  const rules: MatchingRules = { body: newRecord(), header: newRecord(), query: newRecord() };
  if (!raw) return rules;
  const add = (target: Record<string, RuleList>, key: string, matcher: RawMatcher): void => {
    const list = (target[key] ??= { combine: 'AND', matchers: [] });
    list.matchers.push(normaliseMatcher(matcher));
  };
  for (const [key, matcher] of Object.entries(raw)) {
    let m: RegExpExecArray | null;
    if ((m = /^\$\.body(.*)$/.exec(key))) add(rules.body, `$${m[1]}`, matcher);
    else if ((m = /^\$\.headers?(?:\.|\[')(.+?)(?:'\])?$/.exec(key))) add(rules.header, m[1]!.toLowerCase(), matcher);
    else if ((m = /^\$\.query(?:\.|\[')(.+?)(?:'\])?$/.exec(key))) add(rules.query, m[1]!, matcher);
    else if (key === '$.path') rules.path = { combine: 'AND', matchers: [...(rules.path?.matchers ?? []), normaliseMatcher(matcher)] };
    else if (key === '$.status') rules.status = { combine: 'AND', matchers: [...(rules.status?.matchers ?? []), normaliseMatcher(matcher)] };
  }
  return rules;
}

function normaliseInteraction(entry: ValidatedInteraction, file: string): Interaction {
  const { data } = entry;
  const place = (side: 'request' | 'response'): BodyPlace => ({ file, path: ['interactions', entry.index, side, 'body'] });
  const requestHeaders = normaliseHeaders(data.request.headers);
  const responseHeaders = normaliseHeaders(data.response.headers);
  let requestBody: ContractBody | undefined;
  let responseBody: ContractBody | undefined;
  let requestRules: MatchingRules;
  let responseRules: MatchingRules;
  if (entry.version === 4) {
    requestBody = normaliseV4Body(entry.data.request.body, requestHeaders, place('request'));
    responseBody = normaliseV4Body(entry.data.response.body, responseHeaders, place('response'));
    requestRules = normaliseCategories(entry.data.request.matchingRules);
    responseRules = normaliseCategories(entry.data.response.matchingRules);
  } else {
    requestBody = normaliseRawBody(data.request.body, requestHeaders, place('request'));
    responseBody = normaliseRawBody(data.response.body, responseHeaders, place('response'));
    if (entry.version === 3) {
      requestRules = normaliseCategories(entry.data.request.matchingRules);
      responseRules = normaliseCategories(entry.data.response.matchingRules);
    } else {
      requestRules = normaliseFlatRules(entry.data.request.matchingRules);
      responseRules = normaliseFlatRules(entry.data.response.matchingRules);
    }
  }
  const interaction: Interaction = {
    index: entry.index,
    description: data.description,
    providerStates: normaliseStates(data as Parameters<typeof normaliseStates>[0]),
    request: {
      method: data.request.method.toUpperCase(),
      path: data.request.path,
      query: normaliseQuery(data.request.query),
      headers: requestHeaders,
      rules: requestRules,
    },
    response: {
      status: data.response.status,
      headers: responseHeaders,
      rules: responseRules,
    },
  };
  const generators = entry.version === 2 ? undefined : normaliseGenerators(entry.data.response.generators);
  if (generators) interaction.response.generators = generators;
  if (requestBody) interaction.request.body = requestBody;
  if (responseBody) interaction.response.body = responseBody;
  return interaction;
}
