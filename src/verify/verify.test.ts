import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseContract } from '../contracts/load.js';
import {
  fillRequest,
  makeScrub,
  secretEnvName,
  tagDescription,
  toContractVerification,
  toDrift,
  verifyContracts,
  type EngineOptions,
  type VerifierJson,
} from './verify.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CONTRACT_FILE = path.join(root, 'contracts/billing-app-billing-api.json');
const contractText = await readFile(CONTRACT_FILE, 'utf8');
const contract = parseContract(contractText, 'contracts/billing-app-billing-api.json');
const noScrub = (text: string) => text;

/** The error entry the core writes for one interaction (shape as pact-core 19.2 returns it). */
function failed(index: number, mismatches: Record<string, unknown>[]): NonNullable<VerifierJson['errors']>[number] {
  const interaction = contract.interactions.find((i) => i.index === index)!;
  return {
    interaction: `Verifying a pact between billing-app and billing-api Given ${interaction.providerStates[0]?.name} - ${tagDescription(interaction.description, index)}`,
    mismatch: { type: 'mismatches', mismatches },
  };
}

function ranAll(): NonNullable<VerifierJson['interactionResults']> {
  return contract.interactions.map((i) => ({ description: tagDescription(i.description, i.index), result: 'OK' }));
}

describe('turning verifier output into drift items', () => {
  it('maps a body mismatch to its JSON path with expected and actual values', () => {
    expect(
      toDrift(
        { actual: '"1200"', expected: '1200', mismatch: "Expected '1200' (String) to be an integer", path: '$.amount_due', type: 'BodyMismatch' },
        noScrub,
      ),
    ).toEqual({ kind: 'body', path: '$.amount_due', expected: '1200', actual: '"1200"', detail: "Expected '1200' (String) to be an integer" });
  });

  it("hides the upstream's own secrets in a drifted body: a fresh token is never printed", () => {
    expect(
      toDrift({ actual: '"at_fresh123"', expected: '"<redacted:access_token>"', mismatch: "Expected 'at_fresh123' to be equal to '<redacted:access_token>'", path: '$.access_token', type: 'BodyMismatch' }, noScrub),
    ).toEqual({ kind: 'body', path: '$.access_token', expected: '<redacted>', actual: '<redacted>', detail: "Expected '<redacted>' to be equal to '<redacted:access_token>'" });
    const whole = toDrift({ actual: '{"access_token":"at_fresh123","token_type":"Bearer"}', expected: '{}', mismatch: 'body differs', path: '$', type: 'BodyMismatch' }, noScrub);
    expect(JSON.stringify(whole)).not.toContain('at_fresh123');
  });

  it('hides a token Pact quotes in its message about a whole body, and a cookie the upstream set', () => {
    const body = toDrift(
      { actual: '{"access_token":"fresh-token-abcdef"}', expected: '{}', mismatch: 'Type mismatch: expected {} but got {"access_token":"fresh-token-abcdef"}', path: '$', type: 'BodyMismatch' },
      noScrub,
    );
    expect(JSON.stringify(body)).not.toContain('fresh-token-abcdef');
    const cookie = toDrift({ actual: 'sid=s3cr3t-session-value', expected: '<redacted:set-cookie>', mismatch: "Expected header 'set-cookie' to have value '<redacted:set-cookie>' but was 'sid=s3cr3t-session-value'", key: 'set-cookie', type: 'HeaderMismatch' }, noScrub);
    expect(JSON.stringify(cookie)).not.toContain('s3cr3t');
  });

  it('maps a status mismatch to expected and actual statuses', () => {
    expect(toDrift({ actual: 500, expected: 200, mismatch: 'expected 200 but was 500', type: 'StatusMismatch' }, noScrub)).toEqual({
      kind: 'status',
      expected: 200,
      actual: 500,
    });
  });

  it('maps a missing header to a header item whose actual value is null', () => {
    expect(
      toDrift({ actual: '', expected: '"no-store"', key: 'Cache-Control', mismatch: "Expected a header 'Cache-Control' but was missing", type: 'HeaderMismatch' }, noScrub),
    ).toEqual({ kind: 'header', name: 'Cache-Control', expected: 'no-store', actual: null, detail: "Expected a header 'Cache-Control' but was missing" });
  });

  it('gives each interaction its verdict, its drift and the request from the contract', () => {
    const result: VerifierJson = {
      result: false,
      interactionResults: ranAll(),
      errors: [
        failed(4, [{ actual: '"1200"', expected: '1200', mismatch: "Expected '1200' (String) to be an integer", path: '$.amount_due', type: 'BodyMismatch' }]),
        {
          interaction: `Verifying a pact between billing-app and billing-api - ${tagDescription('a request to create an invoice for customer cus_1', 6)}`,
          mismatch: { type: 'error', message: 'error sending request for url (http://127.0.0.1:9/v1/invoices)' },
        },
      ],
    };
    const verification = toContractVerification({ contract, needs: new Map(), pending: new Set(), result }, noScrub);
    expect(verification.interactions.map((i) => [i.description, i.status])).toEqual([
      ['a client credentials token request', 'verified'],
      ['a refresh token request', 'verified'],
      ['a request for the first page of invoices of customer cus_1', 'verified'],
      ['a request for the second page of invoices of customer cus_1', 'verified'],
      ['a request for invoice in_1', 'drifted'],
      ['a request for invoice in_1 when it does not exist', 'verified'],
      ['a request to create an invoice for customer cus_1', 'drifted'],
    ]);
    const invoice = verification.interactions[4]!;
    expect(invoice.drift).toEqual([{ kind: 'body', path: '$.amount_due', expected: '1200', actual: '"1200"', detail: "Expected '1200' (String) to be an integer" }]);
    expect(invoice.request).toEqual({ method: 'GET', target: '/v1/invoices/in_1', headers: [['authorization', 'Bearer at_7Hq2kV9xLmN4pR8s']] });
    expect(invoice.providerStates).toEqual(['invoice in_1 exists']);
    expect(verification.interactions[6]!.drift).toEqual([{ kind: 'error', detail: 'error sending request for url (http://127.0.0.1:9/v1/invoices)' }]);
    expect(verification.interactions[0]!.request).toEqual({
      method: 'POST',
      target: '/oauth/token',
      headers: [['content-type', 'application/x-www-form-urlencoded']],
      body: 'grant_type=client_credentials&client_id=demo&client_secret=demo-secret',
    });
  });

  it('says an interaction the verifier never reported on was not run, and one left out for a secret needs it', () => {
    const verification = toContractVerification(
      { contract, needs: new Map([[0, ['client_secret']]]), pending: new Set(), result: { interactionResults: ranAll().slice(1, 6) } },
      noScrub,
    );
    expect(verification.interactions.map((i) => i.status)).toEqual(['needs-secret', 'verified', 'verified', 'verified', 'verified', 'verified', 'not-run']);
    expect(verification.interactions[0]!.needsSecrets).toEqual(['client_secret']);
  });
});

