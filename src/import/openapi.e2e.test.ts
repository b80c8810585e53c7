import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../cli/test-helpers.js';
import { prepareRun } from '../config/index.js';
import { loadContract } from '../contracts/load.js';
import { FAULTS } from '../faults/index.js';
import { startReplayServer } from '../replay/index.js';
import { runPlan } from '../run/index.js';
import { holdupIn, startPactMockServer } from './test-helpers.js';

const PETSTORE = path.join(root, 'fixtures/import/petstore/openapi.yaml');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'holdup-import-openapi-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function holdup(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return holdupIn(dir, args).then((r) => ({ ...r, stdout: r.stdout.split(root).join('<root>/'), stderr: r.stderr.split(root).join('<root>/') }));
}

describe('holdup import openapi', () => {
  it('imports the real Swagger Petstore document into a contract that holdup run replays to a Petstore connector and Pact’s mock server serves', async () => {
    const project = path.join(dir, 'project');
    await mkdir(path.join(project, 'contracts'), { recursive: true });
    const file = path.join(project, 'contracts/petstore.json');
    const { code, stdout, stderr } = await holdup('import', 'openapi', PETSTORE, '--consumer', 'petstore', '--out', file);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      'wrote project/contracts/petstore.json from <root>/fixtures/import/petstore/openapi.yaml: 36 interactions, 24 redacted values\n' +
        'names: consumer "petstore" (--consumer), provider "swagger-petstore" (the document\'s info.title; --provider sets it)\n' +
        'note: paths start with /v2, the path of the first server (http://petstore.swagger.io/v2)\n' +
        'note: security scheme "petstore_auth" (oauth2 without a clientCredentials flow): requests carry Authorization: Bearer, and no token endpoint is in the contract (the connector brings its own token)\n' +
        'note: POST /user: its only response is "default", replayed as 200\n' +
        'note: POST /user/createWithArray: its only response is "default", replayed as 200\n' +
        'note: POST /user/createWithList: its only response is "default", replayed as 200\n' +
        'note: GET /user/logout: its only response is "default", replayed as 200\n' +
        'skipped 1 item:\n' +
        '  GET /pet/{petId} → default: a "default" response has no status code to replay\n' +
        'next: write a connector whose `contract` is project/contracts/petstore.json, then holdup run --connector NAME (docs/connectors.md)\n',
    );
    expect(code).toBe(0);

    const contract = await loadContract(file, 'petstore.json');
    const getPet = contract.interactions.filter((i) => i.description.startsWith('getPetById:'));
    expect(getPet.map((i) => [i.description, i.providerStates.map((s) => s.name)])).toEqual([
      ['getPetById: GET /v2/pet/1 → 200', []],
      ['getPetById: GET /v2/pet/1 → 400', ['getPetById responds 400']],
      ['getPetById: GET /v2/pet/1 → 404', ['getPetById responds 404']],
    ]);
    // the api_key security scheme: a placeholder where the key goes; the body's rules from the Pet schema
    expect(getPet[0]!.request.headers['api_key']).toEqual(['<redacted:api_key>']);
    expect(getPet[0]!.response.rules.body?.['$.status']).toEqual({ combine: 'AND', matchers: [{ match: 'regex', regex: '^(?:available|pending|sold)$' }] });
    expect(getPet[0]!.response.rules.body?.['$.id']).toEqual({ combine: 'AND', matchers: [{ match: 'integer' }] });
    // a password in a query is a secret, as in a recording
    const login = contract.interactions.find((i) => i.description.startsWith('loginUser:'))!;
    expect(login.request.query['password']).toEqual(['<redacted:password>']);

    // holdup run: the control executions pass (connector and contract agree), and the run is scored
    await writeFile(path.join(project, 'petstore.connector.ts'), `export { default } from ${JSON.stringify(path.join(root, 'fixtures/import/petstore.connector.ts'))};\n`);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ type: 'module', holdup: { connectors: ['*.connector.ts'] } }));
    const { plan } = await prepareRun({ cwd: project, scenarios: ['silent-failure/error-body', 'write-safety/lost-after-commit'], seed: 1, networkEngine: 'none' });
    const report = await runPlan(plan);
    const [connector] = report.connectors;
    expect({ name: connector?.name, valid: connector?.valid, invalidReason: connector?.invalidReason }).toEqual({ name: 'petstore', valid: true, invalidReason: undefined });
    expect(connector!.categories.filter((category) => category.status === 'pass' || category.status === 'fail').map((category) => category.id)).toEqual(
      expect.arrayContaining(['silent-failure']),
    );

    // Pact's own mock server loads the file and answers one of its requests as the document's example says
    const mock = await startPactMockServer(file);
    try {
      const response = await fetch(`${mock.url}/v2/pet/42`, { headers: { api_key: 'special-key' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: 1, name: 'doggie', status: 'available' });
    } finally {
      mock.close();
    }
  }, 120_000);

  it('makes the client-credentials tokenUrl the token endpoint: the replay issues its own tokens there and asks for them on the API', async () => {
    const spec = path.join(dir, 'tokens.yaml');
    await writeFile(
      spec,
      [
        'openapi: 3.0.3',
        'info: { title: Ledger API, version: "1" }',
        'servers: [{ url: "https://ledger.example.com" }]',
        'security: [{ oauth: [] }]',
        'paths:',
        '  /accounts/{id}:',
        '    get:',
        '      operationId: getAccount',
        '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
        '      responses:',
        '        "200":',
        '          description: an account',
        '          content:',
        '            application/json:',
        '              schema: { $ref: "#/components/schemas/Account" }',
        'components:',
        '  schemas:',
        '    Account:',
        '      type: object',
        '      properties: { id: { type: string, example: acc_1 }, balance: { type: integer }, apiKey: { type: string, example: tok_live_9f8e7d6c5b4a } }',
        '  securitySchemes:',
        '    oauth:',
        '      type: oauth2',
        '      flows: { clientCredentials: { tokenUrl: "https://ledger.example.com/oauth2/token", scopes: {} } }',
        '',
      ].join('\n'),
    );
    const out = path.join(dir, 'ledger.json');
    const imported = await holdup('import', 'openapi', spec, '--out', out);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('token endpoint: POST /oauth2/token (holdup run issues its own tokens there)\n');
    const text = await readFile(out, 'utf8');
    // an example's secret-named value is a placeholder, as a recording's
    expect(text).not.toContain('tok_live_9f8e7d6c5b4a');

    const contract = await loadContract(out, 'ledger.json');
    const server = await startReplayServer({ contract, faults: FAULTS });
    try {
      const token = await fetch(`${server.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=ledger-app&client_secret=s3cr3t-value',
      });
      expect(token.status).toBe(200);
      const { access_token: issued } = (await token.json()) as { access_token: string };
      expect(issued).toMatch(/^hu_at_/);
      const account = await fetch(`${server.url}/accounts/acc_7`, { headers: { authorization: `Bearer ${issued}` } });
      expect(account.status).toBe(200);
      expect(await account.json()).toMatchObject({ id: 'acc_1' });
      const refused = await fetch(`${server.url}/accounts/acc_7`, { headers: { authorization: 'Bearer made-up' } });
      expect(refused.status).toBe(401);
    } finally {
      await server.close();
    }
  }, 60_000);
});
