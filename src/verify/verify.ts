/**
 * `holdup verify`: does the real upstream still honour the contract? Runs Pact's own provider
 * verifier (the pact-reference core shipped in @pact-foundation/pact-core, the engine inside
 * @pact-foundation/pact) against a provider URL and turns its machine-readable result into
 * drift items: which interaction, which field, expected vs actual.
 *
 * Why pact-core's `Verifier` and not pact-js's: pact-js 16.5's `Verifier` puts an express proxy
 * in front of the provider whose body parser turns an `application/x-www-form-urlencoded` body
 * into an object and forwards it re-encoded as JSON while the old Content-Length stays (pact-js
 * #884, #1602; still so in 16.5: `proxy/parseBody.js` JSON.stringify's any parsed body). Every
 * OAuth token request would reach the provider corrupted. pact-core's `Verifier` sends the
 * contract's requests straight from the native core.
 *
 * The core runs in a child process: it prints its own progress straight to file descriptor 1
 * (which would corrupt `--json`), and a native crash must not take holdup down with it. The
 * options (which may carry secrets in headers) go to the child over IPC, never on its command line.
 *
 * Secrets: recorded contracts hold `<redacted:NAME>` placeholders. They are filled in a
 * temporary copy of the contract (a private temp folder, deleted afterwards); interactions whose
 * placeholders no `--secret` / `HOLDUP_SECRET_*` fills are left out of that copy and reported
 * as needing the secret. Secret values never appear in the result: every string in it is scrubbed.
 */
import { spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Contract, Interaction } from '../core/contract.js';
import { HoldupError } from '../core/errors.js';
import { isInstalled, missingPackage, type OptionalPackage } from '../core/package.js';
import { REDACTED, isSecretBodyKey, isSecretHeader, redactBodyText, redactJsonText } from '../contracts/redact.js';

import type { ContractVerification, Drift, InteractionVerification, VerifiedRequest, VerifyReport, VerifySummary } from '../core/verify.js';

export type { ContractVerification, Drift, InteractionVerification, VerifiedRequest, VerifyReport, VerifySummary };

// ---------------------------------------------------------------------------------------------
// Secrets

/** `<redacted:NAME>`, as written in the contract, or percent-encoded in a query string or form body. */
const PLACEHOLDER = /<redacted:([^<>\s]+)>|%3Credacted%3A((?:(?!%3E)[^\s&=])+)%3E/gi;

