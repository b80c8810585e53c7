import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../contracts/load.js';
import { FAULTS } from '../faults/index.js';
import { startReplayServer, type ReplayServer } from '../replay/index.js';
import { startBillingUpstream } from '../../fixtures/upstream/billing-upstream.js';
import { holdupCommand, root } from './test-helpers.js';

// `holdup verify` as a user runs it (a real process), against holdup's own replay server
// standing in for the upstream: the contract as recorded, and a copy that serves drift.

const CONTRACT = 'contracts/billing-app-billing-api.json';
const STATES_PATH = '/_pact/provider-states';

let faithful: ReplayServer;
let drifting: ReplayServer;
let tmp: string;

beforeAll(async () => {
  const contract = await loadContract(path.join(root, CONTRACT), CONTRACT);
  faithful = await startReplayServer({ contract, faults: FAULTS, providerStatesPath: STATES_PATH });
  // the single-invoice response serves amount_due as a string: a type the contract's rules refuse
  const mutated = structuredClone(contract);
  const invoice = mutated.interactions.find((i) => i.description === 'a request for invoice in_1')!;
  (invoice.response.body!.json as Record<string, unknown>)['amount_due'] = '1200';
  drifting = await startReplayServer({ contract: mutated, faults: FAULTS, providerStatesPath: STATES_PATH });
  tmp = await mkdtemp(path.join(tmpdir(), 'holdup-verify-e2e-'));
});

