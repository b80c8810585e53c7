import { describe, expect, it } from 'vitest';
import type { Interaction, MatchingRule, RuleList } from '../core/contract.js';
import type { HttpRequestData } from '../core/http.js';
import type { Json } from '../core/json.js';
import { parseContract } from './load.js';
import { dateFormatRegex, matchRequest, matchResponse } from './matching.js';

const list = (...matchers: MatchingRule[]): RuleList => ({ combine: 'AND', matchers });

function responseWith(json: Json, body: Record<string, RuleList>): Interaction {
  return {
    index: 0,
    description: 'd',
    providerStates: [],
    request: { method: 'GET', path: '/', query: {}, headers: {}, rules: { body: {}, header: {}, query: {} } },
    response: { status: 200, headers: {}, body: { contentType: 'application/json', json }, rules: { body, header: {}, query: {} } },
  };
}

function check(expected: Json, rules: Record<string, RuleList>, actual: Json) {
  return matchResponse(responseWith(expected, rules), { status: 200, headers: {}, body: JSON.stringify(actual) });
}

function request(partial: Partial<HttpRequestData>): HttpRequestData {
  return { method: 'GET', path: '/', query: {}, headers: {}, body: '', ...partial };
}

describe('matchers', () => {
  it('equality without rules, with the JSON path of the failing value', () => {
    expect(check({ a: { b: 1 } }, {}, { a: { b: 1 } })).toEqual([]);
    expect(check({ a: { b: 1 } }, {}, { a: { b: 2 } })).toEqual([{ part: 'body', path: '$.a.b', expected: '1', actual: '2' }]);
  });

  it('type: a like() on an object cascades to every child', () => {
    const rules = { '$.data': list({ match: 'type' }) };
    expect(check({ data: { id: 'in_1', amount: 1 } }, rules, { data: { id: 'in_9', amount: 7, extra: true } })).toEqual([]);
    expect(check({ data: { id: 'in_1', amount: 1 } }, rules, { data: { id: 'in_9', amount: '7' } })).toEqual([
      { part: 'body', path: '$.data.amount', expected: 'a number', actual: '"7"' },
    ]);
  });

  it('equality on a descendant stops the cascade', () => {
    const rules = { '$.data': list({ match: 'type' }), '$.data.currency': list({ match: 'equality' }) };
    expect(check({ data: { id: 'a', currency: 'usd' } }, rules, { data: { id: 'b', currency: 'eur' } })).toEqual([
      { part: 'body', path: '$.data.currency', expected: '"usd"', actual: '"eur"' },
    ]);
  });

  it('eachLike: every element is matched against the first expected one, with min and max', () => {
    const rules = { '$.data': list({ match: 'type', min: 1, max: 3 }), '$.data[*].amount': list({ match: 'integer' }) };
    const expected = { data: [{ id: 'in_1', amount: 1200 }] };
    expect(check(expected, rules, { data: [{ id: 'x', amount: 1 }, { id: 'y', amount: 2 }] })).toEqual([]);
    expect(check(expected, rules, { data: [{ id: 'x', amount: 1 }, { id: 'y', amount: '1200' }] })).toEqual([
      { part: 'body', path: '$.data[1].amount', expected: 'an integer', actual: '"1200"' },
    ]);
    expect(check(expected, rules, { data: [] })).toEqual([
      { part: 'body', path: '$.data', expected: 'an array of at least 1 item', actual: 'an empty array' },
    ]);
    expect(check(expected, rules, { data: [1, 2, 3, 4].map((n) => ({ id: 'x', amount: n })) })).toEqual([
      { part: 'body', path: '$.data', expected: 'an array of at most 3 items', actual: 'an array of 4' },
    ]);
  });

  it('arrays without rules must have the same length', () => {
    expect(check({ a: [1, 2] }, {}, { a: [1] })).toEqual([{ part: 'body', path: '$.a', expected: 'an array of 2', actual: 'an array of 1' }]);
  });

  it('regex, include, integer, decimal, number, boolean, null', () => {
    expect(check({ id: 'in_1' }, { '$.id': list({ match: 'regex', regex: '^in_\\d+$' }) }, { id: 'in_42' })).toEqual([]);
    expect(check({ id: 'in_1' }, { '$.id': list({ match: 'regex', regex: '^in_\\d+$' }) }, { id: 'cus_1' })).toEqual([
      { part: 'body', path: '$.id', expected: 'a string matching /^in_\\d+$/', actual: '"cus_1"' },
    ]);
    expect(check({ s: 'hello world' }, { '$.s': list({ match: 'include', value: 'world' }) }, { s: 'a world' })).toEqual([]);
    expect(check({ n: 1 }, { '$.n': list({ match: 'integer' }) }, { n: 1.5 })[0]?.expected).toBe('an integer');
    expect(check({ n: 1.5 }, { '$.n': list({ match: 'decimal' }) }, { n: 2.25 })).toEqual([]);
    expect(check({ n: 1.5 }, { '$.n': list({ match: 'number' }) }, { n: 'x' })[0]?.expected).toBe('a number');
    expect(check({ b: true }, { '$.b': list({ match: 'boolean' }) }, { b: false })).toEqual([]);
    expect(check({ b: true }, { '$.b': list({ match: 'boolean' }) }, { b: 'true' })[0]?.expected).toBe('a boolean');
    expect(check({ v: null }, { '$.v': list({ match: 'null' }) }, { v: 0 })).toEqual([{ part: 'body', path: '$.v', expected: 'null', actual: '0' }]);
  });

  it('dates, times and timestamps from Java patterns', () => {
    expect(dateFormatRegex("yyyy-MM-dd'T'HH:mm:ss.SSSX").test('2024-05-01T10:20:30.123Z')).toBe(true);
    expect(dateFormatRegex("yyyy-MM-dd'T'HH:mm:ss.SSSX").test('2024-05-01T10:20:30.123+02')).toBe(true);
    expect(dateFormatRegex("yyyy-MM-dd'T'HH:mm:ss.SSSX").test('2024-05-01 10:20:30')).toBe(false);
    const rules = {
      '$.d': list({ match: 'date', format: 'yyyy-MM-dd' }),
      '$.t': list({ match: 'time', time: 'HH:mm:ss' }),
      '$.ts': list({ match: 'timestamp', timestamp: "yyyy-MM-dd'T'HH:mm:ssXXX" }),
    };
    const expected = { d: '2024-01-01', t: '10:00:00', ts: '2024-01-01T10:00:00+00:00' };
    expect(check(expected, rules, { d: '2025-12-31', t: '23:59:59', ts: '2025-12-31T23:59:59-05:00' })).toEqual([]);
    expect(check(expected, rules, { d: '31/12/2025', t: '24:00:00', ts: '2025-12-31' })).toEqual([
      { part: 'body', path: '$.d', expected: 'a date like yyyy-MM-dd', actual: '"31/12/2025"' },
      { part: 'body', path: '$.t', expected: 'a time like HH:mm:ss', actual: '"24:00:00"' },
      { part: 'body', path: '$.ts', expected: "a timestamp like yyyy-MM-dd'T'HH:mm:ssXXX", actual: '"2025-12-31"' },
    ]);
  });

  it('values, notEmpty, semver, eachKey, eachValue', () => {
    // values: any keys, each value held to the example's (as Pact's mock server holds it)
    expect(check({ m: { a: 1 } }, { '$.m': list({ match: 'values' }) }, { m: { x: 1, y: 1 } })).toEqual([]);
    expect(check({ m: { a: 1 } }, { '$.m': list({ match: 'values' }) }, { m: { x: 5 } })).toEqual([{ part: 'body', path: '$.m.x', expected: '1', actual: '5' }]);
    expect(check({ m: { a: 1 } }, { '$.m': list({ match: 'values' }), '$.m.*': list({ match: 'type' }) }, { m: { x: 5, y: 6 } })).toEqual([]);
    expect(check({ s: 'x' }, { '$.s': list({ match: 'notEmpty' }) }, { s: '' })[0]?.expected).toBe('a non-empty value');
    expect(check({ v: '1.0.0' }, { '$.v': list({ match: 'semver' }) }, { v: '2.10.3-beta.1' })).toEqual([]);
    expect(check({ v: '1.0.0' }, { '$.v': list({ match: 'semver' }) }, { v: 'v2' })[0]?.expected).toBe('a semantic version');
    const eachKeyRules = {
      '$.prices': list(
        { match: 'eachKey', rules: [{ match: 'regex', regex: '^[a-z]{3}$' }] },
        { match: 'eachValue', rules: [{ match: 'type' }] },
      ),
    };
    expect(check({ prices: { usd: 1 } }, eachKeyRules, { prices: { eur: 2, gbp: 3 } })).toEqual([]);
    expect(check({ prices: { usd: 1 } }, eachKeyRules, { prices: { EURO: 2, gbp: 'x' } })).toEqual([
      { part: 'body', path: '$.prices.EURO', expected: 'a string matching /^[a-z]{3}$/', actual: '"EURO"' },
      { part: 'body', path: '$.prices.gbp', expected: 'a number', actual: '"x"' },
    ]);
  });

  it('arrayContains: each variant must be found among the actual items', () => {
    const rules = {
      '$.events': list({
        match: 'arrayContains',
        variants: [{ index: 0, rules: { '$.id': { combine: 'AND', matchers: [{ match: 'type' }] } } }, { index: 1, rules: {} }],
      }),
    };
    const expected = { events: [{ id: 'e1', type: 'created' }, { id: 'e2', type: 'paid' }] };
    expect(check(expected, rules, { events: [{ id: 'other', type: 'created' }, { id: 'e2', type: 'paid' }, { id: 'z', type: 'x' }] })).toEqual([]);
    expect(check(expected, rules, { events: [{ id: 'other', type: 'created' }] })).toEqual([
      { part: 'body', path: '$.events', expected: 'an array containing an item like an object', actual: 'an array of 1' },
    ]);
  });

  it('combine OR passes when one matcher passes', () => {
    const rules = { '$.v': { combine: 'OR' as const, matchers: [{ match: 'integer' }, { match: 'null' }] } };
    expect(check({ v: 1 }, rules, { v: null })).toEqual([]);
    expect(check({ v: 1 }, rules, { v: 'x' })).toEqual([{ part: 'body', path: '$.v', expected: 'an integer', actual: '"x"' }]);
  });

  it('the most specific path wins: exact names over *', () => {
    const rules = { '$.*': list({ match: 'type' }), '$.id': list({ match: 'regex', regex: '^in_' }), "$['a b']": list({ match: 'integer' }) };
    expect(check({ id: 'in_1', name: 'x', 'a b': 1 }, rules, { id: 'in_2', name: 'y', 'a b': 3 })).toEqual([]);
    expect(check({ id: 'in_1', name: 'x', 'a b': 1 }, rules, { id: 'cus', name: 'y', 'a b': 3.5 })).toEqual([
      { part: 'body', path: '$.id', expected: 'a string matching /^in_/', actual: '"cus"' },
      { part: 'body', path: "$['a b']", expected: 'an integer', actual: '3.5' },
    ]);
  });

  it('responses may carry extra keys and headers; the content type is compared on its media type', () => {
    const interaction = responseWith({ id: 'a' }, {});
    interaction.response.headers = { 'content-type': ['application/json'] };
    expect(
      matchResponse(interaction, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'x-extra': '1' }, body: '{"id":"a","more":1}' }),
    ).toEqual([]);
    expect(matchResponse(interaction, { status: 500, headers: { 'content-type': 'text/html' }, body: '<html>' })).toEqual([
      { part: 'status', path: '', expected: '200', actual: '500' },
      { part: 'header', path: 'content-type', expected: '"application/json"', actual: '"text/html"' },
      { part: 'body', path: '$', expected: 'a JSON body', actual: '"<html>"' },
    ]);
  });
});

