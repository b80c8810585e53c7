/**
 * `holdup import nock`: nock recordings → a Pact V4 contract. Reads Nock Back fixture files and
 * what `nock.recorder.play()` returns with `output_objects: true` (both a JSON array of recorded
 * definitions: scope, method, path, body, status, response, rawHeaders, reqheaders). Each
 * definition becomes a recorded exchange, and `buildPactDocument` — the builder of
 * `holdup record` — redacts it and infers its matchers: the same secrets become the same
 * placeholders, the same values the same rules. nock itself is not needed to read a recording.
 */
import { z } from 'zod';
import { buildPactDocument, type RecordedExchange } from '../contracts/write.js';
import { HoldupError } from '../core/errors.js';
import { parseJsonText, parseWithSchema } from '../core/parse.js';
import { chosenName, nameFromFile, importedContract, type ImportedContract, type ImportNames, type SkippedItem } from './shared.js';

const headerValue = z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))], { error: 'a string or a list of strings (a header value)' });
const headerRecord = z.record(z.string(), headerValue, { error: 'an object of header names to values' });

const definitionSchema = z.looseObject({
  scope: z.string({ error: 'the scope: the origin the request went to ("http://127.0.0.1:4010")' }).refine((scope) => URL.canParse(scope) && /^https?:$/.test(new URL(scope).protocol), {
    error: 'expected an http or https origin ("https://api.example.com")',
  }),
  method: z.string({ error: 'an HTTP method (GET, POST, …)' }).regex(/^[A-Za-z]+$/, { error: 'an HTTP method, in letters only (GET, POST, …)' }),
  path: z.string({ error: 'a path ("/v1/invoices?customer=cus_1")' }).startsWith('/', { error: 'a path that starts with "/"' }),
  body: z.unknown().optional(),
  status: z.number({ error: 'an HTTP status, a number from 100 to 599' }).int().min(100).max(599).optional(),
  response: z.unknown().optional(),
  rawHeaders: z.union([z.array(z.string()), headerRecord], { error: 'a list [name, value, …] or an object of header names to values' }).optional(),
  headers: headerRecord.optional(),
  reqheaders: headerRecord.optional(),
  responseIsBinary: z.boolean().optional(),
});

type Definition = z.infer<typeof definitionSchema>;

const recordingSchema = z.array(definitionSchema, { error: 'a nock recording: a JSON array of recorded definitions ({ scope, method, path, status, response, … })' });

const RECORD_WITH_OBJECTS =
  'record with nock.recorder.rec({ output_objects: true }) and save JSON.stringify(nock.recorder.play()), or record with nock.back (its fixture files are JSON)';

/** A recorder's default output: JavaScript (`nock('http://…').get('/x').reply(200, …)`), not data. */
function looksLikeNockCode(text: string): boolean {
  return /\bnock\(\s*['"`]/.test(text) && /\.reply(?:WithError)?\(/.test(text);
}

function codeError(shown: string, cause?: unknown): HoldupError {
  return new HoldupError('NOCK_CODE', 'this is nock recorder output as JavaScript code (output_objects: false, the default), which holdup does not run', {
    file: shown,
    hint: RECORD_WITH_OBJECTS,
    cause,
  });
}

/** The text as nock definitions, or a coded error naming the file and the place. */
export function parseNockRecording(text: string, shown: string): Definition[] {
  let parsed: unknown;
  try {
    parsed = parseJsonText(text, shown, 'IMPORT_SYNTAX', { hint: `a nock recording is JSON: ${RECORD_WITH_OBJECTS}`, expected: 'a JSON array of nock definitions' });
  } catch (error) {
    if (looksLikeNockCode(text)) throw codeError(shown, error);
    throw error;
  }
  if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((item) => typeof item === 'string') && parsed.some((item) => looksLikeNockCode(item))) {
    throw codeError(shown);
  }
  const looksLikeOpenApi = parsed !== null && typeof parsed === 'object' && ('openapi' in parsed || 'swagger' in parsed);
  return parseWithSchema(recordingSchema, parsed, {
    file: shown,
    code: 'IMPORT_SCHEMA',
    hint: looksLikeOpenApi ? 'this is an OpenAPI document: holdup import openapi reads it' : `check that this is a nock recording; ${RECORD_WITH_OBJECTS}`,
  });
}

function joinValue(value: string | number | (string | number)[]): string {
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}

/** Header names lower-cased, repeated names joined as HTTP joins them. */
function headersOf(raw: Definition['rawHeaders'] | Definition['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, value: string): void => {
    const lower = name.toLowerCase();
    out[lower] = out[lower] === undefined ? value : `${out[lower]}, ${value}`;
  };
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) add(raw[i]!, raw[i + 1]!);
  } else if (raw) {
    for (const [name, value] of Object.entries(raw)) add(name, joinValue(value));
  }
  return out;
}

/** `a=1&b=two`: a form body (what nock keeps of one when request headers were not recorded). */
const FORM = /^[\w.~%+-]+=[^&=]*(?:&[\w.~%+-]+=[^&=]*)*$/;

