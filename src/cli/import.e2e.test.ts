import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdupIn } from '../import/test-helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'holdup-import-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function holdup(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return holdupIn(dir, args);
}

async function file(name: string, content: string): Promise<string> {
  const full = path.join(dir, name);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, content);
  return name;
}

const definition = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  scope: 'https://api.example.com:443',
  method: 'GET',
  path: '/v1/things/th_1',
  body: '',
  status: 200,
  response: { id: 'th_1', state: 'open' },
  rawHeaders: ['Content-Type', 'application/json', 'Date', 'Thu, 03 Dec 2026 10:00:00 GMT'],
  ...over,
});

const OPENAPI = ['openapi: 3.0.3', 'info: { title: Things, version: "1" }', 'paths:', '  /things:', '    get:', '      responses:', '        "200": { description: ok }', ''].join('\n');

describe('holdup import: bad input is a coded error with the file, the place and the next step (exit 2)', () => {
  it.each([
    ['a nock recording that does not exist', ['nock', 'missing.json'], '[holdup] IMPORT_NOT_FOUND missing.json: nock recording not found'],
    ['an OpenAPI document that does not exist', ['openapi', 'missing.yaml'], '[holdup] IMPORT_NOT_FOUND missing.yaml: OpenAPI document not found'],
    ['no kind', [], '[holdup] USAGE holdup import takes nock or openapi first, got nothing'],
    ['an unknown kind', ['har', 'x.har'], '[holdup] USAGE holdup import takes nock or openapi first, got "har"'],
    ['no file', ['nock'], '[holdup] USAGE holdup import nock takes one file'],
    ['two files', ['nock', 'a.json', 'b.json'], '[holdup] USAGE holdup import nock takes one file, got 2'],
    ['--scope for an OpenAPI document', ['openapi', 'x.yaml', '--scope', 'https://a.example'], '[holdup] USAGE --scope: --scope picks the origin of a nock recording'],
    ['--out in a folder that does not exist', ['nock', 'x.json', '--out', 'no/such/folder/c.json'], '[holdup] OUT_DIR_MISSING --out: the folder of --out does not exist: no/such/folder'],
  ])('%s', async (_, args, first) => {
    const { code, stdout, stderr } = await holdup('import', ...args);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toContain(first);
    expect(stderr).toContain('next: ');
    expect(code).toBe(2);
  });

  it.each([
    ['text that is not JSON', 'not-json.json', 'scope: x\n', '[holdup] IMPORT_SYNTAX not-json.json: not valid JSON at line 1, column 1'],
    ['JSON that is not a list of definitions', 'object.json', '{"scope": "https://a.example"}', '[holdup] IMPORT_SCHEMA object.json: $: expected a nock recording: a JSON array of recorded definitions ({ scope, method, path, status, response, … }), found an object'],
    ['a definition with a status that is not one', 'status.json', JSON.stringify([definition(), definition({ status: 'ok' })]), '[holdup] IMPORT_SCHEMA status.json: $[1].status: expected an HTTP status, a number from 100 to 599, found "ok"'],
    ['a definition whose scope is not an origin', 'scope.json', JSON.stringify([definition({ scope: 'api.example.com' })]), '[holdup] IMPORT_SCHEMA scope.json: $[0].scope: expected an http or https origin'],
    ['an empty recording', 'empty.json', '[]', '[holdup] IMPORT_EMPTY empty.json: the recording holds no definitions'],
    ['requests to two origins', 'two.json', JSON.stringify([definition(), definition({ scope: 'https://auth.example.com' })]), '[holdup] USAGE two.json: --scope: the recording holds requests to 2 origins (https://api.example.com, https://auth.example.com)'],
    ['only binary responses', 'binary.json', JSON.stringify([definition({ response: '89504e47', responseIsBinary: true })]), '[holdup] IMPORT_EMPTY binary.json: none of the recording\'s 1 definitions can be a contract interaction ($[0]: its response body is binary'],
    [
      'a header value a contract cannot hold',
      'control.json',
      JSON.stringify([definition({ rawHeaders: ['Content-Type', 'application/json', 'X-Trace', 'a\u0001b'] })]),
      "[holdup] IMPORT_SCHEMA control.json: the contract made of it would not load (interaction \"$[0]: GET /v1/things/th_1 → 200\"): $.interactions[0].response.headers.X-Trace: expected header values without control characters",
    ],
    ['recorder code in a .js file', 'recorded.js', "nock('https://api.example.com')\n  .get('/v1/things')\n  .reply(200, {});\n", '[holdup] NOCK_CODE recorded.js: this is nock recorder output as JavaScript code'],
  ])('nock: %s', async (_, name, content, first) => {
    await file(name, content);
    const { code, stdout, stderr } = await holdup('import', 'nock', name, '--out', 'never.json');
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toContain(first);
    expect(stderr).toContain('next: ');
    expect(code).toBe(2);
  });

  it('nock: an OpenAPI document named as a recording is pointed to holdup import openapi', async () => {
    await file('spec.json', JSON.stringify({ openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: {} }));
    const { code, stderr } = await holdup('import', 'nock', 'spec.json');
    expect(stderr).toContain('[holdup] IMPORT_SCHEMA spec.json: $: expected a nock recording');
    expect(stderr).toContain('next: this is an OpenAPI document: holdup import openapi reads it');
    expect(code).toBe(2);
  });

  it.each([
    ['a Swagger 2.0 document', 'swagger.json', JSON.stringify({ swagger: '2.0', info: { title: 'x', version: '1' }, paths: {} }), '[holdup] OPENAPI_VERSION swagger.json: $.swagger: this is a Swagger 2.0 document; holdup reads OpenAPI 3.0 and 3.1', 'npx swagger2openapi'],
    ['an OpenAPI version holdup does not read', 'v4.yaml', OPENAPI.replace('3.0.3', '4.0.0'), '[holdup] OPENAPI_VERSION v4.yaml: $.openapi: OpenAPI "4.0.0" is not supported', 'OpenAPI 3.0.x or 3.1.x'],
    ['a document without an openapi field', 'nofield.yaml', 'info: { title: x }\npaths: {}\n', '[holdup] IMPORT_SCHEMA nofield.yaml: $.openapi: not an OpenAPI document: it has no "openapi" field', 'OpenAPI 3.0 or 3.1'],
    ['YAML that does not parse', 'broken.yaml', 'openapi: 3.0.3\ninfo: {title: x\n  bad: [\n', '[holdup] IMPORT_SYNTAX broken.yaml: neither JSON nor YAML: missed comma between flow collection entries (3:6)', 'fix its syntax'],
    ['JSON that does not parse', 'broken.json', '{"openapi": "3.0.3",, }', '[holdup] IMPORT_SYNTAX broken.json: not valid JSON at line 1, column 21', 'fix its syntax'],
    [
      'a $ref that points nowhere',
      'ref.yaml',
      OPENAPI.replace('"200": { description: ok }', '"200": { $ref: "#/components/responses/Gone" }'),
      '[holdup] OPENAPI_REF ref.yaml: $.paths[\'/things\'].get.responses[\'200\'].$ref: a $ref cannot be resolved: Missing $ref pointer "#/components/responses/Gone"',
      'point the $ref',
    ],
    ['a $ref to a file that is not there', 'extref.yaml', OPENAPI.replace('"200": { description: ok }', '"200": { $ref: "./responses.yaml#/Gone" }'), '[holdup] OPENAPI_REF extref.yaml: $.paths[\'/things\'].get.responses[\'200\'].$ref: a $ref cannot be resolved', 'point the $ref'],
    [
      'a $ref to a file outside the document\'s folder (a key, a password file): never read into a contract',
      'outside.yaml',
      OPENAPI.replace('"200": { description: ok }', '"200": { description: ok, content: { application/json: { example: { $ref: "/etc/passwd" } } } }'),
      "[holdup] OPENAPI_REF outside.yaml: $.paths['/things'].get.responses['200'].content['application/json'].example.$ref: a $ref cannot be resolved: /etc/passwd is outside the document's folder",
      'point the $ref',
    ],
    [
      'YAML aliases that nest aliases (a billion values once expanded)',
      'aliases.yaml',
      [OPENAPI, 'x-0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]', ...Array.from({ length: 8 }, (_, i) => `x-${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`), ''].join('\n'),
      '[holdup] IMPORT_SCHEMA aliases.yaml: the document holds more than 5,000,000 values once its $refs and YAML aliases are expanded',
      'check that this is the document you meant',
    ],
    ['responses that are not an object', 'shape.yaml', OPENAPI.replace('        "200": { description: ok }', '        - "200"'), "[holdup] IMPORT_SCHEMA shape.yaml: $.paths['/things'].get.responses: expected an object of status codes, found an array of 1", 'fix the document'],
  ])('openapi: %s', async (_, name, content, first, next) => {
    await file(name, content);
    const { code, stdout, stderr } = await holdup('import', 'openapi', name, '--out', `${name}.pact.json`, '--force');
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toContain(first);
    expect(stderr).toContain(`next: `);
    expect(stderr).toContain(next);
    expect(code).toBe(2);
  });

  it('openapi: a $ref to a FIFO is refused at once instead of waiting for a writer', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    await file('fifo.yaml', OPENAPI.replace('"200": { description: ok }', '"200": { $ref: "./pipe.yaml#/Ok" }'));
    const { code, stderr } = await holdup('import', 'openapi', 'fifo.yaml', '--out', 'fifo.pact.json');
    expect(stderr.split('\n')[0]).toBe(
      "[holdup] OPENAPI_REF fifo.yaml: $.paths['/things'].get.responses['200'].$ref: a $ref cannot be resolved: <tmp>/pipe.yaml is not a regular file (a folder, a FIFO or a device)",
    );
    expect(code).toBe(2);
  });

  it('openapi: a document with no operation to replay is IMPORT_EMPTY', async () => {
    await file('empty.yaml', 'openapi: 3.1.0\ninfo: { title: Hooks only, version: "1" }\npaths: {}\n');
    const { code, stderr } = await holdup('import', 'openapi', 'empty.yaml', '--out', 'empty.pact.json');
    expect(stderr.split('\n')[0]).toBe('[holdup] IMPORT_EMPTY empty.yaml: $.paths: the document describes no operation with a response holdup can replay');
    expect(code).toBe(2);
  });
});

