/**
 * Arbitraries of Pact files for the loader's property test (load.property.test.ts): valid ones,
 * and ones malformed the ways files in the wild are — wrong types, deep nesting, huge strings,
 * odd Unicode, regexes that backtrack or do not compile, header names that are not tokens,
 * message and HTTP interactions mixed, text cut short.
 */
import fc from 'fast-check';
import { anyValue, deepValue, jsonWithDeep, mostly, oddString } from '../core/test-helpers.js';

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
  fc.constantFrom('eyJhIjoxfQ==', '{"a":', '[[[[', 'not base64 ***', 'LS14DQpDb250ZW50LURpc3Bvc2l0aW9uOiBmb3JtLWRhdGE7IG5hbWU9ImEiDQoNCjENCi0teC0tDQo='),
  oddString,
);
const v4Body = usually(
  fc.record(
    {
      content: bodyContent,
      contentType: usually(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'image/png', '*/*', 'multipart/form-data; boundary=x'), oddString),
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
const generator = usually(
  fc.record({
    type: fc.constantFrom('RandomInt', 'RandomDecimal', 'RandomHexadecimal', 'RandomString', 'RandomBoolean', 'Uuid', 'Regex', 'Date', 'Time', 'DateTime', 'ProviderState', 'MockServerURL', 'Unknown'),
    min: anyValue,
    max: anyValue,
    digits: anyValue,
    size: anyValue,
    regex: fc.oneof(regex, fc.constantFrom('((a{999}){999}){999}', '.*(/x/\\d+)$')),
    format: dateFormat,
    expression: fc.oneof(fc.constantFrom('${id}', '/a/${id}', '${missing}', '${a}${b}'), oddString),
    example: fc.oneof(fc.constant('http://h/x/1'), oddString),
  }, { requiredKeys: ['type'] }),
  anyValue,
);
const generators = fc.record(
  {
    body: usually(fc.dictionary(fc.constantFrom('$', '$.id', '$.data[*]', '$.a.b', '$[0]', '$.*'), generator, { maxKeys: 3 }), anyValue),
    header: usually(fc.dictionary(headerName, generator, { maxKeys: 2 }), anyValue),
  },
  { requiredKeys: [] },
);
const response = fc.record(
  {
    status,
    headers: usually(fc.dictionary(headerName, headerValue, { maxKeys: 3 }), anyValue),
    body: v4Body,
    matchingRules,
    generators: usually(generators, anyValue),
  },
  { requiredKeys: ['status'] },
);
const httpInteraction = fc.record(
  {
    type: fc.constant('Synchronous/HTTP'),
    description: oddString,
    providerStates: usually(fc.array(fc.record({ name: oddString, params: fc.option(fc.dictionary(fc.oneof(fc.constantFrom('id', 'a', 'b'), oddString), fc.oneof(anyValue, oddString), { maxKeys: 2 })) }), { maxLength: 2 }), anyValue),
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
export const pactText = fc.tuple(pactFile, fc.oneof({ weight: 8, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat() })).map(([file, cut]) => {
  const text = jsonWithDeep(file);
  return cut < 0 ? text : text.slice(0, cut % (text.length + 1));
});


/** A V4 Pact file's text holding `interactions` (consumer `c`, provider `p`). */
export function v4File(interactions: readonly object[]): string {
  return JSON.stringify({ consumer: { name: 'c' }, provider: { name: 'p' }, metadata: { pactSpecification: { version: '4.0' } }, interactions });
}
