/**
 * `holdup record` records its upstream and nothing else: requests that name another host through
 * the request target, `Host`, a `//host` path or a forwarded host are refused, never reach the
 * upstream, are not in the contract, and are listed. Sent on raw sockets, so they really are sent
 * that way (fetch and node:http would normalise them).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenLocal, recordInProject, writeConnectorProject } from './test-helpers.js';

/**
 * A connector whose operations each send one request, as written (`PROXY` and `UPSTREAM` stand for
 * the host and port of each), on a socket of its own, and file the answer in results.jsonl.
 */
function connector(name: string, requests: Record<string, string>): string {
  const upstreamHost = new URL(upstream.url).host;
  const heads = Object.fromEntries(Object.entries(requests).map(([operation, head]) => [operation, head.replaceAll('UPSTREAM', upstreamHost)]));
  return String.raw`
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const results = new URL('./results.jsonl', import.meta.url);

function send(baseUrl, name, head) {
  const proxy = new URL(baseUrl);
  const raw = head.replaceAll('PROXY', proxy.host) + '\r\nConnection: close\r\n\r\n';
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(proxy.port), proxy.hostname, () => socket.write(raw));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(answer.split(' ')[1]);
      appendFileSync(results, JSON.stringify({ name, status, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) }) + '\n');
      resolve(status);
    });
  });
}

const requests = ${JSON.stringify(heads)};

export default {
  name: ${JSON.stringify(name)},
  contract: 'contracts/smuggler.json',
  create: ({ baseUrl }) => ({ baseUrl }),
  operations: Object.fromEntries(Object.entries(requests).map(([name, head]) => [name, { kind: 'read', run: (c) => send(c.baseUrl, name, head) }])),
};
`;
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

let upstream: { url: string; close: () => Promise<void> };
const seen: Seen[] = [];
let project: string;

beforeAll(async () => {
  upstream = await listenLocal((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const body = JSON.stringify({ ok: true, path: req.url });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  project = await mkdtemp(path.join(tmpdir(), 'holdup-record-upstream-only-'));
  await writeConnectorProject(project, {
    smuggler: connector('smuggler', {
      legit: 'GET /v1/legit HTTP/1.1\r\nHost: PROXY',
      absoluteForeign: 'GET http://evil.example/smuggled/absolute HTTP/1.1\r\nHost: PROXY',
      foreignHost: 'GET /smuggled/host HTTP/1.1\r\nHost: evil.example',
      doubleSlash: 'GET //other-host/smuggled/double-slash HTTP/1.1\r\nHost: PROXY',
      forwardedHost: 'GET /smuggled/x-forwarded-host HTTP/1.1\r\nHost: PROXY\r\nX-Forwarded-Host: evil',
      forwarded: 'GET /smuggled/forwarded HTTP/1.1\r\nHost: PROXY\r\nForwarded: for=192.0.2.1;host=evil',
      absoluteRecorder: 'GET http://PROXY/v1/absolute-recorder HTTP/1.1\r\nHost: PROXY',
      upstreamHost: 'GET /v1/upstream-host HTTP/1.1\r\nHost: UPSTREAM',
      tunnel: 'CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443',
    }),
    stray: connector('stray', { elsewhere: 'GET http://evil.example/smuggled/stray HTTP/1.1\r\nHost: evil.example' }),
  });
});

afterAll(async () => {
  await upstream.close();
  await rm(project, { recursive: true, force: true });
});

function record(name: string, out: string) {
  return recordInProject(project, upstream.url, name, out);
}

describe('holdup record forwards and records requests for its upstream only', () => {
  it('refuses an absolute-URI target, a Host, a //host path, a forwarded host naming another host and a tunnel, and records the rest', async () => {
    const contract = path.join(project, 'contracts/smuggler.json');
    const { code, stdout, stderr } = await record('smuggler', contract);
    expect(stderr).toBe('');
    expect(code).toBe(0);

    // each smuggling request got a 4xx that says why; the legitimate ones got the upstream's answer
    const results = (await readFile(path.join(project, 'results.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; status: number; body: string });
    expect(Object.fromEntries(results.map((r) => [r.name, r.status]))).toEqual({
      legit: 200,
      absoluteForeign: 421,
      foreignHost: 421,
      doubleSlash: 421,
      forwardedHost: 421,
      forwarded: 421,
      absoluteRecorder: 200,
      upstreamHost: 200,
      tunnel: 405,
    });
    for (const result of results.filter((r) => r.status !== 200)) {
      expect(JSON.parse(result.body), result.name).toMatchObject({ error: 'refused by holdup record', reason: expect.any(String) });
    }

    // the upstream saw the first request holdup sends and the legitimate ones, nothing else
    expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual(['HEAD /', 'GET /v1/legit', 'GET /v1/absolute-recorder', 'GET /v1/upstream-host']);
    for (const request of seen) {
      expect(request.headers.host).toBe(new URL(upstream.url).host);
      expect(JSON.stringify(request.headers)).not.toMatch(/evil|other-host/);
    }

    // the contract holds the legitimate requests only
    const text = await readFile(contract, 'utf8');
    expect(text).not.toMatch(/smuggled|evil|other-host/);
    expect((JSON.parse(text) as { interactions: { description: string }[] }).interactions.map((i) => i.description)).toEqual([
      'legit: GET /v1/legit → 200',
      'absoluteRecorder: GET /v1/absolute-recorder → 200',
      'upstreamHost: GET /v1/upstream-host → 200',
    ]);

    // the summary lists every refused request, with its answer and why
    expect(stdout).toBe(
      'recording legit … 1 request\n' +
        'recording absoluteForeign … 0 requests, 1 refused\n' +
        'recording foreignHost … 0 requests, 1 refused\n' +
        'recording doubleSlash … 0 requests, 1 refused\n' +
        'recording forwardedHost … 0 requests, 1 refused\n' +
        'recording forwarded … 0 requests, 1 refused\n' +
        'recording absoluteRecorder … 1 request\n' +
        'recording upstreamHost … 1 request\n' +
        'recording tunnel … 0 requests, 1 refused\n' +
        'wrote <project>/contracts/smuggler.json: 3 interactions, 0 redacted values\n' +
        'refused 6 requests that named another host than the upstream or rewrote its target: answered with a 4xx, not forwarded, not in the contract\n' +
        '  absoluteForeign: GET http://evil.example/smuggled/absolute → 421, its target names http://evil.example, not the upstream\n' +
        '  foreignHost: GET /smuggled/host (Host: evil.example) → 421, its Host names evil.example\n' +
        '  doubleSlash: GET //other-host/smuggled/double-slash → 421, a path that starts with // names another host\n' +
        '  forwardedHost: GET /smuggled/x-forwarded-host (X-Forwarded-Host: evil) → 421, its X-Forwarded-Host names evil\n' +
        '  forwarded: GET /smuggled/forwarded (Forwarded: for=192.0.2.1;host=evil) → 421, its Forwarded host= names evil\n' +
        '  tunnel: CONNECT evil.example:443 → 405, a tunnel (CONNECT) to another host\n' +
        'next: point the `contract` of smuggler at it, then holdup run --connector smuggler\n',
    );
  });

  it('says so when every request was refused: nothing is written, and the refused requests are listed', async () => {
    const before = seen.length;
    const contract = path.join(project, 'contracts/stray.json');
    const { code, stdout, stderr } = await record('stray', contract);
    expect(stdout).toBe(
      'recording elsewhere … 0 requests, 1 refused\n' +
        'refused 1 request that named another host than the upstream or rewrote its target: answered with a 4xx, not forwarded, not in the contract\n' +
        '  elsewhere: GET http://evil.example/smuggled/stray → 421, its target names http://evil.example, not the upstream\n',
    );
    expect(stderr).toBe(
      '[holdup] RECORD_EMPTY <upstream>: no request reached the upstream: the operations of stray (elsewhere) sent nothing the recorder forwards (1 refused, listed above)\n' +
        '  next: check where the connector builds its URLs and headers: the recorder forwards only requests for the baseUrl it is given or the upstream (docs/record.md)\n',
    );
    expect(code).toBe(2);
    expect(seen.slice(before).map((request) => `${request.method} ${request.url}`)).toEqual(['HEAD /']);
    await expect(readFile(contract, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
