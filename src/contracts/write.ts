/**
 * Builds a Pact V4 document from recorded request/response pairs (`holdup record`). Pure: no
 * file system, no network. Secrets are replaced by `<redacted:NAME>` placeholders here, before
 * the text exists, and every copy of a secret value left anywhere in the text is scrubbed too.
 */
import { createHash } from 'node:crypto';
import type { RuleList } from '../core/contract.js';
import { HoldupError, isHoldupError } from '../core/errors.js';
import type { HttpRequestData, HttpResponseData } from '../core/http.js';
import type { Json } from '../core/json.js';
import { parseJsonText } from '../core/parse.js';
import { escapeRegex, inferBodyRules } from './infer.js';
import { isFormMediaType, isJsonMediaType, mediaType, parseForm } from './media.js';
import {
  isSecretHeader,
  looksLikeData,
  redactRecordedForm,
  redactRecordedHeaders,
  redactRecordedJson,
  redactRecordedQuery,
  scrubSecretValues,
  type RedactedSecret,
  redactQuery,
} from './redact.js';

/** One request as the connector sent it: an `HttpRequestData`, except that its path is as sent, not decoded. */
export interface RecordedRequest extends Omit<HttpRequestData, 'path'> {
  path: string;
}

export type RecordedResponse = HttpResponseData;

export interface RecordedExchange {
  /** The operation that sent it. */
  operation: string;
  request: RecordedRequest;
  response: RecordedResponse;
}

export interface PactDocumentOptions {
  consumer: string;
  provider: string;
  /** The upstream's URL, named in errors (without credentials). */
  upstream: string;
  exchanges: readonly RecordedExchange[];
  /** Known secret values (the connector's credentials), scrubbed wherever they appear. */
  knownSecrets?: readonly RedactedSecret[];
  holdupVersion?: string;
  /** The command named in the file's metadata (`holdup record` by default; `holdup import nock`). */
  recordedWith?: string;
}

export interface PactDocument {
  /** The file's text: JSON, two-space indented, a final newline. */
  text: string;
  interactions: number;
  /** Values replaced by a placeholder in what is written. */
  redacted: number;
  /** Requests left out because an earlier one was the same (method, path, query and body). */
  duplicates: number;
}

/** Response headers that vary from one response to the next or belong to the connection. */
const VOLATILE_RESPONSE_HEADERS = new Set([
  'date',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'server',
  'x-powered-by',
  'etag',
  'last-modified',
  'age',
  'expires',
  'via',
  'alt-svc',
  'traceparent',
  'tracestate',
  'request-id',
  'x-request-id',
  'x-correlation-id',
  'x-amzn-requestid',
  'x-amzn-trace-id',
  'cf-ray',
  'idempotent-replayed',
  'report-to',
  'nel',
]);

/** `content-type` → `Content-Type`, as Pact files usually write them. */
function headerName(lower: string): string {
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

function regex(source: string): RuleList {
  return { combine: 'AND', matchers: [{ match: 'regex', regex: source }] };
}

/** The request headers a recording keeps, and the rules that let other clients match them. */
function requestHeaders(
  headers: Record<string, string>,
  found: RedactedSecret[],
): { headers: Record<string, string[]>; rules: Record<string, RuleList> } {
  const out: Record<string, string[]> = {};
  const rules: Record<string, RuleList> = {};
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-type') kept[lower] = value;
    else if (lower === 'accept' && value.trim() !== '*/*') kept[lower] = value;
    // isSecretHeader is false for Idempotency-Key: it is volatile, dropped with the others
    else if (lower === 'authorization' || lower === 'proxy-authorization' || isSecretHeader(lower)) kept[lower] = value;
  }
  const redacted = redactRecordedHeaders(kept, found);
  for (const [lower, value] of Object.entries(redacted)) {
    const name = headerName(lower);
    out[name] = [value];
    if (lower === 'accept') {
      // a client that accepts anything accepts this too (fetch sends */* when told nothing)
      rules[name] = regex(`^(?:${escapeRegex(value)}|\\*/\\*)$`);
    } else if (value !== kept[lower]) {
      const scheme = /^([A-Za-z][\w.+-]*) </.exec(value)?.[1];
      rules[name] = regex(scheme ? `^${escapeRegex(scheme)} .+$` : '^.+$');
    }
  }
  return { headers: out, rules };
}

