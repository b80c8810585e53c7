// Where holdup's matching once differed from Pact's mock server (docs/contracts.md, "Pact fidelity"):
// each case here failed before it was fixed. src/replay/pact-conformance.e2e.test.ts measures the
// same against Pact's own mock server.
import { describe, expect, it } from 'vitest';
import type { Interaction, MatchingRule, RuleList } from '../core/contract.js';
import type { HttpRequestData } from '../core/http.js';
import type { Json } from '../core/json.js';
import { formatDate } from './dates.js';
import { generateFromRegex, generateHeaders } from './generate.js';
import { parseContract } from './load.js';
import { integerLiterals, matchRequest } from './matching.js';
import { v4File } from './test-helpers.js';
import { formatError, HoldupError } from '../core/errors.js';
import { createRng } from '../core/rng.js';

const list = (...matchers: MatchingRule[]): RuleList => ({ combine: 'AND', matchers });

function postOf(json: Json, body: Record<string, RuleList>): Interaction {
  return {
    index: 0,
    description: 'd',
    providerStates: [],
    request: { method: 'POST', path: '/', query: {}, headers: {}, body: { contentType: 'application/json', json }, rules: { body, header: {}, query: {} } },
    response: { status: 200, headers: {}, rules: { body: {}, header: {}, query: {} } },
  };
}

function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): HttpRequestData {
  return { method: 'POST', path: '/', query: {}, headers, body };
}

describe('decimal, as Pact: a number written with a point or an exponent', () => {
  const interaction = postOf({ price: 9.99 }, { '$.price': list({ match: 'decimal' }) });

  it('refuses an integer and accepts 10.0 and 1e3, read from the body text', () => {
    expect(matchRequest(interaction, post('{"price":10}'))).toEqual([{ part: 'body', path: '$.price', expected: 'a decimal number', actual: '10' }]);
    expect(matchRequest(interaction, post('{"price":10.0}'))).toEqual([]);
    expect(matchRequest(interaction, post('{"price":1e3}'))).toEqual([]);
    expect(matchRequest(interaction, post('{"price":0.5}'))).toEqual([]);
  });

  it('finds each number by its path, in nested objects and arrays, whatever the key order or escapes', () => {
    const text = '{"b":[1,2.0,{"c":3}],"a\\"x":4,"1":5.5,"s":"7","n":null,"t":true}';
    expect(integerLiterals(text)).toEqual(new Set([JSON.stringify(['b', 0]), JSON.stringify(['b', 2, 'c']), JSON.stringify(['a"x'])]));
    expect(integerLiterals('42')).toEqual(new Set(['[]']));
  });
});

describe('dates and times, as Pact parses them', () => {
  const interaction = postOf(
    { at: '12:30:00', day: '2024-01-02' },
    { '$.at': list({ match: 'time', format: 'HH:mm:ss' }), '$.day': list({ match: 'date', format: 'yyyy-MM-dd' }) },
  );
  const at = (time: string, day = '2024-01-02') => matchRequest(interaction, post(JSON.stringify({ at: time, day })));

  it('takes one digit where the pattern writes two (1:30:00, 2024-1-2), within range', () => {
    expect(at('1:30:00')).toEqual([]);
    expect(at('12:3:0')).toEqual([]);
    expect(at('12:30:00', '2024-1-2')).toEqual([]);
    expect(at('24:00:00')).toHaveLength(1);
    expect(at('12:30')).toHaveLength(1);
    expect(at('12:30:00', '2024-13-01')).toHaveLength(1);
  });

  it('refuses a day the calendar does not have', () => {
    expect(at('12:30:00', '2024-02-30')).toEqual([{ part: 'body', path: '$.day', expected: 'a date like yyyy-MM-dd', actual: '"2024-02-30"' }]);
    expect(at('12:30:00', '2024-02-29')).toEqual([]);
    expect(at('12:30:00', '2023-02-29')).toHaveLength(1);
    expect(at('12:30:00', '2024-04-31')).toHaveLength(1);
  });
});

