// The replay server's side of Pact fidelity (docs/contracts.md, "Pact fidelity"): binary bodies,
// generators, and the server's own tokens under an Authorization matcher. Each case failed before
// its fix; src/replay/pact-conformance.e2e.test.ts measures the same against Pact's mock server.
import { describe, expect, it } from 'vitest';
import { parseContract } from '../contracts/load.js';
import { v4File } from '../contracts/test-helpers.js';
import type { HttpRequestData } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { createReplayHandler } from './handler.js';
import { startReplayServer } from './server.js';

const EPOCH = Date.UTC(2026, 0, 1, 12, 0, 0);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==', 'base64');

function v4(interactions: object[]) {
  return parseContract(v4File(interactions), 'fidelity.json');
}

function get(path: string, headers: Record<string, string> = {}): HttpRequestData {
  return { method: 'GET', path, query: {}, headers, body: '' };
}

describe('binary bodies', () => {
  const contract = v4([
    {
      type: 'Synchronous/HTTP',
      description: 'the logo',
      request: { method: 'GET', path: '/logo.png' },
      response: { status: 200, headers: { 'Content-Type': ['image/png'] }, body: { content: PNG.toString('base64'), contentType: '*/*', encoded: 'base64' } },
    },
    {
      type: 'Synchronous/HTTP',
      description: 'an upload',
      request: {
        method: 'PUT',
        path: '/blob',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: { content: Buffer.from([0, 0xfe, 0xff]).toString('base64'), contentType: 'application/octet-stream', encoded: 'base64' },
      },
      response: { status: 204 },
    },
  ]);

  it('serves a base64 body as its bytes, with the content type the contract gives', async () => {
    const server = await startReplayServer({ contract, faults: FAULTS });
    try {
      const response = await fetch(`${server.url}/logo.png`);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('matches a binary request body byte for byte (bytes that are not UTF-8 are not all one replacement character)', async () => {
    const server = await startReplayServer({ contract, faults: FAULTS });
    try {
      const put = (bytes: number[]) => fetch(`${server.url}/blob`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) });
      expect((await put([0, 0xfe, 0xff])).status).toBe(204);
      expect((await put([0, 0xfe, 0xfd])).status).toBe(500);
    } finally {
      await server.close();
    }
  });
});

describe('generators', () => {
  const contract = v4([
    {
      type: 'Synchronous/HTTP',
      description: 'an account',
      providerStates: [{ name: 'an account exists', params: { accountId: 77, name: 'Ada' } }],
      request: { method: 'GET', path: '/accounts/77' },
      response: {
        status: 200,
        headers: { 'Content-Type': ['application/json'], Location: ['/accounts/1'] },
        body: { content: { id: 1, owner: 'someone', visits: 150, ref: 'deadbeef', token: '00000000-0000-4000-8000-000000000000', day: '2000-01-01', self: 'http://x/accounts/77', code: 'ABC-1234' }, contentType: 'application/json', encoded: false },
        generators: {
          body: {
            '$.id': { type: 'ProviderState', expression: '${accountId}' },
            '$.owner': { type: 'ProviderState', expression: '${name}' },
            '$.visits': { type: 'RandomInt', min: 100, max: 200 },
            '$.ref': { type: 'RandomHexadecimal', digits: 8 },
            '$.token': { type: 'Uuid' },
            '$.day': { type: 'Date', format: 'yyyy-MM-dd' },
            '$.self': { type: 'MockServerURL', regex: '.*(/accounts/\\d+)$', example: 'http://x/accounts/77' },
            '$.code': { type: 'Regex', regex: '^[A-Z]{3}-\\d{4}$' },
          },
          header: { Location: { type: 'ProviderState', expression: '/accounts/${accountId}' } },
        },
      },
    },
  ]);
  const serve = (seed: number) => {
    const h = createReplayHandler({ contract, faults: FAULTS, seed });
    const { response } = h.handle(get('/accounts/77', { host: '127.0.0.1:4000' }), 0, EPOCH);
    return { body: JSON.parse(response.body) as Record<string, unknown>, headers: response.headers };
  };

  it('fills provider state values from the interaction params and generates the rest from the seed', () => {
    const { body, headers } = serve(7);
    expect(body['id']).toBe(77);
    expect(body['owner']).toBe('Ada');
    expect(headers['location']).toBe('/accounts/77');
    expect(body['visits']).toBeGreaterThanOrEqual(100);
    expect(body['visits']).toBeLessThanOrEqual(200);
    expect(body['ref']).toMatch(/^[0-9a-f]{8}$/);
    expect(body['ref']).not.toBe('deadbeef');
    expect(body['token']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body['day']).toBe('2026-01-01');
    expect(body['self']).toBe('http://127.0.0.1:4000/accounts/77');
    expect(body['code']).toMatch(/^[A-Z]{3}-\d{4}$/);
    expect(body['code']).not.toBe('ABC-1234');
  });

  it('draws the same values for the same seed, and others for another', () => {
    expect(serve(7)).toEqual(serve(7));
    expect(serve(8).body['token']).not.toBe(serve(7).body['token']);
  });

  it('serves the same values on every response of the interaction in a run, retries and later executions included, dates at the run instant', () => {
    const h = createReplayHandler({ contract, faults: FAULTS, seed: 21 });
    const first = h.handle(get('/accounts/77', { host: 'h:1' }), 0, EPOCH).response.body;
    const retry = h.handle(get('/accounts/77', { host: 'h:1' }), 5_000, EPOCH + 5_000).response.body;
    expect(retry).toBe(first);
    // another execution of the run (its own handler), a minute later: the same values, the same instant
    const later = createReplayHandler({ contract, faults: FAULTS, seed: 21 }).handle(get('/accounts/77', { host: 'h:1' }), 0, EPOCH + 60_000).response.body;
    expect(later).toBe(first);
  });
});

describe("an Authorization matcher and the server's own tokens", () => {
  const contract = v4([
    {
      type: 'Synchronous/HTTP',
      description: 'a token',
      request: { method: 'POST', path: '/oauth/token', headers: { 'Content-Type': 'application/json' }, body: { content: { grant_type: 'client_credentials' }, contentType: 'application/json' } },
      response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { content: { access_token: '0123456789abcdef', token_type: 'Bearer' }, contentType: 'application/json' } },
    },
    {
      type: 'Synchronous/HTTP',
      description: 'me',
      request: {
        method: 'GET',
        path: '/me',
        headers: { Authorization: 'Bearer 0123456789abcdef' },
        matchingRules: { header: { Authorization: { combine: 'AND', matchers: [{ match: 'regex', regex: '^Bearer [a-f0-9]{16}$' }] } } },
      },
      response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { content: { id: 1 }, contentType: 'application/json' } },
    },
  ]);
  const tokenRequest: HttpRequestData = { method: 'POST', path: '/oauth/token', query: {}, headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' };

  it("accepts a token it issued though it does not fit the contract's regex, until it expires", () => {
    const h = createReplayHandler({ contract, faults: FAULTS, label: 't' });
    const issued = (JSON.parse(h.handle(tokenRequest, 0, EPOCH).response.body) as { access_token: string }).access_token;
    expect(issued).not.toMatch(/^[a-f0-9]{16}$/);
    expect(h.handle(get('/me', { authorization: `Bearer ${issued}` }), 1, EPOCH).response.status).toBe(200);
    h.tokens.expireAccessTokens();
    expect(h.handle(get('/me', { authorization: `Bearer ${issued}` }), 2, EPOCH).response.status).toBe(401);
  });

  it('does not let its token stand in for credentials of another scheme (Basic on the token endpoint)', () => {
    const basic = v4([
      {
        type: 'Synchronous/HTTP',
        description: 'a token, client_secret_basic',
        request: { method: 'POST', path: '/oauth/token', headers: { Authorization: 'Basic ZGVtbzpzZWNyZXQ=', 'Content-Type': 'application/json' }, body: { content: { grant_type: 'client_credentials' }, contentType: 'application/json' } },
        response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { content: { access_token: '0123456789abcdef', token_type: 'Bearer' }, contentType: 'application/json' } },
      },
    ]);
    const h = createReplayHandler({ contract: basic, faults: FAULTS, label: 't' });
    const first = h.handle({ ...tokenRequest, headers: { ...tokenRequest.headers, authorization: 'Basic ZGVtbzpzZWNyZXQ=' } }, 0, EPOCH);
    const issued = (JSON.parse(first.response.body) as { access_token: string }).access_token;
    const wrong = h.handle({ ...tokenRequest, headers: { ...tokenRequest.headers, authorization: `Bearer ${issued}` } }, 1, EPOCH);
    expect(wrong.entry.unmatched).toBe(true);
  });

  it('holds any other token to the contract: the example passes, a made-up token of its shape is refused with 401, another shape matches nothing', () => {
    const h = createReplayHandler({ contract, faults: FAULTS, label: 't' });
    expect(h.handle(get('/me', { authorization: 'Bearer 0123456789abcdef' }), 0, EPOCH).response.status).toBe(200);
    expect(h.handle(get('/me', { authorization: 'Bearer fedcba9876543210' }), 1, EPOCH).response.status).toBe(401);
    const other = h.handle(get('/me', { authorization: 'Bearer hu_at_t_9' }), 2, EPOCH);
    expect(other.response.status).toBe(500);
    expect(other.entry.unmatched).toBe(true);
  });
});
