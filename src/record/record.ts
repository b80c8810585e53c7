/**
 * `holdup record`: runs a connector's operations once each, in declaration order, through a
 * recording reverse proxy on 127.0.0.1 that forwards to the real upstream and keeps every
 * request/response pair in memory. A request that names another host than the recorder or the
 * upstream is refused and listed (target.ts). Nothing is written here: `buildPactDocument`
 * redacts and builds the contract from what this returns.
 */
import { request as httpRequest, createServer, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RedactedSecret } from '../contracts/redact.js';
import { exchangeSecrets, type RecordedExchange } from '../contracts/write.js';
import { DEFAULT_DEADLINE_MS, HoldupError, type LoadedConnector } from '../core/index.js';
import type { OperationRecording, RefusedRequest } from '../core/record.js';
import type { ConnectorOutput } from './output.js';
import { judgeTarget, type RecordOrigins, type TargetRefusal } from './target.js';

export type { OperationRecording, RefusedRequest };

export interface RecordOptions {
  connector: LoadedConnector;
  upstream: URL;
  /** Called once an operation has settled (and its output was released). */
  onOperation?: (recording: OperationRecording) => void;
  /** Given every secret a request or response shows as soon as the proxy has it, before the connector sees the response. */
  onSecrets?: (secrets: RedactedSecret[]) => void;
  /** The connector's output, held while each operation runs and released once it has settled (output.ts). */
  output?: ConnectorOutput;
}

export interface Recording {
  exchanges: RecordedExchange[];
  operations: OperationRecording[];
  /** Requests refused because they named another host: not forwarded, not recorded. */
  refused: RefusedRequest[];
}

/** Headers that belong to one connection, never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length']);

/** The upstream's URL as people may see it: no user name or password. */
export function publicUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href.replace(/\/$/, '');
}

function unreachable(url: URL, cause: unknown, during?: string): HoldupError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const why =
    cause instanceof NoAnswer
      ? cause.message
      : code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'no such host'
          : (code ?? String(cause));
  return new HoldupError('UPSTREAM_UNREACHABLE', `cannot reach the upstream (${why})${during ? ` while recording ${during}` : ''}`, {
    file: publicUrl(url),
    hint: 'start the upstream (or check --upstream: scheme, host and port), then run holdup record again',
    cause,
  });
}