describe('secrets', () => {
  const state = (given: Record<string, string>, env: NodeJS.ProcessEnv = {}) => ({
    source: { given: new Map(Object.entries(given)), env },
    missing: new Set<string>(),
  });

  it('names the environment variable after the placeholder, uppercased with non-alphanumerics as _', () => {
    expect(secretEnvName('client_secret')).toBe('HOLDUP_SECRET_CLIENT_SECRET');
    expect(secretEnvName('x-api-key')).toBe('HOLDUP_SECRET_X_API_KEY');
  });

  it('fills a header placeholder keeping its scheme, and a form body placeholder form-encoded', () => {
    const s = state({ authorization: 'tok en' }, { HOLDUP_SECRET_CLIENT_SECRET: 's&cret' });
    const filled = fillRequest(
      {
        method: 'POST',
        path: '/oauth/token',
        headers: { Authorization: ['Bearer <redacted:authorization>'] },
        body: { content: 'grant_type=client_credentials&client_secret=%3Credacted%3Aclient_secret%3E', contentType: 'application/x-www-form-urlencoded', encoded: false },
      },
      true,
      new Set(),
      s,
    );
    expect(filled.headers).toEqual({ Authorization: ['Bearer tok en'] });
    expect(filled.body).toEqual({ content: 'grant_type=client_credentials&client_secret=s%26cret', contentType: 'application/x-www-form-urlencoded', encoded: false });
    expect([...s.missing]).toEqual([]);
  });

  it('records a placeholder nobody filled, in a query and in a JSON body, and leaves it in place', () => {
    const s = state({});
    const filled = fillRequest(
      { method: 'POST', path: '/v1/x', query: { api_key: ['<redacted:api_key>'] }, body: { content: { token: '<redacted:token>' }, contentType: 'application/json' } },
      true,
      new Set(),
      s,
    );
    expect([...s.missing].sort()).toEqual(['api_key', 'token']);
    expect(filled.query).toEqual({ api_key: ['<redacted:api_key>'] });
  });

  it('sends a base64 body that is not text as its bytes (a PNG upload), and fills one that is', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xd8, 0x00, 0x80]).toString('base64');
    const image = { content: png, contentType: 'image/png', encoded: 'base64' };
    expect(fillRequest({ method: 'PUT', path: '/v1/logo', body: image }, true, new Set(), state({})).body).toEqual(image);
    const text = { content: Buffer.from('token=<redacted:token>').toString('base64'), contentType: 'text/plain', encoded: 'base64' };
    const filled = fillRequest({ method: 'POST', path: '/v1/x', body: text }, true, new Set(), state({ token: 'abc' })).body as { content: string };
    expect(Buffer.from(filled.content, 'base64').toString('utf8')).toBe('token=abc');
  });

  it('drops a contract header that --header replaces, whatever its case, so its placeholder needs no secret', () => {
    const s = state({});
    const filled = fillRequest({ method: 'GET', path: '/v1/x', headers: { Authorization: ['Bearer <redacted:authorization>'], Accept: ['*/*'] } }, true, new Set(['authorization']), s);
    expect(filled.headers).toEqual({ Accept: ['*/*'] });
    expect([...s.missing]).toEqual([]);
  });

  it('scrubs secret values, raw and percent-encoded, longest first', () => {
    const scrub = makeScrub(new Map([['client_secret', 's&cret'], ['authorization', 'Bearer s&cret-token']]));
    expect(scrub('Bearer s&cret-token; client_secret=s%26cret; s&cret')).toBe('<redacted:authorization>; client_secret=<redacted:client_secret>; <redacted:client_secret>');
  });

  it('verifies a private copy with secrets filled, deletes it, and never puts a secret value in the result', async () => {
    const redacted = JSON.parse(contractText) as { interactions: { request: { headers?: Record<string, string[]>; body?: { content: unknown } } }[] };
    for (const interaction of redacted.interactions) {
      if (interaction.request.headers?.['Authorization']) interaction.request.headers['Authorization'] = ['Bearer <redacted:authorization>'];
      const body = interaction.request.body;
      if (body && typeof body.content === 'string') body.content = body.content.replace('client_secret=demo-secret', 'client_secret=<redacted:client_secret>');
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'holdup-verify-test-'));
    const file = path.join(dir, 'redacted.json');
    await writeFile(file, JSON.stringify(redacted));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const seen: { options: EngineOptions; copy: string }[] = [];
    const engine = async (options: EngineOptions): Promise<VerifierJson> => {
      const copy = await readFile(options.pactUrls[0]!, 'utf8');
      seen.push({ options, copy });
      const parsed = JSON.parse(copy) as { interactions: { description: string }[] };
      return {
        interactionResults: parsed.interactions.map((i) => ({ description: i.description, result: 'Error' })),
        errors: parsed.interactions.map((i) => ({
          interaction: `Verifying a pact between billing-app and billing-api - ${i.description}`,
          mismatch: { type: 'mismatches', mismatches: [{ type: 'BodyMismatch', path: '$.echo', expected: '"x"', actual: '"Bearer at_secret_1"', mismatch: 'echoed at_secret_1' }] },
        })),
      };
    };
    const report = await verifyContracts({
      providerUrl: 'http://127.0.0.1:9',
      targets: [{ contract: parseContract(JSON.stringify(redacted), 'redacted.json'), absolute: file }],
      secrets: { given: new Map([['authorization', 'at_secret_1']]), env: {} },
      headers: [],
      engine,
    });
    // the token request needs client_secret, which nobody gave: it was left out of the copy
    const sent = JSON.parse(seen[0]!.copy) as { interactions: { description: string; request: { headers?: Record<string, string[]> } }[] };
    expect(sent.interactions.map((i) => i.description)).toEqual(
      contract.interactions.slice(1).map((i) => tagDescription(i.description, i.index)),
    );
    expect(sent.interactions[1]!.request.headers).toEqual({ Authorization: ['Bearer at_secret_1'] });
    expect(existsSync(seen[0]!.options.pactUrls[0]!)).toBe(false);
    expect(seen[0]!.options.providerStatesSetupUrl).toBeUndefined();
    expect(report.summary).toEqual({ total: 7, verified: 0, drifted: 6, needsSecret: 1, notRun: 0 });
    expect(report.passed).toBe(false);
    expect(report.contracts[0]!.interactions[0]!.needsSecrets).toEqual(['client_secret']);
    const text = JSON.stringify(report);
    expect(text).not.toContain('at_secret_1');
    expect(report.contracts[0]!.interactions[1]!.drift).toEqual([
      { kind: 'body', path: '$.echo', expected: '"x"', actual: '"Bearer <redacted:authorization>"', detail: 'echoed <redacted:authorization>' },
    ]);
  });
});
