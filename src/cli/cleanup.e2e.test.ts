import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_PREFIX, ToxiproxyApi } from '../network/index.js';
import type { SpawnedToxiproxy } from '../network/process.js';
import { alive, API_LINE, holdupProxies, startTestToxiproxy, toxiproxyBinary, untilProxies } from '../network/test-helpers.js';
import { holdupProcess, interrupt, listenLocal, reportOf, type RunOptions } from './test-helpers.js';

/** A state folder of the test's own (HOLDUP_STATE_DIR): what runs record, and what the next run reaps. */
async function stateFolder(): Promise<{ env: NodeJS.ProcessEnv; runs: () => Promise<string[]>; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'holdup-state-'));
  return {
    env: { HOLDUP_STATE_DIR: dir },
    runs: () => readdir(path.join(dir, 'runs')).catch(() => []),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** SIGKILL to holdup alone (no Ctrl-C, nothing it can answer) once `api` holds one of its proxies. */
function killOnceProxies(api: (stdout: string) => ToxiproxyApi): Pick<RunOptions, 'whenRunning'> {
  return {
    whenRunning: (child, stdout) => {
      void untilProxies(api(stdout)).then(() => child.kill('SIGKILL'));
    },
  };
}

/** The line a run prints when it cleaned up after a killed one, joined if it was wrapped. */
function reapedLine(stdout: string): string | undefined {
  return /^holdup cleaned up after a killed run .*(?:\n {2}.*)*/m.exec(stdout)?.[0].replace(/\n {2}/g, ' ');
}

describe('with TOXIPROXY_URL, Toxiproxy lists no proxy holdup created after', () => {
  let shared: SpawnedToxiproxy;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    shared = await startTestToxiproxy();
    env = { TOXIPROXY_URL: shared.api.url };
  });
  afterAll(async () => {
    await shared?.stop();
  });

  it('a passing run', async () => {
    const run = await holdupProcess(['--connector', 'billing-robust', '--scenario', 'network-faults/reset-peer-once'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = await reportOf(run);
    expect(report.networkEngine).toMatchObject({ kind: 'toxiproxy', source: `TOXIPROXY_URL ${shared.api.url}` });
    expect(await holdupProxies(shared.api)).toEqual([]);
  });

  it('a run whose checks fail', async () => {
    const run = await holdupProcess(['--connector', 'billing-naive', '--scenario', 'network-faults/reset-peer-once'], env);
    const category = (await reportOf(run)).connectors[0]?.categories.find((c) => c.id === 'network-faults');
    expect(category?.status).toBe('fail');
    expect(category?.findings.map((f) => f.code)).toEqual(['HU-RC-001', 'HU-RC-001']);
    expect(await holdupProxies(shared.api)).toEqual([]);
  });

  it('a connector that hangs (no timeout, a black hole): caught within its deadline', async () => {
    const run = await holdupProcess(['--connector', 'billing-naive', '--scenario', 'latency-timeout/black-hole', '--operation', 'getInvoice'], env);
    expect(run.code).toBe(1);
    const report = await reportOf(run);
    const category = report.connectors[0]?.categories.find((c) => c.id === 'latency-timeout');
    expect(category?.status).toBe('fail');
    expect(category?.findings.map((f) => f.code)).toEqual(['HU-DL-001']);
    expect(await holdupProxies(shared.api)).toEqual([]);
  });

  it('a holdup killed outright (SIGKILL): the next run deletes the proxies it left, and its state folder', async () => {
    const state = await stateFolder();
    try {
      const killed = await holdupProcess(['--connector', 'billing-naive', '--scenario', 'latency-timeout/black-hole'], { ...env, ...state.env }, {
        ready: (stdout) => stdout.includes('billing-naive  contracts/'),
        ...killOnceProxies(() => shared.api),
      });
      expect(killed.code).toBeNull(); // killed: no exit code, no report, nothing cleaned up
      const left = await holdupProxies(shared.api);
      expect(left.length).toBeGreaterThan(0);
      const [runId, ...others] = await state.runs();
      expect(others).toEqual([]);

      const next = await holdupProcess(['--connector', 'billing-robust', '--scenario', 'network-faults/reset-peer-once'], { ...env, ...state.env });
      expect(next.code).toBe(0);
      expect(reapedLine(next.stdout)).toBe(`holdup cleaned up after a killed run (${runId}): deleted ${left.length} ${left.length === 1 ? 'proxy' : 'proxies'}`);
      expect(await holdupProxies(shared.api)).toEqual([]);
      expect(await state.runs()).toEqual([]);
    } finally {
      await state.remove();
    }
  });

  it('a SIGINT in the middle of a network execution', async () => {
    const run = await holdupProcess(['--connector', 'billing-naive', '--scenario', 'latency-timeout/black-hole'], env, {
      ready: (stdout) => stdout.includes('billing-naive  contracts/'),
      whenRunning: (child) => {
        void untilProxies(shared.api).then(() => interrupt(child));
      },
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('[holdup] INTERRUPTED the run was interrupted; the report holds what finished and is marked interrupted');
    expect(await reportOf(run)).toMatchObject({ complete: false, interrupted: true });
    expect(await holdupProxies(shared.api)).toEqual([]);
  });

  it('a second signal while holdup is still stopping (the SIGTERM a cancelled CI job sends after its SIGINT): the report so far is written, exit 130', async () => {
    // the shared Toxiproxy, behind a front whose DELETE never answers: stopping takes holdup long
    const front = await listenLocal((request, response) => {
      if (request.method === 'DELETE') return;
      const upstream = httpRequest(new URL(request.url ?? '/', shared.api.url), { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(upstream);
    });
    const state = await stateFolder();
    try {
      const run = await holdupProcess(['--connector', 'billing-naive', '--scenario', 'latency-timeout/black-hole'], { TOXIPROXY_URL: front.url, ...state.env }, {
        ready: (stdout) => stdout.includes('billing-naive  contracts/'),
        whenRunning: (child) => {
          child.stderr?.on('data', (chunk: string) => {
            if (chunk.includes('[holdup] stopping:')) child.kill('SIGTERM');
          });
          void untilProxies(shared.api).then(() => interrupt(child));
        },
      });
      expect(run.code).toBe(130);
      expect(run.stderr).toContain('[holdup] INTERRUPTED the run was interrupted; the report holds what finished and is marked interrupted');
      expect(await reportOf(run)).toMatchObject({ complete: false, interrupted: true, incompleteReason: 'the run was interrupted while running the executions' });
      // its proxies could not be deleted in time: recorded, for the next run
      expect(await state.runs()).toHaveLength(1);
    } finally {
      await front.close();
      await state.remove();
      await shared.api.removeProxies(PROXY_PREFIX);
    }
  });
});

describe('a toxiproxy-server holdup spawned itself is gone after', () => {
  let dir: string;
  let pidFile: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    // a toxiproxy-server on PATH that records its pid, then becomes the real one
    dir = await mkdtemp(path.join(tmpdir(), 'holdup-spawn-'));
    pidFile = path.join(dir, 'pids');
    const wrapper = path.join(dir, 'toxiproxy-server');
    await writeFile(wrapper, `#!/bin/sh\necho $$ >> '${pidFile}'\nexec '${await toxiproxyBinary()}' "$@"\n`);
    await chmod(wrapper, 0o755);
    env = { PATH: `${dir}${path.delimiter}${process.env['PATH'] ?? ''}`, TOXIPROXY_URL: '' };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const pids = async (): Promise<number[]> => (await readFile(pidFile, 'utf8')).trim().split('\n').map(Number);

  it('a passing run', async () => {
    const run = await holdupProcess(['--connector', 'billing-robust', '--scenario', 'network-faults/reset-peer-once'], env);
    expect(run.code).toBe(0);
    const engine = (await reportOf(run)).networkEngine;
    expect(engine.kind === 'toxiproxy' && engine.source).toContain(`process ${dir}/toxiproxy-server (PATH; pid `);
    const [pid] = await pids();
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid as number)).toBe(false);
  });

  it('a holdup killed outright (SIGKILL): the next run stops the server it left (and so its proxies), and removes its state folder', async () => {
    await rm(pidFile, { force: true });
    const state = await stateFolder();
    try {
      let api: ToxiproxyApi | undefined;
      const killed = await holdupProcess(['--connector', 'billing-naive', '--scenario', 'latency-timeout/black-hole'], { ...env, ...state.env }, {
        ready: (stdout) => API_LINE.test(stdout),
        ...killOnceProxies((stdout) => (api = new ToxiproxyApi(API_LINE.exec(stdout)?.[1] as string))),
      });
      expect(killed.code).toBeNull();
      const [pid] = await pids();
      // the server outlived holdup, with its proxies: nothing but the record says whose it is
      expect(alive(pid as number)).toBe(true);
      expect((await holdupProxies(api as ToxiproxyApi)).length).toBeGreaterThan(0);
      const [runId, ...others] = await state.runs();
      expect(others).toEqual([]);

      const next = await holdupProcess(['--connector', 'billing-robust', '--scenario', 'network-faults/reset-peer-once'], { ...env, ...state.env });
      expect(next.code).toBe(0);
      expect(reapedLine(next.stdout)).toMatch(new RegExp(`^holdup cleaned up after a killed run \\(${runId}\\): stopped toxiproxy-server \\(pid ${pid}, port \\d+\\)$`));
      expect(alive(pid as number)).toBe(false);
      await expect((api as ToxiproxyApi).proxyNames()).rejects.toThrow();
      expect(await state.runs()).toEqual([]);
    } finally {
      await state.remove();
    }
  });

  it('a SIGINT in the middle of a network execution', async () => {
    await rm(pidFile, { force: true });
    const run = await holdupProcess(['--connector', 'billing-naive', '--scenario', 'latency-timeout/black-hole'], env, {
      ready: (stdout) => API_LINE.test(stdout),
      whenRunning: (child, stdout) => {
        const api = new ToxiproxyApi(API_LINE.exec(stdout)?.[1] as string);
        void untilProxies(api).then(() => interrupt(child));
      },
    });
    expect(run.code).toBe(130);
    // the spawned server is in a process group of its own: holdup stopped it, after its proxies
    expect(run.stderr).toContain('[holdup] INTERRUPTED the run was interrupted; the report holds what finished and is marked interrupted');
    const [pid] = await pids();
    expect(alive(pid as number)).toBe(false);
  });
});
