/**
 * Replay-server throughput against a raw node:http server and the Pact mock server, all
 * returning the same canned JSON, with load from a separate process (autocannon), side by side
 * in one run. Prints requests/s, p99 and the ratios the design targets:
 *   replay(50 interactions) ≥ 70 % of raw node:http;  replay(50) ≥ 90 % of replay(1).
 *
 *   npm run bench                 # 5 s per measurement
 *   BENCH_SECONDS=2 npm run bench
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PactV4 } from '@pact-foundation/pact';
import type { Contract, Interaction } from '../src/core/index.js';
import { FAULTS } from '../src/faults/index.js';
import { startReplayServer } from '../src/replay/index.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = [10, 100];
const BODY = { id: 'in_25', object: 'invoice', customer: 'cus_1', amount_due: 1200, currency: 'usd', status: 'open' };
const BODY_TEXT = JSON.stringify(BODY);
const TARGET = 25;
const autocannon = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

interface Result {
  server: string;
  interactions: number;
  connections: number;
  rps: number;
  p99: number;
}

function load(url: string, connections: number): Promise<{ rps: number; p99: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [autocannon, '-j', '-c', String(connections), '-d', String(SECONDS), url],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error) return reject(error);
        const out = JSON.parse(stdout) as { requests: { average: number }; latency: { p99: number }; non2xx: number };
        if (out.non2xx > 0) return reject(new Error(`${url}: ${out.non2xx} non-2xx responses`));
        resolve({ rps: out.requests.average, p99: out.latency.p99 });
      },
    );
  });
}

function contractOf(n: number): Contract {
  const interactions: Interaction[] = Array.from({ length: n }, (_, i) => ({
    index: i,
    description: `item ${i + 1}`,
    providerStates: [],
    request: { method: 'GET', path: `/v1/items/${i + 1}`, query: {}, headers: {}, rules: { body: {}, header: {}, query: {} } },
    response: {
      status: 200,
      headers: { 'content-type': ['application/json'] },
      body: { contentType: 'application/json', json: BODY },
      rules: { body: {}, header: {}, query: {} },
    },
  }));
  return { file: 'bench', consumer: 'bench-consumer', provider: 'bench-provider', specVersion: '4.0', interactions };
}

const target = (n: number) => `/v1/items/${Math.min(n, TARGET)}`;

async function measure(server: string, interactions: number, baseUrl: string, results: Result[]): Promise<void> {
  for (const connections of CONNECTIONS) {
    const { rps, p99 } = await load(`${baseUrl}${target(interactions)}`, connections);
    results.push({ server, interactions, connections, rps, p99 });
    process.stderr.write(`  ${server} ${interactions} × c=${connections}: ${Math.round(rps)} req/s\n`);
  }
}

async function raw(results: Result[]): Promise<void> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(BODY_TEXT);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await measure('node:http', 1, `http://127.0.0.1:${port}`, results);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

async function replay(n: number, results: Result[]): Promise<void> {
  const server = await startReplayServer({ contract: contractOf(n), faults: FAULTS });
  try {
    await measure('holdup replay', n, server.url, results);
  } finally {
    await server.close();
  }
}

async function pactMock(n: number, results: Result[]): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'holdup-bench-pact-'));
  try {
    const pact = new PactV4({ consumer: 'bench-consumer', provider: 'bench-provider', dir, logLevel: 'error' });
    let last;
    for (let i = 1; i <= n; i++) {
      last = pact
        .addInteraction()
        .uponReceiving(`item ${i}`)
        .withRequest('GET', `/v1/items/${i}`)
        .willRespondWith(200, (builder) => builder.jsonBody(BODY));
    }
    // the mock server fails the test afterwards because most interactions were never called: expected here
    await last!
      .executeTest(async (mock) => {
        await measure('Pact mock server', n, mock.url, results);
      })
      .catch((error: unknown) => {
        if (!results.some((r) => r.server === 'Pact mock server' && r.interactions === n)) throw error;
      });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
process.stderr.write(`measuring, ${SECONDS} s per line, load from a separate autocannon process…\n`);
await raw(results);
await replay(1, results);
await replay(50, results);
await pactMock(1, results);
await pactMock(50, results);

const rawAt = (c: number) => results.find((r) => r.server === 'node:http' && r.connections === c)!.rps;
const lines = [
  `${'server'.padEnd(18)} ${'interactions'.padStart(12)} ${'conns'.padStart(6)} ${'req/s'.padStart(9)} ${'p99 ms'.padStart(7)} ${'vs raw'.padStart(7)}`,
  ...results.map(
    (r) =>
      `${r.server.padEnd(18)} ${String(r.interactions).padStart(12)} ${String(r.connections).padStart(6)} ${Math.round(r.rps)
        .toString()
        .padStart(9)} ${String(r.p99).padStart(7)} ${(r.rps / rawAt(r.connections)).toFixed(2).padStart(7)}`,
  ),
  '',
];
for (const c of CONNECTIONS) {
  const r50 = results.find((r) => r.server === 'holdup replay' && r.interactions === 50 && r.connections === c)!.rps;
  const r1 = results.find((r) => r.server === 'holdup replay' && r.interactions === 1 && r.connections === c)!.rps;
  const vsRaw = r50 / rawAt(c);
  const vsOne = r50 / r1;
  lines.push(`c=${c}: replay(50)/raw = ${vsRaw.toFixed(2)} (target ≥ 0.70: ${vsRaw >= 0.7 ? 'PASS' : 'MISS'}); replay(50)/replay(1) = ${vsOne.toFixed(2)} (target ≥ 0.90: ${vsOne >= 0.9 ? 'PASS' : 'MISS'})`);
}
process.stdout.write(`${lines.join('\n')}\n`);