describe('multipart bodies, part by part', () => {
  const part = (boundary: string, content: string, type = 'text/plain', name = 'file') =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="a.txt"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  const contract = (rules: object) =>
    parseContract(
      v4File([
        {
          type: 'Synchronous/HTTP',
          description: 'upload',
          request: {
            method: 'POST',
            path: '/',
            headers: { 'Content-Type': 'multipart/form-data; boundary=contract1' },
            body: { contentType: 'multipart/form-data', encoded: 'base64', content: Buffer.from(part('contract1', 'a,b\n')).toString('base64') },
            matchingRules: { body: rules, header: { 'Content-Type': { combine: 'AND', matchers: [{ match: 'regex', regex: 'multipart/form-data;.*boundary=.*' }] } } },
          },
          response: { status: 202 },
        },
      ]),
      'upload.json',
    ).interactions[0]!;
  const send = (boundary: string, body: string) => post(body, { 'content-type': `multipart/form-data; boundary=${boundary}` });

  it('ignores the boundary and compares each part: its content type, then its content', () => {
    const exact = contract({});
    expect(matchRequest(exact, send('client-xyz', part('client-xyz', 'a,b\n')))).toEqual([]);
    expect(matchRequest(exact, send('b', part('b', 'c,d\n')))).toEqual([{ part: 'body', path: '$.file', expected: '"a,b\\n"', actual: '"c,d\\n"' }]);
    expect(matchRequest(exact, send('b', part('b', 'a,b\n', 'application/json')))).toEqual([
      { part: 'body', path: "$.file['content-type']", expected: '"text/plain"', actual: '"application/json"' },
    ]);
    expect(matchRequest(exact, send('b', part('b', 'a,b\n', 'text/plain', 'other')))).toEqual([{ part: 'body', path: '$.file', expected: 'a part', actual: 'absent' }]);
  });

  it("applies the part's rule (pact-js writes a contentType matcher for an uploaded file)", () => {
    const typed = contract({ '$.file': { combine: 'AND', matchers: [{ match: 'contentType', value: 'text/plain' }] } });
    expect(matchRequest(typed, send('b', part('b', 'anything else\n')))).toEqual([]);
  });
});

describe('generators: strings from a regex, dates from a pattern', () => {
  it('draws strings the pattern matches, the same for the same seed', () => {
    for (const source of ['^[A-Z]{3}-\\d{4}$', '(foo|bar)_[a-f0-9]{8}', 'ord_\\w+', '\\d{2,4}\\.\\d?']) {
      const value = generateFromRegex(source, createRng(1));
      expect(value, source).toBeDefined();
      expect(new RegExp(source).test(value!), `${value} for ${source}`).toBe(true);
      expect(generateFromRegex(source, createRng(1))).toBe(value);
    }
    // what it cannot generate from is left to the example
    expect(generateFromRegex('[^a]+', createRng(1))).toBeUndefined();
    expect(generateFromRegex('(?=a)a', createRng(1))).toBeUndefined();
    // nor does a pattern that would take for ever, or nest past the parser's depth
    const started = performance.now();
    expect(generateFromRegex('((a{999}){999}){999}', createRng(1))).toBeUndefined();
    expect(generateFromRegex('(((){999}){999}){999}', createRng(1))).toBeUndefined();
    expect(generateFromRegex(`${'('.repeat(5_000)}a${')'.repeat(5_000)}`, createRng(1))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('generates only headers the response has, and only values Node can send', () => {
    const ctx = { rng: createRng(1), epochMs: 0, baseUrl: undefined, states: [{ name: 's', params: { id: 'a\r\nx-evil: 1', n: 7 } }] };
    const headers = generateHeaders(
      { location: '/a/1', 'x-n': '0' },
      { location: { type: 'ProviderState', expression: '/a/${id}' }, 'x-n': { type: 'ProviderState', expression: '${n}' }, '': { type: 'RandomInt' }, 'x-absent': { type: 'Uuid' } },
      ctx,
    );
    expect(headers).toEqual({ location: '/a/1', 'x-n': '7' });
  });

  it('formats an instant with a Java pattern, in UTC', () => {
    const at = Date.UTC(2024, 1, 29, 13, 5, 9, 42);
    expect(formatDate("yyyy-MM-dd'T'HH:mm:ss.SSSX", at)).toBe('2024-02-29T13:05:09.042Z');
    expect(formatDate('EEE, d MMM yy h:mm a', at)).toBe('Thu, 29 Feb 24 1:05 PM');
  });
});

describe('loading what pact-js writes', () => {
  const file = (response: object) => v4File([{ type: 'Synchronous/HTTP', description: 'd', request: { method: 'GET', path: '/' }, response: { status: 200, ...response } }]);

  it('reads a header written under two spellings as one header, not a list of two', () => {
    const contract = parseContract(file({ headers: { 'Content-Type': ['application/json'], 'content-type': ['application/json'] } }), 'c.json');
    expect(contract.interactions[0]!.response.headers['content-type']).toEqual(['application/json']);
  });

  it('keeps a base64 body of a type that is not text as bytes, and the Content-Type header over "*/*"', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]);
    const contract = parseContract(file({ headers: { 'Content-Type': ['image/png'] }, body: { content: bytes.toString('base64'), contentType: '*/*', encoded: 'base64' } }), 'c.json');
    const body = contract.interactions[0]!.response.body!;
    expect(body).toMatchObject({ contentType: 'image/png', binary: true });
    expect(Buffer.from(body.text!, 'latin1').equals(bytes)).toBe(true);
  });

  it('refuses a generator without a type, with its place in the file', () => {
    let error: unknown;
    try {
      parseContract(file({ generators: { body: { '$.id': { min: 1 } } } }), 'c.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HoldupError);
    expect(formatError(error as HoldupError)).toContain("CONTRACT_SCHEMA c.json: $.interactions[0].response.generators.body['$.id'].type: expected a string for the generator type, found nothing");
  });
});