function responseHeaders(headers: Record<string, string>, found: RedactedSecret[]): Record<string, string[]> {
  const kept: Record<string, string> = {};
  const left: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (VOLATILE_RESPONSE_HEADERS.has(name.toLowerCase())) continue;
    // a per-session value (Set-Cookie, a session id) is not part of the contract, and is a secret:
    // left out, and learnt, so that a copy of it elsewhere is scrubbed
    if (isSecretHeader(name)) left[name.toLowerCase()] = value;
    else kept[name.toLowerCase()] = value;
  }
  const learnt: RedactedSecret[] = [];
  redactRecordedHeaders(left, learnt);
  // what is left out is not counted; a whole Set-Cookie is not learnt (its secret cookies are), nor is
  // data under a name that says session or key (`X-Session-Expires: 2026-01-02`, `X-Session-State: inactive`)
  const secrets = learnt.filter((secret) => !secret.countOnly && !looksLikeData(secret.value));
  found.push(...secrets.map((secret) => ({ ...secret, scrubOnly: true as const })));
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(redactRecordedHeaders(kept, found))) out[headerName(name)] = [value];
  return out;
}

interface BuiltBody {
  body?: { content: Json; contentType: string; encoded: false };
  /** The body as a comparable text, for telling requests apart. */
  key: string;
  /** Rules for fields whose value was redacted (requests) or inferred (responses). */
  rules: Record<string, RuleList>;
}

/** Paths of the placeholders in a redacted JSON value, for `^.+$` rules on requests. */
function placeholderRules(before: Json, after: Json, path: string, rules: Record<string, RuleList>): void {
  if (typeof after === 'string' && before !== after && after.startsWith('<redacted:')) {
    rules[path] = regex('^.+$');
    return;
  }
  if (Array.isArray(after) && Array.isArray(before)) {
    after.forEach((item, i) => placeholderRules(before[i] as Json, item, `${path}[${i}]`, rules));
  } else if (after && typeof after === 'object' && !Array.isArray(after) && before && typeof before === 'object' && !Array.isArray(before)) {
    for (const [key, item] of Object.entries(after)) {
      const child = /^[A-Za-z_$][\w$-]*$/.test(key) ? `${path}.${key}` : `${path}['${key.replace(/'/g, "\\'")}']`;
      placeholderRules((before as Record<string, Json>)[key] as Json, item, child, rules);
    }
  }
}

/** The request as an error names it: secret query values redacted (an error is printed, and may be pasted). */
function describeRequest(request: RecordedRequest): string {
  const query = new URLSearchParams(Object.entries(redactQuery(request.query)).flatMap(([name, values]) => values.map((v) => [name, v]))).toString();
  return `${request.method} ${request.path}${query ? `?${query}` : ''}`;
}

function buildRequestBody(request: RecordedRequest, found: RedactedSecret[]): BuiltBody {
  const text = request.body;
  if (text === '') return { key: '', rules: {} };
  const contentType = request.headers['content-type'];
  if (isFormMediaType(contentType)) {
    const redacted = redactRecordedForm(text, found);
    const before = parseForm(text) as Json;
    const after = parseForm(redacted) as Json;
    const rules: Record<string, RuleList> = {};
    placeholderRules(before, after, '$', rules);
    return { body: { content: redacted, contentType: mediaType(contentType)!, encoded: false }, key: redacted, rules };
  }
  if (isJsonMediaType(contentType)) {
    let parsed: Json;
    try {
      parsed = JSON.parse(text) as Json;
    } catch {
      return { body: { content: text, contentType: contentType!, encoded: false }, key: text, rules: {} };
    }
    const redacted = redactRecordedJson(parsed, found) as Json;
    const rules: Record<string, RuleList> = {};
    placeholderRules(parsed, redacted, '$', rules);
    return { body: { content: redacted, contentType: mediaType(contentType)!, encoded: false }, key: JSON.stringify(redacted), rules };
  }
  return { body: { content: text, contentType: contentType ?? 'text/plain', encoded: false }, key: text, rules: {} };
}

