import { describe, expect, it } from 'vitest';
import { formatError, isHoldupError } from '../core/errors.js';
import { parseContract } from './load.js';
import { buildPactDocument, exchangeSecrets, type RecordedExchange } from './write.js';

const token: RecordedExchange = {
  operation: 'listInvoices',
  request: {
    method: 'POST',
    path: '/oauth/token',
    query: {},
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*', 'user-agent': 'node', host: '127.0.0.1:1' },
    body: 'grant_type=client_credentials&client_id=demo&client_secret=s3cret-value',
  },
  response: {
    status: 200,
    headers: { 'content-type': 'application/json', date: 'Thu, 01 Jan 2026 00:00:00 GMT', 'content-length': '99', 'cache-control': 'no-store' },
    body: JSON.stringify({ access_token: 'at_issued_1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt_issued_1' }),
  },
};

function list(operation: string, auth: string): RecordedExchange {
  return {
    operation,
    request: {
      method: 'GET',
      path: '/v1/invoices',
      query: { customer: ['cus_1'], limit: ['2'] },
      headers: { authorization: auth, accept: 'application/json', 'idempotency-key': 'k-1', traceparent: '00-abc', 'accept-encoding': 'gzip' },
      body: '',
    },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1' },
      body: JSON.stringify({ object: 'list', data: [{ id: 'in_1', echo: 'at_issued_1' }], has_more: false, next_cursor: null }),
    },
  };
}

/** The list request, answered with `response`. */
function answered(response: RecordedExchange['response']): RecordedExchange {
  return { ...list('listInvoices', 'Bearer x'), response };
}