interface Forwarded {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** How long the first request may wait for an answer before the upstream counts as unreachable. */
const PROBE_TIMEOUT_MS = 10_000;

class NoAnswer extends Error {
  readonly code = 'ETIMEDOUT';
}

function forward(
  upstream: URL,
  method: string,
  pathAndQuery: string,
  headers: OutgoingHttpHeaders,
  body: Buffer | undefined,
  timeoutMs?: number,
): Promise<Forwarded> {
  const base = upstream.pathname.replace(/\/+$/, '');
  const target = new URL(upstream.origin + base + pathAndQuery);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const auth = upstream.username ? `${decodeURIComponent(upstream.username)}:${decodeURIComponent(upstream.password)}` : undefined;
  return new Promise((resolve, reject) => {
    const req = send(target, { method, headers: { ...headers, host: target.host }, ...(auth ? { auth } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (timeoutMs !== undefined) {
      req.setTimeout(timeoutMs, () => req.destroy(new NoAnswer(`no answer within ${timeoutMs / 1000} s`)));
    }
    req.end(body);
  });
}

/** A first request, before any operation runs: a refused connection is said at once. */
export async function probeUpstream(upstream: URL): Promise<void> {
  try {
    await forward(upstream, 'HEAD', '/', {}, undefined, PROBE_TIMEOUT_MS);
  } catch (cause) {
    throw unreachable(upstream, cause);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function queryOf(search: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of search) (out[name] ??= []).push(value);
  return out;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.split('\n')[0]!;
  return String(error);
}

/** Runs every operation of the connector once through the recording proxy. */
export async function recordConnector(options: RecordOptions): Promise<Recording> {
  const { connector, upstream } = options;
  const definition = connector.definition;
  await probeUpstream(upstream);

  const exchanges: RecordedExchange[] = [];
  const refused: RefusedRequest[] = [];
  let current = '';
  let failure: HoldupError | undefined;
  /** What a request may name: the recorder (its port is known once it listens) and the upstream. */
  const origins = (): RecordOrigins => ({ recorder: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), upstream });

  /** Lists a refused request; returns the body that tells the connector why. */
  const refuse = (operation: string, verdict: TargetRefusal): string => {
    refused.push({ operation, request: verdict.request, status: verdict.status, reason: verdict.reason });
    return JSON.stringify({ error: 'refused by holdup record', reason: verdict.reason, forwarded: `only requests for this recorder or ${publicUrl(upstream)}` });
  };

  const server = createServer((req, res) => {
    const operation = current;
    const verdict = judgeTarget({ method: req.method ?? 'GET', url: req.url ?? '/', rawHeaders: req.rawHeaders }, origins());
    if (!verdict.ok) {
      const text = refuse(operation, verdict);
      // the body, if any, is not read: the connection ends with the answer
      res.writeHead(verdict.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'close' });
      res.end(text);
      return;
    }
    void (async () => {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      const outgoing: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        const text = Array.isArray(value) ? value.join(', ') : value;
        headers[name] = text;
        if (!HOP_BY_HOP.has(name)) outgoing[name] = value;
      }
      // a recording keeps bodies as text: ask the upstream not to compress them
      outgoing['accept-encoding'] = 'identity';
      if (body.length > 0) outgoing['content-length'] = body.length;
      let answer: Forwarded;
      try {
        answer = await forward(upstream, req.method ?? 'GET', verdict.path + verdict.search, outgoing, body.length > 0 ? body : undefined);
      } catch (cause) {
        failure ??= unreachable(upstream, cause, operation);
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('holdup record: the upstream could not be reached');
        return;
      }
      const exchange: RecordedExchange = {
        operation,
        request: { method: (req.method ?? 'GET').toUpperCase(), path: verdict.path, query: queryOf(new URLSearchParams(verdict.search)), headers, body: body.toString('utf8') },
        response: { status: answer.status, headers: answer.headers, body: answer.body.toString('utf8') },
      };
      exchanges.push(exchange);
      // known before the connector has the response: a token it prints is scrubbed
      options.onSecrets?.(exchangeSecrets(exchange));
      const back: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name)) back[name] = value;
      back['content-length'] = answer.body.length;
      res.writeHead(answer.status, back);
      res.end(answer.body);
    })().catch((error: unknown) => {
      failure ??= new HoldupError('HARNESS', `the recording proxy failed: ${describeError(error)}`, { hint: 'this is a bug in holdup; please report it with the command you ran' });
      res.destroy();
    });
  });
  // a tunnel to another host: refused as the other requests are, and listed
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const verdict = judgeTarget({ method: 'CONNECT', url: req.url ?? '', rawHeaders: req.rawHeaders }, origins());
    socket.on('error', () => undefined);
    if (verdict.ok) return void socket.destroy();
    const text = refuse(current, verdict);
    socket.end(`HTTP/1.1 ${verdict.status} Method Not Allowed\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const operations: OperationRecording[] = [];
  try {
    for (const [name, operation] of Object.entries(definition.operations)) {
      current = name;
      const before = exchanges.length;
      const refusedBefore = refused.length;
      const warnings: string[] = [];
      const recording: OperationRecording = { operation: name, requests: 0, refused: 0, warnings };
      options.output?.hold();
      const deadline = definition.deadlineMs ?? DEFAULT_DEADLINE_MS;
      let timer: NodeJS.Timeout | undefined;
      let client: unknown;
      try {
        client = await definition.create({
          baseUrl: proxyUrl,
          credentials: definition.credentials ?? {},
          warn: (message) => warnings.push(message),
        });
        await Promise.race([
          Promise.resolve(operation.run(client)),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not settle within deadlineMs (${deadline} ms)`)), deadline);
          }),
        ]);
      } catch (error) {
        recording.error = describeError(error);
      } finally {
        clearTimeout(timer);
        // a command connector's process ends with its operation (src/command)
        if (client !== undefined) await connector.process?.close(client);
      }
      recording.requests = exchanges.length - before;
      recording.refused = refused.length - refusedBefore;
      options.output?.release();
      operations.push(recording);
      options.onOperation?.(recording);
      if (failure) throw failure;
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { exchanges, operations, refused };
}
