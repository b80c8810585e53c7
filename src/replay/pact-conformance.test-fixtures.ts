/**
 * The contracts of the Pact conformance test (pact-conformance.e2e.test.ts), written with
 * pact-js's V4 API so that each file is what pact-js itself writes, and the requests sent to
 * both Pact's mock server and holdup's replay server for each.
 *
 * Every V2–V4 matcher and every generator of the Pact specification appears at least once;
 * matchers pact-js has no helper for (`semver`, `notEmpty`, `values`, generators with options)
 * are given in the integration format pact-js passes to the core (`pact:matcher:type`).
 */
import { HTTPResponseStatusClass, PactV4, MatchersV3 as M, SpecificationVersion } from '@pact-foundation/pact';

/** A V4 interaction whose request and response are set: the last one of a contract starts the mock server. */
type Finished = ReturnType<ReturnType<ReturnType<PactV4['addInteraction']>['withRequest']>['willRespondWith']>;

export interface ConformanceRequest {
  /** A short name for the table: what the request tries. */
  name: string;
  method: string;
  /** Path and query, e.g. `/items?limit=2`. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * One request per interaction that matches it exactly as written: pact-js writes the contract
   * file only after a test in which every interaction was matched, so these are sent first, alone.
   */
  example?: boolean;
}

export interface ConformanceContract {
  /** The file name's stem, `conformance-<name>`. */
  name: string;
  /** The Pact specification pact-js writes the file in: V4 unless said. */
  spec?: SpecificationVersion;
  /** Adds the interactions to `pact`; returns the last one, whose `executeTest` starts the mock server. */
  define(pact: PactV4, files: { upload: string }): Finished;
  requests: ConformanceRequest[];
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** The integration format pact-js sends the core for a matcher, with a generator when given. */
function raw(match: string, value: unknown, options: Record<string, unknown> = {}): unknown {
  return { 'pact:matcher:type': match, value, ...options };
}

function generated(match: string, generator: string, value: unknown, options: Record<string, unknown> = {}): unknown {
  return { 'pact:matcher:type': match, 'pact:generator:type': generator, value, ...options };
}

const ITEM = {
  name: 'widget',
  qty: 3,
  price: 9.99,
  score: 1.5,
  active: true,
  tag: 'red',
  note: 'say hello there',
  code: 'X1',
  when: '2024-01-02T03:04:05',
  day: '2024-01-02',
  at: '12:30:00',
  gone: null,
  version: '1.2.3',
  label: 'x',
  tags: ['a'],
  few: [1],
  range: [{ n: 1 }],
  stamp: '2024-01-02T03:04:05.000Z',
  totals: { net: 10 },
  labels: { en: 'Order' },
  lines: [{ sku: 'A-1', qty: 1 }, { sku: 'B-2', qty: 2 }],
  extras: { gift: 'yes' },
};

function item(change: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...ITEM, ...change });
}

