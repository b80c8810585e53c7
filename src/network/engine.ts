import { randomBytes } from 'node:crypto';
import { HoldupError, isInstalled, missingPackage, missingReason } from '../core/index.js';
import { containerSocket, pingEngine, startToxiproxyContainer, TOXIPROXY_IMAGE } from './container.js';
import { buildWithGo, builtVersion, cachedBinary, findBinary, goVersion, spawnToxiproxy, TOXIPROXY_MODULE, TOXIPROXY_VERSION, waitForApi } from './process.js';
import { RunState } from './state.js';
import { PROXY_PREFIX, ToxiproxyApi, type ExecutionProxy } from './toxiproxy.js';

/**
 * Which network engine to use. `auto` (the default) tries, in order: `TOXIPROXY_URL`; a
 * `toxiproxy-server` on PATH or in holdup's cache; building one with `go install`; a
 * container through testcontainers; otherwise none (network categories are not run).
 */
export const ENGINE_MODES = ['auto', 'url', 'process', 'container', 'none'] as const;
export type EngineMode = (typeof ENGINE_MODES)[number];

export interface EngineOptions {
  mode?: EngineMode;
  env?: NodeJS.ProcessEnv;
  /** Progress of slow steps (building Toxiproxy, starting a container), one line at a time. */
  onProgress?: (message: string) => void;
  /** Ctrl-C: a server being spawned or built is stopped, no further candidate is tried, and `startNetworkEngine` throws `INTERRUPTED`. */
  signal?: AbortSignal;
  /**
   * The run's id: what the engine starts (a toxiproxy-server, proxies on a TOXIPROXY_URL) is
   * recorded under it (state.ts) until `stop()`, for the next run to reap if this one is killed.
   */
  runId?: string;
}

/** A Toxiproxy holdup can use, and how it was obtained. */
export interface StartedEngine {
  readonly kind: 'toxiproxy';
  readonly version: string;
  /** For people: where it came from (`TOXIPROXY_URL http://…`, `process /usr/bin/toxiproxy-server`, `container …`). */
  readonly source: string;
  readonly api: ToxiproxyApi;
  /** A proxy for one execution, forwarding to `upstream` (`http://127.0.0.1:<port>`). */
  createProxy(executionName: string, upstream: string): Promise<ExecutionProxy>;
  /** Deletes every proxy this engine created that is left, then stops what holdup started. Safe to call twice. */
  stop(): Promise<void>;
}

export interface NoEngine {
  readonly kind: 'none';
  /** Why, in one sentence for people (also in every report). */
  readonly reason: string;
}

/** What each candidate said when the engine was chosen (for `holdup doctor`). */
export interface Candidate {
  name: 'TOXIPROXY_URL' | 'binary' | 'go install' | 'container';
  verdict: 'use' | 'skip' | 'not tried';
  detail: string;
}

/** What an engine is made of: its API, and how what holdup started for it stops. */
interface EngineParts {
  api: ToxiproxyApi;
  version: string;
  source: string;
  stopOwned: () => Promise<void>;
  state: RunState;
  /** A Toxiproxy holdup did not start (TOXIPROXY_URL): its proxies outlive a killed run, so they are recorded. */
  shared?: boolean;
  /** One line for people (the engine's progress channel). */
  say?: (message: string) => void;
}

