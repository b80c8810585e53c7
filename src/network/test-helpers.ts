import { buildWithGo, findBinary, pidAlive, spawnToxiproxy, type SpawnedToxiproxy } from './process.js';
import { processStart } from './state.js';
import { PROXY_PREFIX, type ToxiproxyApi } from './toxiproxy.js';

/**
 * A real toxiproxy-server for tests: the one on PATH or in holdup's cache (`.ci/run` installs
 * it), else built with `go install` as holdup would. Fails loudly when neither works.
 */
export async function toxiproxyBinary(): Promise<string> {
  const found = await findBinary(process.env);
  if (found) return found.file;
  return buildWithGo(process.env, () => {});
}

/** A Toxiproxy server of the test's own, on a free loopback port. */
export async function startTestToxiproxy(): Promise<SpawnedToxiproxy> {
  return spawnToxiproxy(await toxiproxyBinary(), process.env);
}

/** Whether a process with this pid runs (a zombie, ended and not yet waited for by its parent, does not). */
export function alive(pid: number): boolean {
  const started = processStart(pid);
  return started === undefined ? pidAlive(pid) : started !== null;
}

/** Polls (up to `withinMs`) until no process runs with this pid: a SIGKILL is sent at once but takes effect a moment later. Whether it ended. */
export async function ended(pid: number, withinMs = 5_000): Promise<boolean> {
  for (const until = Date.now() + withinMs; alive(pid); ) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** The API address in a run's first lines (`… API http://127.0.0.1:PORT))`), however the line wrapped. */
export const API_LINE = /API\s+(http:\/\/127\.0\.0\.1:\d+)\)/;

/** The proxies holdup created on this Toxiproxy. */
export async function holdupProxies(api: ToxiproxyApi): Promise<string[]> {
  return (await api.proxyNames()).filter((name) => name.startsWith(PROXY_PREFIX));
}

/** Polls (up to 10 s) until Toxiproxy holds a holdup proxy: the run is in its network executions. Whether one appeared. */
export async function untilProxies(api: ToxiproxyApi): Promise<boolean> {
  for (let i = 0; i < 400; i++) {
    if ((await holdupProxies(api).catch(() => [])).length > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}