afterAll(async () => {
  await faithful?.close();
  await drifting?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The bundled contract as `holdup record` writes one: secrets replaced by `<redacted:NAME>`. */
async function redactedCopy(): Promise<string> {
  const raw = JSON.parse(await readFile(path.join(root, CONTRACT), 'utf8')) as {
    interactions: { request: { headers?: Record<string, string[]>; body?: { content: unknown } } }[];
  };
  for (const interaction of raw.interactions) {
    const headers = interaction.request.headers;
    if (headers?.['Authorization']) headers['Authorization'] = ['Bearer <redacted:authorization>'];
    const body = interaction.request.body;
    if (body && typeof body.content === 'string') body.content = body.content.replace('client_secret=demo-secret', 'client_secret=<redacted:client_secret>');
  }
  const file = path.join(tmp, 'recorded.json');
  await writeFile(file, JSON.stringify(raw, null, 2));
  return file;
}

const verify = (args: string[], env: NodeJS.ProcessEnv = {}) => holdupCommand(['verify', ...args], env);

/** The output with the servers' random ports replaced by names. */
function normalise(text: string): string {
  return text.split(faithful.url).join('<faithful>').split(drifting.url).join('<drifting>').split(tmp).join('<tmp>');
}

describe('holdup verify against a provider that honours the contract', () => {
  it('verifies every interaction and exits 0', async () => {
    const run = await verify(['--provider-url', faithful.url, '--state-change-url', `${faithful.url}${STATES_PATH}`, CONTRACT]);
    expect(run.stderr).toBe('');
    expect(normalise(run.stdout)).toBe(`holdup verify against <faithful>
provider states: set up through <faithful>/_pact/provider-states before each interaction

contracts/billing-app-billing-api.json (billing-app → billing-api)
  ✓ a client credentials token request — POST /oauth/token
  ✓ a refresh token request — POST /oauth/token
  ✓ a request for the first page of invoices of customer cus_1 — GET /v1/invoices
  ✓ a request for the second page of invoices of customer cus_1 — GET /v1/invoices
  ✓ a request for invoice in_1 — GET /v1/invoices/in_1
  ✓ a request for invoice in_1 when it does not exist — GET /v1/invoices/in_1
  ✓ a request to create an invoice for customer cus_1 — POST /v1/invoices

7 of 7 interactions verified; 0 drifted
`);
    expect(run.code).toBe(0);
  });
});

describe('holdup verify against a provider that drifted', () => {
  it('names the interaction and the field, with expected and actual, and exits 1', async () => {
    const run = await verify(['--provider-url', drifting.url, '--state-change-url', `${drifting.url}${STATES_PATH}`, CONTRACT]);
    expect(run.stderr).toBe('');
    expect(normalise(run.stdout)).toBe(`holdup verify against <drifting>
provider states: set up through <drifting>/_pact/provider-states before each interaction

contracts/billing-app-billing-api.json (billing-app → billing-api)
  ✓ a client credentials token request — POST /oauth/token
  ✓ a refresh token request — POST /oauth/token
  ✓ a request for the first page of invoices of customer cus_1 — GET /v1/invoices
  ✓ a request for the second page of invoices of customer cus_1 — GET /v1/invoices
  ✗ a request for invoice in_1 — GET /v1/invoices/in_1
      given: invoice in_1 exists
      body $.amount_due: expected 1200 (a number), got "1200" (a string) — Pact: Expected '1200' (String) to be an integer
      request: GET /v1/invoices/in_1
        authorization: Bearer at_7Hq2kV9xLmN4pR8s
  ✓ a request for invoice in_1 when it does not exist — GET /v1/invoices/in_1
  ✓ a request to create an invoice for customer cus_1 — POST /v1/invoices

6 of 7 interactions verified; 1 drifted
`);
    expect(run.code).toBe(1);
  });

  it('prints the same verdict as data with --json', async () => {
    const run = await verify(['--provider-url', drifting.url, '--state-change-url', `${drifting.url}${STATES_PATH}`, '--json', CONTRACT]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      passed: boolean;
      summary: unknown;
      contracts: { interactions: { description: string; status: string; drift: unknown[] }[] }[];
    };
    expect(report.passed).toBe(false);
    expect(report.summary).toEqual({ total: 7, verified: 6, drifted: 1, needsSecret: 0, notRun: 0 });
    const drifted = report.contracts[0]!.interactions.filter((i) => i.status === 'drifted');
    expect(drifted.map((i) => i.description)).toEqual(['a request for invoice in_1']);
    expect(drifted[0]!.drift).toEqual([
      { kind: 'body', path: '$.amount_due', expected: '1200', actual: '"1200"', detail: "Expected '1200' (String) to be an integer" },
    ]);
  });

  it('says provider states were not set up, and reports the state-dependent interaction that drifts because of it', async () => {
    const run = await verify(['--provider-url', faithful.url, CONTRACT]);
    expect(normalise(run.stdout)).toBe(`holdup verify against <faithful>
provider states: not set up (no --state-change-url); 7 of 7 interactions name one, and any that depends on its state may drift

contracts/billing-app-billing-api.json (billing-app → billing-api)
  ✓ a client credentials token request — POST /oauth/token
  ✓ a refresh token request — POST /oauth/token
  ✓ a request for the first page of invoices of customer cus_1 — GET /v1/invoices
  ✓ a request for the second page of invoices of customer cus_1 — GET /v1/invoices
  ✓ a request for invoice in_1 — GET /v1/invoices/in_1
  ✗ a request for invoice in_1 when it does not exist — GET /v1/invoices/in_1
      given: invoice in_1 does not exist (not set up)
      status: expected 404, got 200
      body $: the object lacks the key error (got the keys amount_due, created, currency, customer, id, lines, object, status)
      request: GET /v1/invoices/in_1
        authorization: Bearer at_7Hq2kV9xLmN4pR8s
  ✓ a request to create an invoice for customer cus_1 — POST /v1/invoices

6 of 7 interactions verified; 1 drifted
`);
    expect(run.code).toBe(1);
  });
});

describe('holdup verify with a state-change URL that does not work', () => {
  it('says each interaction could not be verified and why, and exits 1', async () => {
    const run = await verify(['--provider-url', faithful.url, '--state-change-url', `${faithful.url}/no-such-endpoint`, CONTRACT]);
    expect(normalise(run.stdout)).toContain(`  ✗ a request for invoice in_1 — GET /v1/invoices/in_1
      given: invoice in_1 exists
      could not verify: One or more of the setup state change handlers has failed (the --state-change-url must answer a POST of {"state", "params", "action"} with a 2xx)
      request: GET /v1/invoices/in_1
`);
    expect(run.stdout).toContain('0 of 7 interactions verified; 7 drifted\n');
    expect(run.code).toBe(1);
  });
});

describe('holdup verify with a recorded contract whose secrets are placeholders', () => {
  const SECRET = 'demo-secret';
  const TOKEN = 'at_7Hq2kV9xLmN4pR8s';

  it('fills them from --secret and HOLDUP_SECRET_*, verifies, and never prints a secret value', async () => {
    const file = await redactedCopy();
    const run = await verify(
      ['--provider-url', faithful.url, '--state-change-url', `${faithful.url}${STATES_PATH}`, '--secret', `authorization=${TOKEN}`, '--json', file],
      { HOLDUP_SECRET_CLIENT_SECRET: SECRET },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ passed: true, summary: { total: 7, verified: 7, drifted: 0 } });
    expect(run.stdout).not.toContain(SECRET);
    expect(run.stdout).not.toContain(TOKEN);
    expect(run.code).toBe(0);
  });

  it('does not send an interaction whose secret nobody gave, and says which secret it needs', async () => {
    const file = await redactedCopy();
    const run = await verify(['--provider-url', faithful.url, '--state-change-url', `${faithful.url}${STATES_PATH}`, '--secret', `authorization=${TOKEN}`, file]);
    expect(normalise(run.stdout)).toBe(`holdup verify against <faithful>
provider states: set up through <faithful>/_pact/provider-states before each interaction

<tmp>/recorded.json (billing-app → billing-api)
  ! a client credentials token request — POST /oauth/token
      not sent: needs --secret client_secret=… (or env HOLDUP_SECRET_CLIENT_SECRET)
  ✓ a refresh token request — POST /oauth/token
  ✓ a request for the first page of invoices of customer cus_1 — GET /v1/invoices
  ✓ a request for the second page of invoices of customer cus_1 — GET /v1/invoices
  ✓ a request for invoice in_1 — GET /v1/invoices/in_1
  ✓ a request for invoice in_1 when it does not exist — GET /v1/invoices/in_1
  ✓ a request to create an invoice for customer cus_1 — POST /v1/invoices

6 of 7 interactions verified; 0 drifted; 1 not sent (secrets missing)
`);
    expect(run.code).toBe(1);
  });

  it('lets --header replace a header placeholder, and scrubs the header value from the output', async () => {
    const file = await redactedCopy();
    // the drifting server: its drift block prints the request, whose header must not show the token
    const run = await verify(
      ['--provider-url', drifting.url, '--state-change-url', `${drifting.url}${STATES_PATH}`, '--header', `authorization: Bearer ${TOKEN}`, '--secret', `client_secret=${SECRET}`, file],
    );
    expect(normalise(run.stdout)).toContain(`headers added to every request: authorization
`);
    expect(normalise(run.stdout)).toContain(`      request: GET /v1/invoices/in_1
        authorization: Bearer <redacted:authorization>
`);
    expect(run.stdout).toContain('6 of 7 interactions verified; 1 drifted\n');
    expect(run.stdout).not.toContain(TOKEN);
    expect(run.stdout).not.toContain(SECRET);
    expect(run.code).toBe(1);
  });
});

describe('holdup verify against a real, stateless billing upstream', () => {
  it('verifies what a stateless upstream can honour and reports the state-dependent interactions as drift', async () => {
    const upstream = await startBillingUpstream();
    try {
      const file = await redactedCopy();
      // a bearer token of its own, as a user would obtain one before verifying
      const response = await fetch(`${upstream.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=demo&client_secret=demo-secret',
      });
      const { access_token: token } = (await response.json()) as { access_token: string };
      const run = await verify(['--provider-url', upstream.url, '--secret', 'client_secret=demo-secret', '--header', `Authorization: Bearer ${token}`, file]);
      expect(run.stderr).toBe('');
      expect(normalise(run.stdout).split(upstream.url).join('<upstream>')).toBe(`holdup verify against <upstream>
provider states: not set up (no --state-change-url); 7 of 7 interactions name one, and any that depends on its state may drift
headers added to every request: Authorization

<tmp>/recorded.json (billing-app → billing-api)
  ✓ a client credentials token request — POST /oauth/token
  ✗ a refresh token request — POST /oauth/token
      given: client demo holds a valid refresh token (not set up)
      status: expected 200, got 400
      header Cache-Control: expected "no-store", got no Cache-Control header
      body $: the object lacks the keys access_token, expires_in, refresh_token, token_type (got the keys error, error_description)
      request: POST /oauth/token
        content-type: application/x-www-form-urlencoded
        body: grant_type=refresh_token&refresh_token=rt_3Fw6yB1cZd5gJ0tU&client_id=demo
  ✓ a request for the first page of invoices of customer cus_1 — GET /v1/invoices
  ✓ a request for the second page of invoices of customer cus_1 — GET /v1/invoices
  ✓ a request for invoice in_1 — GET /v1/invoices/in_1
  ✗ a request for invoice in_1 when it does not exist — GET /v1/invoices/in_1
      given: invoice in_1 does not exist (not set up)
      status: expected 404, got 200
      body $: the object lacks the key error (got the keys amount_due, created, currency, customer, id, lines, object, status)
      request: GET /v1/invoices/in_1
        authorization: Bearer <redacted:authorization>
  ✓ a request to create an invoice for customer cus_1 — POST /v1/invoices

5 of 7 interactions verified; 2 drifted
`);
      // neither the token given nor any the upstream issued during verification is printed
      for (const pair of [{ accessToken: token, refreshToken: token }, ...upstream.issued]) {
        expect(run.stdout).not.toContain(pair.accessToken);
        expect(run.stdout).not.toContain(pair.refreshToken);
      }
      expect(run.stdout).not.toContain('demo-secret');
      expect(run.code).toBe(1);
    } finally {
      await upstream.close();
    }
  });
});

describe('holdup verify with bad input', () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it.each([
    [
      'no --provider-url',
      [CONTRACT],
      `[holdup] USAGE holdup verify needs --provider-url: the upstream (or its sandbox) to verify the contract against
  next: holdup verify --provider-url https://sandbox.example.com contracts/billing-app-billing-api.json
`,
    ],
    [
      'a provider URL that is not an http URL',
      ['--provider-url', 'localhost:3000', CONTRACT],
      `[holdup] USAGE localhost:3000: --provider-url takes an http:// or https:// URL
  next: for example --provider-url http://127.0.0.1:4010
`,
    ],
    [
      'a contract that is not JSON',
      ['--provider-url', 'http://127.0.0.1:9', 'fixtures/bad/malformed-contract/contract.json'],
      `[holdup] CONTRACT_JSON fixtures/bad/malformed-contract/contract.json: not valid JSON at line 8, column 5: expected a property name in double quotes, found '}'
  next: fix the JSON syntax of the contract (a trailing comma or a missing quote is the usual cause)
`,
    ],
    [
      'a JSON file that is not a contract',
      ['--provider-url', 'http://127.0.0.1:9', 'fixtures/bad/schema-contract/contract.json'],
      `[holdup] CONTRACT_SCHEMA fixtures/bad/schema-contract/contract.json: $.interactions[1].request.method: expected a string for the HTTP method, found 42
  next: fix the contract so it matches the Pact specification (docs/contracts.md)
`,
    ],
    [
      'a contract file that does not exist',
      ['--provider-url', 'http://127.0.0.1:9', 'contracts/nope.json'],
      `[holdup] CONTRACT_NOT_FOUND contracts/nope.json: contract file not found
  next: check the path: a CONTRACT is relative to the current folder (${root.replace(/\/$/, '')})
`,
    ],
    [
      'a --secret without "="',
      ['--provider-url', 'http://127.0.0.1:9', '--secret', 'hunter2', CONTRACT],
      `[holdup] USAGE --secret: expected NAME=VALUE, found no "=" (the value is not shown)
  next: for example --secret client_secret=… — NAME is the placeholder's name in <redacted:NAME>; or set HOLDUP_SECRET_CLIENT_SECRET
`,
    ],
    [
      'a --secret with an empty name',
      ['--provider-url', 'http://127.0.0.1:9', '--secret', '=hunter2', CONTRACT],
      `[holdup] USAGE --secret: the NAME before "=" must be letters, digits, "_", "-" or ".", found nothing
  next: for example --secret client_secret=… — NAME is the placeholder's name in <redacted:NAME>
`,
    ],
    [
      'a --header without ":"',
      ['--provider-url', 'http://127.0.0.1:9', '--header', 'Authorization Bearer hunter2', CONTRACT],
      `[holdup] USAGE --header: expected 'Name: value', found no ":" (the value is not shown)
  next: for example --header 'Authorization: Bearer …'
`,
    ],
    [
      'a --header whose name is not a header name',
      ['--provider-url', 'http://127.0.0.1:9', '--header', 'X Api Key: hunter2', CONTRACT],
      `[holdup] USAGE --header: "X Api Key" is not a valid header name
  next: for example --header 'Authorization: Bearer …' (a name is letters, digits and - without spaces)
`,
    ],
  ])('rejects %s with exit code 2', async (_name, args, expected) => {
    const run = await verify(args);
    expect(run.stderr).toBe(expected);
    expect(run.stderr).not.toContain('hunter2');
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });

  it('says an unreachable provider is unreachable before starting the verifier, and exits 2', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await verify(['--provider-url', url, CONTRACT]);
    expect(run.stderr).toBe(`[holdup] UPSTREAM_UNREACHABLE ${url}: connection refused (ECONNREFUSED): nothing listens there
  next: start the upstream (or its sandbox) and check --provider-url: holdup verify sends every interaction of the contract there
`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });

  it('says the verifier could not run when its native package cannot be found, and exits 3', async () => {
    const nativePackage = readdirSync(path.join(root, 'node_modules/@pact-foundation')).find((name) => name.startsWith('pact-core-'))!;
    const run = await verify(['--provider-url', faithful.url, CONTRACT], { PACT_PREBUILD_PACKAGE_LOCATION: '/nonexistent' });
    expect(run.stderr).toBe(`[holdup] VERIFY_ENGINE @pact-foundation/pact-core: Pact's verifier could not run: Couldn't find npm package /nonexistent/@pact-foundation/${nativePackage}
  next: reinstall dependencies (npm ci) so @pact-foundation/pact-core and its native package for ${process.platform}-${process.arch} are present; PACT_PREBUILD_PACKAGE_LOCATION must point at them if set
`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(3);
  });
});
