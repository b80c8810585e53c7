/**
 * `holdup import openapi`: an OpenAPI 3.0/3.1 document (JSON or YAML) → a Pact V4 contract.
 * `$ref`s are resolved by @apidevtools/json-schema-ref-parser (an optional package, loaded here
 * on demand); the document's structure is then read with a zod schema, so a malformed one is
 * named by its JSON path. One interaction per operation and documented response: the response's
 * example (or a body built from its schema), matching rules from the schema's types, the
 * security the operation requires as `<redacted:NAME>` placeholders, and the OAuth2
 * client-credentials `tokenUrl` as the token endpoint the replay issues tokens from.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { escapeRegex } from '../contracts/infer.js';
import { isFormMediaType, isJsonMediaType } from '../contracts/media.js';
import { looksLikeData, placeholder, redactRecordedForm, redactRecordedJson, redactRecordedQuery, scrubSecretValues, type RedactedSecret } from '../contracts/redact.js';
import type { MatchingRule, RuleList } from '../core/contract.js';
import { HoldupError, isHoldupError, jsonPath } from '../core/errors.js';
import type { Json } from '../core/json.js';
import { MAX_INPUT_BYTES } from '../core/input.js';
import { isInstalled, missingPackage } from '../core/package.js';
import { parseJsonText, parseWithSchema } from '../core/parse.js';
import { chosenName, nameFromFile, readImportFile, importedContract, type ImportedContract, type ImportNames, type SkippedItem } from './shared.js';

export const REF_PARSER = '@apidevtools/json-schema-ref-parser';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** A JSON Schema as OpenAPI writes one (3.1 allows `true`/`false`); read loosely, walked by hand. */
const schemaSchema = z.union([z.boolean(), z.record(z.string(), z.unknown())], { error: 'a schema object' });
const exampleMap = z.record(z.string(), z.union([z.looseObject({ value: z.unknown().optional() }), z.unknown()])).optional();
const mediaSchema = z.looseObject({ schema: schemaSchema.optional(), example: z.unknown().optional(), examples: exampleMap });
const contentSchema = z.record(z.string(), mediaSchema, { error: 'an object of media types' }).optional();
const parameterSchema = z.looseObject({
  name: z.string({ error: "a parameter's name" }),
  in: z.enum(['query', 'header', 'path', 'cookie'], { error: 'where the parameter goes: one of query, header, path or cookie' }),
  required: z.boolean().optional(),
  schema: schemaSchema.optional(),
  example: z.unknown().optional(),
  examples: exampleMap,
});
const securityRequirements = z.array(z.record(z.string(), z.array(z.string())), { error: 'a list of security requirements ({ scheme: [scopes] })' }).optional();
const operationSchema = z.looseObject({
  operationId: z.string().optional(),
  parameters: z.array(parameterSchema).optional(),
  requestBody: z.looseObject({ required: z.boolean().optional(), content: contentSchema }).optional(),
  responses: z.record(z.string(), z.looseObject({ content: contentSchema }), { error: 'an object of status codes' }),
  security: securityRequirements,
});
const pathItemSchema = z.looseObject({
  parameters: z.array(parameterSchema).optional(),
  ...Object.fromEntries(METHODS.map((method) => [method, operationSchema.optional()])),
});
const flowSchema = z.looseObject({ tokenUrl: z.string().optional() });
const securitySchemeSchema = z.looseObject({
  type: z.string({ error: 'a security scheme type: one of apiKey, http, oauth2, openIdConnect or mutualTLS' }),
  name: z.string().optional(),
  in: z.string().optional(),
  scheme: z.string().optional(),
  flows: z.looseObject({ clientCredentials: flowSchema.optional() }).optional(),
});
const documentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string({ error: "the API's title, a string" }) }, { error: 'an object with the title and version of the API' }),
  servers: z.array(z.looseObject({ url: z.string(), variables: z.record(z.string(), z.looseObject({ default: z.unknown() })).optional() })).optional(),
  paths: z.record(z.string(), pathItemSchema, { error: 'an object of paths ("/pets") to their operations' }).optional(),
  components: z.looseObject({ securitySchemes: z.record(z.string(), securitySchemeSchema).optional() }).optional(),
  security: securityRequirements,
});

type OpenApi = z.infer<typeof documentSchema>;
type Operation = z.infer<typeof operationSchema>;
type Parameter = z.infer<typeof parameterSchema>;
type Media = z.infer<typeof mediaSchema>;
type SecurityScheme = z.infer<typeof securitySchemeSchema>;
type Schema = z.infer<typeof schemaSchema>;

interface RefParser {
  parse(path: string, options: object): Promise<unknown>;
  dereference(path: string, schema: unknown, options: object): Promise<unknown>;
}

/**
 * Reads a file a $ref names (and the document itself) only when it is a regular file of at most
 * MAX_INPUT_BYTES, in the document's folder or below it (links followed first): a $ref to a FIFO,
 * a device or /dev/zero would otherwise wait or read forever, and one to `../../.ssh/id_rsa` or
 * `/etc/passwd` would copy that file into a contract that may be published.
 */
