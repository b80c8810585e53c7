import { buildWithGo, findBinary, spawnToxiproxy, type SpawnedToxiproxy } from './process.js';

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

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
