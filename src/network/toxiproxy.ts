import { Toxiproxy, type Toxic } from 'toxiproxy-node-client';
import type { ToxicControl, ToxicSpec } from '../core/index.js';

/** Every proxy holdup creates is named `holdup-…`, so a Toxiproxy shared with others can be told apart. */
export const PROXY_PREFIX = 'holdup-';

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
    const raw = (await this.client.getVersion()).trim();
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
    return Object.keys(await this.client.getAll());
  }

  /** Deletes every proxy whose name starts with `prefix`; returns their names. */
  async removeProxies(prefix: string): Promise<string[]> {
    const all = await this.client.getAll();
    const mine = Object.values(all).filter((proxy) => proxy.name.startsWith(prefix));
    await Promise.all(mine.map((proxy) => proxy.remove()));
    return mine.map((proxy) => proxy.name);
  }

  /** A proxy on a free loopback port forwarding to `upstream` (`127.0.0.1:<port>`), with no toxic. */
  async createProxy(name: string, upstream: string): Promise<ExecutionProxy> {
    const proxy = await this.client.createProxy({ name, listen: '127.0.0.1:0', upstream });
    const active = new Map<string, Toxic<unknown>>(); // by spec key
    let counter = 0;
    let queue: Promise<void> = Promise.resolve();
    let removed: Promise<void> | undefined;

    const apply = async (wanted: readonly ToxicSpec[]): Promise<void> => {
      const byKey = new Map(wanted.map((spec) => [key(spec), spec]));
      for (const [specKey, toxic] of [...active]) {
        if (byKey.has(specKey)) continue;
        await toxic.remove();
        active.delete(specKey);
      }
      for (const [specKey, spec] of byKey) {
        if (active.has(specKey)) continue;
        // toxicity 1: holdup decided, from its seed, that this response gets the toxic
        const toxic = await proxy.addToxic<unknown>({
          name: `${spec.type}_${++counter}`,
          type: spec.type,
          stream: 'downstream',
          toxicity: 1,
          attributes: spec.attributes,
        });
        active.set(specKey, toxic);
      }
    };

    const toxics: ToxicControl = {
      get active() {
        return active.size > 0;
      },
      set(wanted) {
        // one change at a time, in arrival order
        const next = queue.then(() => apply(wanted));
        queue = next.catch(() => undefined);
        return next;
      },
    };

    return {
      name,
      url: `http://${proxy.listen}`,
      toxics,
      remove: () => {
        removed ??= queue.then(() => proxy.remove());
        return removed;
      },
    };
  }
}
