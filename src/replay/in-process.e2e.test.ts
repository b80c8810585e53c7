import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../contracts/load.js';
import type { Contract } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { InProcessNetwork } from './in-process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CONTRACT = 'contracts/billing-app-billing-api.json';
let contract: Contract;
const network = new InProcessNetwork();

beforeAll(async () => {
  contract = await loadContract(`${root}${CONTRACT}`, CONTRACT);
  network.apply();
});
afterAll(() => network.dispose());

const open = (steps: { on: 'api' | 'token'; request: number; fault: string; params: Record<string, number> }[] = []) =>
  network.open({ contract, schedule: { steps }, faults: FAULTS, elapsed: () => 0, epoch: () => Date.now() });

async function token(base: string): Promise<string> {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=demo&client_secret=demo-secret',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('the in-process transport', () => {
  it('answers node:http requests from the replay handler, as it answers fetch', async () => {
    const replay = open();
    const bearer = await token(replay.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      get(`${replay.url}/v1/invoices/in_1`, { headers: { authorization: `Bearer ${bearer}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ id: 'in_1' });
    expect(replay.handler.trace.map((e) => `${e.stream} ${e.request.method} ${e.request.path}`)).toEqual(['token POST /oauth/token', 'api GET /v1/invoices/in_1']);
    replay.close();
  });

  it('a reset is what each client reports for a dropped connection', async () => {
    const replay = open([{ on: 'api', request: 1, fault: 'write-safety/reset-after-commit', params: {} }]);
    const bearer = await token(replay.url);
    const failure = await fetch(`${replay.url}/v1/invoices/in_1`, { headers: { authorization: `Bearer ${bearer}` } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe('fetch failed');
    expect(((failure as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    replay.close();
  });

  it('refuses a request to any other host rather than letting it out', async () => {
    const replay = open();
    await expect(fetch('http://example.invalid/anything')).rejects.toThrow(
      `holdup in-process mode answers only its replay server (${replay.url}); the connector asked http://example.invalid/anything`,
    );
    replay.close();
  });
});