/** The environment variable that fills `<redacted:NAME>`: `HOLDUP_SECRET_` + NAME uppercased, non-alphanumerics as `_`. */
export function secretEnvName(name: string): string {
  return `HOLDUP_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export interface SecretSource {
  /** `--secret NAME=VALUE`, names lowercased. */
  given: ReadonlyMap<string, string>;
  env: NodeJS.ProcessEnv;
}

function lookupSecret(source: SecretSource, name: string): string | undefined {
  const key = name.toLowerCase();
  return source.given.get(key) ?? source.env[secretEnvName(key)];
}

type Encode = (value: string) => string;
const RAW: Encode = (value) => value;
const FORM: Encode = (value) => encodeURIComponent(value);
const JSON_STRING: Encode = (value) => JSON.stringify(value).slice(1, -1);

export interface FillState {
  source: SecretSource;
  missing: Set<string>;
}

function fillText(text: string, state: FillState, encode: Encode): string {
  return text.replace(PLACEHOLDER, (whole, raw: string | undefined, encoded: string | undefined) => {
    const name = (raw ?? decodeURIComponent(encoded ?? '')).toLowerCase();
    const value = lookupSecret(state.source, name);
    if (value === undefined) {
      state.missing.add(name);
      return whole;
    }
    return encode(value);
  });
}

function fillJson(value: unknown, state: FillState): unknown {
  if (typeof value === 'string') return fillText(value, state, RAW);
  if (Array.isArray(value)) return value.map((item) => fillJson(item, state));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillJson(item, state)]));
  }
  return value;
}

type RawRequest = Record<string, unknown> & { headers?: Record<string, unknown>; body?: unknown; query?: unknown; path?: unknown };

function contentTypeOf(request: RawRequest): string {
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (name.toLowerCase() === 'content-type') return String(Array.isArray(value) ? value[0] : value).toLowerCase();
  }
  return '';
}

function fillBody(body: unknown, request: RawRequest, version4: boolean, state: FillState): unknown {
  const isForm = (type: string) => type.includes('x-www-form-urlencoded');
  if (version4 && body !== null && typeof body === 'object' && !Array.isArray(body) && 'content' in body) {
    const v4 = body as { content?: unknown; contentType?: unknown; encoded?: unknown };
    const type = String(v4.contentType ?? contentTypeOf(request)).toLowerCase();
    const encoded = typeof v4.encoded === 'string' ? v4.encoded.toLowerCase() : v4.encoded;
    if (typeof v4.content !== 'string') return { ...v4, content: fillJson(v4.content, state) };
    if (encoded === 'base64') {
      const bytes = Buffer.from(v4.content, 'base64');
      const text = bytes.toString('utf8');
      // bytes that are not UTF-8 (an image, a PDF) hold no placeholder, and a round trip through
      // UTF-8 would change them: sent as they are
      if (!Buffer.from(text, 'utf8').equals(bytes)) return v4;
      const filled = fillText(text, state, isForm(type) ? FORM : type.includes('json') ? JSON_STRING : RAW);
      return { ...v4, content: Buffer.from(filled, 'utf8').toString('base64') };
    }
    const encode = isForm(type) ? FORM : encoded === 'json' || type.includes('json') ? JSON_STRING : RAW;
    return { ...v4, content: fillText(v4.content, state, encode) };
  }
  if (typeof body === 'string') return fillText(body, state, isForm(contentTypeOf(request)) ? FORM : RAW);
  return fillJson(body, state);
}

/**
 * Fills the placeholders of one raw request (a copy is returned) and drops the headers that
 * `--header` replaces. Pure apart from recording the placeholders nobody filled.
 */
export function fillRequest(
  request: RawRequest,
  version4: boolean,
  replacedHeaders: ReadonlySet<string>,
  state: FillState,
): RawRequest {
  const out: RawRequest = { ...request };
  if (typeof request.path === 'string') out.path = fillText(request.path, state, RAW);
  if (typeof request.query === 'string') out.query = fillText(request.query, state, FORM);
  else if (request.query !== undefined) out.query = fillJson(request.query, state);
  if (request.headers) {
    const headers: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      // the core keys headers case-sensitively: a custom `authorization` header would be sent
      // next to the contract's `Authorization` instead of replacing it, so the contract's goes
      if (replacedHeaders.has(name.toLowerCase())) continue;
      headers[name] = fillJson(value, state);
    }
    out.headers = headers;
  }
  if (request.body !== undefined) out.body = fillBody(request.body, request, version4, state);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scrubbing: no secret value leaves holdup

export type Scrub = (text: string) => string;

/** Replaces every occurrence of each secret value with `<redacted:NAME>` (longest first). */
export function makeScrub(secrets: ReadonlyMap<string, string>): Scrub {
  const pairs = [...secrets].filter(([, value]) => value.length > 0).sort((a, b) => b[1].length - a[1].length);
  if (pairs.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const [name, value] of pairs) {
      out = out.split(value).join(`<redacted:${name}>`);
      const encoded = encodeURIComponent(value);
      if (encoded !== value) out = out.split(encoded).join(`<redacted:${name}>`);
    }
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// The verifier's JSON → drift items (pure)

/** The JSON the core returns (`pactffi_verifier_json`), as far as holdup reads it. */
export interface VerifierJson {
  result?: boolean;
  errors?: VerifierError[];
  pendingErrors?: VerifierError[];
  interactionResults?: { description?: string; interactionKey?: string; result?: string }[];
}

interface VerifierError {
  interaction?: string;
  mismatch?: { type?: string; message?: string; mismatches?: Record<string, unknown>[] };
}

/** Interactions are tagged in the temporary copy so the verifier's free-text names map back exactly. */
export function tagDescription(description: string, index: number): string {
  return `${description} [holdup#${index}]`;
}

const TAG = / \[holdup#(\d+)\]$/;

function tagOf(text: string | undefined): number | undefined {
  const match = text === undefined ? null : TAG.exec(text);
  return match ? Number(match[1]) : undefined;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A header value as the core reports it: `"no-store"` (a JSON string), or `""` when missing. */
function headerValue(value: unknown): string | null {
  const text = asText(value);
  if (text === '') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'string' ? parsed : text;
  } catch {
    return text;
  }
}

/** One mismatch from the core → a drift item. */
/** `text` with a value (as JSON text, and as the string it holds) replaced by the redaction marker. */
function hideValue(text: string, json: string): string {
  const values = [json];
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === 'string') values.push(value);
  } catch {
    // not JSON: the text itself is the value
  }
  return values.filter((value) => value.length > 0).reduce((out, value) => out.split(value).join(REDACTED), text);
}

