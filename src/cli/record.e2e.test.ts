import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBillingUpstream, type BillingUpstreamWithIssued } from '../../fixtures/upstream/billing-upstream.js';
import { Verifier as PactVerifier, setLogLevel } from '@pact-foundation/pact-core';
import { prepareRun } from '../config/index.js';
import { FAULTS } from '../faults/index.js';
import { startReplayServer } from '../replay/index.js';
import { loadContract } from '../contracts/load.js';
import { FakeOut } from '../report/test-helpers.js';
import { runPlan } from '../run/index.js';
import { main } from './main.js';
import { root } from './test-helpers.js';

let upstream: BillingUpstreamWithIssued;
let dir: string;

beforeAll(async () => {
  upstream = await startBillingUpstream();
  dir = await mkdtemp(path.join(tmpdir(), 'holdup-record-'));
});

afterAll(async () => {
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

async function record(...args: string[]) {
  const out = new FakeOut();
  const err = new FakeOut();
  const code = await main(['record', ...args], { out, err, cwd: root });
  const clean = (text: string) => text.split(dir).join('<tmp>').split(upstream.url).join('<upstream>');
  return { code, stdout: clean(out.text), stderr: clean(err.text) };
}

async function filesUnder(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

describe('holdup record', () => {
  it('records the connector through a real upstream into a contract without secrets that all three fixture connectors pass', async () => {
    const project = path.join(dir, 'project');
    const contract = path.join(project, 'contracts/billing-app-billing-api.json');
    const { code, stdout, stderr } = await record('--upstream', upstream.url, '--connector', 'billing-robust', '--out', contract);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      'recording listInvoices … 3 requests\n' +
        'recording getInvoice … 2 requests\n' +
        'recording createInvoice … 2 requests\n' +
        'wrote <tmp>/project/contracts/billing-app-billing-api.json: 5 interactions, 7 redacted values (2 repeated requests left out)\n' +
        'next: point the `contract` of billing-robust at it, then holdup run --connector billing-robust\n',
    );
    expect(code).toBe(0);

    const loaded = await loadContract(contract, 'contracts/billing-app-billing-api.json');
    expect(loaded.consumer).toBe('billing-robust');
    expect(loaded.provider).toBe('127.0.0.1');
    expect(loaded.interactions.map((i) => i.description)).toEqual([
      'listInvoices: POST /oauth/token (grant_type=client_credentials) → 200',
      'listInvoices: GET /v1/invoices?customer=cus_1&limit=2 → 200',
      'listInvoices: GET /v1/invoices?customer=cus_1&limit=2&starting_after=cur_2 → 200',
      'getInvoice: GET /v1/invoices/in_1 → 200',
      'createInvoice: POST /v1/invoices → 201',
    ]);

    // no secret the test used or the upstream issued is in any file written
    const secrets = ['demo-secret', ...upstream.issued.flatMap((pair) => [pair.accessToken, pair.refreshToken])];
    expect(upstream.issued).toHaveLength(3);
    const written = await filesUnder(dir);
    expect(written.map((file) => path.relative(dir, file)).filter((file) => file.startsWith('project/'))).toEqual(['project/contracts/billing-app-billing-api.json']);
    for (const file of written) {
      const text = await readFile(file, 'utf8');
      for (const secret of secrets) expect(text, `${secret} in ${file}`).not.toContain(secret);
    }

    // the recording drives the replay server: the control executions of every fixture connector pass
    await mkdir(path.join(project, 'connectors'));
    for (const name of ['billing-robust', 'billing-ky', 'billing-naive']) {
      const fixture = path.join(root, 'fixtures/connectors', `${name}.connector.ts`);
      await writeFile(path.join(project, 'connectors', `${name}.connector.ts`), `export { default } from ${JSON.stringify(fixture)};\n`);
    }
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ type: 'module', holdup: { connectors: ['connectors/*.connector.ts'] } }));
    const { plan } = await prepareRun({ cwd: project, scenarios: ['silent-failure/error-body'], seed: 1, networkEngine: 'none' });
    const report = await runPlan(plan);
    expect(report.connectors.map((c) => ({ name: c.name, valid: c.valid, invalidReason: c.invalidReason }))).toEqual([
      { name: 'billing-ky', valid: true, invalidReason: undefined },
      { name: 'billing-naive', valid: true, invalidReason: undefined },
      { name: 'billing-robust', valid: true, invalidReason: undefined },
    ]);
  });

  it("writes matching rules Pact's own Verifier accepts: it verifies the recording against the replay server", async () => {
    const file = path.join(dir, 'pact/billing-robust-billing-api.json');
    const recorded = await record('--upstream', upstream.url, '--connector', 'billing-robust', '--provider', 'billing-api', '--out', file);
    expect(recorded.code).toBe(0);
    const contract = await loadContract(file, 'billing-robust-billing-api.json');
    expect(contract.provider).toBe('billing-api');
    const server = await startReplayServer({ contract, faults: FAULTS });
    try {
      setLogLevel('error');
      const result = JSON.stringify(
        await new PactVerifier({ provider: 'billing-api', providerBaseUrl: server.url, pactUrls: [file], logLevel: 'error' }).verify(),
      );
      for (const interaction of contract.interactions) expect(result).toContain(interaction.description);
    } finally {
      await server.close();
    }
  }, 90_000);

  it('round trip: the recording verifies with holdup verify against the upstream it came from, started afresh, and against the replay server', async () => {
    const file = path.join(dir, 'round-trip/billing-robust-billing-api.json');
    // an upstream of its own: the other tests' recordings created invoices in the shared one
    const origin = await startBillingUpstream();
    try {
      expect((await record('--upstream', origin.url, '--connector', 'billing-robust', '--provider', 'billing-api', '--out', file)).code).toBe(0);
    } finally {
      await origin.close();
    }
    const verify = async (url: string) => {
      // a token of its own, as a user obtains one before verifying; the client secret filled from --secret
      const response = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=demo&client_secret=demo-secret',
      });
      const { access_token: token } = (await response.json()) as { access_token: string };
      const out = new FakeOut();
      const err = new FakeOut();
      const code = await main(['verify', '--provider-url', url, file, '--secret', 'client_secret=demo-secret', '--secret', `authorization=${token}`], {
        out,
        err,
        cwd: root,
      });
      return { code, stdout: out.text, stderr: err.text };
    };
    // the upstream in the state it was recorded in (recording created an invoice in the first one)
    const fresh = await startBillingUpstream();
    try {
      const result = await verify(fresh.url);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('5 of 5 interactions verified');
      expect(result.code).toBe(0);
    } finally {
      await fresh.close();
    }
    const server = await startReplayServer({ contract: await loadContract(file, 'billing-robust-billing-api.json'), faults: FAULTS });
    try {
      const result = await verify(server.url);
      expect(result.stdout).toContain('5 of 5 interactions verified');
      expect(result.code).toBe(0);
    } finally {
      await server.close();
    }
  }, 90_000);

  describe('bad input gets a coded error and writes nothing', () => {
    let server: Server | undefined;
    afterEach(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    });

    async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
      server = createServer(handler);
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
      return (server.address() as AddressInfo).port;
    }

    it('an upstream nothing listens on', async () => {
      const port = await listen(() => {});
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
      const out = path.join(dir, 'unreachable.json');
      const { code, stdout, stderr } = await record('--upstream', `http://127.0.0.1:${port}`, '--connector', 'billing-robust', '--out', out);
      expect(stderr.split(String(port)).join('PORT')).toBe(
        '[holdup] UPSTREAM_UNREACHABLE http://127.0.0.1:PORT: cannot reach the upstream (connection refused)\n' +
          '  next: start the upstream (or check --upstream: scheme, host and port), then run holdup record again\n',
      );
      expect(stdout).toBe('');
      expect(code).toBe(2);
      await expect(stat(out)).rejects.toThrow(/ENOENT/);
    });

    it('an upstream that goes away after the first request', async () => {
      const port = await listen((_req, res) => {
        res.writeHead(404, { connection: 'close' });
        res.end();
        server!.close();
      });
      const out = path.join(dir, 'gone.json');
      const { code, stdout, stderr } = await record('--upstream', `http://127.0.0.1:${port}`, '--connector', 'billing-robust', '--out', out);
      expect(stderr.split(String(port)).join('PORT')).toBe(
        '[holdup] UPSTREAM_UNREACHABLE http://127.0.0.1:PORT: cannot reach the upstream (connection refused) while recording listInvoices\n' +
          '  next: start the upstream (or check --upstream: scheme, host and port), then run holdup record again\n',
      );
      // the proxy answered the connector 502; what it made of that is said before the error
      expect(stdout).toBe(
        'recording listInvoices … 0 requests (threw: AuthError: POST /oauth/token (client_credentials): 502 error: could not obtain an access token; check the client id and secret; its requests are recorded anyway)\n',
      );
      expect(code).toBe(2);
      await expect(stat(out)).rejects.toThrow(/ENOENT/);
      server = undefined;
    });

    it('an upstream that says JSON and sends something else', async () => {
      const port = await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('<html>maintenance</html>');
      });
      const out = path.join(dir, 'not-json.json');
      const { code, stdout, stderr } = await record('--upstream', `http://127.0.0.1:${port}`, '--connector', 'billing-robust', '--out', out);
      expect(stdout).toBe(
        "recording listInvoices … 1 request (threw: InvalidResponseError: POST /oauth/token (client_credentials): body is not valid JSON (24 bytes); its requests are recorded anyway)\n" +
          "recording getInvoice … 1 request (threw: InvalidResponseError: POST /oauth/token (client_credentials): body is not valid JSON (24 bytes); its requests are recorded anyway)\n" +
          "recording createInvoice … 1 request (threw: InvalidResponseError: POST /oauth/token (client_credentials): body is not valid JSON (24 bytes); its requests are recorded anyway)\n",
      );
      expect(stderr.split(String(port)).join('PORT')).toBe(
        "[holdup] UPSTREAM_BODY http://127.0.0.1:PORT/oauth/token: the 200 response to POST /oauth/token (operation listInvoices) says application/json but its body is not valid JSON at line 1, column 1: expected a JSON value, found '<'\n" +
          '  next: a recording keeps what the upstream really sends: fix the upstream (or its Content-Type), or record against one that answers JSON\n',
      );
      expect(code).toBe(2);
      await expect(stat(out)).rejects.toThrow(/ENOENT/);
    });

    it('an --out file that exists, without --force', async () => {
      const out = path.join(dir, 'exists.json');
      await writeFile(out, 'keep me');
      const { code, stdout, stderr } = await record('--upstream', upstream.url, '--connector', 'billing-robust', '--out', out);
      expect(stderr).toBe(
        '[holdup] CONTRACT_EXISTS <tmp>/exists.json: the file exists; holdup record does not overwrite a contract unless told to\n' +
          '  next: pass --force to replace it, or --out to write elsewhere\n',
      );
      expect(stdout).toBe('');
      expect(code).toBe(2);
      expect(await readFile(out, 'utf8')).toBe('keep me');
    });

    it('a connector the config does not list', async () => {
      const { code, stderr } = await record('--upstream', upstream.url, '--connector', 'billing-robsut', '--out', path.join(dir, 'unknown.json'));
      expect(stderr).toBe(
        '[holdup] UNKNOWN_CONNECTOR --connector: unknown connector "billing-robsut"\n' +
          '  next: did you mean "billing-robust"? known: billing-ky, billing-naive, billing-robust\n',
      );
      expect(code).toBe(2);
    });

    it('an --upstream that is not an http URL, and a missing --connector', async () => {
      const bad = await record('--upstream', 'ftp://example.com', '--connector', 'billing-robust');
      expect(bad.stderr).toBe(
        '[holdup] USAGE --upstream: --upstream takes an http or https URL, got "ftp://example.com" (ftp)\n' +
          '  next: for example holdup record --upstream http://127.0.0.1:4010 --connector billing-robust\n',
      );
      expect(bad.code).toBe(2);
      const missing = await record('--upstream', upstream.url);
      expect(missing.stderr).toBe(
        '[holdup] USAGE --connector: holdup record needs --connector NAME (whose operations drive the recording)\n' +
          '  next: for example holdup record --upstream http://127.0.0.1:4010 --connector billing-robust\n',
      );
      expect(missing.code).toBe(2);
    });

    it('a connector whose operations send nothing', async () => {
      const project = path.join(dir, 'quiet');
      await mkdir(project);
      await writeFile(
        path.join(project, 'quiet.connector.ts'),
        "export default { name: 'quiet', contract: 'contracts/quiet.json', create: () => ({}), operations: { nothing: { kind: 'read', run: () => 1 } } };\n",
      );
      await writeFile(path.join(project, 'package.json'), JSON.stringify({ type: 'module', holdup: { connectors: ['*.connector.ts'] } }));
      const out = path.join(project, 'contracts/quiet.json');
      const { code, stdout, stderr } = await record('--upstream', upstream.url, '--connector', 'quiet', '--config', path.join(project, 'package.json'), '--out', out);
      expect(stdout).toBe('recording nothing … 0 requests\n');
      expect(stderr).toBe(
        '[holdup] RECORD_EMPTY <upstream>: no request reached the upstream: the operations of quiet (nothing) sent nothing\n' +
          "  next: check that the connector's create() uses the baseUrl it is given, and that its operations call the API\n",
      );
      expect(code).toBe(2);
      await expect(stat(out)).rejects.toThrow(/ENOENT/);
    });
  });
});
