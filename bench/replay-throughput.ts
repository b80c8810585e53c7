/**
 * Replay-server throughput benchmark (README.md, "Performance").
 *
 * Measures req/s and p99 latency of three servers answering the same canned JSON:
 *   1. a raw `node:http` server,
 *   2. holdup's replay server with 1 and 50 interactions,
 *   3. the Pact V4 mock server with 1 and 50 interactions,
 * and holdup's replay server with 50 interactions matched by path regexes (every request is
 * tried against every pattern: the regex engine's worst case), on RE2 (what holdup uses) and on
 * V8's backtracking RegExp, side by side,
 * at 10 and 100 connections, with load from a separate process (autocannon CLI, `-j`),
 * all on 127.0.0.1, in one run so that the ratios are same-run ratios.
 *
 *   npx tsx bench/replay-throughput.ts        (BENCH_SECONDS=5 by default)
 *   BENCH_SECONDS=2 BENCH_WARMUP_SECONDS=1 npx tsx bench/replay-throughput.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PactV4 } from '@pact-foundation/pact';
import type { Contract, Interaction } from '../src/core/contract.js';
import { useRegexEngine } from '../src/contracts/regex.js';
import { FAULTS } from '../src/faults/index.js';
import { startReplayServer } from '../src/replay/index.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 1);
const CONNECTIONS = [10, 100];
const COUNTS = [1, 50];
/** The interaction the load targets (1-based), clamped to the count loaded. */
const TARGET = 25;

const BODY = {
  id: 'item_25',
  name: 'Widget',
  price: { amount: 1999, currency: 'EUR' },
  tags: ['blue', 'small'],
  available: true,
};
const BODY_TEXT = JSON.stringify(BODY);
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

interface LoadResult {
  rps: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

interface Row extends LoadResult {
  server: string;
  kind: 'raw' | 'replay' | 'regex' | 'pact';
  interactions: number | '-';
  connections: number;
  note?: string;
}

const targetPath = (count: number): string => `/v1/items/${Math.min(TARGET, count)}`;

/** Runs autocannon in a child process against `url` and parses its `-j` output. */
function autocannon(url: string, connections: number, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AUTOCANNON, '-j', '-c', String(connections), '-d', String(seconds), url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const r = JSON.parse(out) as {
          requests: { average: number; total: number };
          latency: { p99: number };
          non2xx: number;
          errors: number;
          timeouts: number;
        };
        resolve({
          rps: r.requests.average,
          p99: r.latency.p99,
          requests: r.requests.total,
          non2xx: r.non2xx,
          errors: r.errors + r.timeouts,
        });
      } catch (e) {
        reject(new Error(`autocannon exited ${code}: ${err.slice(-500)} ${String(e)}`));
      }
    });
  });
}

/** Warm-up (JIT, sockets) then the measured run. */
async function measure(url: string, connections: number): Promise<LoadResult> {
  if (WARMUP_SECONDS > 0) await autocannon(url, connections, WARMUP_SECONDS);
  return autocannon(url, connections, SECONDS);
}

// ---------------------------------------------------------------------------------------------
// 1. raw node:http