/** Body matchers, one field each. */
const matchers: ConformanceContract = {
  name: 'matchers',
  define: (pact) =>
    pact
      .addInteraction()
      .given('the shop is open')
      .uponReceiving('a new item with every scalar matcher')
      .withRequest('POST', '/items', (b) =>
        b.headers(JSON_TYPE).jsonBody({
          name: M.string('widget'),
          qty: M.integer(3),
          price: M.decimal(9.99),
          score: M.number(1.5),
          active: M.boolean(true),
          tag: M.regex('^[a-z]+$', 'red'),
          note: M.includes('hello'),
          code: M.equal('X1'),
          when: M.datetime("yyyy-MM-dd'T'HH:mm:ss", '2024-01-02T03:04:05'),
          day: M.date('yyyy-MM-dd', '2024-01-02'),
          at: M.time('HH:mm:ss', '12:30:00'),
          gone: M.nullValue(),
          version: raw('semver', '1.2.3'),
          label: raw('notEmpty', 'x'),
          tags: M.eachLike('a', 1),
          few: M.atMostLike(1, 2),
          range: M.constrainedArrayLike({ n: M.integer(1) }, 1, 3),
          stamp: M.timestamp("yyyy-MM-dd'T'HH:mm:ss.SSSX", '2024-01-02T03:04:05.000Z'),
          totals: M.eachValueMatches({ net: 10 }, M.integer(10)),
          labels: M.eachKeyMatches({ en: 'Order' }, M.regex('^[a-z]{2}$', 'en')),
          lines: M.arrayContaining({ sku: 'A-1', qty: M.integer(1) }, { sku: M.regex('^B-\\d$', 'B-2'), qty: 2 }),
          extras: raw('values', { gift: 'yes' }),
        }),
      )
      .willRespondWith(201, (b) => b.headers(JSON_TYPE).jsonBody({ created: true })),
  requests: [
    { name: 'the example', method: 'POST', url: '/items', headers: JSON_TYPE, body: item(), example: true },
    { name: 'other values of the same types', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ name: 'gadget', qty: 7, price: 0.5, score: 2, active: false, tag: 'blue', tags: ['a', 'b'] }) },
    { name: 'integer given a fraction', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ qty: 3.5 }) },
    { name: 'decimal given an integer', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ price: 10 }) },
    { name: 'decimal given 10.0', method: 'POST', url: '/items', headers: JSON_TYPE, body: item().replace('"price":9.99', '"price":10.0') },
    { name: 'number given a string', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ score: '1.5' }) },
    { name: 'boolean given a string', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ active: 'true' }) },
    { name: 'regex not matched', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ tag: 'RED' }) },
    { name: 'include not found', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ note: 'goodbye' }) },
    { name: 'equality differs', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ code: 'X2' }) },
    { name: 'datetime of another format', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ when: '2024-01-02 03:04:05' }) },
    { name: 'date with one-digit month', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ day: '2024-1-02' }) },
    { name: 'date 2024-02-30', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ day: '2024-02-30' }) },
    { name: 'date with month 13', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ day: '2024-13-01' }) },
    { name: 'time with one-digit hour', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ at: '1:30:00' }) },
    { name: 'time without seconds', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ at: '12:30' }) },
    { name: 'time 24:00:00', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ at: '24:00:00' }) },
    { name: 'null given a value', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ gone: 0 }) },
    { name: 'semver given two parts', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ version: '1.2' }) },
    { name: 'notEmpty given ""', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ label: '' }) },
    { name: 'eachLike given []', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ tags: [] }) },
    { name: 'max 2 given 3', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ few: [1, 2, 3] }) },
    { name: 'min 1 max 3 given 4', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ range: [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }] }) },
    { name: 'timestamp without the zone', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ stamp: '2024-01-02T03:04:05.000' }) },
    { name: 'eachValue: more values of the type', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ totals: { net: 10, gross: 12, tax: 2 } }) },
    { name: 'eachValue given a string', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ totals: { net: '10' } }) },
    { name: 'eachKey: other keys of the pattern', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ labels: { de: 'Bestellung', fr: 'Commande' } }) },
    { name: 'eachKey given a key off the pattern', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ labels: { EN: 'Order' } }) },
    { name: 'arrayContains: both variants among others', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ lines: [{ sku: 'Z-9', qty: 5 }, { sku: 'B-7', qty: 2 }, { sku: 'A-1', qty: 4 }] }) },
    { name: 'arrayContains: a variant missing', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ lines: [{ sku: 'A-1', qty: 1 }] }) },
    { name: 'values: other keys', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ extras: { wrap: 'no', card: 'yes' } }) },
    { name: 'a key the contract lacks', method: 'POST', url: '/items', headers: JSON_TYPE, body: item({ extra: 1 }) },
    { name: 'a key missing', method: 'POST', url: '/items', headers: JSON_TYPE, body: JSON.stringify({ ...ITEM, name: undefined }) },
  ],
};