describe('buildPactDocument', () => {
  it('writes a Pact V4 document that loads back, one interaction per distinct request, without a secret in it', () => {
    const doc = buildPactDocument({
      consumer: 'billing',
      provider: 'billing-api',
      upstream: 'http://127.0.0.1:1',
      exchanges: [token, list('listInvoices', 'Bearer at_issued_1'), list('getInvoice', 'Bearer at_issued_2')],
      knownSecrets: [{ name: 'client_secret', value: 's3cret-value' }],
    });
    expect(doc.interactions).toBe(2);
    expect(doc.duplicates).toBe(1);
    // client_secret, access_token, refresh_token, authorization, and the token echoed in a response
    expect(doc.redacted).toBe(5);
    for (const secret of ['s3cret-value', 'at_issued_1', 'rt_issued_1', 'at_issued_2', 'k-1']) expect(doc.text).not.toContain(secret);
    const contract = parseContract(doc.text, 'rec.json');
    expect(contract).toMatchObject({ consumer: 'billing', provider: 'billing-api', specVersion: '4.0' });
    const [first, second] = contract.interactions;
    expect(first!.description).toBe('listInvoices: POST /oauth/token (grant_type=client_credentials) → 200');
    expect(first!.request.headers).toEqual({ 'content-type': ['application/x-www-form-urlencoded'] });
    expect(first!.request.body?.json).toEqual({ grant_type: 'client_credentials', client_id: 'demo', client_secret: '<redacted:client_secret>' });
    expect(first!.request.rules.body).toEqual({ '$.client_secret': { combine: 'AND', matchers: [{ match: 'regex', regex: '^.+$' }] } });
    expect(first!.response.headers).toEqual({ 'content-type': ['application/json'], 'cache-control': ['no-store'] });
    expect(first!.response.body?.json).toEqual({ access_token: '<redacted:access_token>', token_type: 'Bearer', expires_in: 3600, refresh_token: '<redacted:refresh_token>' });
    expect(second!.description).toBe('listInvoices: GET /v1/invoices?customer=cus_1&limit=2 → 200');
    expect(second!.request.headers).toEqual({ accept: ['application/json'], authorization: ['Bearer <redacted:authorization>'] });
    expect(second!.request.rules.header).toEqual({
      accept: { combine: 'AND', matchers: [{ match: 'regex', regex: '^(?:application/json|\\*/\\*)$' }] },
      authorization: { combine: 'AND', matchers: [{ match: 'regex', regex: '^Bearer .+$' }] },
    });
    expect(second!.response.body?.json).toEqual({ object: 'list', data: [{ id: 'in_1', echo: '<redacted:access_token>' }], has_more: false, next_cursor: null });
  });

  it('says which request answered a JSON content type with a body that is not JSON, and where it stops parsing', () => {
    const broken: RecordedExchange = { ...list('listInvoices', 'Bearer x'), response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"object": list}' } };
    let error: unknown;
    try {
      buildPactDocument({ consumer: 'c', provider: 'p', upstream: 'http://127.0.0.1:1', exchanges: [broken] });
    } catch (caught) {
      error = caught;
    }
    expect(isHoldupError(error) && formatError(error)).toBe(
      "[holdup] UPSTREAM_BODY http://127.0.0.1:1/v1/invoices: the 200 response to GET /v1/invoices?customer=cus_1&limit=2 (operation listInvoices) says application/json but its body is not valid JSON at line 1, column 12: expected a JSON value, found 'list'\n" +
        '  next: a recording keeps what the upstream really sends: fix the upstream (or its Content-Type), or record against one that answers JSON',
    );
  });

  it('redacts a token response served as text/plain, and leaves out Set-Cookie', () => {
    const exchange = answered({
      status: 200,
      headers: { 'content-type': 'text/plain', 'set-cookie': 'sid=s3cr3t-session-value; HttpOnly' },
      body: '{"access_token":"at-123456789","refresh_token":"rt-987654321"}',
    });
    const doc = buildPactDocument({ consumer: 'c', provider: 'p', upstream: 'http://h', exchanges: [exchange] });
    for (const secret of ['at-123456789', 'rt-987654321', 's3cr3t-session-value']) expect(doc.text).not.toContain(secret);
    expect(doc.text).toContain('<redacted:access_token>');
  });

  it("scrubs a session cookie's value echoed on its own, without counting the Set-Cookie left out as a redacted value", () => {
    const exchange = answered({
      status: 200,
      headers: { 'content-type': 'application/json', 'set-cookie': 'sid=s3cr3t-session-value; Path=/; HttpOnly' },
      body: JSON.stringify({ session: 's3cr3t-session-value', hint: Buffer.from('s3cr3t-session-value').toString('base64') }),
    });
    const doc = buildPactDocument({ consumer: 'c', provider: 'p', upstream: 'http://h', exchanges: [exchange] });
    expect(JSON.parse(doc.text).interactions[0].response.body.content).toEqual({ session: '<redacted:set-cookie>', hint: '<redacted:set-cookie>' });
    // the Authorization value, and the two copies of the cookie's value
    expect(doc.redacted).toBe(3);
  });

  describe('cookies (a regression: every cookie value of 6 characters or more was learnt, and scrubbed out of paths, keys and bodies)', () => {
    /** GET /v1/invoices?status=inactive, sending `cookie` and answered with `setCookie` and `body`. */
    function withCookies(cookie: string | undefined, setCookie: string, body: unknown): RecordedExchange {
      return {
        operation: 'listInvoices',
        request: { method: 'GET', path: '/v1/invoices', query: { status: ['inactive'] }, headers: cookie ? { cookie } : {}, body: '' },
        response: { status: 200, headers: { 'content-type': 'application/json', 'set-cookie': setCookie }, body: JSON.stringify(body) },
      };
    }
    const record = (exchange: RecordedExchange) => buildPactDocument({ consumer: 'c', provider: 'p', upstream: 'http://h', exchanges: [exchange] });

    it('leaves values that read as data where they are: a path, a JSON key, a body value, a query in the description', () => {
      const body = { object: 'list', deleted: true, data: [{ id: 'in_1', status: 'inactive', view: 'invoices' }] };
      const doc = record(withCookies('status=inactive; theme=dark', 'last_view=invoices; Path=/v1/invoices, PHPSESSID=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT', body));
      const [interaction] = parseContract(doc.text, 'rec.json').interactions;
      expect(interaction!.request.path).toBe('/v1/invoices');
      expect(interaction!.request.query).toEqual({ status: ['inactive'] });
      expect(interaction!.description).toBe('listInvoices: GET /v1/invoices?status=inactive → 200');
      expect(interaction!.response.body?.json).toEqual(body);
      // the Cookie header itself is still replaced, and counted
      expect(interaction!.request.headers).toEqual({ cookie: ['<redacted:cookie>'] });
      expect(doc.redacted).toBe(1);
      expect(doc.text).not.toContain('<redacted:set-cookie>');
    });

    it('learns no data from a response header left out for its name (X-Session-State), only what reads as a credential', () => {
      const exchange = withCookies(undefined, 'theme=dark', { state: 'inactive', expires_at: '2026-01-02T10:00:00Z', session: 'st-8f7e6d5c4b' });
      exchange.response.headers = { ...exchange.response.headers, 'x-session-state': 'inactive', 'x-session-expires': '2026-01-02T10:00:00Z', 'x-session-token': 'st-8f7e6d5c4b' };
      expect(JSON.parse(record(exchange).text).interactions[0].response.body.content).toEqual({
        state: 'inactive',
        expires_at: '2026-01-02T10:00:00Z',
        session: '<redacted:x-session-token>',
      });
    });

    it("scrubs a session cookie's value, by its name or because it looks random, wherever it is echoed", () => {
      const session = 'k3j4h5g6f7d8s9a0q1w2e3r4t5';
      const tracker = 'Xy7Qp2LmN8rT4vWz9kB3';
      const doc = record(withCookies(`PHPSESSID=${session}`, `_cf_bm=${tracker}; Path=/`, { you: session, seen: tracker, status: 'inactive' }));
      expect(doc.text).not.toContain(session);
      expect(doc.text).not.toContain(tracker);
      expect(JSON.parse(doc.text).interactions[0].response.body.content).toEqual({ you: '<redacted:cookie>', seen: '<redacted:set-cookie>', status: 'inactive' });
    });
  });

  it('never prints a secret query value in that error', () => {
    const base = list('listInvoices', 'Bearer x');
    const broken: RecordedExchange = {
      ...base,
      request: { ...base.request, query: { api_key: ['KEY12345678'] } },
      response: { status: 502, headers: { 'content-type': 'application/json' }, body: '<html>' },
    };
    let error: unknown;
    try {
      buildPactDocument({ consumer: 'c', provider: 'p', upstream: 'http://127.0.0.1:1', exchanges: [broken] });
    } catch (caught) {
      error = caught;
    }
    const text = isHoldupError(error) ? formatError(error) : '';
    expect(text).toContain('GET /v1/invoices?api_key=%3Credacted%3E');
    expect(text).not.toContain('KEY12345678');
  });

  it('tells apart requests that differ only in their body, and numbers their equal descriptions', () => {
    const post = (amount: number): RecordedExchange => ({
      operation: 'createInvoice',
      request: { method: 'POST', path: '/v1/invoices', query: {}, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount }) },
      response: { status: 201, headers: {}, body: '' },
    });
    const doc = buildPactDocument({ consumer: 'c', provider: 'p', upstream: 'http://h', exchanges: [post(1), post(2), post(1)] });
    expect(parseContract(doc.text, 'x.json').interactions.map((i) => i.description)).toEqual([
      'createInvoice: POST /v1/invoices → 201',
      'createInvoice: POST /v1/invoices → 201 (#2)',
    ]);
    expect(doc.duplicates).toBe(1);
  });
});