export function toDrift(mismatch: Record<string, unknown>, scrub: Scrub): Drift {
  const type = asText(mismatch['type']);
  // Pact's text may quote a whole body: secret-named fields in it are redacted
  const detail = scrub(redactJsonText(asText(mismatch['mismatch'])));
  switch (type) {
    case 'StatusMismatch': {
      const expected = mismatch['expected'];
      const actual = mismatch['actual'];
      return {
        kind: 'status',
        expected: typeof expected === 'number' ? expected : scrub(asText(expected)),
        actual: typeof actual === 'number' ? actual : scrub(asText(actual)),
      };
    }
    case 'HeaderMismatch': {
      const name = asText(mismatch['key']);
      const actual = headerValue(mismatch['actual']);
      // a cookie or session header the upstream sent is its secret, not the user's
      if (isSecretHeader(name)) {
        return { kind: 'header', name, expected: REDACTED, actual: actual === null ? null : REDACTED, detail: actual ? hideValue(detail, actual) : detail };
      }
      return {
        kind: 'header',
        name,
        expected: scrub(headerValue(mismatch['expected']) ?? ''),
        actual: actual === null ? null : scrub(actual),
        detail,
      };
    }
    case 'BodyMismatch': {
      const path = asText(mismatch['path']) || '$';
      // the upstream's own secrets (a fresh access_token in a drifted token response) are not the user's to scrub: redact by name
      const secretField = isSecretBodyKey(/([^.[\]']+)'?\]?$/.exec(path)?.[1] ?? '');
      const hide = (text: string) => (secretField ? REDACTED : redactBodyText(text, 'application/json'));
      const rawActual = asText(mismatch['actual']);
      return {
        kind: 'body',
        path,
        expected: scrub(hide(asText(mismatch['expected']))),
        actual: scrub(hide(rawActual)),
        detail: secretField ? hideValue(detail, rawActual) : detail,
      };
    }
    case 'BodyTypeMismatch':
      return { kind: 'body-type', expected: scrub(asText(mismatch['expected'])), actual: scrub(asText(mismatch['actual'])), detail };
    default:
      return { kind: 'other', type: type || 'unknown', detail: detail || scrub(JSON.stringify(mismatch)) };
  }
}

function errorDrift(error: VerifierError, scrub: Scrub): Drift[] {
  const mismatch = error.mismatch;
  if (!mismatch) return [{ kind: 'error', detail: 'the verifier reported a failure without details' }];
  if (mismatch.type === 'mismatches' && Array.isArray(mismatch.mismatches)) return mismatch.mismatches.map((m) => toDrift(m, scrub));
  return [{ kind: 'error', detail: scrub(mismatch.message ?? JSON.stringify(mismatch)) }];
}

/** `GET /v1/invoices?customer=cus_1` and the request's headers and body, from the loaded contract. */
export function describeRequest(interaction: Interaction, scrub: Scrub): VerifiedRequest {
  const { request } = interaction;
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(request.query)) for (const value of values) query.append(name, value);
  const search = query.toString();
  const out: VerifiedRequest = {
    method: request.method,
    target: scrub(`${request.path}${search ? `?${search}` : ''}`),
    headers: Object.entries(request.headers).flatMap(([name, values]) => values.map((value): [string, string] => [name, scrub(value)])),
  };
  const body = request.body;
  if (body) {
    const text = body.text ?? (body.json === undefined ? undefined : isFormBody(body.contentType) ? formText(body.json) : JSON.stringify(body.json));
    if (text !== undefined) out.body = scrub(text);
  }
  return out;
}