/** Collection matchers, path, query and header matchers, status matchers, V4 pending and comments. */
const collections: ConformanceContract = {
  name: 'collections',
  define: (pact) => {
    pact
      .addInteraction()
      .given('an order exists', { id: 42 })
      .uponReceiving('an order by id')
      .pending(true)
      .comment('a pending interaction: the provider has not verified it yet')
      .withRequest('GET', M.regex('^/orders/\\d+$', '/orders/42'), (b) =>
        b.query({ fields: M.regex('^[a-z,]+$', 'id,lines'), page: M.integer(1) }).headers({ 'X-Request-Id': M.uuid('a7a9a8f0-5b1c-4a7d-9a2e-0c1d2e3f4a5b'), Accept: 'application/json' }),
      )
      .willRespondWith(M.matchStatus(200, HTTPResponseStatusClass.Success), (b) =>
        b.headers({ 'Content-Type': 'application/json', 'X-Rate-Limit': M.regex('^\\d+$', '100') }).jsonBody({
          id: M.integer(42),
          totals: M.eachValueMatches({ net: 10 }, M.integer(10)),
          labels: M.eachKeyMatches({ en: 'Order' }, M.regex('^[a-z]{2}$', 'en')),
          lines: M.arrayContaining({ sku: 'A-1', qty: M.integer(1) }, { sku: M.regex('^B-\\d$', 'B-2'), qty: 2 }),
          extras: raw('values', { gift: 'yes' }),
          notes: M.atLeastLike('n', 2),
        }),
      );
    return pact
      .addInteraction()
      .uponReceiving('a search with a repeated query parameter and a header matcher')
      .comment({ key: 'owner', value: 'orders team' })
      .withRequest('GET', '/orders', (b) => b.query({ status: ['open', 'held'] }).headers({ 'X-Tenant': M.regex('^t-\\d+$', 't-1') }))
      .willRespondWith(200, (b) => b.headers(JSON_TYPE).jsonBody({ count: M.integer(2) }));
  },
  requests: [
    { name: 'the order, as written', method: 'GET', url: '/orders/42?fields=id,lines&page=1', headers: { 'X-Request-Id': 'a7a9a8f0-5b1c-4a7d-9a2e-0c1d2e3f4a5b', Accept: 'application/json' }, example: true },
    { name: 'another id, page and request id', method: 'GET', url: '/orders/7?fields=id&page=3', headers: { 'X-Request-Id': '0f0e0d0c-0b0a-4909-8807-060504030201', Accept: 'application/json' } },
    { name: 'path not matching the regex', method: 'GET', url: '/orders/abc?fields=id&page=1', headers: { 'X-Request-Id': 'a7a9a8f0-5b1c-4a7d-9a2e-0c1d2e3f4a5b', Accept: 'application/json' } },
    { name: 'query integer given text', method: 'GET', url: '/orders/42?fields=id&page=one', headers: { 'X-Request-Id': 'a7a9a8f0-5b1c-4a7d-9a2e-0c1d2e3f4a5b', Accept: 'application/json' } },
    { name: 'header uuid not a uuid', method: 'GET', url: '/orders/42?fields=id&page=1', headers: { 'X-Request-Id': 'nope', Accept: 'application/json' } },
    { name: 'an unexpected query parameter', method: 'GET', url: '/orders/42?fields=id&page=1&debug=1', headers: { 'X-Request-Id': 'a7a9a8f0-5b1c-4a7d-9a2e-0c1d2e3f4a5b', Accept: 'application/json' } },
    { name: 'the search, as written', method: 'GET', url: '/orders?status=open&status=held', headers: { 'X-Tenant': 't-1' }, example: true },
    { name: 'search, values in another order', method: 'GET', url: '/orders?status=held&status=open', headers: { 'X-Tenant': 't-1' } },
    { name: 'search, one value missing', method: 'GET', url: '/orders?status=open', headers: { 'X-Tenant': 't-1' } },
    { name: 'search, header regex not matched', method: 'GET', url: '/orders?status=open&status=held', headers: { 'X-Tenant': 'acme' } },
  ],
};

