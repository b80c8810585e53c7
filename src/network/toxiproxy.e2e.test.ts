import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../contracts/load.js';
import type { Contract, FaultSchedule } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { startReplayServer, type ReplayServer } from '../replay/index.js';
import { startNetworkEngine, type StartedEngine } from './engine.js';
import { alive, startTestToxiproxy } from './test-helpers.js';
import type { ExecutionProxy } from './toxiproxy.js';
import type { SpawnedToxiproxy } from './process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CONTRACT = 'contracts/billing-app-billing-api.json';

let toxiproxy: SpawnedToxiproxy;
let engine: StartedEngine;
let contract: Contract;

beforeAll(async () => {
  toxiproxy = await startTestToxiproxy();
  const started = await startNetworkEngine({ mode: 'url', env: { TOXIPROXY_URL: toxiproxy.api.url } });
  if (started.kind === 'none') throw new Error(started.reason);
  engine = started;
  contract = await loadContract(`${root}${CONTRACT}`, CONTRACT);
});

afterAll(async () => {
  await engine?.stop();
  await toxiproxy?.stop();
});

/** A replay server for `schedule` behind its own proxy, wired as an execution wires them. */
async function execution(schedule: FaultSchedule): Promise<{ server: ReplayServer; proxy: ExecutionProxy; close(): Promise<void> }> {
  const wired: { proxy?: ExecutionProxy } = {};
  const server = await startReplayServer({
    contract,
    schedule,
    faults: FAULTS,
    keepAliveTimeoutMs: 60_000,
    toxics: {
      get active() {
        return wired.proxy?.toxics.active ?? false;
      },
      set: (wanted) => (wired.proxy as ExecutionProxy).toxics.set(wanted),
    },
  });
  const created = await engine.createProxy('test', server.url);
  wired.proxy = created;
  return {
    server,
    proxy: created,
    close: async () => {
      await created.remove();
      await server.close();
    },
  };
}

const step = (fault: string, params: Record<string, number>, request = 1) => ({ on: 'api' as const, request, fault, params });

/** GET /v1/invoices/in_1 with the contract's example token (the contract has a token endpoint). */
async function getInvoice(base: string, signal?: AbortSignal): Promise<{ status: number; body: string }> {
  const token = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=demo&client_secret=demo-secret',
    ...(signal ? { signal } : {}),
  });
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  const res = await fetch(`${base}/v1/invoices/in_1`, { headers: { authorization: `Bearer ${accessToken}` }, ...(signal ? { signal } : {}) });
  return { status: res.status, body: await res.text() };
}

describe('one Toxiproxy proxy per execution', () => {
  it('listens on 127.0.0.1, forwards to the replay server, and is gone once removed', async () => {
    const run = await execution({ steps: [] });
    expect(run.proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.proxy.url).not.toBe(run.server.url);
    const { status, body } = await getInvoice(run.proxy.url);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ id: 'in_1' });
    expect(await engine.api.proxyNames()).toContain(run.proxy.name);
    await run.close();
    expect(await engine.api.proxyNames()).not.toContain(run.proxy.name);
  });

  it('limit_data cuts the scheduled response part-way through its body, and the next response is whole', async () => {
    const run = await execution({ steps: [step('network-faults/limit-data', { keep: 0.5 })] });
    try {
      await expect(getInvoice(run.proxy.url)).rejects.toThrow(/terminated/);
      const [entry] = run.server.handler.trace.filter((e) => e.stream === 'api');
      expect(entry?.network).toMatch(/^limit_data \(bytes=\d+ of the body\)$/);
      // the second API request has no step: the toxic is removed before its response is written
      const again = await getInvoice(run.proxy.url);
      expect(again.status).toBe(200);
      expect(JSON.parse(again.body)).toMatchObject({ id: 'in_1' });
    } finally {
      await run.close();
    }
  });

  it('limit_data lets through exactly the headers and the scheduled share of the body', async () => {
    const run = await execution({ steps: [step('network-faults/limit-data', { keep: 0.5 })] });
    try {
      const token = await fetch(`${run.proxy.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=demo&client_secret=demo-secret',
      });
      const { access_token: accessToken } = (await token.json()) as { access_token: string };
      const received = await new Promise<{ declared: number; body: number }>((resolve, reject) => {
        const req = get(`${run.proxy.url}/v1/invoices/in_1`, { headers: { authorization: `Bearer ${accessToken}`, connection: 'close' } }, (res) => {
          let body = 0;
          res.on('data', (chunk: Buffer) => (body += chunk.length));
          res.on('error', () => resolve({ declared: Number(res.headers['content-length']), body }));
          res.on('aborted', () => resolve({ declared: Number(res.headers['content-length']), body }));
          res.on('end', () => resolve({ declared: Number(res.headers['content-length']), body }));
        });
        req.on('error', reject);
      });
      const sent = run.server.handler.trace.find((e) => e.stream === 'api')?.response?.body ?? '';
      expect(received.declared).toBe(Buffer.byteLength(sent));
      expect(received.body).toBe(Math.floor(Buffer.byteLength(sent) * 0.5));
    } finally {
      await run.close();
    }
  });

  it('reset_peer resets the connection of the scheduled response only', async () => {
    const run = await execution({ steps: [step('network-faults/reset-peer', { timeoutMs: 0 })] });
    try {
      await expect(getInvoice(run.proxy.url)).rejects.toThrow(/fetch failed/);
      expect((await getInvoice(run.proxy.url)).status).toBe(200);
    } finally {
      await run.close();
    }
  });

  it('a black hole holds every response, past the replay server keep-alive, until the execution ends', async () => {
    const run = await execution({ steps: [{ on: 'token', request: 1, fault: 'latency-timeout/black-hole', params: {}, onwards: true }] });
    try {
      // generous: the point is that nothing comes back, not how fast the abort fires
      await expect(getInvoice(run.proxy.url, AbortSignal.timeout(1_500))).rejects.toThrow(/aborted|timeout/i);
      expect(run.server.handler.trace.map((e) => e.stream)).toEqual(['token']);
      expect(run.proxy.toxics.active).toBe(true);
    } finally {
      await run.close();
    }
    expect(await engine.api.proxyNames()).not.toContain(run.proxy.name);
  });

  it("stopping the engine deletes every proxy it created and leaves other proxies alone", async () => {
    const other = await engine.api.createProxy('not-holdup-owned', '127.0.0.1:9');
    const mine = await startNetworkEngine({ mode: 'url', env: { TOXIPROXY_URL: toxiproxy.api.url } });
    if (mine.kind === 'none') throw new Error(mine.reason);
    const a = await mine.createProxy('a', 'http://127.0.0.1:9');
    const b = await mine.createProxy('b', 'http://127.0.0.1:9');
    await mine.stop();
    const names = await engine.api.proxyNames();
    expect(names).not.toContain(a.name);
    expect(names).not.toContain(b.name);
    expect(names).toContain(other.name);
    await other.remove();
  });
});

describe('the process engine', () => {
  it('spawns toxiproxy-server on a free loopback port and stops it', async () => {
    const started = await startNetworkEngine({ mode: 'process' });
    if (started.kind === 'none') throw new Error(started.reason);
    const pid = Number(/pid (\d+)/.exec(started.source)?.[1]);
    expect(started.source).toMatch(/^process \S+toxiproxy-server .*API http:\/\/127\.0\.0\.1:\d+\)$/);
    expect(started.version).toBe('2.12.0');
    expect(alive(pid)).toBe(true);
    await started.stop();
    expect(alive(pid)).toBe(false);
  });
});