async function readReferencedFile(file: { url: string }, root: string): Promise<Buffer> {
  const at = file.url.startsWith('file:') ? fileURLToPath(file.url) : decodeURI(file.url);
  let info;
  let real;
  try {
    info = await stat(at);
    real = await realpath(at);
  } catch (cause) {
    throw new Error(`cannot read ${at} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`);
  }
  const inside = relative(root, real);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new Error(`${at} is outside the document's folder (${root}): holdup reads only files in that folder or below it`);
  }
  if (!info.isFile()) throw new Error(`${at} is not a regular file (a folder, a FIFO or a device)`);
  if (info.size > MAX_INPUT_BYTES) throw new Error(`${at} is larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MB`);
  return readFile(real);
}

interface LoadedParser {
  parser: RefParser;
  /** The parser's options: files read by `readReferencedFile`, nothing fetched, circular references left as `$ref`s. */
  parse: object;
  dereference: object;
}

async function loadRefParser(document: string): Promise<LoadedParser> {
  if (!isInstalled(REF_PARSER, import.meta.url)) throw missingPackage(REF_PARSER);
  const module = (await import(REF_PARSER)) as { default: RefParser; ResolverError: new (error: Error, source: string) => Error };
  // a resolver's own error reaches the caller with its message only when it is the parser's ResolverError
  const root = await realpath(dirname(document)).catch(() => dirname(document));
  const read = async (file: { url: string }): Promise<Buffer> => {
    try {
      return await readReferencedFile(file, root);
    } catch (error) {
      throw new module.ResolverError(error as Error, file.url);
    }
  };
  const resolve = { http: false, file: { read } };
  // JSON and YAML only: the parser's text and binary parsers would put any file a $ref names into an example
  const parse = { text: false, binary: false };
  return { parser: module.default, parse: { resolve, parse }, dereference: { resolve, parse, dereference: { circular: 'ignore' } } };
}