/** The request body as text, and the media type it shows when no Content-Type was recorded. */
function requestBody(body: unknown): { text: string; type: string | undefined } {
  if (body === undefined || body === null || body === '') return { text: '', type: undefined };
  if (typeof body !== 'string') return { text: JSON.stringify(body), type: 'application/json' };
  const trimmed = body.trim();
  if (/^[{[]/.test(trimmed)) {
    try {
      JSON.parse(trimmed);
      return { text: body, type: 'application/json' };
    } catch {
      // not JSON after all
    }
  }
  if (FORM.test(trimmed)) return { text: body, type: 'application/x-www-form-urlencoded' };
  return { text: body, type: 'text/plain' };
}

function splitPath(full: string): { path: string; query: Record<string, string[]> } {
  const at = full.indexOf('?');
  if (at < 0) return { path: full, query: {} };
  const query: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(full.slice(at + 1))) (query[name] ??= []).push(value);
  return { path: full.slice(0, at), query };
}

/** One definition as an exchange, or why it cannot be one. */
function toExchange(definition: Definition, where: string): RecordedExchange | SkippedItem {
  const responseHeaders = headersOf(definition.rawHeaders ?? definition.headers);
  const encoding = responseHeaders['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return { where, reason: `its response was recorded compressed (content-encoding: ${encoding}): record with Accept-Encoding: identity` };
  }
  if (definition.responseIsBinary) return { where, reason: 'its response body is binary (responseIsBinary): holdup contracts hold text bodies' };
  const { path, query } = splitPath(definition.path);
  const headers = headersOf(definition.reqheaders);
  const body = requestBody(definition.body);
  if (body.type !== undefined && headers['content-type'] === undefined) headers['content-type'] = body.type;

  let responseText = '';
  const response = definition.response;
  if (typeof response === 'string') {
    responseText = response;
    if (responseText !== '' && (responseHeaders['content-type'] ?? '').toLowerCase().includes('json')) {
      try {
        JSON.parse(responseText);
      } catch {
        return { where, reason: `its response says ${responseHeaders['content-type']} but its body is not JSON` };
      }
    }
  } else if (response !== undefined) {
    // nock keeps a JSON response parsed
    responseText = JSON.stringify(response);
    responseHeaders['content-type'] ??= 'application/json';
  }
  return {
    operation: where,
    request: { method: definition.method.toUpperCase(), path, query, headers, body: body.text },
    response: { status: definition.status ?? 200, headers: responseHeaders, body: responseText },
  };
}

export interface NockImportOptions extends ImportNames {
  /** The recording, as the user named it (messages). */
  shown: string;
  /** Only the definitions of this origin (`--scope`), when the recording holds several. */
  scope?: string;
  holdupVersion?: string;
}

/** An origin as nock writes scopes: `https://api.example.com:443` → `https://api.example.com`. */
function origin(scope: string): string {
  return new URL(scope).origin;
}

/** Builds the contract from a recording's text. */
export function importNockText(text: string, options: NockImportOptions): ImportedContract {
  const definitions = parseNockRecording(text, options.shown);
  const origins = [...new Set(definitions.map((d) => origin(d.scope)))];
  let wanted = origins[0];
  if (options.scope !== undefined) {
    if (!URL.canParse(options.scope)) {
      throw new HoldupError('USAGE', `--scope takes an origin such as https://api.example.com, got "${options.scope}"`, { path: '--scope', hint: `the recording's origins: ${origins.join(', ')}` });
    }
    wanted = origin(options.scope);
    if (!origins.includes(wanted)) {
      throw new HoldupError('USAGE', `the recording holds no request to ${wanted}`, { file: options.shown, path: '--scope', hint: `its origins: ${origins.join(', ')}` });
    }
  } else if (origins.length > 1) {
    throw new HoldupError('USAGE', `the recording holds requests to ${origins.length} origins (${origins.join(', ')}); a contract is one provider's`, {
      file: options.shown,
      path: '--scope',
      hint: `pick one with --scope, for example --scope ${origins[0]}`,
    });
  }
  if (wanted === undefined) {
    throw new HoldupError('IMPORT_EMPTY', 'the recording holds no definitions (an empty array)', {
      file: options.shown,
      hint: 'record again and check that the requests went through nock (nock.back in record mode, or nock.recorder.rec before the requests)',
    });
  }

  const exchanges: RecordedExchange[] = [];
  const skipped: SkippedItem[] = [];
  definitions.forEach((definition, index) => {
    const where = `$[${index}]`;
    if (origin(definition.scope) !== wanted) {
      skipped.push({ where, reason: `another origin (${origin(definition.scope)}) than --scope` });
      return;
    }
    const made = toExchange(definition, where);
    if ('reason' in made) skipped.push(made);
    else exchanges.push(made);
  });
  if (exchanges.length === 0) {
    throw new HoldupError('IMPORT_EMPTY', `none of the recording's ${definitions.length} definitions can be a contract interaction (${skipped[0]?.where}: ${skipped[0]?.reason})`, {
      file: options.shown,
      hint: 'record text or JSON bodies, uncompressed (Accept-Encoding: identity)',
    });
  }

  const consumer = chosenName('consumer', options.consumer, nameFromFile(options.shown), "the recording's file name");
  const provider = chosenName('provider', options.provider, new URL(wanted).hostname, "the recording's host");
  const document = buildPactDocument({
    consumer: consumer.name,
    provider: provider.name,
    upstream: wanted,
    exchanges,
    recordedWith: 'holdup import nock',
    ...(options.holdupVersion ? { holdupVersion: options.holdupVersion } : {}),
  });
  const recordedHeaders = definitions.some((d) => d.reqheaders !== undefined);
  return importedContract(document.text, { consumer, provider }, {
    interactions: document.interactions,
    redacted: document.redacted,
    duplicates: document.duplicates,
    skipped,
    notes: recordedHeaders
      ? []
      : ['the recording holds no request headers (nock records them with enable_reqheaders_recording: true): the contract asks for none, Authorization included'],
  });
}