function engineFrom({ api, version, source, stopOwned, state, shared, say = () => {} }: EngineParts): StartedEngine {
  // one prefix per engine: a shared Toxiproxy can hold proxies of other holdup runs, from other
  // machines or containers too (where the same pid may run holdup), hence the random part
  const prefix = `${PROXY_PREFIX}${process.pid}-${randomBytes(3).toString('hex')}-`;
  if (shared) state.addProxies(api.url, prefix);
  let proxies = 0;
  let stopping: Promise<void> | undefined;
  return {
    kind: 'toxiproxy',
    version,
    source,
    api,
    createProxy: (executionName, upstream) => {
      const name = `${prefix}${++proxies}-${executionName.replace(/[^\w.-]+/g, '_').slice(0, 80)}`;
      return api.createProxy(name, upstream.replace(/^https?:\/\//, ''));
    },
    stop: () => {
      stopping ??= (async () => {
        let failed: unknown;
        try {
          await api.removeProxies(prefix);
        } catch (error) {
          // a server holdup started is gone, and its proxies with it; a shared one may still hold them
          failed = error;
        }
        await stopOwned();
        if (!shared || failed === undefined) {
          state.remove();
          return;
        }
        const kept = state.keep();
        say(
          `could not delete this run's proxies (${prefix}…) from the Toxiproxy at ${api.url} (${failed instanceof Error ? failed.message : String(failed)}): ` +
            (kept ? `they stay recorded in ${kept}, and the next holdup run deletes them` : 'delete them by hand (every proxy named holdup-… of a run that has ended)'),
        );
      })();
      return stopping;
    },
  };
}

const noop = async (): Promise<void> => {};

function versionLabel(reported: string, built: string | undefined): string {
  if (built) return built;
  return reported === 'git' || reported === '' ? 'unknown (it reports "git")' : reported.replace(/^v/, '');
}


async function fromUrl(url: string, state: RunState, say: (message: string) => void): Promise<StartedEngine> {
  if (!/^https?:\/\/[^/]+/.test(url)) {
    throw new HoldupError('NETWORK_ENGINE', `TOXIPROXY_URL=${url} is not an http:// URL`, {
      hint: 'set it to the Toxiproxy API, e.g. TOXIPROXY_URL=http://127.0.0.1:8474',
    });
  }
  const api = new ToxiproxyApi(url);
  let version: string;
  try {
    version = await waitForApi(api, 3_000, () => undefined);
  } catch (error) {
    throw new HoldupError('NETWORK_ENGINE', `TOXIPROXY_URL=${url} does not answer: ${(error as Error).message}`, {
      hint: 'start Toxiproxy there, or unset TOXIPROXY_URL to let holdup start its own',
      cause: error,
    });
  }
  // proxies of holdup runs killed outright are deleted by the next run (reapLeftovers in state.ts)
  return engineFrom({ api, version: versionLabel(version, undefined), source: `TOXIPROXY_URL ${url}`, stopOwned: noop, state, shared: true, say });
}

async function fromBinary(file: string, from: string, env: NodeJS.ProcessEnv, state: RunState, signal: AbortSignal | undefined): Promise<StartedEngine> {
  const spawned = await spawnToxiproxy(file, env, { log: state, ...(signal ? { signal } : {}) });
  const version = versionLabel(spawned.version, await builtVersion(file, env));
  return engineFrom({ api: spawned.api, version, source: `process ${file} (${from}; pid ${spawned.pid}; API ${spawned.api.url})`, stopOwned: spawned.stop, state });
}

/**
 * Finds and starts the network engine. In `auto` mode a candidate that is absent or fails to
 * start is skipped, and the reasons make the `none` it returns; a `TOXIPROXY_URL` that is set
 * but does not answer throws (the user pointed holdup at it). A mode the user chose explicitly
 * throws when it fails. Ctrl-C (`signal`) throws `INTERRUPTED` before the next candidate.
 */
export async function startNetworkEngine(options: EngineOptions = {}): Promise<StartedEngine | NoEngine> {
  const env = options.env ?? process.env;
  const state = new RunState(env, options.runId ?? `engine-${process.pid}-${randomBytes(3).toString('hex')}`, options.onProgress);
  try {
    const engine = await resolveEngine(options, env, state);
    if (engine.kind === 'none') state.remove();
    return engine;
  } catch (error) {
    state.remove();
    throw error;
  }
}

async function resolveEngine(options: EngineOptions, env: NodeJS.ProcessEnv, state: RunState): Promise<StartedEngine | NoEngine> {
  const mode = options.mode ?? 'auto';
  const progress = options.onProgress ?? (() => {});
  const skipped: string[] = [];
  const explicit = mode !== 'auto';
  const fail = (message: string, hint: string, cause?: unknown): never => {
    throw new HoldupError('NETWORK_ENGINE', message, { hint, cause });
  };
  const checkStopped = (): void => {
    if (options.signal?.aborted) {
      throw new HoldupError('INTERRUPTED', 'the run was interrupted while the network engine was starting', {
        hint: 'run again; holdup keeps a Toxiproxy it built in its cache',
      });
    }
  };

  if (mode === 'none') return { kind: 'none', reason: 'the network engine was turned off (network engine: none)' };

  if (mode === 'auto' || mode === 'url') {
    const url = env['TOXIPROXY_URL'];
    if (url) return fromUrl(url, state, progress);
    if (explicit) fail('network engine "url" needs TOXIPROXY_URL, which is not set', 'set TOXIPROXY_URL=http://127.0.0.1:8474, or choose another engine');
  }

  if (mode === 'auto' || mode === 'process') {
    const found = await findBinary(env);
    if (found) {
      try {
        return await fromBinary(found.file, found.from, env, state, options.signal);
      } catch (error) {
        checkStopped();
        if (explicit) fail(`could not start ${found.file}: ${(error as Error).message}`, 'check that the binary runs (`toxiproxy-server -help`), or remove it', error);
        skipped.push(`${found.file} did not start (${(error as Error).message})`);
      }
    } else {
      skipped.push(`no ${'toxiproxy-server'} on PATH or in ${cachedBinary(env)}`);
    }
    checkStopped();
    const go = found ? undefined : await goVersion(env);
    if (go) {
      progress(`building Toxiproxy ${TOXIPROXY_VERSION} with go install (once; it is kept in ${cachedBinary(env)})`);
      try {
        const file = await buildWithGo(env, (line) => progress(`go: ${line.replace(/^go: /, '')}`), options.signal);
        progress(`built ${file}`);
        return await fromBinary(file, 'built with go install', env, state, options.signal);
      } catch (error) {
        checkStopped();
        if (explicit) fail(`could not build Toxiproxy: ${(error as Error).message}`, `run \`go install ${TOXIPROXY_MODULE}\` yourself and put the binary on PATH as toxiproxy-server`, error);
        skipped.push(`go install failed (${(error as Error).message})`);
      }
    } else if (!found) {
      skipped.push('Go is not installed, so holdup cannot build Toxiproxy');
      if (explicit) fail('network engine "process" found no toxiproxy-server and cannot build one without Go', `install Go, or put toxiproxy-server on PATH (go install ${TOXIPROXY_MODULE})`);
    }
  }

  checkStopped();
  if (mode === 'auto' || mode === 'container') {
    const where = containerSocket(env);
    if (!isInstalled('testcontainers', import.meta.url)) {
      if (explicit) throw missingPackage('testcontainers');
      skipped.push(missingReason('testcontainers'));
    } else if (where.socket === undefined) {
      skipped.push(where.reason);
      if (explicit) fail(where.reason, 'start a container engine (Docker, or Podman: see docs/network.md) and set DOCKER_HOST');
    } else {
      const ping = await pingEngine(where.socket);
      if (!ping.ok) {
        skipped.push(ping.reason);
        if (explicit) fail(ping.reason, 'start the container engine (for Podman: `podman system service --time=0 unix:///run/podman/podman.sock &`)');
      } else {
        progress(`starting ${TOXIPROXY_IMAGE} through testcontainers (${where.from})`);
        try {
          const started = await startToxiproxyContainer(where.socket);
          return engineFrom({
            api: started.api,
            version: versionLabel(started.version, TOXIPROXY_VERSION),
            source: `container ${TOXIPROXY_IMAGE} ${started.containerId.slice(0, 12)} (testcontainers via ${where.from}; API ${started.api.url})`,
            stopOwned: started.stop,
            state,
          });
        } catch (error) {
          const message = (error as Error).message.split('\n')[0] ?? '';
          if (explicit) {
            fail(
              `could not start ${TOXIPROXY_IMAGE}: ${message}`,
              `build the image locally and, where no registry is reachable, set TESTCONTAINERS_RYUK_DISABLED=true (docs/network.md)`,
              error,
            );
          }
          skipped.push(`the container ${TOXIPROXY_IMAGE} did not start (${message})`);
        }
      }
    }
  }

  checkStopped();
  return { kind: 'none', reason: `no network engine: ${skipped.join('; ')}` };
}

/** Each candidate in resolution order and what holdup would do with it, without starting anything. */
export async function describeCandidates(env: NodeJS.ProcessEnv = process.env): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const chosen = (): boolean => out.some((c) => c.verdict === 'use');
  const url = env['TOXIPROXY_URL'];
  if (url) {
    try {
      const version = await waitForApi(new ToxiproxyApi(url), 2_000, () => undefined);
      out.push({ name: 'TOXIPROXY_URL', verdict: 'use', detail: `${url} answers (version ${version})` });
    } catch (error) {
      out.push({ name: 'TOXIPROXY_URL', verdict: 'use', detail: `${url} is set but does not answer (${(error as Error).message}); holdup run will stop with NETWORK_ENGINE` });
    }
  } else out.push({ name: 'TOXIPROXY_URL', verdict: 'skip', detail: 'not set' });

  const found = await findBinary(env);
  if (chosen()) out.push({ name: 'binary', verdict: 'not tried', detail: found ? `${found.file} (${found.from})` : 'none found' });
  else if (found) out.push({ name: 'binary', verdict: 'use', detail: `${found.file} (${found.from}), spawned on a free loopback port for each run` });
  else out.push({ name: 'binary', verdict: 'skip', detail: `no toxiproxy-server on PATH or in ${cachedBinary(env)}` });

  const go = await goVersion(env);
  if (chosen()) out.push({ name: 'go install', verdict: 'not tried', detail: go ?? 'Go not installed' });
  else if (go) out.push({ name: 'go install', verdict: 'use', detail: `${go}: the first run builds ${TOXIPROXY_MODULE} into ${cachedBinary(env)}` });
  else out.push({ name: 'go install', verdict: 'skip', detail: 'Go is not installed' });

  const where = containerSocket(env);
  let container: Candidate;
  if (!isInstalled('testcontainers', import.meta.url)) container = { name: 'container', verdict: 'skip', detail: missingReason('testcontainers') };
  else if (where.socket === undefined) container = { name: 'container', verdict: 'skip', detail: where.reason };
  else {
    const ping = await pingEngine(where.socket);
    container = ping.ok
      ? { name: 'container', verdict: 'use', detail: `${where.socket} answers; holdup starts ${TOXIPROXY_IMAGE} with testcontainers` }
      : { name: 'container', verdict: 'skip', detail: ping.reason };
  }
  if (chosen() && container.verdict === 'use') container = { ...container, verdict: 'not tried' };
  out.push(container);
  return out;
}