/** The first place in `value` whose `$ref` passes `wanted`: the JSON path an unresolved reference is named by. */
function refPlace(value: unknown, wanted: (ref: string) => boolean, at: (string | number)[] = [], depth = 0): (string | number)[] | undefined {
  if (value === null || typeof value !== 'object' || depth > 256) return undefined;
  const ref = Array.isArray(value) ? undefined : (value as Record<string, unknown>)['$ref'];
  if (typeof ref === 'string' && wanted(ref)) return [...at, '$ref'];
  for (const [key, item] of Object.entries(value)) {
    const found = refPlace(item, wanted, [...at, Array.isArray(value) ? Number(key) : key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Errors of the reference parser, as coded errors naming the file and the place. */
function parserError(error: unknown, parsed: unknown, shown: string, absolute: string): HoldupError {
  const e = error as { name?: string; code?: string; message?: string; targetRef?: string; source?: string };
  const message = (e.message ?? String(error)).split('\n')[0]!.replace(/^Error parsing [^:]+: /, '');
  if (e.code === 'EPARSER' || e.name === 'ParserError') {
    return new HoldupError('IMPORT_SYNTAX', `neither JSON nor YAML: ${message}`, { file: shown, hint: 'check that this is an OpenAPI document, and fix its syntax at the place named', cause: error });
  }
  // a pointer that leads nowhere names its $ref; a file that cannot be read is the `source` a $ref leads to
  const target = e.targetRef;
  const place =
    target !== undefined
      ? refPlace(parsed, (ref) => ref === target)
      : e.source !== undefined && e.source !== absolute
        ? refPlace(parsed, (ref) => !ref.startsWith('#') && resolve(dirname(absolute), ref.split('#', 1)[0]!) === e.source)
        : undefined;
  if (e.code === 'EMISSINGPOINTER' || e.code === 'ERESOLVER' || e.code === 'EUNMATCHEDRESOLVER' || e.code === 'EINVALIDPOINTER') {
    return new HoldupError('OPENAPI_REF', `a $ref cannot be resolved: ${message}`, {
      file: shown,
      ...(place ? { path: jsonPath(place) } : {}),
      hint: 'point the $ref at a part of the document that exists (or a file beside it); holdup does not fetch http(s) references',
      cause: error,
    });
  }
  return new HoldupError('OPENAPI_REF', `the document's references could not be resolved: ${message}`, { file: shown, hint: 'check its $refs', cause: error });
}

/** Reads, version-checks, resolves and validates the document. */
async function loadDocument(absolute: string, shown: string): Promise<OpenApi> {
  const text = await readImportFile(absolute, shown, 'OpenAPI document', 'openapi');
  const { parser, ...options } = await loadRefParser(absolute);
  let parsed: unknown;
  if (/^\s*[{[]/.test(text)) {
    parsed = parseJsonText(text, shown, 'IMPORT_SYNTAX', { hint: 'check that this is an OpenAPI document (JSON or YAML), and fix its syntax at the place named', expected: 'an OpenAPI document' });
  } else {
    if (text.trim() === '') throw new HoldupError('IMPORT_SYNTAX', 'the file is empty: expected an OpenAPI document', { file: shown, hint: 'name the OpenAPI document (JSON or YAML)' });
    try {
      parsed = await parser.parse(absolute, options.parse);
    } catch (error) {
      throw parserError(error, undefined, shown, absolute);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HoldupError('IMPORT_SCHEMA', 'not an OpenAPI document: expected an object with an "openapi" field', { file: shown, path: '$', hint: 'name an OpenAPI 3.0 or 3.1 document' });
  }
  // YAML aliases are shared objects: the $ref resolver walks each once per place it is used
  checkExpandedSize(parsed, shown);
  const record = parsed as Record<string, unknown>;
  if (record['swagger'] !== undefined) {
    throw new HoldupError('OPENAPI_VERSION', `this is a Swagger ${String(record['swagger'])} document; holdup reads OpenAPI 3.0 and 3.1`, {
      file: shown,
      path: '$.swagger',
      hint: 'convert it to OpenAPI 3 first (for example npx swagger2openapi spec.json -o openapi.json), then import that',
    });
  }
  const version = record['openapi'];
  if (version === undefined) {
    const nock = Array.isArray(parsed) ? ' (a JSON array: holdup import nock reads nock recordings)' : '';
    throw new HoldupError('IMPORT_SCHEMA', `not an OpenAPI document: it has no "openapi" field${nock}`, { file: shown, path: '$.openapi', hint: 'name an OpenAPI 3.0 or 3.1 document' });
  }
  if (typeof version !== 'string' || !/^3\.[01]\.\d+/.test(version)) {
    throw new HoldupError('OPENAPI_VERSION', `OpenAPI ${JSON.stringify(version)} is not supported; holdup reads OpenAPI 3.0 and 3.1`, {
      file: shown,
      path: '$.openapi',
      hint: 'import an OpenAPI 3.0.x or 3.1.x document',
    });
  }
  let resolved: unknown;
  try {
    resolved = await parser.dereference(absolute, parsed, options.dereference);
  } catch (error) {
    if (isHoldupError(error)) throw error;
    throw parserError(error, parsed, shown, absolute);
  }
  checkExpandedSize(resolved, shown);
  return parseWithSchema(documentSchema, resolved, { file: shown, code: 'IMPORT_SCHEMA', hint: 'fix the document at the place named (an OpenAPI validator says more)' });
}

/** Refuses a document that holds more than MAX_EXPANDED_VALUES values once expanded, before anything walks it. */
function checkExpandedSize(document: unknown, shown: string): void {
  if (!expandsPast(document, MAX_EXPANDED_VALUES)) return;
  throw new HoldupError('IMPORT_SCHEMA', `the document holds more than ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values once its $refs and YAML aliases are expanded`, {
    file: shown,
    hint: 'check that this is the document you meant; a real API description is far smaller (YAML aliases that nest aliases multiply)',
  });
}

/** How many values a document may hold once expanded: far beyond a real API description. */
const MAX_EXPANDED_VALUES = 5_000_000;

/**
 * Whether walking `value` visits more than `budget` values. A YAML alias or a resolved $ref is one
 * object reached from many places: a walk (the schema's, the builder's) visits it once per place.
 */
function expandsPast(value: unknown, budget: number): boolean {
  let left = budget;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (--left < 0) return true;
    if (item !== null && typeof item === 'object') for (const child of Object.values(item)) stack.push(child);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// examples and rules from schemas

const MAX_DEPTH = 12;

function asObject(schema: Schema | undefined): Record<string, unknown> | undefined {
  return schema !== undefined && typeof schema === 'object' ? schema : undefined;
}

/** The schema's type: 3.0's `type` (with `nullable`) or 3.1's `type` list; guessed from its keywords when absent. */
function typeOf(schema: Record<string, unknown>): { type: string | undefined; nullable: boolean } {
  const raw = schema['type'];
  const types = Array.isArray(raw) ? raw.filter((t): t is string => typeof t === 'string') : typeof raw === 'string' ? [raw] : [];
  const nullable = schema['nullable'] === true || types.includes('null');
  let type = types.find((t) => t !== 'null');
  if (type === undefined) {
    if (schema['properties'] !== undefined || schema['additionalProperties'] !== undefined) type = 'object';
    else if (schema['items'] !== undefined) type = 'array';
    else if (Array.isArray(schema['enum']) && schema['enum'].length > 0) type = typeof schema['enum'][0] === 'number' ? 'number' : typeof schema['enum'][0];
  }
  return { type, nullable };
}

type Direction = 'request' | 'response';

/** The properties a body holds in one direction: read-only ones are not sent, write-only ones not returned. */
function properties(schema: Record<string, unknown>, direction: Direction): [string, Schema][] {
  const props = schema['properties'];
  if (props === null || typeof props !== 'object') return [];
  return Object.entries(props as Record<string, Schema>).filter(([, child]) => {
    const c = asObject(child);
    return !(direction === 'request' ? c?.['readOnly'] === true : c?.['writeOnly'] === true);
  });
}

/** `allOf` merged into one object schema (properties and required lists). */
function merged(schema: Record<string, unknown>): Record<string, unknown> {
  const all = schema['allOf'];
  if (!Array.isArray(all)) return schema;
  const out: Record<string, unknown> = { ...schema, properties: { ...(schema['properties'] as object | undefined) } };
  delete out['allOf'];
  for (const part of all) {
    const p = asObject(part as Schema);
    if (!p) continue;
    const m = merged(p);
    Object.assign(out['properties'] as object, m['properties'] ?? {});
    for (const [key, value] of Object.entries(m)) if (key !== 'properties' && out[key] === undefined) out[key] = value;
  }
  return out;
}

/** The schema a value is built from: allOf merged, the first of oneOf/anyOf. */
function effective(schema: Schema | undefined): Record<string, unknown> | undefined {
  let s = asObject(schema);
  if (!s) return undefined;
  s = merged(s);
  for (const key of ['oneOf', 'anyOf']) {
    const options = s[key];
    if (Array.isArray(options) && options.length > 0 && s['type'] === undefined && s['properties'] === undefined) {
      return effective(options[0] as Schema);
    }
  }
  return s;
}

const FORMAT_EXAMPLES: Record<string, string> = {
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  email: 'user@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'ZXhhbXBsZQ==',
};

/** A value of the schema: its own example, default, const or first enum value, else one built from its type. */
export function exampleFromSchema(schema: Schema | undefined, direction: Direction, depth = 0): Json | undefined {
  const s = effective(schema);
  if (!s || depth > MAX_DEPTH || s['$ref'] !== undefined) return undefined;
  if (s['example'] !== undefined) return s['example'] as Json;
  if (Array.isArray(s['examples']) && s['examples'].length > 0) return s['examples'][0] as Json;
  if (s['const'] !== undefined) return s['const'] as Json;
  if (s['default'] !== undefined) return s['default'] as Json;
  if (Array.isArray(s['enum']) && s['enum'].length > 0) return s['enum'][0] as Json;
  const { type, nullable } = typeOf(s);
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      for (const [name, child] of properties(s, direction)) {
        const value = exampleFromSchema(child, direction, depth + 1);
        if (value !== undefined) out[name] = value;
      }
      return out;
    }
    case 'array': {
      const item = exampleFromSchema(s['items'] as Schema | undefined, direction, depth + 1);
      return item === undefined ? [] : [item];
    }
    case 'string':
      return FORMAT_EXAMPLES[String(s['format'])] ?? 'string';
    case 'integer':
      return typeof s['minimum'] === 'number' ? Math.ceil(s['minimum']) : 1;
    case 'number':
      return typeof s['minimum'] === 'number' ? s['minimum'] : 1.5;
    case 'boolean':
      return true;
    default:
      return nullable ? null : undefined;
  }
}

const UUID_REGEX = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** The rule a scalar of this schema gets. */
function scalarRule(s: Record<string, unknown>, type: string | undefined): MatchingRule {
  const values = Array.isArray(s['enum']) ? s['enum'].filter((v): v is string => typeof v === 'string') : [];
  if (type === 'string' && values.length > 0) return { match: 'regex', regex: `^(?:${values.map(escapeRegex).join('|')})$` };
  if (type === 'string' && s['format'] === 'uuid') return { match: 'regex', regex: UUID_REGEX };
  if (type === 'integer') return { match: 'integer' };
  if (type === 'number') return { match: 'number' };
  if (type === 'boolean') return { match: 'boolean' };
  return { match: 'type' };
}

function ruleList(matcher: MatchingRule, nullable: boolean): RuleList {
  return nullable ? { combine: 'OR', matchers: [{ match: 'null' }, matcher] } : { combine: 'AND', matchers: [matcher] };
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `${path}.${key}` : `${path}['${key.replace(/'/g, "\\'")}']`;
}

/**
 * Matching rules for `value` (an example of `schema`), keyed by Pact path: the schema's types, not
 * the example's values, so any body of the documented shape matches.
 */
export function rulesFromSchema(schema: Schema | undefined, value: Json | undefined, path = '$', rules: Record<string, RuleList> = {}, depth = 0): Record<string, RuleList> {
  const s = effective(schema);
  if (!s || depth > MAX_DEPTH || value === undefined || s['$ref'] !== undefined) return rules;
  const { type, nullable } = typeOf(s);
  if (Array.isArray(value)) {
    const min = typeof s['minItems'] === 'number' ? s['minItems'] : 0;
    rules[path] = ruleList({ match: 'type', min }, nullable);
    if (value.length > 0) rulesFromSchema(s['items'] as Schema | undefined, value[0], `${path}[*]`, rules, depth + 1);
    return rules;
  }
  if (value !== null && typeof value === 'object') {
    if (nullable) rules[path] = ruleList({ match: 'type' }, true);
    const props = new Map(Object.entries((s['properties'] as Record<string, Schema> | undefined) ?? {}));
    const extra = typeof s['additionalProperties'] === 'object' ? (s['additionalProperties'] as Schema) : undefined;
    for (const [key, item] of Object.entries(value)) {
      const child = props.get(key) ?? extra;
      if (child !== undefined) rulesFromSchema(child, item, childPath(path, key), rules, depth + 1);
    }
    return rules;
  }
  if (path !== '$') rules[path] = ruleList(scalarRule(s, type), nullable);
  return rules;
}

// ---------------------------------------------------------------------------------------------
// interactions

/** The example a media type or parameter gives: `example`, the first of `examples`, else its schema's. */
function exampleOf(holder: { example?: unknown; examples?: Record<string, unknown> | undefined; schema?: Schema | undefined }, direction: Direction): Json | undefined {
  if (holder.example !== undefined) return holder.example as Json;
  for (const example of Object.values(holder.examples ?? {})) {
    if (example !== null && typeof example === 'object' && 'value' in example && (example as { value?: unknown }).value !== undefined) return (example as { value: Json }).value;
  }
  return exampleFromSchema(holder.schema, direction);
}

/** The media type a body is built for: JSON first, then a form, then the first. */
function pickMedia(content: Record<string, Media> | undefined): [string, Media] | undefined {
  const entries = Object.entries(content ?? {});
  return (
    entries.find(([type]) => type.toLowerCase() === 'application/json') ??
    entries.find(([type]) => isJsonMediaType(type)) ??
    entries.find(([type]) => isFormMediaType(type)) ??
    entries[0]
  );
}

/** The regex a path parameter's segment matches, by its schema's type. */
function segmentRegex(parameter: Parameter | undefined): string {
  const type = typeOf(effective(parameter?.schema) ?? {}).type;
  return type === 'integer' ? '-?[0-9]+' : type === 'number' ? '-?[0-9]+(?:\\.[0-9]+)?' : '[^/]+';
}

/** `http://petstore.swagger.io/v2` → `/v2`; server variables take their defaults. */
function serverBase(document: OpenApi): { base: string; note?: string } {
  const server = document.servers?.[0];
  if (!server) return { base: '' };
  let url = server.url;
  for (const [name, variable] of Object.entries(server.variables ?? {})) url = url.replaceAll(`{${name}}`, String(variable.default));
  const pathname = URL.canParse(url) ? new URL(url).pathname : URL.canParse(url, 'http://x') ? new URL(url, 'http://x').pathname : '';
  const base = pathname.replace(/\/+$/, '');
  return base ? { base, note: `paths start with ${base}, the path of the first server (${server.url})` } : { base };
}

interface SecurityParts {
  headers: Record<string, string>;
  headerRules: Record<string, RuleList>;
  query: Record<string, string[]>;
  queryRules: Record<string, RuleList>;
}

const ANY_VALUE: RuleList = { combine: 'AND', matchers: [{ match: 'regex', regex: '^.+$' }] };

/** What the operation's security puts in a request: placeholders where the credentials go. */
function securityParts(requirements: Record<string, string[]>[] | undefined, schemes: Record<string, SecurityScheme>, where: string, skipped: SkippedItem[]): SecurityParts {
  const parts: SecurityParts = { headers: {}, headerRules: {}, query: {}, queryRules: {} };
  if (!requirements || requirements.length === 0) return parts;
  // any one requirement satisfies; none at all (`{}`) is the easiest for a client to meet
  if (requirements.some((r) => Object.keys(r).length === 0)) return parts;
  const usable = requirements.find((r) => Object.keys(r).every((name) => schemes[name] !== undefined && schemes[name].type !== 'mutualTLS')) ?? requirements[0]!;
  for (const name of Object.keys(usable)) {
    const scheme = schemes[name];
    if (!scheme) {
      skipped.push({ where, reason: `its security names the scheme "${name}", which components.securitySchemes does not define: no credentials asked for` });
      continue;
    }
    if (scheme.type === 'apiKey' && scheme.name !== undefined) {
      if (scheme.in === 'query') {
        parts.query[scheme.name] = [placeholder(scheme.name)];
        parts.queryRules[scheme.name] = ANY_VALUE;
      } else if (scheme.in === 'cookie') {
        parts.headers['Cookie'] = `${scheme.name}=${placeholder(scheme.name)}`;
        parts.headerRules['Cookie'] = { combine: 'AND', matchers: [{ match: 'regex', regex: `(?:^|;\\s*)${escapeRegex(scheme.name)}=` }] };
      } else {
        parts.headers[scheme.name] = placeholder(scheme.name);
        parts.headerRules[scheme.name] = ANY_VALUE;
      }
    } else if (scheme.type === 'http' || scheme.type === 'oauth2' || scheme.type === 'openIdConnect') {
      const kind = scheme.type === 'http' ? (scheme.scheme ?? 'bearer') : 'bearer';
      const word = kind.toLowerCase() === 'basic' ? 'Basic' : kind.toLowerCase() === 'bearer' ? 'Bearer' : kind;
      parts.headers['Authorization'] = `${word} ${placeholder('authorization')}`;
      parts.headerRules['Authorization'] = { combine: 'AND', matchers: [{ match: 'regex', regex: `^${escapeRegex(word)} .+$` }] };
    } else {
      skipped.push({ where, reason: `its security scheme "${name}" (${scheme.type}) is not put in requests by holdup: no credentials asked for` });
    }
  }
  return parts;
}

/** A status key as a number: `200`, `4XX` → 400; `default` has none. */
function statusOf(key: string): number | undefined {
  if (/^[1-5]\d\d$/.test(key)) return Number(key);
  if (/^[1-5]XX$/i.test(key)) return Number(key[0]) * 100;
  return undefined;
}

interface Built {
  interaction: Record<string, unknown>;
  found: RedactedSecret[];
}

/** The body part of a request or response: the redacted example and its rules, or why there is none. */
function buildBody(
  content: Record<string, Media> | undefined,
  direction: Direction,
  found: RedactedSecret[],
): { body?: { content: Json; contentType: string; encoded: false }; rules: Record<string, RuleList>; contentType?: string; missing?: string } {
  const picked = pickMedia(content);
  if (!picked) return { rules: {} };
  const [contentType, media] = picked;
  const example = exampleOf(media, direction);
  if (example === undefined) return { rules: {}, contentType, missing: `${contentType} has neither an example nor a schema to build one from: no body` };
  if (isJsonMediaType(contentType)) {
    const redacted = redactRecordedJson(example, found) as Json;
    return { body: { content: redacted, contentType, encoded: false }, rules: rulesFromSchema(media.schema, redacted), contentType };
  }
  if (isFormMediaType(contentType) && example !== null && typeof example === 'object' && !Array.isArray(example)) {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(example)) if (value !== null && typeof value !== 'object') form.append(key, String(value));
    const redacted = redactRecordedForm(form.toString(), found);
    const rules: Record<string, RuleList> = {};
    for (const key of new URLSearchParams(redacted).keys()) rules[childPath('$', key)] = ANY_VALUE;
    return { body: { content: redacted, contentType, encoded: false }, rules, contentType };
  }
  if (typeof example !== 'string') return { rules: {}, contentType, missing: `${contentType} is not JSON and its example is not text: no body` };
  return { body: { content: example, contentType, encoded: false }, rules: {}, contentType };
}

function ruleCategories(categories: Record<string, Record<string, RuleList> | RuleList | undefined>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [name, rules] of Object.entries(categories)) if (rules !== undefined && Object.keys(rules).length > 0) out[name] = rules;
  return Object.keys(out).length > 0 ? out : undefined;
}

function buildInteraction(
  method: string,
  template: string,
  base: string,
  operation: Operation,
  shared: Parameter[],
  statusKey: string,
  status: number,
  providerState: string | undefined,
  security: SecurityParts,
  skipped: SkippedItem[],
): Built {
  const found: RedactedSecret[] = [];
  const label = `${method.toUpperCase()} ${template}`;
  // operation parameters override path-level ones of the same name and place
  const parameters = new Map<string, Parameter>();
  for (const p of [...shared, ...(operation.parameters ?? [])]) parameters.set(`${p.in}:${p.name}`, p);

  let concrete = base;
  let pattern = `^${escapeRegex(base)}`;
  let templated = false;
  for (const piece of template.split(/(\{[^}]+\})/)) {
    const name = /^\{([^}]+)\}$/.exec(piece)?.[1];
    if (name === undefined) {
      concrete += piece;
      pattern += escapeRegex(piece);
      continue;
    }
    templated = true;
    const parameter = parameters.get(`path:${name}`);
    const value = parameter ? exampleOf(parameter, 'request') : undefined;
    concrete += encodeURIComponent(value === undefined || value === null || typeof value === 'object' ? name : String(value));
    pattern += segmentRegex(parameter);
  }
  pattern += '$';

  const query: Record<string, string[]> = { ...security.query };
  const queryRules: Record<string, RuleList> = { ...security.queryRules };
  const headers: Record<string, string[]> = {};
  const headerRules: Record<string, RuleList> = { ...security.headerRules };
  for (const [name, value] of Object.entries(security.headers)) headers[name] = [value];
  for (const parameter of parameters.values()) {
    if (parameter.required !== true || parameter.in === 'path') continue;
    if (parameter.in === 'cookie') {
      skipped.push({ where: `${label} → ${statusKey}`, reason: `required cookie parameter "${parameter.name}" is not put in the contract's requests` });
      continue;
    }
    // OpenAPI ignores header parameters named Accept, Content-Type and Authorization
    if (parameter.in === 'header' && ['accept', 'content-type', 'authorization'].includes(parameter.name.toLowerCase())) continue;
    const example = exampleOf(parameter, 'request');
    if (example === undefined) {
      skipped.push({ where: `${label} → ${statusKey}`, reason: `required ${parameter.in} parameter "${parameter.name}" has no example nor schema: left out` });
      continue;
    }
    const values = (Array.isArray(example) ? example : [example]).filter((v) => v !== null && typeof v !== 'object').map(String);
    const s = effective(parameter.schema);
    const itemSchema = s && typeOf(s).type === 'array' ? effective(s['items'] as Schema | undefined) : s;
    const rule = ruleList(scalarRule(itemSchema ?? {}, itemSchema ? typeOf(itemSchema).type : undefined), false);
    const rules = rule.matchers[0]!.match === 'type' ? ANY_VALUE : { combine: 'AND' as const, matchers: rule.matchers.map((m) => (m.match === 'integer' ? { match: 'regex', regex: '^-?[0-9]+$' } : m.match === 'number' ? { match: 'regex', regex: '^-?[0-9]+(?:\\.[0-9]+)?$' } : m.match === 'boolean' ? { match: 'regex', regex: '^(?:true|false)$' } : m)) };
    if (parameter.in === 'query') {
      const redacted = redactRecordedQuery({ [parameter.name]: values }, found)[parameter.name] ?? values;
      query[parameter.name] = redacted;
      queryRules[parameter.name] = redacted.some((v, i) => v !== values[i]) ? ANY_VALUE : rules;
    } else {
      headers[parameter.name] = values.length > 0 ? [values.join(', ')] : [''];
      headerRules[parameter.name] = rules;
    }
  }

  const requestBody = operation.requestBody ? buildBody(operation.requestBody.content, 'request', found) : { rules: {} };
  if ('missing' in requestBody && requestBody.missing) skipped.push({ where: `${label} request body`, reason: requestBody.missing });
  if (requestBody.body) headers['Content-Type'] = [requestBody.body.contentType];

  const response = operation.responses[statusKey]!;
  const responseBody = buildBody(response.content, 'response', found);
  if ('missing' in responseBody && responseBody.missing) skipped.push({ where: `${label} → ${statusKey}`, reason: responseBody.missing });

  const name = operation.operationId ?? label;
  const requestRules = ruleCategories({ path: templated ? { combine: 'AND', matchers: [{ match: 'regex', regex: pattern }] } : undefined, header: headerRules, query: queryRules, body: requestBody.rules });
  const responseRules = ruleCategories({ body: responseBody.rules });
  const identity = JSON.stringify([method, template, statusKey]);
  return {
    found,
    interaction: {
      type: 'Synchronous/HTTP',
      key: createHash('sha256').update(identity).digest('hex').slice(0, 16),
      description: `${name}: ${method.toUpperCase()} ${concrete} → ${status}`,
      pending: false,
      ...(providerState ? { providerStates: [{ name: providerState }] } : {}),
      request: {
        method: method.toUpperCase(),
        path: concrete,
        ...(Object.keys(query).length > 0 ? { query } : {}),
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        ...(requestBody.body ? { body: requestBody.body } : {}),
        ...(requestRules ? { matchingRules: requestRules } : {}),
      },
      response: {
        status,
        ...(responseBody.body ? { headers: { 'Content-Type': [responseBody.body.contentType] } } : {}),
        ...(responseBody.body ? { body: responseBody.body } : {}),
        ...(responseRules ? { matchingRules: responseRules } : {}),
      },
    },
  };
}

/** The token endpoint interactions of an OAuth2 client-credentials flow: credentials in the body, or in Basic auth. */
function tokenInteractions(tokenUrl: string, base: string): { path: string; interactions: Record<string, unknown>[] } {
  const path = URL.canParse(tokenUrl) ? new URL(tokenUrl).pathname : `${base}/${tokenUrl.replace(/^\/+/, '')}`;
  const response = {
    status: 200,
    headers: { 'Content-Type': ['application/json'] },
    body: { content: { access_token: placeholder('access_token'), token_type: 'Bearer', expires_in: 3600 }, contentType: 'application/json', encoded: false },
    matchingRules: {
      body: {
        '$.access_token': { combine: 'AND', matchers: [{ match: 'type' }] },
        '$.token_type': { combine: 'AND', matchers: [{ match: 'type' }] },
        '$.expires_in': { combine: 'AND', matchers: [{ match: 'integer' }] },
      },
    },
  };
  const form = (fields: string): Record<string, unknown> => ({ content: fields, contentType: 'application/x-www-form-urlencoded', encoded: false });
  const make = (description: string, body: string, rules: Record<string, RuleList>, headers: Record<string, string[]>): Record<string, unknown> => ({
    type: 'Synchronous/HTTP',
    key: createHash('sha256').update(JSON.stringify(['token', path, description])).digest('hex').slice(0, 16),
    description,
    pending: false,
    request: {
      method: 'POST',
      path,
      headers: { 'Content-Type': ['application/x-www-form-urlencoded'], ...headers },
      body: form(body),
      matchingRules: { ...(Object.keys(rules).length > 0 ? { body: rules } : {}), ...(headers['Authorization'] ? { header: { Authorization: { combine: 'AND', matchers: [{ match: 'regex', regex: '^Basic .+$' }] } } } : {}) },
    },
    response,
  });
  return {
    path,
    interactions: [
      make(
        `a client credentials token request: POST ${path} (grant_type=client_credentials, credentials in the body) → 200`,
        `grant_type=client_credentials&client_id=${placeholder('client_id')}&client_secret=${placeholder('client_secret')}`,
        { '$.client_id': ANY_VALUE, '$.client_secret': ANY_VALUE },
        {},
      ),
      make(`a client credentials token request: POST ${path} (grant_type=client_credentials, HTTP Basic credentials) → 200`, 'grant_type=client_credentials', {}, {
        Authorization: [`Basic ${placeholder('authorization')}`],
      }),
    ],
  };
}

export interface OpenApiImportOptions extends ImportNames {
  /** The document, as the user named it (messages). */
  shown: string;
  holdupVersion?: string;
}

/** Reads the document at `absolute` and builds its contract. */
export async function importOpenApi(absolute: string, options: OpenApiImportOptions): Promise<ImportedContract> {
  const document = await loadDocument(absolute, options.shown);
  return buildOpenApiContract(document, options);
}

function buildOpenApiContract(document: OpenApi, options: OpenApiImportOptions): ImportedContract {
  const skipped: SkippedItem[] = [];
  const notes: string[] = [];
  const { base, note } = serverBase(document);
  if (note) notes.push(note);
  const schemes = document.components?.securitySchemes ?? {};
  const interactions: Record<string, unknown>[] = [];
  const secrets: RedactedSecret[] = [];

  // the client-credentials token endpoint: the replay server issues its own tokens there
  const clientCredentials = Object.entries(schemes).find(([, scheme]) => scheme.type === 'oauth2' && scheme.flows?.clientCredentials?.tokenUrl !== undefined);
  let redacted = 0;
  if (clientCredentials) {
    const token = tokenInteractions(clientCredentials[1].flows!.clientCredentials!.tokenUrl!, base);
    interactions.push(...token.interactions);
  }
  for (const [name, scheme] of Object.entries(schemes)) {
    if (scheme.type === 'oauth2' && !scheme.flows?.clientCredentials) {
      notes.push(`security scheme "${name}" (oauth2 without a clientCredentials flow): requests carry Authorization: Bearer, and no token endpoint is in the contract (the connector brings its own token)`);
    }
  }

  for (const [template, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, unknown>)[method] as Operation | undefined;
      if (!operation) continue;
      const label = `${method.toUpperCase()} ${template}`;
      const security = securityParts(operation.security ?? document.security, schemes, label, skipped);
      const credentials = Object.keys(security.headers).length + Object.keys(security.query).length;
      // success first: the replay answers the first interaction a request matches unless provider states are set
      const keys = Object.keys(operation.responses).sort((a, b) => (statusOf(a) ?? 1000) - (statusOf(b) ?? 1000));
      // an operation whose only response is "default" still answers: as 200, said in a note
      const onlyDefault = keys.length === 1 && keys[0] === 'default';
      if (onlyDefault) notes.push(`${label}: its only response is "default", replayed as 200`);
      let first = true;
      for (const key of keys) {
        const status = onlyDefault ? 200 : statusOf(key);
        if (status === undefined) {
          skipped.push({ where: `${label} → ${key}`, reason: 'a "default" response has no status code to replay' });
          continue;
        }
        const state = first ? undefined : `${operation.operationId ?? label} responds ${key}`;
        const built = buildInteraction(method, template, base, operation, (item.parameters as Parameter[] | undefined) ?? [], key, status, state, security, skipped);
        interactions.push(built.interaction);
        redacted += credentials + built.found.filter((secret) => !secret.scrubOnly).length;
        secrets.push(...built.found);
        first = false;
      }
    }
  }
  if (interactions.length === 0) {
    throw new HoldupError('IMPORT_EMPTY', 'the document describes no operation with a response holdup can replay', {
      file: options.shown,
      path: '$.paths',
      hint: 'an operation needs at least one response with a status code (200, 404, 4XX; not only "default")',
    });
  }
  const consumer = chosenName('consumer', options.consumer, nameFromFile(options.shown), "the document's file name");
  const title = document.info.title.trim().toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  const provider = chosenName('provider', options.provider, title || 'provider', "the document's info.title");
  const pact = {
    consumer: { name: consumer.name },
    provider: { name: provider.name },
    interactions,
    metadata: {
      pactSpecification: { version: '4.0' },
      holdup: { recordedWith: `holdup import openapi${options.holdupVersion ? ` ${options.holdupVersion}` : ''}`, openapi: document.openapi },
    },
  };
  // an example's secret is replaced where it is; its copies elsewhere are scrubbed too, unless it reads as
  // data (a built example's "string", a date), whose copies are the document's other examples
  const scrubbed = scrubSecretValues(
    `${JSON.stringify(pact, null, 2)}\n`,
    secrets.filter((secret) => !looksLikeData(secret.value) && !Object.values(FORMAT_EXAMPLES).includes(secret.value)),
  );
  return importedContract(scrubbed.text, { consumer, provider }, {
    interactions: interactions.length,
    redacted: redacted + scrubbed.replaced,
    duplicates: 0,
    skipped,
    notes,
  });
}
