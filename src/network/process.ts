import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, rename, rm, writeFile, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ToxiproxyApi } from './toxiproxy.js';

/** The Toxiproxy release holdup builds and is tested with. */
export const TOXIPROXY_VERSION = '2.12.0';
export const TOXIPROXY_MODULE = `github.com/Shopify/toxiproxy/v2/cmd/server@v${TOXIPROXY_VERSION}`;
export const BINARY_NAME = 'toxiproxy-server';

/** `$HOLDUP_CACHE_DIR`, else `$XDG_CACHE_HOME/holdup`, else `~/.cache/holdup`. */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  if (env['HOLDUP_CACHE_DIR']) return env['HOLDUP_CACHE_DIR'];
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'holdup');
}

/** Where holdup keeps the Toxiproxy it built. */
export function cachedBinary(env: NodeJS.ProcessEnv): string {
  return join(cacheDir(env), `toxiproxy-${TOXIPROXY_VERSION}`, BINARY_NAME);
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `toxiproxy-server` on PATH, else the one in holdup's cache; `undefined` when neither exists. */
export async function findBinary(env: NodeJS.ProcessEnv): Promise<{ file: string; from: 'PATH' | 'cache' } | undefined> {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir && (await isExecutable(join(dir, BINARY_NAME)))) return { file: join(dir, BINARY_NAME), from: 'PATH' };
  }
  const cached = cachedBinary(env);
  return (await isExecutable(cached)) ? { file: cached, from: 'cache' } : undefined;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

/** `go version`'s answer, or `undefined` when Go is not installed. */
export async function goVersion(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    return (await run('go', ['version'], env, 15_000)).stdout.trim();
  } catch {
    return undefined;
  }
}

/** The Toxiproxy module version a Go binary was built from (`go version -m`), if Go can tell. */
export async function builtVersion(file: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const stamp = `${file}.version`;
  try {
    return (await readFile(stamp, 'utf8')).trim();
  } catch {
    // not one holdup built: ask Go
  }
  try {
    const { stdout } = await run('go', ['version', '-m', file], env, 15_000);
    return /\bgithub\.com\/Shopify\/toxiproxy\/v2\s+v(\S+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Builds Toxiproxy with `go install` into holdup's cache (a static binary, `CGO_ENABLED=0`).
 * Streams Go's progress lines to `onProgress`. Returns the binary's path. `signal` (Ctrl-C) stops Go.
 */
export async function buildWithGo(env: NodeJS.ProcessEnv, onProgress: (line: string) => void, signal?: AbortSignal): Promise<string> {
  const target = cachedBinary(env);
  const dir = join(target, '..');
  await mkdir(join(dir, '..'), { recursive: true });
  const staging = await mkdtemp(join(dir, '..', '.toxiproxy-build-'));
  try {
    await new Promise<void>((resolve, reject) => {
      // -X stamps the version the API reports (otherwise `git`)
      const stamp = `-X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION}`;
      const child = spawn('go', ['install', '-ldflags', stamp, TOXIPROXY_MODULE], {
        env: { ...env, GOBIN: staging, CGO_ENABLED: '0' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let tail = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        tail = (tail + chunk).slice(-4000);
        for (const line of chunk.split('\n')) if (line.trim()) onProgress(line.trim());
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15 * 60_000);
      const stop = (): void => {
        child.kill('SIGKILL');
      };
      signal?.addEventListener('abort', stop);
      if (signal?.aborted) stop();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', stop);
      };
      child.on('error', (error) => {
        done();
        reject(error);
      });
      child.on('exit', (code, killed) => {
        done();
        if (code === 0) resolve();
        else if (signal?.aborted) reject(new Error('go install was stopped: the run was interrupted'));
        else reject(new Error(`go install ${TOXIPROXY_MODULE} failed (${killed ?? `exit ${code}`}): ${tail.trim().split('\n').slice(-3).join(' | ')}`));
      });
    });
    await mkdir(dir, { recursive: true });
    await rename(join(staging, 'server'), target);
    await writeFile(`${target}.version`, `${TOXIPROXY_VERSION}\n`);
    return target;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Whether a process with this pid exists (EPERM: it does, and belongs to someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A free TCP port on 127.0.0.1 (the OS picks; there is a small window before it is used). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `GET /version` until the API answers, `give()` says stop, or `timeoutMs` passes. */
export async function waitForApi(api: ToxiproxyApi, timeoutMs: number, gaveUp: () => string | undefined): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const reason = gaveUp();
    if (reason) throw new Error(reason);
    try {
      return await api.version();
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) throw new Error(`the Toxiproxy API at ${api.url} did not answer within ${timeoutMs} ms (${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface SpawnedToxiproxy {
  api: ToxiproxyApi;
  version: string;
  pid: number;
  stop(): Promise<void>;
}

/** Where the processes holdup starts are written down while they run (`RunState`, in state.ts). */
export interface ProcessLog {
  addProcess(pid: number, command: string, port?: number): void;
  removeProcess(pid: number): void;
}

export interface SpawnOptions {
  /** Ctrl-C: stop waiting for the server, kill it, and throw. */
  signal?: AbortSignal;
  /** Records the server the moment it is spawned, and forgets it once it has exited. */
  log?: ProcessLog;
}

/** Runs `file` as a Toxiproxy server on a free loopback port; stopped by `stop()` or, at the latest, when this process exits. */
export async function spawnToxiproxy(file: string, env: NodeJS.ProcessEnv, options: SpawnOptions = {}): Promise<SpawnedToxiproxy> {
  const { signal, log } = options;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3 && !signal?.aborted; attempt++) {
    const port = await freePort();
    // its own process group: a terminal's Ctrl-C goes to holdup, which deletes its proxies and
    // then stops the server, rather than to the server in the middle of the run
    const child: ChildProcess = spawn(file, ['-host', '127.0.0.1', '-port', String(port)], {
      env: { ...env, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    const pid = child.pid;
    if (pid !== undefined) log?.addProcess(pid, file, port);
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    let exited: string | undefined;
    child.on('error', (error) => {
      exited = String(error);
    });
    child.on('exit', (code, killed) => {
      if (pid !== undefined) log?.removeProcess(pid);
      exited ??= `${file} exited (${killed ?? `code ${code}`})${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-1)[0]}` : ''}`;
    });
    // the backstop: a holdup that exits, even through process.exit, leaves no server behind
    const onExit = (): void => {
      child.kill('SIGKILL');
    };
    process.on('exit', onExit);
    const api = new ToxiproxyApi(`http://127.0.0.1:${port}`);
    try {
      const version = await waitForApi(api, 10_000, () => (signal?.aborted ? 'the run was interrupted' : exited));
      let stopping: Promise<void> | undefined;
      return {
        api,
        version,
        pid: child.pid ?? -1,
        stop: () => {
          stopping ??= new Promise<void>((resolve) => {
            process.off('exit', onExit);
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          });
          return stopping;
        },
      };
    } catch (error) {
      lastError = error;
      process.off('exit', onExit);
      child.kill('SIGKILL');
    }
  }
  if (signal?.aborted) throw new Error('the run was interrupted');
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