/** Every generator, on a response (the mock server generates; so must the replay). */
const generators: ConformanceContract = {
  name: 'generators',
  define: (pact) =>
    pact
      .addInteraction()
      .given('an account exists', { accountId: 77, name: 'Ada' })
      .uponReceiving('an account with generated values')
      .withRequest('GET', '/accounts/77')
      .willRespondWith(200, (b) =>
        b
          .headers({ 'Content-Type': 'application/json', Location: M.fromProviderState('/accounts/${accountId}', '/accounts/1') })
          .jsonBody({
            id: M.fromProviderState('${accountId}', 1),
            owner: M.fromProviderState('${name}', 'someone'),
            visits: generated('integer', 'RandomInt', 150, { min: 100, max: 1_000_000 }),
            balance: M.decimal(),
            ref: generated('regex', 'RandomHexadecimal', 'deadbeef', { regex: '^[0-9a-f]{8}$', digits: 8 }),
            nick: generated('type', 'RandomString', 'abcdefghijkl', { size: 12 }),
            code: generated('regex', 'Regex', 'ABC-1234', { regex: '^[A-Z]{3}-\\d{4}$' }),
            token: M.uuid(),
            opened: generated('date', 'Date', '2024-01-02', { format: 'yyyy-MM-dd' }),
            alarm: generated('time', 'Time', '12:00:00', { format: 'HH:mm:ss' }),
            updated: generated('datetime', 'DateTime', '2024-01-02T03:04:05', { format: "yyyy-MM-dd'T'HH:mm:ss" }),
            verified: generated('boolean', 'RandomBoolean', true),
            self: generated('regex', 'MockServerURL', 'http://localhost:8080/accounts/77', { regex: '.*(/accounts/\\d+)$', example: 'http://localhost:8080/accounts/77' }),
          }),
      ),
  requests: [{ name: 'the account', method: 'GET', url: '/accounts/77', example: true }],
};

/** A PNG of 1×1 pixel: bytes that are not UTF-8 text. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

/** Binary bodies: a PNG served, bytes uploaded. */
const binary: ConformanceContract = {
  name: 'binary',
  define: (pact) => {
    pact
      .addInteraction()
      .uponReceiving('the logo')
      .withRequest('GET', '/logo.png')
      .willRespondWith(200, (b) => b.body('image/png', PNG));
    return pact
      .addInteraction()
      .uponReceiving('an upload of raw bytes')
      .withRequest('PUT', '/blobs/1', (b) => b.body('application/octet-stream', Buffer.from([0, 1, 2, 0xfe, 0xff])))
      .willRespondWith(204);
  },
  requests: [
    { name: 'the logo', method: 'GET', url: '/logo.png', example: true },
    { name: 'the bytes, as written', method: 'PUT', url: '/blobs/1', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 0xfe, 0xff]), example: true },
    { name: 'other bytes', method: 'PUT', url: '/blobs/1', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 0xfe, 0xfd]) },
  ],
};

export const UPLOAD_TEXT = 'name,qty\nwidget,3\n';

function multipartBody(boundary: string, content: string, partType = 'text/plain', field = 'file'): Buffer {
  return Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="upload.txt"\r\nContent-Type: ${partType}\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
}

