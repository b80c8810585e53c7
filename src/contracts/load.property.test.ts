/**
 * Property test of the contract loader and what consumes a loaded contract: generated Pact
 * files — valid ones, and ones malformed the ways files in the wild are (wrong types, deep
 * nesting, huge strings, odd Unicode, regexes that backtrack or do not compile, header names
 * that are not tokens, message and HTTP interactions mixed) — either load, and then replay and
 * diff without an exception and with responses Node can send, or are refused with a coded error.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contract, HttpRequestData } from '../core/index.js';
import { anyValue, deepValue, jsonWithDeep, loadsOrRefuses, mostly, newOutcome, oddString } from '../core/test-helpers.js';
import { FAULTS } from '../faults/index.js';
import { createReplayHandler } from '../replay/handler.js';
import { diffContracts } from './diff.js';
import { parseContract } from './load.js';

const CASES = 400;

/** A Pact file has many fields: each is odd less often than in the smaller files, or almost none would load. */
const usually = <T>(valid: fc.Arbitrary<T>, odd: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => mostly(valid, odd, 16);

const headerName = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('Content-Type', 'Authorization', 'X-Request-Id', 'Retry-After', 'set-cookie') }, { weight: 1, arbitrary: oddString });
const headerValue = usually(fc.oneof(fc.constantFrom('application/json', 'Bearer abc', '1'), fc.integer(), fc.array(fc.constantFrom('a', 'b c'), { maxLength: 2 })), oddString);
const regex = fc.oneof(
  fc.constantFrom('^([^!]+)+!$', '(a+)+$', '(a|aa)*b', '([', '(?=x)', '(?<!a)b', '\\1', '^\\d{4}-\\d{2}$', '\\u0041', '[a-z]+', 'a{1001}', '.*'),
  oddString,
  anyValue,
);
const dateFormat = fc.oneof(fc.constantFrom('yyyy-MM-dd', "yyyy-MM-dd'T'HH:mm:ss", 'yyyy[-MM', ']', 'S'.repeat(1_200), "''"), oddString);
const matcher = fc.oneof(
  fc.record({ match: fc.constant('regex'), regex: fc.constantFrom('^([^!]+)+!$', '(a+)+$', '^\\d{4}-\\d{2}$', '\\u0041', '[a-z]+', '.*') }),
  fc.record({ match: fc.constant('regex'), regex }),
  fc.record({ regex }),
  fc.record({ match: fc.constantFrom('date', 'time', 'timestamp', 'datetime'), format: dateFormat }),
  fc.record({ match: fc.constantFrom('type', 'integer', 'decimal', 'number', 'boolean', 'null', 'include', 'values', 'semver', 'notEmpty'), min: anyValue }),
  fc.record({ match: anyValue }),
  anyValue,
);
const ruleList = usually(fc.record({ combine: usually(fc.constantFrom('AND', 'OR'), fc.constant('XOR')), matchers: fc.array(matcher, { maxLength: 2 }) }), anyValue);
const matchingRules = fc.oneof(
  { weight: 6, arbitrary: fc.constant({}) },
  fc.record({
    body: fc.dictionary(fc.constantFrom('$', '$.id', '$.data[*]', '$.a.b', '$[0]'), ruleList, { maxKeys: 2 }),
    header: fc.dictionary(headerName, ruleList, { maxKeys: 2 }),
    query: fc.dictionary(oddString, ruleList, { maxKeys: 1 }),
    path: ruleList,
  }, { requiredKeys: [] }),
  fc.dictionary(fc.constantFrom('$.body.id', '$.headers.Content-Type', '$.query.q', '$.path'), matcher, { maxKeys: 2 }),
  anyValue,
);
const bodyContent = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  deepValue,
  fc.constantFrom('eyJhIjoxfQ==', '{"a":', '[[[[', 'not base64 ***'),
  oddString,
);
const v4Body = usually(
  fc.record(
    {
      content: bodyContent,
      contentType: usually(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'), oddString),
      encoded: usually(fc.constantFrom(false, 'base64', 'json', 'BASE64'), fc.constantFrom('nonsense', 7)),
    },
    { requiredKeys: [] },
  ),
  anyValue,
);
const method = usually(fc.constantFrom('GET', 'post', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'), anyValue);
const path = usually(fc.constantFrom('/', '/v1/items', '/v1/items/1', '//evil.example/x', '/a%2Fb', '/ü'), fc.oneof(oddString, anyValue));
const status = usually(fc.constantFrom(200, 201, 204, 304, 404, 429, 500, 503, 101, 100, 599), fc.oneof(fc.integer({ min: -1, max: 1_000 }), anyValue));

const request = fc.record(
  {
    method,
    path,
    query: usually(fc.dictionary(oddString, fc.oneof(oddString, fc.array(oddString, { maxLength: 2 })), { maxKeys: 2 }), fc.oneof(oddString, anyValue)),
    headers: usually(fc.dictionary(headerName, headerValue, { maxKeys: 3 }), anyValue),
    body: v4Body,
    matchingRules,
  },
  { requiredKeys: ['method', 'path'] },
);
const response = fc.record(
  {
    status,
    headers: usually(fc.dictionary(headerName, headerValue, { maxKeys: 3 }), anyValue),
    body: v4Body,
    matchingRules,
  },
  { requiredKeys: ['status'] },
);
const httpInteraction = fc.record(
  {
    type: fc.constant('Synchronous/HTTP'),
    description: oddString,
    providerStates: usually(fc.array(fc.record({ name: oddString, params: fc.option(fc.dictionary(oddString, anyValue, { maxKeys: 2 })) }), { maxLength: 2 }), anyValue),
    request,
    response,
    pluginConfiguration: usually(fc.constant({}), fc.constant({ protobuf: { descriptorKey: 'x' } })),
  },
  { requiredKeys: ['type', 'description', 'request', 'response'] },
);
const message = fc.record({
  type: fc.constantFrom('Asynchronous/Messages', 'Synchronous/Messages', 'Some/Plugin'),
  description: oddString,
  contents: fc.record({ content: fc.jsonValue({ maxDepth: 2 }) }),
});
const interaction = fc.oneof({ weight: 10, arbitrary: httpInteraction }, { weight: 2, arbitrary: message }, { weight: 1, arbitrary: anyValue });
const pactFile = fc.record(
  {
    consumer: usually(fc.record({ name: oddString }), anyValue),
    provider: usually(fc.record({ name: oddString }), anyValue),
    interactions: usually(fc.array(interaction, { minLength: 1, maxLength: 4 }), anyValue),
    metadata: usually(fc.record({ pactSpecification: fc.record({ version: fc.constantFrom('4.0', '4.0', '3.0.0', '2.0.0', '1.0', 'x') }) }), anyValue),
  },
  { requiredKeys: ['interactions'] },
);
/** The text of a file: whole, cut short, or with a byte changed. */
const pactText = fc.tuple(pactFile, fc.oneof({ weight: 8, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat() })).map(([file, cut]) => {
  const text = jsonWithDeep(file);
  return cut < 0 ? text : text.slice(0, cut % (text.length + 1));
});

/** A request shaped like the interaction's, with a long value for each header (a backtracking regex would stall on it). */
function requestFor(interaction: Contract['interactions'][number]): HttpRequestData {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(interaction.request.headers)) headers[name] = `${values.join(', ')}${'a'.repeat(20_000)}`;
  const body = interaction.request.body;
  return {
    method: interaction.request.method,
    path: interaction.request.path,
    query: interaction.request.query,
    headers,
    body: body?.text ?? (body?.json === undefined ? '' : JSON.stringify(body.json)),
  };
}

/** What the replay server will hand to Node: a status and headers Node sends, a string body. */
function expectSendable(response: { status: number; headers: Record<string, string>; body: string }): void {
  expect(Number.isInteger(response.status) && response.status >= 100 && response.status <= 999).toBe(true);
  for (const [name, value] of Object.entries(response.headers)) {
    expect(() => validateHeaderName(name)).not.toThrow();
    expect(() => validateHeaderValue(name, value)).not.toThrow();
  }
  expect(typeof response.body).toBe('string');
}

describe(`generated Pact files (${CASES} cases): each loads, replays and diffs, or is refused with a coded error`, () => {
  it('never crashes, hangs or answers what Node cannot send', async () => {
    const outcome = newOutcome();
    let previous: Contract | undefined;
    await fc.assert(
      fc.asyncProperty(pactText, async (text) => {
        await loadsOrRefuses(outcome, () => {
          const contract = parseContract(text, 'contracts/generated.json');
          const handler = createReplayHandler({ contract, faults: FAULTS, label: 'p' });
          for (const item of contract.interactions) {
            const { response } = handler.handle(requestFor(item), 0, Date.UTC(2026, 0, 1));
            expectSendable(response);
          }
          if (previous) diffContracts(previous, contract);
          previous = contract;
        });
      }),
      { numRuns: CASES, seed: 13 },
    );
    // the generator reaches both sides of the property, and refusals of several kinds
    expect(outcome.loaded).toBeGreaterThan(CASES / 20);
    expect(outcome.refused).toBeGreaterThan(CASES / 4);
    expect([...outcome.codes].sort()).toEqual(['CONTRACT_JSON', 'CONTRACT_SCHEMA']);
  });
});