function isFormBody(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().includes('x-www-form-urlencoded');
}

function formText(json: unknown): string {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return JSON.stringify(json);
  const parts: string[] = [];
  for (const [name, value] of Object.entries(json)) {
    for (const item of Array.isArray(value) ? value : [value]) parts.push(`${name}=${String(item)}`);
  }
  return parts.join('&');
}

export interface ContractRun {
  contract: Contract;
  /** Interaction index → secret names it needs and nobody gave (not sent). */
  needs: ReadonlyMap<number, readonly string[]>;
  /** Interaction index → `pending` in the contract. */
  pending: ReadonlySet<number>;
  /** The verifier's JSON; undefined when nothing was sent. */
  result: VerifierJson | undefined;
}

/** Turns the verifier's result for one contract into holdup's verdict per interaction. Pure. */
export function toContractVerification(run: ContractRun, scrub: Scrub): ContractVerification {
  const drift = new Map<number, Drift[]>();
  const ran = new Set<number>();
  for (const entry of run.result?.interactionResults ?? []) {
    const index = tagOf(entry.description);
    if (index !== undefined) ran.add(index);
  }
  for (const error of [...(run.result?.errors ?? []), ...(run.result?.pendingErrors ?? [])]) {
    const index = tagOf(error.interaction);
    if (index === undefined) continue;
    ran.add(index);
    drift.set(index, [...(drift.get(index) ?? []), ...errorDrift(error, scrub)]);
  }
  return {
    file: run.contract.file,
    consumer: run.contract.consumer,
    provider: run.contract.provider,
    interactions: run.contract.interactions.map((interaction): InteractionVerification => {
      const needs = run.needs.get(interaction.index) ?? [];
      const items = drift.get(interaction.index) ?? [];
      const status = needs.length > 0 ? 'needs-secret' : items.length > 0 ? 'drifted' : ran.has(interaction.index) ? 'verified' : 'not-run';
      return {
        index: interaction.index,
        description: interaction.description,
        method: interaction.request.method,
        path: interaction.request.path,
        providerStates: interaction.providerStates.map((state) => state.name),
        pending: run.pending.has(interaction.index),
        status,
        drift: items,
        needsSecrets: [...needs],
        request: describeRequest(interaction, scrub),
      };
    }),
  };
}

export function summarise(contracts: readonly ContractVerification[]): VerifySummary {
  const all = contracts.flatMap((contract) => contract.interactions);
  const count = (status: InteractionVerification['status']) => all.filter((i) => i.status === status).length;
  return { total: all.length, verified: count('verified'), drifted: count('drifted'), needsSecret: count('needs-secret'), notRun: count('not-run') };
}

// ---------------------------------------------------------------------------------------------
// Reaching the provider, running the core

/** Asks the provider once before the verifier starts: any HTTP answer will do. */
export async function checkReachable(url: string, timeoutMs = 10_000): Promise<void> {
  // node:http rather than fetch: fetch refuses some ports outright ("bad port") without trying
  const target = new URL(url);
  const get = target.protocol === 'https:' ? httpsGet : httpGet;
  const failure = await new Promise<string | undefined>((resolve) => {
    const request = get(target, { timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(undefined);
    });
    request.on('timeout', () => {
      request.destroy();
      resolve(`no answer within ${timeoutMs / 1000} s`);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      resolve(
        error.code === 'ECONNREFUSED'
          ? 'connection refused (ECONNREFUSED): nothing listens there'
          : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
            ? `host not found (${error.code})`
            : `${error.message}${error.code && !error.message.includes(error.code) ? ` (${error.code})` : ''}`,
      );
    });
  });
  if (failure !== undefined) {
    throw new HoldupError('UPSTREAM_UNREACHABLE', failure, {
      file: url,
      hint: 'start the upstream (or its sandbox) and check --provider-url: holdup verify sends every interaction of the contract there',
    });
  }
}

