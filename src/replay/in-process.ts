import { syncBuiltinESMExports } from 'node:module';
import { ClientRequestInterceptor } from '@mswjs/interceptors/ClientRequest';
import { FetchInterceptor } from '@mswjs/interceptors/fetch';
import type { HttpRequestData, ReplayResponse } from '../core/index.js';
import { createReplayHandler, type ReplayHandler, type ReplayHandlerOptions } from './handler.js';
import { decodePath, parseQuery, requestBody, responseBytes, withLength } from './wire.js';

/** The host in-process base URLs use: reserved (RFC 6761), so nothing real answers it by mistake. */
export const IN_PROCESS_HOST = 'holdup.invalid';

export interface InProcessOptions extends ReplayHandlerOptions {
  /** Milliseconds since the execution started (the virtual clock's, in-process). */
  elapsed(): number;
  /** The upstream's wall clock, epoch ms (virtual too). */
  epoch(): number;
}

/** One execution's upstream without sockets: the same handler as the replay server, reached through the interceptor. */
export interface InProcessReplay {
  readonly url: string;
  readonly handler: ReplayHandler;
  /** Ends the execution: requests still waiting for an answer that never comes fail now. */
  close(): void;
}

type Controller = { respondWith(response: Response): void; errorWith(reason?: unknown): void };
type Kind = 'fetch' | 'http';

/** Errors holdup made for requests the client may have abandoned (a timeout, the end of the execution). */
const dropped = new WeakSet<object>();

/** A dropped connection, as each client reports it (fetch wraps the socket error). */
function resetError(kind: Kind): Error {
  const socket = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  const error = kind === 'fetch' ? new TypeError('fetch failed', { cause: socket }) : socket;
  dropped.add(error);
  return error;
}

/**
 * A request the client gave up on still gets its error when the execution ends, and nobody
 * listens any more: that rejection is holdup's own, not the connector's. Any other unhandled
 * rejection crashes the process as Node would.
 */
function ignoreDropped(reason: unknown): void {
  if (typeof reason === 'object' && reason !== null && dropped.has(reason)) return;
  setImmediate(() => {
    throw reason;
  });
}

function toRequestData(request: Request, body: Buffer): HttpRequestData {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return {
    method: request.method.toUpperCase(),
    path: decodePath(url.pathname),
    query: parseQuery(url.search.replace(/^\?/, '')),
    headers,
    ...requestBody(body, headers),
  };
}

/**
 * Intercepts `fetch` and `node:http`/`https` requests in this process (through
 * @mswjs/interceptors, what nock and msw are built on) and answers requests to
 * `http://holdup.invalid` from the execution that is current. Apply once per run; executions
 * take turns with `open`.
 */
export class InProcessNetwork {
  private readonly fetch = new FetchInterceptor();
  private readonly http = new ClientRequestInterceptor();
  private current: { replay: InProcessReplay; options: InProcessOptions; pending: Set<() => void> } | undefined;
  private executions = 0;

  apply(): void {
    process.on('unhandledRejection', ignoreDropped);
    this.fetch.apply();
    this.http.apply();
    this.fetch.on('request', ({ request, controller }) => this.answer('fetch', request, controller));
    this.http.on('request', ({ request, controller }) => this.answer('http', request, controller));
    // `import { get } from 'node:http'` holds its own copy of the export: refresh it too
    syncBuiltinESMExports();
  }

  dispose(): void {
    process.off('unhandledRejection', ignoreDropped);
    this.fetch.dispose();
    this.http.dispose();
    syncBuiltinESMExports();
  }

  /** The upstream of the next execution; the previous one is closed. */
  open(options: InProcessOptions): InProcessReplay {
    this.current?.replay.close();
    const handler = createReplayHandler(options);
    const pending = new Set<() => void>();
    const replay: InProcessReplay = {
      url: `http://${++this.executions}.${IN_PROCESS_HOST}`,
      handler,
      close: () => {
        for (const release of pending) release();
        pending.clear();
        if (this.current?.replay === replay) this.current = undefined;
      },
    };
    this.current = { replay, options, pending };
    return replay;
  }

  private async answer(kind: Kind, request: Request, controller: Controller): Promise<void> {
    const current = this.current;
    const host = new URL(request.url).host;
    if (!current || host !== new URL(current.replay.url).host) {
      controller.errorWith(
        new TypeError(`holdup in-process mode answers only its replay server (${current?.replay.url ?? 'none open'}); the connector asked ${request.url}`),
      );
      return;
    }
    const { options, pending, replay } = current;
    // one real turn of the event loop per request: a connector requesting in a tight loop (paging
    // forever) would otherwise run on microtasks alone and starve the driver that moves the clock
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.current !== current) return never();
    const body = Buffer.from(await request.arrayBuffer());
    const { response, entry } = replay.handler.handle(toRequestData(request, body), options.elapsed(), options.epoch());
    const finish = (): void => {
      entry.endMs = options.elapsed();
    };
    // waits end when the client gives up on the request, or when the execution ends: then the
    // request is never answered (and never let out). Its invocation was abandoned at the deadline;
    // waking it up would run its code inside the next execution, on that execution's clock.
    const until = (ms: number | undefined): Promise<void> =>
      new Promise<void>((resolve) => {
        const release = (): void => {
          pending.delete(release);
          if (timer !== undefined) clearTimeout(timer);
          resolve();
        };
        const timer = ms === undefined ? undefined : setTimeout(release, ms);
        pending.add(release);
        request.signal.addEventListener('abort', release, { once: true });
      });
    if ((response.headersDelayMs ?? 0) > 0) await until(response.headersDelayMs);
    if (this.current !== current) return never();
    if (request.signal.aborted) {
      // answer anyway: a listener that returns without an answer lets the request out for real
      settleQuietly(() => controller.errorWith(resetError(kind)));
      return;
    }
    // the listener must not return before it answers: the interceptor would send the request out for real
    await deliver(kind, response, controller, finish, until, () => this.current !== current);
  }
}

async function deliver(
  kind: Kind,
  response: ReplayResponse,
  controller: Controller,
  finish: () => void,
  until: (ms?: number) => Promise<void>,
  ended: () => boolean,
): Promise<void> {
  const body = responseBytes(response);
  const headers = withLength(response.headers, body);
  switch (response.delivery ?? 'normal') {
    case 'never':
      // nothing comes back; the client's own timeout, or the end of the execution, ends the wait
      await until();
      if (ended()) return never();
      finish();
      settleQuietly(() => controller.errorWith(resetError(kind)));
      return;
    case 'reset':
      finish();
      controller.errorWith(resetError(kind));
      return;
    case 'truncated': {
      const full = body;
      const stream = new ReadableStream<Uint8Array>({
        start(stream) {
          stream.enqueue(full.subarray(0, Math.floor(full.length / 2)));
          finish();
          stream.error(kind === 'fetch' ? new TypeError('terminated') : Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
        },
      });
      controller.respondWith(new Response(stream, { status: response.status, headers }));
      return;
    }
    default:
      finish();
      controller.respondWith(new Response(bodyless(response.status) ? null : new Uint8Array(body), { status: response.status, headers }));
  }
}

/** A wait that never ends: the listener of an abandoned request stays pending, so it is neither answered nor let out. */
function never(): Promise<void> {
  return new Promise<void>(() => {});
}

/** Answers a request the client may already have given up on (aborted): then there is no one to tell. */
function settleQuietly(answer: () => void): void {
  try {
    answer();
  } catch {
    // the request was handled already (aborted by the client's timeout)
  }
}

/** Statuses a `Response` may not carry a body with. */
function bodyless(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}