describe('exchangeSecrets', () => {
  it('learns what the contract is redacted by, from the request and the response, as a request goes through', () => {
    const found = exchangeSecrets({
      operation: 'login',
      request: {
        method: 'POST',
        path: '/login',
        query: { api_key: ['k-12345678'], page: ['2'] },
        headers: { 'content-type': 'text/plain', authorization: 'Basic dXNlcjpodW50ZXIyLXB3', cookie: 'sid=abc123456; theme=dark' },
        body: '{"password":"pw-123456789"}',
      },
      response: { status: 200, headers: { 'content-type': 'application/json', 'x-session-token': 'st-11111111' }, body: '{"data":{"accessToken":"at-22222222"}}' },
    });
    expect(found.map((secret) => `${secret.name}=${secret.value}${secret.scrubOnly ? ' (scrub only)' : ''}${secret.countOnly ? ' (count only)' : ''}`)).toEqual([
      'api_key=k-12345678',
      'authorization=dXNlcjpodW50ZXIyLXB3',
      'authorization=user:hunter2-pw (scrub only)',
      'authorization=hunter2-pw (scrub only)',
      'cookie=sid=abc123456; theme=dark (count only)',
      // the session cookie, not the theme
      'cookie=abc123456 (scrub only)',
      // JSON under another content type
      'password=pw-123456789',
      'x-session-token=st-11111111 (scrub only)',
      'accesstoken=at-22222222',
    ]);
  });
});