/** The options holdup gives pact-core's `Verifier` (a subset of its `VerifierOptions`). */
export interface EngineOptions {
  provider: string;
  providerBaseUrl: string;
  pactUrls: string[];
  customProviderHeaders?: Record<string, string>;
  providerStatesSetupUrl?: string;
  providerStatesSetupTeardown?: boolean;
  logLevel: 'error';
  timeout?: number;
}

export const PACT_CORE = '@pact-foundation/pact-core' satisfies OptionalPackage;

// Runs in the child: loads pact-core, verifies, sends back the core's JSON. CommonJS (node -e).
const CHILD = `
process.once('message', async ({ module, options }) => {
  const send = (message) => process.send(message, () => process.exit(0));
  let core;
  try {
    core = require(module);
    core.setLogLevel('error');
  } catch (error) {
    return send({ kind: 'engine', message: String((error && error.message) || error) });
  }
  try {
    send({ kind: 'done', json: await new core.Verifier(options).verify() });
  } catch (error) {
    const text = String((error && error.message) || error);
    // a failed verification rejects with the core's JSON; anything else is the engine failing
    send(text.trimStart().startsWith('{') ? { kind: 'done', json: text } : { kind: 'engine', message: text });
  }
});
`;

function engineError(message: string, scrub: Scrub): HoldupError {
  const first = scrub(message).split('\n').map((line) => line.trim()).find(Boolean) ?? 'it stopped without a message';
  return new HoldupError('VERIFY_ENGINE', `Pact's verifier could not run: ${first}`, {
    file: PACT_CORE,
    hint: `reinstall dependencies (npm ci) so ${PACT_CORE} and its native package for ${process.platform}-${process.arch} are present; PACT_PREBUILD_PACKAGE_LOCATION must point at them if set`,
  });
}

/** Throws MISSING_PACKAGE when Pact's verifier (an optional dependency of holdup) is not installed. */
export function assertVerifierInstalled(): void {
  if (!isInstalled(PACT_CORE, import.meta.url)) throw missingPackage(PACT_CORE);
}

/** Runs the core once, in a child process. Throws VERIFY_ENGINE when it cannot. */
export async function runEngine(options: EngineOptions, scrub: Scrub): Promise<VerifierJson> {
  assertVerifierInstalled();
  const module = createRequire(import.meta.url).resolve(PACT_CORE);
  const reply = await new Promise<{ kind: string; json?: string; message?: string }>((resolve) => {
    const child = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    let settled = false;
    const settle = (value: { kind: string; json?: string; message?: string }) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    // the core's own progress text: read and dropped (holdup prints the result in its own words)
    child.stdout?.resume();
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.on('message', (message) => settle(message as { kind: string }));
    child.on('error', (error) => settle({ kind: 'engine', message: error.message }));
    child.on('exit', (code, signal) =>
      settle({ kind: 'engine', message: `the verifier process ended (${signal ?? `exit code ${code}`}) without a result${stderr ? `: ${stderr}` : ''}` }),
    );
    child.send({ module, options });
  });
  if (reply.kind !== 'done' || reply.json === undefined) throw engineError(reply.message ?? 'no result', scrub);
  try {
    return JSON.parse(reply.json) as VerifierJson;
  } catch {
    throw engineError('its result was not JSON', scrub);
  }
}

// ---------------------------------------------------------------------------------------------
// The whole command, minus argument parsing and text

export interface VerifyTarget {
  contract: Contract;
  /** The contract file on disk. */
  absolute: string;
}