function buildResponseBody(exchange: RecordedExchange, found: RedactedSecret[], upstream: string): BuiltBody {
  const { response, request } = exchange;
  const text = response.body;
  if (text === '') return { key: '', rules: {} };
  const contentType = response.headers['content-type'];
  if (isJsonMediaType(contentType)) {
    const where = `${upstream.replace(/\/+$/, '')}${request.path}`;
    let parsed: Json;
    try {
      parsed = parseJsonText(text, where, 'UPSTREAM_BODY', { hint: '' }) as Json;
    } catch (error) {
      if (!isHoldupError(error)) throw error;
      throw new HoldupError(
        'UPSTREAM_BODY',
        `the ${response.status} response to ${describeRequest(request)} (operation ${exchange.operation}) says ${contentType} but its body is ${error.message}`,
        {
          file: where,
          hint: 'a recording keeps what the upstream really sends: fix the upstream (or its Content-Type), or record against one that answers JSON',
          cause: error,
        },
      );
    }
    const redacted = redactRecordedJson(parsed, found) as Json;
    return { body: { content: redacted, contentType: mediaType(contentType)!, encoded: false }, key: '', rules: inferBodyRules(redacted) };
  }
  if (isFormMediaType(contentType)) {
    const redacted = redactRecordedForm(text, found);
    return { body: { content: redacted, contentType: mediaType(contentType)!, encoded: false }, key: '', rules: {} };
  }
  return { body: { content: redactJsonLooking(text, found), contentType: contentType ?? 'text/plain', encoded: false }, key: '', rules: {} };
}

