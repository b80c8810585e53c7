import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillingClient } from '../../fixtures/connectors/billing-robust.js';
import { startBillingUpstream, type BillingUpstreamWithIssued } from '../../fixtures/upstream/billing-upstream.js';
import { root } from '../cli/test-helpers.js';
import { prepareRun } from '../config/index.js';
import { loadContract } from '../contracts/load.js';
import { runPlan } from '../run/index.js';
import { holdupIn, startPactMockServer } from './test-helpers.js';

let upstream: BillingUpstreamWithIssued;
let dir: string;

beforeAll(async () => {
  upstream = await startBillingUpstream();
  dir = await mkdtemp(path.join(tmpdir(), 'holdup-import-nock-'));
});

afterAll(async () => {
  nock.restore();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

/** What the billing-robust connector does, through whatever nock has in place. */
async function driveBillingClient(): Promise<void> {
  const client = new BillingClient({ baseUrl: upstream.url, clientId: 'demo', clientSecret: 'demo-secret' });
  await client.listInvoices('cus_1');
  await client.getInvoice('in_1');
  await client.createInvoice({ customer: 'cus_1', amount: 1200, currency: 'usd' });
}

/** Records with Nock Back (record mode) into `folder/name`, request headers included; nock is off again afterwards. */
async function recordWithNockBack(folder: string, name: string): Promise<string> {
  nock.back.fixtures = folder;
  nock.back.setMode('record');
  const { nockDone } = await nock.back(name, { recorder: { enable_reqheaders_recording: true } });
  try {
    await driveBillingClient();
  } finally {
    nockDone();
    nock.back.setMode('wild');
    nock.restore();
    nock.cleanAll();
  }
  return path.join(folder, name);
}

function holdup(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return holdupIn(dir, args);
}

function secretsSeen(): string[] {
  return ['demo-secret', ...upstream.issued.flatMap((pair) => [pair.accessToken, pair.refreshToken])];
}

describe('holdup import nock', () => {
  it('turns a real Nock Back recording into a contract without its secrets, which holdup run replays to a connector and Pact’s mock server serves', async () => {
    const recording = await recordWithNockBack(path.join(dir, 'nock-back'), 'billing-app.json');
    const raw = await readFile(recording, 'utf8');
    // the recording holds what the connector really sent and got: the secrets are in it
    expect(raw).toContain('demo-secret');
    expect(raw).toMatch(/"authorization": "Bearer at_/);

    const project = path.join(dir, 'project');
    await mkdir(path.join(project, 'contracts'), { recursive: true });
    const { code, stdout, stderr } = await holdup('import', 'nock', recording, '--out', path.join(project, 'contracts/billing-nock.json'), '--provider', 'billing-api');
    expect(stderr).toBe('');
    expect(stdout).toBe(
      'wrote project/contracts/billing-nock.json from <tmp>/nock-back/billing-app.json: 5 interactions, 7 redacted values\n' +
        'names: consumer "billing-app" (the recording\'s file name; --consumer sets it), provider "billing-api" (--provider)\n' +
        'token endpoint: POST /oauth/token (holdup run issues its own tokens there)\n' +
        'next: write a connector whose `contract` is project/contracts/billing-nock.json, then holdup run --connector NAME (docs/connectors.md)\n',
    );
    expect(code).toBe(0);

    const file = path.join(project, 'contracts/billing-nock.json');
    const text = await readFile(file, 'utf8');
    for (const secret of secretsSeen()) expect(text, secret).not.toContain(secret);
    const contract = await loadContract(file, 'billing-nock.json');
    expect(contract.interactions.map((i) => i.description)).toEqual([
      '$[0]: POST /oauth/token (grant_type=client_credentials) → 200',
      '$[1]: GET /v1/invoices?customer=cus_1&limit=2 → 200',
      '$[2]: GET /v1/invoices?customer=cus_1&limit=2&starting_after=cur_2 → 200',
      '$[3]: GET /v1/invoices/in_1 → 200',
      '$[4]: POST /v1/invoices → 201',
    ]);
    // the same placeholders holdup record writes: the Authorization header keeps its scheme, the body's token its name
    const list = contract.interactions[1]!;
    expect(list.request.headers['authorization']).toEqual(['Bearer <redacted:authorization>']);
    expect(contract.interactions[0]!.response.body?.json).toMatchObject({ access_token: '<redacted:access_token>', refresh_token: '<redacted:refresh_token>' });
    expect(contract.interactions[0]!.request.body?.json).toEqual({ grant_type: 'client_credentials', client_id: 'demo', client_secret: '<redacted:client_secret>' });

    // holdup run: the control executions of a connector on this contract pass, and the run is scored
    await writeFile(path.join(project, 'billing-nock.connector.ts'), `export { default } from ${JSON.stringify(path.join(root, 'fixtures/import/billing-nock.connector.ts'))};\n`);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ type: 'module', holdup: { connectors: ['*.connector.ts'] } }));
    const { plan } = await prepareRun({ cwd: project, scenarios: ['silent-failure/error-body', 'rate-limit/retry-after-seconds'], seed: 1, networkEngine: 'none' });
    const report = await runPlan(plan);
    const [connector] = report.connectors;
    expect({ name: connector?.name, valid: connector?.valid, invalidReason: connector?.invalidReason }).toEqual({ name: 'billing-nock', valid: true, invalidReason: undefined });
    const judged = connector!.categories.filter((category) => category.status === 'pass' || category.status === 'fail').map((category) => category.id);
    expect(judged).toEqual(expect.arrayContaining(['rate-limit', 'silent-failure']));

    // Pact's own mock server loads the file and answers one of its requests as recorded
    const mock = await startPactMockServer(file);
    try {
      const response = await fetch(`${mock.url}/v1/invoices/in_1`, { headers: { authorization: 'Bearer any-token' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: 'in_1', object: 'invoice', customer: 'cus_1' });
    } finally {
      mock.close();
    }
  }, 120_000);

  it('reads nock.recorder objects (output_objects: true) as it reads Nock Back files, and says how to record when given the recorder’s code', async () => {
    nock.recorder.clear();
    nock.activate();
    nock.recorder.rec({ dont_print: true, output_objects: true, enable_reqheaders_recording: true });
    let objects: unknown[];
    try {
      await new BillingClient({ baseUrl: upstream.url, clientId: 'demo', clientSecret: 'demo-secret' }).getInvoice('in_1');
      objects = nock.recorder.play() as unknown[];
    } finally {
      nock.restore();
      nock.recorder.clear();
    }
    const objectsFile = path.join(dir, 'recorder-objects.json');
    await writeFile(objectsFile, JSON.stringify(objects));
    const imported = await holdup('import', 'nock', objectsFile, '--out', path.join(dir, 'from-recorder.json'));
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const contract = await loadContract(path.join(dir, 'from-recorder.json'), 'from-recorder.json');
    expect(contract.consumer).toBe('recorder-objects');
    expect(contract.provider).toBe('127.0.0.1');
    expect(contract.interactions.map((i) => i.description)).toEqual(['$[0]: POST /oauth/token (grant_type=client_credentials) → 200', '$[1]: GET /v1/invoices/in_1 → 200']);
    const text = await readFile(path.join(dir, 'from-recorder.json'), 'utf8');
    for (const secret of secretsSeen()) expect(text, secret).not.toContain(secret);

    // the recorder's default output is code: refused with the way to record data instead
    nock.recorder.clear();
    nock.activate();
    nock.recorder.rec({ dont_print: true });
    let code: unknown[];
    try {
      await new BillingClient({ baseUrl: upstream.url, clientId: 'demo', clientSecret: 'demo-secret' }).getInvoice('in_1');
      code = nock.recorder.play() as unknown[];
    } finally {
      nock.restore();
      nock.recorder.clear();
    }
    expect(typeof code[0]).toBe('string');
    const codeFile = path.join(dir, 'recorder-code.json');
    await writeFile(codeFile, JSON.stringify(code));
    const refused = await holdup('import', 'nock', codeFile, '--out', path.join(dir, 'never.json'));
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('[holdup] NOCK_CODE <tmp>/recorder-code.json: this is nock recorder output as JavaScript code (output_objects: false, the default)');
    expect(refused.stderr).toContain('next: record with nock.recorder.rec({ output_objects: true })');
    // the same code pasted into a .js file (what the recorder prints)
    const jsFile = path.join(dir, 'recorder.js');
    await writeFile(jsFile, (code as string[]).join('\n'));
    const js = await holdup('import', 'nock', jsFile, '--out', path.join(dir, 'never.json'));
    expect(js.code).toBe(2);
    expect(js.stderr).toContain('[holdup] NOCK_CODE');
  }, 60_000);
});