export interface VerifyOptions {
  providerUrl: string;
  targets: VerifyTarget[];
  secrets: SecretSource;
  /** `--header 'Name: value'`, in order. */
  headers: [string, string][];
  stateChangeUrl?: string;
  /** Runs the core; replaceable in tests. */
  engine?: (options: EngineOptions, scrub: Scrub) => Promise<VerifierJson>;
}

/** Every secret value holdup may hold for this run, by a name to show in its place. */
function scrubbed(options: VerifyOptions): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of options.secrets.given) values.set(name, value);
  for (const [key, value] of Object.entries(options.secrets.env)) {
    if (key.startsWith('HOLDUP_SECRET_') && value) values.set(key.slice('HOLDUP_SECRET_'.length).toLowerCase(), value);
  }
  for (const [name, value] of options.headers) {
    const lower = name.toLowerCase();
    values.set(lower, value);
    // `Bearer abc`: the credential alone is secret too
    const credential = /^\S+\s+(\S.*)$/.exec(value)?.[1];
    if (credential) values.set(`${lower}-credential`, credential);
  }
  return values;
}

/** Verifies each contract in turn against the provider. */
export async function verifyContracts(options: VerifyOptions): Promise<VerifyReport> {
  const scrub = makeScrub(scrubbed(options));
  const engine = options.engine ?? runEngine;
  const replaced = new Set(options.headers.map(([name]) => name.toLowerCase()));
  const customHeaders = Object.fromEntries(options.headers);
  const dir = await mkdtemp(path.join(tmpdir(), 'holdup-verify-'));
  const contracts: ContractVerification[] = [];
  try {
    for (const [n, target] of options.targets.entries()) {
      const raw = JSON.parse(stripBom(await readFile(target.absolute, 'utf8'))) as Record<string, unknown> & { interactions?: unknown[] };
      const version4 = target.contract.specVersion.startsWith('4');
      const rawInteractions = Array.isArray(raw.interactions) ? raw.interactions : [];
      const needs = new Map<number, string[]>();
      const pending = new Set<number>();
      const kept: unknown[] = [];
      for (const interaction of target.contract.interactions) {
        const source = rawInteractions[interaction.index] as Record<string, unknown> & { request: RawRequest };
        if (source['pending'] === true) pending.add(interaction.index);
        const state: FillState = { source: options.secrets, missing: new Set() };
        const request = fillRequest(source.request, version4, replaced, state);
        if (state.missing.size > 0) {
          needs.set(interaction.index, [...state.missing].sort());
          continue; // never send a placeholder where a secret belongs
        }
        kept.push({ ...source, description: tagDescription(interaction.description, interaction.index), request });
      }
      let result: VerifierJson | undefined;
      if (kept.length > 0) {
        // only the HTTP interactions holdup read, with secrets filled: a private copy, deleted below
        const copy = path.join(dir, `contract-${n}.json`);
        await writeFile(copy, JSON.stringify({ ...raw, interactions: kept }), { mode: 0o600 });
        result = await engine(
          {
            provider: target.contract.provider,
            providerBaseUrl: options.providerUrl,
            pactUrls: [copy],
            logLevel: 'error',
            ...(options.headers.length > 0 ? { customProviderHeaders: customHeaders } : {}),
            ...(options.stateChangeUrl ? { providerStatesSetupUrl: options.stateChangeUrl, providerStatesSetupTeardown: true } : {}),
          },
          scrub,
        );
        await rm(copy, { force: true });
      }
      contracts.push(toContractVerification({ contract: target.contract, needs, pending, result }, scrub));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const summary = summarise(contracts);
  const failing = contracts.flatMap((c) => c.interactions).filter((i) => i.status !== 'verified' && !(i.pending && i.status === 'drifted'));
  return {
    providerUrl: options.providerUrl,
    ...(options.stateChangeUrl ? { stateChangeUrl: options.stateChangeUrl } : {}),
    headers: options.headers.map(([name]) => name),
    contracts,
    summary,
    passed: failing.length === 0,
  };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
