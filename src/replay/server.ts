import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { newRecord, type HttpRequestData, type ReplayResponse, type ToxicControl, type ToxicSpec, type TraceEntry } from '../core/index.js';
import { createReplayHandler, type ReplayHandler, type ReplayHandlerOptions } from './handler.js';
import { decodePath, parseQuery, requestBody, responseBytes, withLength } from './wire.js';

export interface ReplayServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly handler: ReplayHandler;
  /** Stops listening and drops every open connection (a hanging connector is cut off). */
  close(): Promise<void>;
  /** Errors from the network engine while toxics were being set (Toxiproxy stopped answering). */
  readonly networkErrors: Error[];
  /** Requests the server itself failed to answer (a bug in holdup): each got a 500 and is listed here. */
  readonly failures: Error[];
}

export interface ReplayServerOptions extends ReplayHandlerOptions {
  /** 0 (a free port) by default. */
  port?: number;
  /** Time origin for the trace (performance.now() ms); the server's start by default. */
  originMs?: number;
  /**
   * When set, a POST to this path sets the active provider state, as Pact's
   * `providerStatesSetupUrl` expects (`{ "state", "action": "setup" | "teardown", "params" }`).
   * Off by default: connectors never see it.
   */
  providerStatesPath?: string;
  /**
   * How long an idle connection stays open: 5 000 ms by default. Executions keep it past their
   * deadline, or a black hole would end when the server closed the idle connection behind it.
   */
  keepAliveTimeoutMs?: number;
  /** The execution's proxy, when it runs through Toxiproxy: responses that carry toxics set them here first. */
  toxics?: ToxicControl;
}

const NO_TOXICS: readonly ToxicSpec[] = [];
const NO_BODY = Buffer.alloc(0);


/** The status line and headers Node wrote for `res` (`_header`, kept by every Node version since 0.x), in bytes. */
function headerBytes(res: ServerResponse): number {
  const written = (res as unknown as { _header?: unknown })._header;
  return typeof written === 'string' ? Buffer.byteLength(written) : 0;
}

function toRequestData(req: IncomingMessage, bytes: Buffer): HttpRequestData {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = decodePath(q === -1 ? url : url.slice(0, q));
  const headers = newRecord<string>();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { method: (req.method ?? 'GET').toUpperCase(), path, query: q === -1 ? {} : parseQuery(url.slice(q + 1)), headers, ...requestBody(bytes, headers) };
}

/** Starts the replay server for one execution on 127.0.0.1. */
export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const handler = createReplayHandler(options);
  const origin = options.originMs ?? performance.now();
  const sockets = new Set<Socket>();

  const setState = (res: ServerResponse, body: string): void => {
    let change: { state?: unknown; action?: unknown } = {};
    try {
      change = JSON.parse(body) as typeof change;
    } catch {
      // an empty or broken body is answered with 400 below
    }
    if (typeof change.state !== 'string') {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"expected {\\"state\\": \\"...\\"}"}');
      return;
    }
    handler.setProviderStates(change.action === 'teardown' ? [] : [change.state]);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  };

  const networkErrors: Error[] = [];
  const failures: Error[] = [];
  /** Responses held back (`headersDelayMs`); cleared on close. */
  const timers = new Set<NodeJS.Timeout>();

  const deliver = (req: IncomingMessage, res: ServerResponse, response: ReplayResponse, entry: TraceEntry, toxics: readonly ToxicSpec[]): Promise<void> | void => {
    const finish = (): void => {
      entry.endMs = performance.now() - origin;
    };
    switch (response.delivery ?? 'normal') {
      case 'never':
        return; // the upstream never answers; close() drops the socket
      case 'reset':
        finish();
        req.socket.resetAndDestroy();
        return;
      case 'truncated': {
        const full = responseBytes(response);
        res.writeHead(response.status, { ...response.headers, 'content-length': String(full.length) });
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => {
          finish();
          req.socket.destroy();
        });
        return;
      }
      default: {
        const body = responseBytes(response);
        const headers = withLength(response.headers, body);
        const bodyCounted = toxics.filter((toxic) => toxic.countFromBody);
        if (bodyCounted.length > 0 && options.toxics) {
          // the toxic's byte count must include the status line and headers Node writes
          res.writeHead(response.status, headers);
          const head = headerBytes(res);
          const adjusted = toxics.map((toxic) =>
            toxic.countFromBody ? { type: toxic.type, attributes: { ...toxic.attributes, bytes: (toxic.attributes['bytes'] ?? 0) + head } } : toxic,
          );
          return options.toxics.set(adjusted).then(() => {
            res.end(body);
            finish();
          });
        }
        res.writeHead(response.status, headers);
        res.end(body);
        // handed to the socket: the response has ended as far as the upstream is concerned
        // (a 'finish' listener per response costs ~5 % of throughput)
        finish();
      }
    }
  };

  const respond = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    if (options.providerStatesPath !== undefined && req.method === 'POST' && req.url === options.providerStatesPath) {
      setState(res, body.toString('utf8'));
      return;
    }
    const { response, entry } = handler.handle(toRequestData(req, body), performance.now() - origin, Date.now());
    const toxics = response.toxics ?? NO_TOXICS;
    const control = options.toxics;
    const delay = response.headersDelayMs ?? 0;
    if (delay <= 0 && !(control && (toxics.length > 0 || control.active))) {
      void deliver(req, res, response, entry, NO_TOXICS); // the hot path: no timers, no promises
      return;
    }
    const wait =
      delay > 0
        ? new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              resolve();
            }, delay);
            timers.add(timer);
          })
        : Promise.resolve();
    // toxics counted from the body are set once the headers' size is known
    const now = control ? toxics.filter((toxic) => !toxic.countFromBody) : NO_TOXICS;
    void wait
      .then(() => (control ? control.set(now) : undefined))
      .then(() => (req.socket.destroyed ? undefined : deliver(req, res, response, entry, toxics)))
      .catch((error: unknown) => {
        networkErrors.push(error instanceof Error ? error : new Error(String(error)));
        entry.endMs = performance.now() - origin;
        req.socket.destroy();
      });
  };

  /** `respond`, and a 500 instead of an uncaught exception should answering fail: the run says so, the process goes on. */
  const answer = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    try {
      respond(req, res, body);
    } catch (error) {
      failures.push(error instanceof Error ? error : new Error(String(error)));
      if (res.headersSent) req.socket.destroy();
      else res.writeHead(500, { 'content-type': 'application/json', 'x-holdup-error': 'true' }).end('{"error":"holdup-replay-failed"}');
    }
  };

  const server = createServer((req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      // no body expected: skip buffering on the hot path
      req.resume();
      req.on('end', () => answer(req, res, NO_BODY));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => answer(req, res, Buffer.concat(chunks)));
  });
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    handler,
    networkErrors,
    failures,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      }),
  };
}
