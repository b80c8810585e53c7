import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startNetworkEngine, type StartedEngine } from './engine.js';
import { runsDir } from './state.js';

let dir: string;
let api: Server;
let url: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'holdup-engine-'));
  // a shared Toxiproxy's API, as far as starting and stopping an engine asks it anything
  api = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(request.url === '/version' ? '{"version":"2.12.0"}' : '{}');
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterEach(async () => {
  if (api.listening) {
    api.closeAllConnections();
    await new Promise((resolve) => api.close(resolve));
  }
  await rm(dir, { recursive: true, force: true });
});

async function sharedEngine(said: string[]): Promise<StartedEngine> {
  const engine = await startNetworkEngine({ mode: 'url', env: { TOXIPROXY_URL: url, HOLDUP_STATE_DIR: dir }, runId: 'run-1', onProgress: (line) => said.push(line) });
  if (engine.kind !== 'toxiproxy') throw new Error(engine.reason);
  return engine;
}

describe('stopping an engine on a shared Toxiproxy (TOXIPROXY_URL)', () => {
  it('removes the run record once its proxies are deleted', async () => {
    const said: string[] = [];
    const engine = await sharedEngine(said);
    expect(await readdir(runsDir({ HOLDUP_STATE_DIR: dir }))).toEqual(['run-1']);
    await engine.stop();
    expect(await readdir(runsDir({ HOLDUP_STATE_DIR: dir }))).toEqual([]);
    expect(said).toEqual([]);
  });

  it('keeps the run record when its proxies could not be deleted, for the next run to retry, and says so in one line', async () => {
    const said: string[] = [];
    const engine = await sharedEngine(said);
    const folder = join(runsDir({ HOLDUP_STATE_DIR: dir }), 'run-1');
    const { proxies } = JSON.parse(await readFile(join(folder, 'state.json'), 'utf8')) as { proxies: Array<{ api: string; prefix: string }> };
    // the shared server stops answering before the run ends: its proxies may still be there
    api.closeAllConnections();
    await new Promise((resolve) => api.close(resolve));
    await engine.stop();
    expect(JSON.parse(await readFile(join(folder, 'state.json'), 'utf8'))).toMatchObject({ runId: 'run-1', processes: [], proxies });
    expect(said).toEqual([
      expect.stringMatching(
        new RegExp(`^could not delete this run's proxies \\(${proxies[0]?.prefix}…\\) from the Toxiproxy at ${url} \\(.+\\): they stay recorded in ${folder}, and the next holdup run deletes them$`),
      ),
    ]);
  });
});
