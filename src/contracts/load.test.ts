import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError, HoldupError } from '../core/errors.js';
import { loadContract, parseContract } from './load.js';

function errorOf(fn: () => unknown): HoldupError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HoldupError) return error;
    throw error;
  }
  throw new Error('expected a HoldupError');
}

const v4 = {
  consumer: { name: 'billing-app' },
  provider: { name: 'billing-api' },
  interactions: [
    {
      type: 'Synchronous/HTTP',
      description: 'a request for invoices',
      key: 'k1',
      pending: false,
      providerStates: [{ name: 'customer cus_1 has invoices', params: { customer: 'cus_1' } }],
      request: {
        method: 'get',
        path: '/v1/invoices',
        query: { customer: ['cus_1'], limit: '10' },
        headers: { Accept: ['application/json'], Authorization: 'Bearer x' },
        matchingRules: { header: { Authorization: { combine: 'AND', matchers: [{ match: 'regex', regex: '^Bearer ' }] } } },
      },
      response: {
        status: 200,
        headers: { 'Content-Type': ['application/json; charset=utf-8'] },
        body: { content: { data: [{ id: 'in_1', amount: 1200 }], has_more: false }, contentType: 'application/json', encoded: false },
        matchingRules: { body: { '$.data': { combine: 'AND', matchers: [{ match: 'type', min: 1 }] } } },
      },
    },
    {
      type: 'Asynchronous/Messages',
      description: 'an invoice.paid event',
      contents: { content: {} },
    },
    {
      type: 'Synchronous/HTTP',
      description: 'a token request',
      request: {
        method: 'POST',
        path: '/oauth/token',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: { content: 'grant_type=client_credentials&client_id=demo', contentType: 'application/x-www-form-urlencoded', encoded: false },
      },
      response: {
        status: 200,
        body: { content: Buffer.from('{"access_token":"t1","expires_in":3600}').toString('base64'), contentType: 'application/json', encoded: 'base64' },
      },
    },
    {
      type: 'Synchronous/HTTP',
      description: 'a health check',
      request: { method: 'GET', path: '/health' },
      response: { status: 200, body: { content: 'ok', contentType: 'text/plain', encoded: false } },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

describe('parseContract', () => {
  it('normalises a V4 contract, skipping message interactions', () => {
    const contract = parseContract(JSON.stringify(v4), 'contracts/billing.json');
    expect(contract.consumer).toBe('billing-app');
    expect(contract.provider).toBe('billing-api');
    expect(contract.specVersion).toBe('4.0');
    expect(contract.interactions.map((i) => i.index)).toEqual([0, 2, 3]);
    const [list, token, health] = contract.interactions;
    expect(list!.request).toEqual({
      method: 'GET',
      path: '/v1/invoices',
      query: { customer: ['cus_1'], limit: ['10'] },
      headers: { accept: ['application/json'], authorization: ['Bearer x'] },
      rules: { body: {}, header: { authorization: { combine: 'AND', matchers: [{ match: 'regex', regex: '^Bearer ' }] } }, query: {} },
    });
    expect(list!.providerStates).toEqual([{ name: 'customer cus_1 has invoices', params: { customer: 'cus_1' } }]);
    expect(list!.response.body).toEqual({ contentType: 'application/json', json: { data: [{ id: 'in_1', amount: 1200 }], has_more: false } });
    expect(list!.response.rules.body).toEqual({ '$.data': { combine: 'AND', matchers: [{ match: 'type', min: 1 }] } });
    expect(token!.request.body).toEqual({
      contentType: 'application/x-www-form-urlencoded',
      json: { grant_type: 'client_credentials', client_id: 'demo' },
    });
    expect(token!.response.body).toEqual({ contentType: 'application/json', json: { access_token: 't1', expires_in: 3600 } });
    expect(health!.response.body).toEqual({ contentType: 'text/plain', text: 'ok' });
  });

  it('normalises a V3 contract with raw bodies and rule categories', () => {
    const contract = parseContract(
      JSON.stringify({
        consumer: { name: 'c' },
        provider: { name: 'p' },
        interactions: [
          {
            description: 'create an invoice',
            providerStates: [{ name: 'customer exists' }],
            request: {
              method: 'POST',
              path: '/v1/invoices',
              headers: { 'Content-Type': 'application/json' },
              body: { customer: 'cus_1', amount: 1200 },
              matchingRules: { body: { '$.amount': { matchers: [{ match: 'integer' }] } }, path: { matchers: [{ match: 'regex', regex: '^/v1/invoices$' }] } },
            },
            response: { status: 201, body: '{"id":"in_1"}', headers: { 'content-type': 'application/json' } },
          },
        ],
        metadata: { pactSpecification: { version: '3.0.0' } },
      }),
      'c.json',
    );
    const [create] = contract.interactions;
    expect(create!.request.body).toEqual({ contentType: 'application/json', json: { customer: 'cus_1', amount: 1200 } });
    expect(create!.request.rules.body).toEqual({ '$.amount': { combine: 'AND', matchers: [{ match: 'integer' }] } });
    expect(create!.request.rules.path).toEqual({ combine: 'AND', matchers: [{ match: 'regex', regex: '^/v1/invoices$' }] });
    expect(create!.response.body).toEqual({ contentType: 'application/json', json: { id: 'in_1' } });
    expect(contract.specVersion).toBe('3.0.0');
  });

  it('normalises a V2 contract: flat matching rules, providerState, query string', () => {
    const contract = parseContract(
      JSON.stringify({
        consumer: { name: 'c' },
        provider: { name: 'p' },
        interactions: [
          {
            description: 'list',
            providerState: 'invoices exist',
            request: {
              method: 'GET',
              path: '/invoices/in_1',
              query: 'a=1&a=2&b=x',
              headers: { 'X-Trace': 'abc' },
              matchingRules: { '$.path': { regex: '^/invoices/in_\\d+$' }, '$.headers.X-Trace': { match: 'type' }, '$.query.b': { match: 'type' } },
            },
            response: { status: 200, body: [{ id: 1 }], matchingRules: { '$.body': { min: 1, match: 'type' }, '$.body[*].id': { match: 'integer' } } },
          },
        ],
        metadata: { 'pact-specification': { version: '2.0.0' } },
      }),
      'c.json',
    );
    const [list] = contract.interactions;
    expect(list!.providerStates).toEqual([{ name: 'invoices exist' }]);
    expect(list!.request.query).toEqual({ a: ['1', '2'], b: ['x'] });
    expect(list!.request.rules).toEqual({
      body: {},
      header: { 'x-trace': { combine: 'AND', matchers: [{ match: 'type' }] } },
      query: { b: { combine: 'AND', matchers: [{ match: 'type' }] } },
      path: { combine: 'AND', matchers: [{ regex: '^/invoices/in_\\d+$', match: 'regex' }] },
    });
    expect(list!.response.rules.body).toEqual({
      $: { combine: 'AND', matchers: [{ min: 1, match: 'type' }] },
      '$[*].id': { combine: 'AND', matchers: [{ match: 'integer' }] },
    });
  });

  it('reports a wrong type with the JSON path, what was expected and what was found', () => {
    const bad = structuredClone(v4) as { interactions: { request: { method: unknown } }[] };
    bad.interactions[0]!.request.method = 42;
    const error = errorOf(() => parseContract(JSON.stringify(bad), 'contracts/billing.json'));
    expect(error.code).toBe('CONTRACT_SCHEMA');
    expect(formatError(error)).toBe(
      '[holdup] CONTRACT_SCHEMA contracts/billing.json: $.interactions[0].request.method: expected a string for the HTTP method, found 42\n' +
        '  next: fix the contract so it matches the Pact specification (docs/contracts.md)',
    );
  });

  it('reports the first of several problems and how many more there are', () => {
    const bad = structuredClone(v4) as { interactions: { request: Record<string, unknown>; response: Record<string, unknown> }[] };
    delete bad.interactions[0]!.request.path;
    bad.interactions[3]!.response.status = '200';
    bad.interactions[2]!.request.headers = { Accept: { a: 1 } };
    expect(formatError(errorOf(() => parseContract(JSON.stringify(bad), 'contracts/billing.json')))).toBe(
      '[holdup] CONTRACT_SCHEMA contracts/billing.json: $.interactions[0].request.path: expected a string for the request path, found nothing (and 2 more problems)\n' +
        '  next: fix the contract so it matches the Pact specification (docs/contracts.md)',
    );
  });

  it('reports a header value that is neither a string nor a list', () => {
    const bad = structuredClone(v4) as { interactions: { request: Record<string, unknown> }[] };
    bad.interactions[2]!.request.headers = { Accept: { a: 1 } };
    expect(formatError(errorOf(() => parseContract(JSON.stringify(bad), 'c.json')))).toBe(
      "[holdup] CONTRACT_SCHEMA c.json: $.interactions[2].request.headers.Accept: expected a string or a list of strings for the \"Accept\" header, found an object\n" +
        '  next: fix the contract so it matches the Pact specification (docs/contracts.md)',
    );
  });

  it('reports a status out of range', () => {
    const bad = structuredClone(v4) as { interactions: { response: Record<string, unknown> }[] };
    bad.interactions[0]!.response.status = 42;
    expect(errorOf(() => parseContract(JSON.stringify(bad), 'c.json')).message).toBe(
      'expected an HTTP status between 100 and 599 for the response status, found 42',
    );
  });

  it('refuses a contract without any HTTP interaction', () => {
    const onlyMessages = { ...v4, interactions: [v4.interactions[1]] };
    expect(formatError(errorOf(() => parseContract(JSON.stringify(onlyMessages), 'contracts/events.json')))).toBe(
      '[holdup] CONTRACT_SCHEMA contracts/events.json: $.interactions: expected at least one HTTP interaction (type "Synchronous/HTTP") in the interactions list, found none holdup can replay (1 skipped: holdup replays HTTP interactions only)\n' +
        '  next: fix the contract so it matches the Pact specification (docs/contracts.md)',
    );
  });

  it('refuses a file without interactions', () => {
    expect(formatError(errorOf(() => parseContract('{"consumer":{"name":"c"}}', 'c.json')))).toBe(
      '[holdup] CONTRACT_SCHEMA c.json: $.interactions: expected an array for the interactions list, found nothing\n' +
        '  next: fix the contract so it matches the Pact specification (docs/contracts.md)',
    );
  });

  it('says where a file stops being JSON and what it found', () => {
    const text = '{\n  "consumer": { "name": "c" },\n  "interactions": [\n    { "description": "x" }\n    { "description": "y" }\n  ]\n}';
    expect(formatError(errorOf(() => parseContract(text, 'contracts/broken.json')))).toBe(
      "[holdup] CONTRACT_JSON contracts/broken.json: not valid JSON at line 5, column 5: expected ',' or ']', found '{'\n" +
        '  next: fix the JSON syntax of the contract (a trailing comma or a missing quote is the usual cause)',
    );
  });

  it('names a bare word and a truncated file', () => {
    expect(errorOf(() => parseContract('{"a": undefined}', 'c.json')).message).toBe(
      "not valid JSON at line 1, column 7: expected a JSON value, found 'undefined'",
    );
    expect(errorOf(() => parseContract('{"a": [1, 2', 'c.json')).message).toBe(
      "not valid JSON at line 1, column 12: expected ',' or ']', found the end of the file",
    );
    expect(errorOf(() => parseContract("{'a': 1}", 'c.json')).message).toBe(
      "not valid JSON at line 1, column 2: expected a property name in double quotes, found '''",
    );
  });

  it('says an empty file is empty', () => {
    expect(formatError(errorOf(() => parseContract('  \n', 'c.json')))).toBe(
      '[holdup] CONTRACT_JSON c.json: the file is empty: expected a Pact JSON document\n' +
        '  next: fix the contract so it matches the Pact specification (docs/contracts.md)',
    );
  });
});

describe('loadContract', () => {
  it('reads a file from disk', async () => {
    const root = mkdtempSync(join(tmpdir(), 'holdup-load-'));
    mkdirSync(join(root, 'contracts'));
    writeFileSync(join(root, 'contracts', 'a.json'), JSON.stringify(v4));
    const contract = await loadContract(join(root, 'contracts', 'a.json'), 'contracts/a.json');
    expect(contract.file).toBe('contracts/a.json');
    expect(contract.interactions).toHaveLength(3);
  });

  it('names the connector field and the project root when the file is missing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'holdup-load-'));
    const error = await loadContract(join(root, 'contracts', 'missing.json'), 'contracts/missing.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HoldupError);
    expect(formatError(error as HoldupError)).toBe(
      '[holdup] CONTRACT_NOT_FOUND contracts/missing.json: contract file not found\n' +
        `  next: check the connector's \`contract\` field: it is resolved against the project root (${root}), the folder of holdup.config.ts`,
    );
  });
});

describe('limits and values that cannot work: a coded error with the place in the file', () => {
  const withResponse = (change: (response: Record<string, unknown>) => void): string => {
    const copy = structuredClone(v4) as { interactions: { response: Record<string, unknown> }[] };
    change(copy.interactions[0]!.response);
    return JSON.stringify(copy);
  };
  const regexRule = (regex: unknown) => (response: Record<string, unknown>) => {
    response['matchingRules'] = { body: { '$.has_more': { combine: 'AND', matchers: [{ match: 'regex', regex }] } } };
  };

  it('JSON nested deeper than 256 levels, in the file or in an encoded body', () => {
    const deep = `${'['.repeat(300)}${']'.repeat(300)}`;
    const inFile = errorOf(() => parseContract(withResponse((r) => (r['body'] = { content: 0 })).replace('"content":0', `"content":${deep}`), 'c.json'));
    expect(inFile.code).toBe('CONTRACT_JSON');
    expect(inFile.message).toMatch(/^nested more than 256 levels deep at line 1, column \d+$/);
    const encoded = errorOf(() => parseContract(withResponse((r) => (r['body'] = { content: deep, contentType: 'application/json', encoded: 'json' })), 'c.json'));
    expect(formatError(encoded)).toContain("CONTRACT_SCHEMA c.json: $.interactions[0].response.body.content: the body's JSON nests more than 256 levels deep");
  });

  it('a header name that is not an HTTP token, a header value with a line break', () => {
    const name = errorOf(() => parseContract(withResponse((r) => (r['headers'] = { 'Bad Header': 'x' })), 'c.json'));
    expect(formatError(name)).toContain(`c.json: $.interactions[0].response.headers['Bad Header']: expected a header name: letters, digits and`);
    expect(name.message).toMatch(/found "Bad Header"$/);
    const value = errorOf(() => parseContract(withResponse((r) => (r['headers'] = { 'X-Split': 'a\r\nSet-Cookie: x=1' })), 'c.json'));
    expect(value.path).toBe('$.interactions[0].response.headers.X-Split');
    expect(value.message).toContain('without control characters');
  });

  it('a regex RE2 cannot compile, a regex that is not a string, a look-behind', () => {
    for (const [regex, said] of [['([', 'missing closing ]'], ['(?<=a)b', 'invalid named capture'], ['(?=x)', 'unsupported Perl syntax']] as const) {
      const error = errorOf(() => parseContract(withResponse(regexRule(regex)), 'c.json'));
      expect(error.code).toBe('CONTRACT_SCHEMA');
      expect(error.path).toBe("$.interactions[0].response.matchingRules.body['$.has_more'].matchers[0].regex");
      expect(error.message).toContain(`the regular expression ${JSON.stringify(regex)} is not valid in Pact's regex syntax (RE2's): `);
      expect(error.message).toContain(said);
      expect(error.hint).toContain('no look-around');
    }
    expect(errorOf(() => parseContract(withResponse(regexRule(42)), 'c.json')).message).toBe('expected a string for the regular expression, found 42');
  });

  it('keeps the JavaScript escapes contracts written by pact-js use', () => {
    expect(() => parseContract(withResponse(regexRule('^\\u0041\\/\\d+\\-x$')), 'c.json')).not.toThrow();
  });

  it('a date format whose optional section is not closed', () => {
    const error = errorOf(() =>
      parseContract(withResponse((r) => (r['matchingRules'] = { body: { '$.has_more': { matchers: [{ match: 'date', format: 'yyyy-MM-dd[HH' }] } } })), 'c.json'),
    );
    expect(error.path).toBe("$.interactions[0].response.matchingRules.body['$.has_more'].matchers[0].format");
    expect(error.message).toBe('the date format "yyyy-MM-dd[HH" cannot be matched: an optional section opened with "[" is not closed');
  });

  it('more than 10,000 interactions; a body over 10 MB', () => {
    const many = { ...v4, interactions: Array.from({ length: 10_001 }, () => v4.interactions[0]) };
    expect(errorOf(() => parseContract(JSON.stringify(many), 'c.json')).message).toBe(
      'expected at most 10,000 interactions for the interactions list, found an array of 10001',
    );
    const big = errorOf(() => parseContract(withResponse((r) => (r['body'] = { content: 'x'.repeat(10 * 1024 * 1024 + 1) })), 'c.json'));
    expect(big.path).toBe('$.interactions[0].response.body.content');
    expect(big.message).toMatch(/^expected a body of at most 10 MB/);
  });

  it('echoes a long value from the file truncated', () => {
    const error = errorOf(() => parseContract(withResponse((r) => (r['headers'] = { [`X${' '.repeat(100_000)}`]: 'x' })), 'c.json'));
    expect(formatError(error).length).toBeLessThan(1_000);
  });
});