describe('holdup import: where the contract goes', () => {
  it('writes contracts/<consumer>-<provider>.json in the current folder by default, and never overwrites a contract without --force', async () => {
    await file('rec/shop-app.json', JSON.stringify([definition()]));
    const first = await holdup('import', 'nock', 'rec/shop-app.json');
    expect(first.stderr).toBe('');
    expect(first.stdout.split('\n')[0]).toBe('wrote contracts/shop-app-api.example.com.json from rec/shop-app.json: 1 interaction, 0 redacted values');
    expect(first.code).toBe(0);
    const written = JSON.parse(await readFile(path.join(dir, 'contracts/shop-app-api.example.com.json'), 'utf8')) as { consumer: { name: string }; provider: { name: string }; metadata: { holdup: { recordedWith: string } } };
    expect([written.consumer.name, written.provider.name]).toEqual(['shop-app', 'api.example.com']);
    expect(written.metadata.holdup.recordedWith).toMatch(/^holdup import nock /);

    const again = await holdup('import', 'nock', 'rec/shop-app.json');
    expect(again.stderr.split('\n')[0]).toBe('[holdup] CONTRACT_EXISTS contracts/shop-app-api.example.com.json: the file exists; holdup import does not overwrite a contract unless told to');
    expect(again.stderr).toContain('next: pass --force to replace it, or --out to write elsewhere');
    expect(again.code).toBe(2);

    const forced = await holdup('import', 'nock', 'rec/shop-app.json', '--force', '--consumer', 'shop', '--provider', 'things-api', '--out', 'contracts/shop-app-api.example.com.json');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('names: consumer "shop" (--consumer), provider "things-api" (--provider)');
  });

  it('lists what it left out, and picks one origin of several with --scope', async () => {
    await file(
      'mixed.json',
      JSON.stringify([
        definition(),
        definition({ scope: 'https://auth.example.com', path: '/token', method: 'POST' }),
        definition({ path: '/v1/logo.png', response: '89504e47', responseIsBinary: true }),
        definition({ path: '/v1/zipped', rawHeaders: ['Content-Encoding', 'gzip'], response: ['1f8b0800'] }),
      ]),
    );
    const { code, stdout, stderr } = await holdup('import', 'nock', 'mixed.json', '--scope', 'https://api.example.com', '--out', 'mixed.pact.json');
    expect(stderr).toBe('');
    expect(stdout).toContain(
      'skipped 3 items:\n' +
        '  $[1]: another origin (https://auth.example.com) than --scope\n' +
        '  $[2]: its response body is binary (responseIsBinary): holdup contracts hold text bodies\n' +
        '  $[3]: its response was recorded compressed (content-encoding: gzip): record with Accept-Encoding: identity\n',
    );
    expect(code).toBe(0);
  });

  it('has its own --help', async () => {
    const { code, stdout } = await holdup('import', '--help');
    expect(stdout.split('\n')[0]).toBe('holdup import nock FILE | openapi SPEC [options]');
    expect(stdout).toContain('--scope ORIGIN');
    expect(code).toBe(0);
  });
});