/** A multipart/form-data upload: parts matched one by one, whatever the boundary. */
const multipart: ConformanceContract = {
  name: 'multipart',
  define: (pact, files) =>
    pact
      .addInteraction()
      .uponReceiving('a CSV upload')
      .withRequest('POST', '/imports', (b) => b.multipartBody('text/plain', files.upload, 'file', 'pactBoundary1'))
      .willRespondWith(202, (b) => b.headers(JSON_TYPE).jsonBody({ accepted: true })),
  requests: [
    { name: 'the upload, same boundary', method: 'POST', url: '/imports', headers: { 'content-type': 'multipart/form-data; boundary=pactBoundary1' }, body: multipartBody('pactBoundary1', UPLOAD_TEXT), example: true },
    { name: 'the upload, another boundary', method: 'POST', url: '/imports', headers: { 'content-type': 'multipart/form-data; boundary=----client42' }, body: multipartBody('----client42', UPLOAD_TEXT) },
    { name: 'another file type', method: 'POST', url: '/imports', headers: { 'content-type': 'multipart/form-data; boundary=b2' }, body: multipartBody('b2', UPLOAD_TEXT, 'application/json') },
    { name: 'another part name', method: 'POST', url: '/imports', headers: { 'content-type': 'multipart/form-data; boundary=b3' }, body: multipartBody('b3', UPLOAD_TEXT, 'text/plain', 'data') },
    { name: 'other text in the part', method: 'POST', url: '/imports', headers: { 'content-type': 'multipart/form-data; boundary=b4' }, body: multipartBody('b4', 'name,qty\ngadget,9\n') },
    {
      name: 'an extra part',
      method: 'POST',
      url: '/imports',
      headers: { 'content-type': 'multipart/form-data; boundary=b5' },
      body: Buffer.concat([multipartBody('b5', UPLOAD_TEXT).subarray(0, -8), Buffer.from('\r\n--b5\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--b5--\r\n')]),
    },
  ],
};

/** An OAuth2 token endpoint and an API call whose Authorization header has a regex matcher. */
const auth: ConformanceContract = {
  name: 'auth',
  define: (pact) => {
    pact
      .addInteraction()
      .uponReceiving('a client-credentials token request')
      .withRequest('POST', '/oauth/token', (b) => b.headers(JSON_TYPE).jsonBody({ grant_type: 'client_credentials' }))
      .willRespondWith(200, (b) => b.headers(JSON_TYPE).jsonBody({ access_token: M.regex('^[a-f0-9]{16}$', '0123456789abcdef'), token_type: 'Bearer', expires_in: M.integer(3600) }));
    return pact
      .addInteraction()
      .uponReceiving('the current user, with a bearer token')
      .withRequest('GET', '/me', (b) => b.headers({ Authorization: M.regex('^Bearer [a-f0-9]{16}$', 'Bearer 0123456789abcdef') }))
      .willRespondWith(200, (b) => b.headers(JSON_TYPE).jsonBody({ id: M.integer(1) }));
  },
  requests: [
    { name: 'a token', method: 'POST', url: '/oauth/token', headers: JSON_TYPE, body: '{"grant_type":"client_credentials"}', example: true },
    { name: "/me with the contract's example token", method: 'GET', url: '/me', headers: { authorization: 'Bearer 0123456789abcdef' }, example: true },
    { name: '/me with the token the server issued', method: 'GET', url: '/me', headers: { authorization: 'Bearer {issued}' } },
    { name: '/me with another token of the same shape', method: 'GET', url: '/me', headers: { authorization: 'Bearer fedcba9876543210' } },
    { name: '/me with a token of another shape', method: 'GET', url: '/me', headers: { authorization: 'Bearer not-a-hex-token' } },
    { name: '/me without a token', method: 'GET', url: '/me' },
  ],
};

/** The same matchers and requests, written as a V3 file and as a V2 file (where pact-js writes what V2 can hold). */
const matchersV3: ConformanceContract = { ...matchers, name: 'matchers-v3', spec: SpecificationVersion.SPECIFICATION_VERSION_V3 };
const matchersV2: ConformanceContract = { ...matchers, name: 'matchers-v2', spec: SpecificationVersion.SPECIFICATION_VERSION_V2 };

export const CONFORMANCE_CONTRACTS: readonly ConformanceContract[] = [matchers, matchersV3, matchersV2, collections, generators, binary, multipart, auth];

export function newPact(contract: ConformanceContract, dir: string): PactV4 {
  const spec = contract.spec ?? SpecificationVersion.SPECIFICATION_VERSION_V4;
  return new PactV4({ consumer: 'conformance-app', provider: `conformance-${contract.name}`, dir, spec, logLevel: 'error' });
}