describe('matchRequest on a V4 contract', () => {
  const contract = parseContract(
    JSON.stringify({
      consumer: { name: 'billing-app' },
      provider: { name: 'billing-api' },
      interactions: [
        {
          type: 'Synchronous/HTTP',
          description: 'create an invoice',
          request: {
            method: 'POST',
            path: '/v1/invoices',
            query: { expand: ['customer'] },
            headers: { 'Content-Type': ['application/json'], 'Idempotency-Key': ['k-1'] },
            body: { content: { customer: 'cus_1', amount: 1200, currency: 'usd' }, contentType: 'application/json', encoded: false },
            matchingRules: {
              header: { 'Idempotency-Key': { combine: 'AND', matchers: [{ match: 'regex', regex: '^[\\w-]+$' }] } },
              body: { '$.amount': { combine: 'AND', matchers: [{ match: 'integer' }] }, '$.customer': { combine: 'AND', matchers: [{ match: 'type' }] } },
            },
          },
          response: { status: 201 },
        },
        {
          type: 'Synchronous/HTTP',
          description: 'get a token',
          request: {
            method: 'POST',
            path: '/oauth/token',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: { content: 'grant_type=client_credentials&client_id=demo', contentType: 'application/x-www-form-urlencoded' },
            matchingRules: { body: { '$.client_id': { combine: 'AND', matchers: [{ match: 'type' }] } } },
          },
          response: { status: 200 },
        },
        {
          type: 'Synchronous/HTTP',
          description: 'get an invoice',
          request: { method: 'GET', path: '/v1/invoices/in_1', matchingRules: { path: { combine: 'AND', matchers: [{ match: 'regex', regex: '^/v1/invoices/in_\\w+$' }] } } },
          response: { status: 200 },
        },
      ],
      metadata: { pactSpecification: { version: '4.0' } },
    }),
    'c.json',
  );
  const [create, token, get] = contract.interactions as [Interaction, Interaction, Interaction];
  const good = request({
    method: 'post',
    path: '/v1/invoices',
    query: { expand: ['customer'] },
    headers: { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': 'abc-123', 'user-agent': 'x' },
    body: JSON.stringify({ customer: 'cus_9', amount: 500, currency: 'usd' }),
  });

  it('matches a request: method case, content-type parameters and extra headers do not matter', () => {
    expect(matchRequest(create, good)).toEqual([]);
  });

  it('names every differing part', () => {
    expect(
      matchRequest(create, {
        ...good,
        query: { page: ['2'] },
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer: 'cus_9', amount: '500', currency: 'usd', note: 'x' }),
      }),
    ).toEqual([
      { part: 'query', path: 'expand', expected: '"customer"', actual: 'absent' },
      { part: 'query', path: 'page', expected: 'absent', actual: '"2"' },
      { part: 'header', path: 'idempotency-key', expected: '"k-1"', actual: 'absent' },
      { part: 'body', path: '$.amount', expected: 'an integer', actual: '"500"' },
      { part: 'body', path: '$.note', expected: 'no such field', actual: '"x"' },
    ]);
  });

  it('matches form bodies field by field', () => {
    const form = request({ method: 'POST', path: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(matchRequest(token, { ...form, body: 'client_id=other&grant_type=client_credentials' })).toEqual([]);
    expect(matchRequest(token, { ...form, body: 'grant_type=refresh_token&client_id=demo' })).toEqual([
      { part: 'body', path: '$.grant_type', expected: '"client_credentials"', actual: '"refresh_token"' },
    ]);
  });

  it('matches a path by its regex rule', () => {
    expect(matchRequest(get, request({ path: '/v1/invoices/in_77' }))).toEqual([]);
    expect(matchRequest(get, request({ path: '/v1/customers/cus_1' }))).toEqual([
      { part: 'path', path: '', expected: 'a string matching /^/v1/invoices/in_\\w+$/', actual: '"/v1/customers/cus_1"' },
    ]);
  });

  it('compares text bodies exactly, or with a rule at $', () => {
    const text = responseWith(null, {});
    text.response.body = { contentType: 'text/plain', text: 'ok' };
    expect(matchResponse(text, { status: 200, headers: {}, body: 'ok' })).toEqual([]);
    expect(matchResponse(text, { status: 200, headers: {}, body: 'nope' })).toEqual([{ part: 'body', path: '$', expected: '"ok"', actual: '"nope"' }]);
    text.response.rules.body = { $: list({ match: 'regex', regex: '^o' }) };
    expect(matchResponse(text, { status: 200, headers: {}, body: 'okay' })).toEqual([]);
  });
});