/** A text body that holds JSON anyway (a token response served as text/plain): its secret fields become placeholders too. */
function redactJsonLooking(text: string, found: RedactedSecret[]): string {
  if (!/^\s*[{[]/.test(text)) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const redacted = JSON.stringify(redactRecordedJson(parsed, found));
  return redacted === JSON.stringify(parsed) ? text : redacted;
}

/** Learns the secrets of a body by the names a contract's bodies are redacted by (JSON, JSON under another type, form). */
function learnBody(text: string, contentType: string | undefined, found: RedactedSecret[]): void {
  if (text === '') return;
  if (isFormMediaType(contentType)) {
    redactRecordedForm(text, found);
    return;
  }
  if (!isJsonMediaType(contentType) && !/^\s*[{[]/.test(text)) return;
  try {
    redactRecordedJson(JSON.parse(text), found);
  } catch {
    // not JSON after all: nothing named in it
  }
}

/**
 * Every secret one exchange shows (an access token issued, the Authorization header sending it,
 * a secret query parameter or form field, a cookie), found by the names the contract is redacted
 * by: `holdup record` learns them as each request goes through, to scrub what the connector prints.
 */
export function exchangeSecrets(exchange: RecordedExchange): RedactedSecret[] {
  const found: RedactedSecret[] = [];
  const { request, response } = exchange;
  redactRecordedQuery(request.query, found);
  requestHeaders(request.headers, found);
  learnBody(request.body, request.headers['content-type'], found);
  responseHeaders(response.headers, found);
  learnBody(response.body, response.headers['content-type'], found);
  return found;
}

/** `listInvoices: GET /v1/invoices?customer=cus_1&limit=2 → 200`; a token request names its grant. */
function describe(exchange: RecordedExchange, redactedQuery: Record<string, string[]>, formBody: string | undefined): string {
  const request = { ...exchange.request, query: redactedQuery };
  const grant = formBody === undefined ? undefined : new URLSearchParams(formBody).get('grant_type');
  return `${exchange.operation}: ${describeRequest(request)}${grant ? ` (grant_type=${grant})` : ''} → ${exchange.response.status}`;
}

function ruleCategory(rules: Record<string, RuleList>): Record<string, RuleList> | undefined {
  return Object.keys(rules).length > 0 ? rules : undefined;
}

/** Builds the Pact V4 document: one interaction per distinct request (method, path, query, body), the first response kept. */
export function buildPactDocument(options: PactDocumentOptions): PactDocument {
  const secrets: RedactedSecret[] = [...(options.knownSecrets ?? [])];
  const interactions: Record<string, unknown>[] = [];
  const seenKeys = new Set<string>();
  const seenDescriptions = new Map<string, number>();
  let redacted = 0;
  let duplicates = 0;
  for (const exchange of options.exchanges) {
    const found: RedactedSecret[] = [];
    const { request, response } = exchange;
    const query = redactRecordedQuery(request.query, found);
    const queryRules: Record<string, RuleList> = {};
    for (const [name, values] of Object.entries(query)) {
      if (values.some((v, i) => v !== request.query[name]?.[i])) queryRules[name] = regex('^.+$');
    }
    const headers = requestHeaders(request.headers, found);
    const requestBody = buildRequestBody(request, found);
    const identity = JSON.stringify([request.method.toUpperCase(), request.path, query, requestBody.key]);
    if (seenKeys.has(identity)) {
      duplicates++;
      secrets.push(...found);
      // the response may hold secrets of its own (a second token): learn them for the scrub
      buildResponseBody(exchange, secrets, options.upstream);
      responseHeaders(response.headers, secrets);
      continue;
    }
    seenKeys.add(identity);
    const responseBody = buildResponseBody(exchange, found, options.upstream);
    const resHeaders = responseHeaders(response.headers, found);
    redacted += found.filter((secret) => !secret.scrubOnly).length;
    secrets.push(...found);

    let description = describe(exchange, query, requestBody.body && typeof requestBody.body.content === 'string' && isFormMediaType(requestBody.body.contentType) ? requestBody.body.content : undefined);
    const n = (seenDescriptions.get(description) ?? 0) + 1;
    seenDescriptions.set(description, n);
    if (n > 1) description += ` (#${n})`;

    const requestRules = {
      ...(ruleCategory(headers.rules) ? { header: headers.rules } : {}),
      ...(ruleCategory(queryRules) ? { query: queryRules } : {}),
      ...(ruleCategory(requestBody.rules) ? { body: requestBody.rules } : {}),
    };
    const responseRules = ruleCategory(responseBody.rules) ? { body: responseBody.rules } : undefined;
    interactions.push({
      type: 'Synchronous/HTTP',
      key: createHash('sha256').update(identity).digest('hex').slice(0, 16),
      description,
      pending: false,
      request: {
        method: request.method.toUpperCase(),
        path: request.path,
        ...(Object.keys(query).length > 0 ? { query } : {}),
        ...(Object.keys(headers.headers).length > 0 ? { headers: headers.headers } : {}),
        ...(requestBody.body ? { body: requestBody.body } : {}),
        ...(Object.keys(requestRules).length > 0 ? { matchingRules: requestRules } : {}),
      },
      response: {
        status: response.status,
        ...(Object.keys(resHeaders).length > 0 ? { headers: resHeaders } : {}),
        ...(responseBody.body ? { body: responseBody.body } : {}),
        ...(responseRules ? { matchingRules: responseRules } : {}),
      },
    });
  }
  const document = {
    consumer: { name: options.consumer },
    provider: { name: options.provider },
    interactions,
    metadata: {
      pactSpecification: { version: '4.0' },
      holdup: { recordedWith: `${options.recordedWith ?? 'holdup record'}${options.holdupVersion ? ` ${options.holdupVersion}` : ''}` },
    },
  };
  const scrubbed = scrubSecretValues(`${JSON.stringify(document, null, 2)}\n`, secrets);
  return { text: scrubbed.text, interactions: interactions.length, redacted: redacted + scrubbed.replaced, duplicates };
}