async function startRaw(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(BODY_TEXT);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// 2. holdup's replay server

function syntheticContract(count: number): Contract {
  const emptyRules = () => ({ body: {}, header: {}, query: {} });
  const interactions: Interaction[] = [];
  for (let n = 1; n <= count; n++) {
    interactions.push({
      index: n - 1,
      description: `get item ${n}`,
      providerStates: [],
      request: { method: 'GET', path: `/v1/items/${n}`, query: {}, headers: {}, rules: emptyRules() },
      response: {
        status: 200,
        headers: { 'content-type': ['application/json'] },
        body: { contentType: 'application/json', json: BODY },
        rules: emptyRules(),
      },
    });
  }
  return { file: `bench-synthetic-${count}.json`, consumer: 'bench-consumer', provider: 'bench-provider', specVersion: '4.0', interactions };
}

/** `count` interactions whose paths are matched by regex rules only: no exact-path index applies. */
function regexContract(count: number): Contract {
  const contract = syntheticContract(count);
  for (const interaction of contract.interactions) {
    interaction.request.rules.path = { combine: 'AND', matchers: [{ match: 'regex', regex: `^/v1/items/${interaction.index + 1}$` }] };
  }
  return { ...contract, file: `bench-regex-${count}.json` };
}

// ---------------------------------------------------------------------------------------------
// 3. Pact V4 mock server

async function runPact(count: number, dir: string, body: (url: string) => Promise<void>): Promise<string | undefined> {
  const pact = new PactV4({ consumer: `bench-consumer-${count}`, provider: `bench-provider-${count}`, dir, logLevel: 'error' });
  let last: ReturnType<ReturnType<ReturnType<PactV4['addInteraction']>['withRequest']>['willRespondWith']> | undefined;
  for (let n = 1; n <= count; n++) {
    last = pact
      .addInteraction()
      .uponReceiving(`get item ${n}`)
      .withRequest('GET', `/v1/items/${n}`)
      .willRespondWith(200, (b) => b.jsonBody(BODY));
  }
  try {
    await last!.executeTest(async (mockServer) => body(mockServer.url));
    return undefined;
  } catch (e) {
    // Expected when count > 1: the other interactions were never called, so verification fails.
    const message = e instanceof Error ? e.message : String(e);
    return message.split('\n')[0]?.slice(0, 120);
  }
}

// ---------------------------------------------------------------------------------------------

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const log = (msg: string): void => void process.stderr.write(`${msg}\n`);
  log(`holdup replay-throughput bench: ${SECONDS}s per run (+${WARMUP_SECONDS}s warm-up), connections ${CONNECTIONS.join('/')}, node ${process.version}`);

  // Order per connection level: raw, replay(1), replay(50), so the ratios compare neighbours.
  for (const connections of CONNECTIONS) {
    {
      const raw = await startRaw();
      const r = await measure(`${raw.url}${targetPath(50)}`, connections);
      await raw.close();
      rows.push({ server: 'node:http (raw)', kind: 'raw', interactions: '-', connections, ...r });
      log(`  raw          c=${connections}: ${fmt(r.rps)} req/s`);
    }
    for (const count of COUNTS) {
      // A fresh server per run: its trace (one entry per request) only grows.
      const server = await startReplayServer({ contract: syntheticContract(count), faults: FAULTS, schedule: { steps: [] }, loopAfter: Infinity });
      const r = await measure(`${server.url}${targetPath(count)}`, connections);
      const traced = server.handler.trace.length;
      const matched = server.handler.trace.filter((e) => e.interaction !== undefined).length;
      const rssMb = process.memoryUsage().rss / 2 ** 20;
      await server.close();
      rows.push({
        server: 'holdup replay',
        kind: 'replay',
        interactions: count,
        connections,
        ...r,
        note: `trace ${fmt(traced)} entries (${fmt(matched)} matched), rss ${fmt(rssMb)} MB`,
      });
      log(`  replay(${count})`.padEnd(15) + `c=${connections}: ${fmt(r.rps)} req/s, ${rows.at(-1)!.note}`);
    }
    const count = Math.max(...COUNTS);
    for (const engine of ['re2', 'native'] as const) {
      useRegexEngine(engine);
      const server = await startReplayServer({ contract: regexContract(count), faults: FAULTS, schedule: { steps: [] }, loopAfter: Infinity });
      const r = await measure(`${server.url}${targetPath(count)}`, connections);
      await server.close();
      const name = engine === 're2' ? 'replay, regex paths (RE2)' : 'replay, regex paths (RegExp)';
      rows.push({ server: name, kind: 'regex', interactions: count, connections, ...r });
      log(`  ${name}`.padEnd(15) + ` c=${connections}: ${fmt(r.rps)} req/s`);
    }
    useRegexEngine('re2');
  }

  const dir = mkdtempSync(join(tmpdir(), 'holdup-bench-pact-'));
  try {
    for (const count of COUNTS) {
      for (const connections of CONNECTIONS) {
        let result: LoadResult | undefined;
        const verifyError = await runPact(count, dir, async (url) => {
          result = await measure(`${url}${targetPath(count)}`, connections);
        });
        if (result === undefined) throw new Error(`pact(${count}) produced no result: ${verifyError ?? ''}`);
        rows.push({
          server: 'pact mock (V4)',
          kind: 'pact',
          interactions: count,
          connections,
          ...result,
          ...(verifyError === undefined ? {} : { note: `verification error ignored: ${verifyError}` }),
        });
        log(`  pact(${count})`.padEnd(15) + `c=${connections}: ${fmt(result.rps)} req/s${verifyError ? ' (verification error ignored)' : ''}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // ---- table
  const rawAt = (c: number): number => rows.find((r) => r.kind === 'raw' && r.connections === c)!.rps;
  const header = ['server', 'interactions', 'connections', 'req/s', 'p99 ms', 'vs raw', 'non-2xx', 'errors'];
  const body = rows.map((r) => [
    r.server,
    String(r.interactions),
    String(r.connections),
    fmt(r.rps),
    fmt(r.p99, 2),
    `${fmt((100 * r.rps) / rawAt(r.connections), 1)} %`,
    fmt(r.non2xx),
    fmt(r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  console.log('');
  console.log(`Replay throughput (${SECONDS}s per run, autocannon in a separate process, 127.0.0.1, node ${process.version})`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const cells of body) console.log(line(cells));

  const notes = rows.filter((r) => r.note !== undefined);
  if (notes.length > 0) {
    console.log('');
    for (const r of notes) console.log(`note: ${r.server} (${r.interactions}, c=${r.connections}): ${r.note}`);
  }

  // ---- targets
  const rps = (kind: Row['kind'], count: number, c: number): number =>
    rows.find((r) => r.kind === kind && r.interactions === count && r.connections === c)!.rps;
  console.log('');
  console.log('Targets (README.md "Performance"):');
  for (const c of CONNECTIONS) {
    const a = rps('replay', 50, c) / rawAt(c);
    const b = rps('replay', 50, c) / rps('replay', 1, c);
    console.log(`  c=${String(c).padStart(3)}  replay(50)/raw       = ${a.toFixed(3)}  (>= 0.70)  ${a >= 0.7 ? 'PASS' : 'MISS'}`);
    console.log(`  c=${String(c).padStart(3)}  replay(50)/replay(1) = ${b.toFixed(3)}  (>= 0.90)  ${b >= 0.9 ? 'PASS' : 'MISS'}`);
  }
  const bad = rows.filter((r) => r.non2xx > 0 || r.errors > 0);
  for (const c of CONNECTIONS) {
    const at = (server: string): number => rows.find((r) => r.server === server && r.connections === c)!.rps;
    const ratio = at('replay, regex paths (RE2)') / at('replay, regex paths (RegExp)');
    console.log(`  c=${String(c).padStart(3)}  regex paths: RE2/RegExp = ${ratio.toFixed(3)}  (the price of matching that cannot stall)`);
  }
  if (bad.length > 0) console.log(`\nWARNING: non-2xx responses or errors in ${bad.length} run(s): see the table.`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
