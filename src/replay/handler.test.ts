import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../contracts/load.js';
import type { Contract, FaultSchedule, HttpRequestData } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { LOOP_DELAY_MS, MAX_REQUESTS_PER_EXECUTION, createReplayHandler } from './handler.js';

const file = fileURLToPath(new URL('../../contracts/billing-app-billing-api.json', import.meta.url));
let contract: Contract;
beforeAll(async () => {
  contract = await loadContract(file, 'contracts/billing-app-billing-api.json');
});

const EPOCH = Date.UTC(2026, 0, 1, 12, 0, 0);

function tokenRequest(body = 'grant_type=client_credentials&client_id=demo&client_secret=demo-secret'): HttpRequestData {
  return { method: 'POST', path: '/oauth/token', query: {}, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
}
function getInvoice(token: string | undefined): HttpRequestData {
  return { method: 'GET', path: '/v1/invoices/in_1', query: {}, headers: token ? { authorization: `Bearer ${token}` } : {}, body: '' };
}
function createInvoice(token: string, key?: string): HttpRequestData {
  return {
    method: 'POST',
    path: '/v1/invoices',
    query: {},
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify({ customer: 'cus_1', amount: 1200, currency: 'usd' }),
  };
}
function handler(schedule?: FaultSchedule) {
  return createReplayHandler({ contract, faults: FAULTS, label: 't', ...(schedule ? { schedule } : {}) });
}
function issue(h: ReturnType<typeof handler>): { access: string; refresh: string } {
  const { response } = h.handle(tokenRequest(), 0, EPOCH);
  const body = JSON.parse(response.body) as { access_token: string; refresh_token: string };
  return { access: body.access_token, refresh: body.refresh_token };
}

describe('replay handler', () => {
  it('issues its own tokens at the contract token endpoint and counts each issuance', () => {
    const h = handler();
    expect(h.hasTokenEndpoint).toBe(true);
    const first = issue(h);
    const second = issue(h);
    expect(first.access).toBe('hu_at_t_1');
    expect(second.access).toBe('hu_at_t_2');
    expect(h.tokens.issued.map((t) => t.grantType)).toEqual(['client_credentials', 'client_credentials']);
    expect(h.trace.map((e) => [e.stream, e.streamIndex])).toEqual([
      ['token', 1],
      ['token', 2],
    ]);
  });

  it('serves an API call with an issued token and refuses a missing or unknown one with 401', () => {
    const h = handler();
    const { access } = issue(h);
    expect(h.handle(getInvoice(access), 1, EPOCH).response.status).toBe(200);
    const unknown = h.handle(getInvoice('forged'), 2, EPOCH);
    expect(unknown.response.status).toBe(401);
    expect(unknown.response.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(unknown.entry.auth).toEqual({ token: 'forged', status: 'unknown', enforced: true });
  });

  describe('on a contract whose API interactions do not list Authorization (many recorded contracts)', () => {
    /** The same contract with `Authorization` left out of every API interaction. */
    const withoutAuthorization = (): Contract => ({
      ...contract,
      interactions: contract.interactions.map((interaction) => {
        const { authorization: _dropped, ...headers } = interaction.request.headers;
        return { ...interaction, request: { ...interaction.request, headers } };
      }),
    });

    it('enforces a token it issued: once expired, the request gets 401 invalid_token (a client that never refreshes cannot pass)', () => {
      const h = createReplayHandler({
        contract: withoutAuthorization(),
        faults: FAULTS,
        label: 't',
        schedule: { steps: [{ on: 'api', request: 2, fault: 'auth-expiry/token-expired', params: {} }] },
      });
      const { access } = issue(h);
      expect(h.handle(getInvoice(access), 1, EPOCH).response.status).toBe(200);
      const expired = h.handle(getInvoice(access), 2, EPOCH);
      expect(expired.response.status).toBe(401);
      expect(expired.response.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(expired.entry.auth).toEqual({ token: access, status: 'expired', enforced: true });
    });

    it('leaves a request without a token, or with a static key it did not issue, to the contract', () => {
      const h = createReplayHandler({ contract: withoutAuthorization(), faults: FAULTS, label: 't' });
      const keyless = h.handle(getInvoice(undefined), 1, EPOCH);
      expect(keyless.response.status).toBe(200);
      expect(keyless.entry.auth).toEqual({ token: undefined, status: 'missing', enforced: false });
      const staticKey = h.handle(getInvoice('sk_live_static'), 2, EPOCH);
      expect(staticKey.response.status).toBe(200);
      expect(staticKey.entry.auth).toEqual({ token: 'sk_live_static', status: 'unknown', enforced: false });
    });
  });

  it('spends no fault step on a request no interaction matches: the burst still hits the requests the contract knows', () => {
    const burst = [1, 2].map((request) => ({ on: 'api' as const, request, fault: 'server-errors/gateway-timeout', params: {} }));
    const h = handler({ steps: burst });
    const { access } = issue(h);
    const first = h.handle(getInvoice(access), 1, EPOCH);
    const health = h.handle({ method: 'GET', path: '/v1/status', query: {}, headers: {}, body: '' }, 2, EPOCH);
    const second = h.handle(getInvoice(access), 3, EPOCH);
    const third = h.handle(getInvoice(access), 4, EPOCH);
    expect([first.response.status, health.response.status, second.response.status, third.response.status]).toEqual([504, 500, 504, 200]);
    expect(health.entry).toMatchObject({ unmatched: true, streamIndex: 0 });
    expect(health.entry.fault).toBeUndefined();
    expect([first.entry.streamIndex, second.entry.streamIndex, third.entry.streamIndex]).toEqual([1, 2, 3]);
  });

  it(`slows, and stops recording, an execution past ${MAX_REQUESTS_PER_EXECUTION} requests: a loop must not starve the others, nor be provoked into a timeout`, () => {
    const h = handler();
    const { access } = issue(h);
    for (let i = 1; i < MAX_REQUESTS_PER_EXECUTION; i++) expect(h.handle(getInvoice(access), i, EPOCH).response.headersDelayMs).toBeUndefined();
    const past = h.handle(getInvoice(access), MAX_REQUESTS_PER_EXECUTION, EPOCH);
    // answered as it would have been, after a pause
    expect(past.response).toMatchObject({ status: 200, headersDelayMs: LOOP_DELAY_MS });
    expect(h.trace).toHaveLength(MAX_REQUESTS_PER_EXECUTION);
    expect(h.requestsCut).toBe(1);
  });

  it('marks a request no interaction matches as unmatched, with the near miss', () => {
    const h = handler();
    const { entry, response } = h.handle({ method: 'GET', path: '/v1/invoicez/in_1', query: {}, headers: {}, body: '' }, 1, EPOCH);
    expect(response.status).toBe(500);
    expect(entry.unmatched).toBe(true);
    expect(entry.nearMiss?.mismatches[0]?.part).toBe('path');
  });

  it('expires every token at the scheduled request; a refreshed token works again', () => {
    const h = handler({ steps: [{ on: 'api', request: 2, fault: 'auth-expiry/token-expired', params: {} }] });
    const { access, refresh } = issue(h);
    expect(h.handle(getInvoice(access), 1, EPOCH).response.status).toBe(200);
    const expired = h.handle(getInvoice(access), 2, EPOCH);
    expect(expired.response.status).toBe(401);
    expect(expired.entry.fault?.id).toBe('auth-expiry/token-expired');
    expect(h.handle(getInvoice(access), 3, EPOCH).response.status).toBe(401);
    const renewed = h.handle(tokenRequest(`grant_type=refresh_token&refresh_token=${refresh}&client_id=demo`), 4, EPOCH);
    expect(renewed.response.status).toBe(200);
    const next = (JSON.parse(renewed.response.body) as { access_token: string }).access_token;
    expect(h.handle(getInvoice(next), 5, EPOCH).response.status).toBe(200);
  });

  it('answers invalid_grant to a refresh token it never issued', () => {
    const h = handler();
    const { response } = h.handle(tokenRequest('grant_type=refresh_token&refresh_token=stolen&client_id=demo'), 0, EPOCH);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_grant' });
    expect(h.tokens.issued).toEqual([]);
  });

  it('commits one effect per Idempotency-Key and replays the first response for a repeated key', () => {
    const h = handler();
    const { access } = issue(h);
    h.handle(createInvoice(access, 'k1'), 1, EPOCH);
    h.handle(createInvoice(access, 'k1'), 2, EPOCH);
    h.handle(createInvoice(access), 3, EPOCH);
    expect(h.effects.effects.map((e) => [e.idempotencyKey, e.replayed])).toEqual([
      ['k1', false],
      ['k1', true],
      [undefined, false],
    ]);
  });

  it('applies a fault only to the scheduled request of its stream, and logs it in the trace', () => {
    const h = handler({ steps: [{ on: 'api', request: 2, fault: 'rate-limit/retry-after-seconds', params: { seconds: 2 } }] });
    const { access } = issue(h);
    const statuses = [1, 2, 3].map((i) => h.handle(getInvoice(access), i, EPOCH).response);
    expect(statuses.map((r) => r.status)).toEqual([200, 429, 200]);
    expect(statuses[1]?.headers['retry-after']).toBe('2');
    expect(h.trace[2]?.fault).toEqual({ id: 'rate-limit/retry-after-seconds', params: { seconds: 2 } });
  });

  it('faults of one execution leave no trace in another', () => {
    const faulted = handler({ steps: [{ on: 'api', request: 1, fault: 'auth-expiry/token-expired', params: {} }] });
    const clean = handler();
    const a = issue(faulted);
    const b = issue(clean);
    expect(faulted.handle(getInvoice(a.access), 1, EPOCH).response.status).toBe(401);
    expect(clean.handle(getInvoice(b.access), 1, EPOCH).response.status).toBe(200);
  });

  it('answers an unmatched request with 500 and records the near miss', () => {
    const h = handler();
    const { access } = issue(h);
    const { response, entry } = h.handle(
      { method: 'GET', path: '/v1/invoices', query: { customer: ['cus_1'] }, headers: { authorization: `Bearer ${access}` }, body: '' },
      1,
      EPOCH,
    );
    expect(response.status).toBe(500);
    expect(response.headers['x-holdup-unmatched']).toBe('true');
    expect(entry.interaction).toBeUndefined();
    expect(entry.nearMiss?.mismatches[0]).toMatchObject({ part: 'query', path: 'limit' });
  });
});

describe('a V4 file mixing message and HTTP interactions', () => {
  it('answers each request with its own interaction: the messages before it shift nothing', async () => {
    const { parseContract } = await import('../contracts/load.js');
    const message = { type: 'Asynchronous/Messages', description: 'invoice paid event', contents: { content: { id: 'in_1' } } };
    const http = (description: string, path: string, id: string) => ({
      type: 'Synchronous/HTTP',
      description,
      request: { method: 'GET', path },
      response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { content: { id } } },
    });
    const mixed = parseContract(
      JSON.stringify({ interactions: [message, http('first', '/a', 'a'), message, http('second', '/b', 'b')], metadata: { pactSpecification: { version: '4.0' } } }),
      'mixed.json',
    );
    expect(mixed.skipped?.map((s) => s.index)).toEqual([0, 2]);
    const h = createReplayHandler({ contract: mixed, faults: FAULTS, label: 't' });
    for (const [path, id, index] of [['/a', 'a', 1], ['/b', 'b', 3]] as const) {
      const { response, entry } = h.handle({ method: 'GET', path, query: {}, headers: {}, body: '' }, 0, EPOCH);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ id });
      expect(entry.interaction?.index).toBe(index);
    }
  });
});

describe('names that every object inherits', () => {
  it('a request whose query or headers are called __proto__ or constructor is answered, not a crash', () => {
    const h = handler();
    for (const name of ['__proto__', 'constructor', 'toString']) {
      const request = { ...getInvoice(undefined), query: { [name]: ['1'] }, headers: { [name]: 'x' } };
      Object.defineProperty(request.query, name, { value: ['1'], enumerable: true });
      Object.defineProperty(request.headers, name, { value: 'x', enumerable: true });
      expect(h.handle(request, 0, EPOCH).response.status).toBeGreaterThanOrEqual(400);
    }
  });
});
