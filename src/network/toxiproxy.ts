import { Toxiproxy, type Toxic } from 'toxiproxy-node-client';
import type { ToxicControl, ToxicSpec } from '../core/index.js';

/** Every proxy holdup creates is named `holdup-<pid>-<random>-…`, so a Toxiproxy shared with others can be told apart. */
export const PROXY_PREFIX = 'holdup-';

/** How long one Toxiproxy API call may take; a server that stops answering fails the run instead of stalling it. */
export const API_TIMEOUT_MS = 5_000;

/** `call()`, failing after `API_TIMEOUT_MS` (the client's fetch has no timeout of its own). */
function timed<T>(what: string, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${API_TIMEOUT_MS} ms`)), API_TIMEOUT_MS);
  });
  return Promise.race([call(), timeout]).finally(() => clearTimeout(timer));
}

/** One execution's proxy: the connector talks to `url`, the proxy forwards to the replay server. */
export interface ExecutionProxy {
  readonly name: string;
  /** `http://127.0.0.1:<port>`: the base URL the connector is given. */
  readonly url: string;
  readonly toxics: ToxicControl;
  /** Deletes the proxy (and its toxics); its connections close. Safe to call twice. */
  remove(): Promise<void>;
}

function key(spec: ToxicSpec): string {
  const attributes = Object.keys(spec.attributes)
    .sort()
    .map((name) => `${name}=${spec.attributes[name]}`)
    .join(',');
  return `${spec.type}(${attributes})`;
}

/** The client of one Toxiproxy server's HTTP API: the only code that talks to it. */
export class ToxiproxyApi {
  private readonly client: Toxiproxy;

  constructor(readonly url: string) {
    this.client = new Toxiproxy(url.replace(/\/+$/, ''));
  }

  /** The server's version (`git` for a binary built with `go install` and no version stamp). */
  async version(): Promise<string> {
    // the client returns the raw body: `{"version": "2.12.0"}` (older servers: the bare version)
    const raw = (await timed('GET /version', () => this.client.getVersion())).trim();
    try {
      const parsed = JSON.parse(raw) as { version?: unknown };
      if (typeof parsed.version === 'string') return parsed.version;
    } catch {
      // a bare version string
    }
    return raw;
  }

  /** Names of every proxy the server has. */
  async proxyNames(): Promise<string[]> {
    return Object.keys(await timed('GET /proxies', () => this.client.getAll()));
  }

  /** Deletes every proxy whose name starts with `prefix`; returns their names. */
  async removeProxies(prefix: string): Promise<string[]> {
    const all = await timed('GET /proxies', () => this.client.getAll());
    const mine = Object.values(all).filter((proxy) => proxy.name.startsWith(prefix));
    await Promise.all(mine.map((proxy) => timed(`DELETE /proxies/${proxy.name}`, () => proxy.remove())));
    return mine.map((proxy) => proxy.name);
  }

  /** A proxy on a free loopback port forwarding to `upstream` (`127.0.0.1:<port>`), with no toxic. */
  async createProxy(name: string, upstream: string): Promise<ExecutionProxy> {
    const proxy = await timed('POST /proxies', () => this.client.createProxy({ name, listen: '127.0.0.1:0', upstream }));
    const active = new Map<string, Toxic<unknown>>(); // by spec key
    let counter = 0;
    let queue: Promise<void> = Promise.resolve();
    /** Changes asked for and not done yet: they count as active, so no response slips past them. */
    let pending = 0;
    let removed: Promise<void> | undefined;

    const apply = async (wanted: readonly ToxicSpec[]): Promise<void> => {
      const byKey = new Map(wanted.map((spec) => [key(spec), spec]));
      for (const [specKey, toxic] of [...active]) {
        if (byKey.has(specKey)) continue;
        await timed(`DELETE toxic ${toxic.name}`, () => toxic.remove());
        active.delete(specKey);
      }
      for (const [specKey, spec] of byKey) {
        if (active.has(specKey)) continue;
        // toxicity 1: holdup decided, from its seed, that this response gets the toxic
        const toxic = await timed(`POST toxic ${spec.type}`, () =>
          proxy.addToxic<unknown>({
            name: `${spec.type}_${++counter}`,
            type: spec.type,
            stream: 'downstream',
            toxicity: 1,
            attributes: spec.attributes,
          }),
        );
        active.set(specKey, toxic);
      }
    };

    const toxics: ToxicControl = {
      get active() {
        return active.size > 0 || pending > 0;
      },
      set(wanted) {
        // the execution is over: its proxy is going, with every toxic on it
        if (removed) return Promise.resolve();
        // one change at a time, in arrival order
        pending++;
        const next = queue.then(() => apply(wanted)).finally(() => pending--);
        queue = next.catch(() => undefined);
        return next;
      },
    };

    return {
      name,
      url: `http://${proxy.listen}`,
      toxics,
      remove: () => {
        removed ??= queue.then(() => timed(`DELETE /proxies/${name}`, () => proxy.remove()));
        return removed;
      },
    };
  }
}
