import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOut } from '../report/test-helpers.js';
import { main } from './main.js';
import { root } from './test-helpers.js';

const BUNDLED = 'contracts/billing-app-billing-api.json';
const SINGLE = 'a request for invoice in_1';

type Pact = { interactions: { description: string; response: { body: { content: Record<string, unknown> } } }[] };

let tmp: string;

/** The bundled contract with the single-invoice response body changed by `change`, written to the temp folder. */
async function variant(name: string, change: (body: Record<string, unknown>) => Record<string, unknown>): Promise<string> {
  const pact = JSON.parse(await readFile(path.join(root, BUNDLED), 'utf8')) as Pact;
  const single = pact.interactions.find((interaction) => interaction.description === SINGLE)!;
  single.response.body.content = change(single.response.body.content);
  const file = path.join(tmp, name);
  await writeFile(file, JSON.stringify(pact, null, 2));
  return file;
}

/** Runs `holdup diff` in `cwd`; the temp folder is written `<tmp>` in the output. */
async function holdup(args: string[], cwd = root) {
  const out = new FakeOut();
  const err = new FakeOut();
  const code = await main(['diff', ...args], { out, err, cwd });
  const clean = (text: string) => text.split(tmp).join('<tmp>');
  return { code, stdout: clean(out.text), stderr: clean(err.text) };
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'holdup-diff-'));
  await writeFile(path.join(tmp, 'not-json.json'), '{"interactions": [,]}');
  await writeFile(path.join(tmp, 'hello.json'), '{"hello": 1}');
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('holdup diff', () => {
  it('names a renamed and a retyped field as breaking and exits 1', async () => {
    const renamed = await variant('renamed.json', (body) =>
      Object.fromEntries(Object.entries(body).map(([key, value]) => (key === 'amount_due' ? ['amount_total', value] : key === 'created' ? [key, String(value)] : [key, value]))),
    );
    const { code, stdout, stderr } = await holdup([BUNDLED, renamed]);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      'holdup diff: contracts/billing-app-billing-api.json (old) → <tmp>/renamed.json (new)\n' +
        'BREAKING  GET /v1/invoices/in_1 "a request for invoice in_1": response body $.amount_due renamed to $.amount_total (number)\n' +
        'BREAKING  GET /v1/invoices/in_1 "a request for invoice in_1": response body $.created changed type from number to string\n' +
        '2 breaking, 0 non-breaking changes\n',
    );
    expect(code).toBe(1);
  });

  it('finds no changes between the contract and itself and exits 0', async () => {
    const { code, stdout } = await holdup([BUNDLED, BUNDLED]);
    expect(stdout).toBe('holdup diff: contracts/billing-app-billing-api.json (old) → contracts/billing-app-billing-api.json (new)\nno changes\n');
    expect(code).toBe(0);
  });

  it('marks an added optional field non-breaking and exits 0', async () => {
    const added = await variant('added.json', (body) => ({ ...body, tax: 240 }));
    const { code, stdout } = await holdup([BUNDLED, added]);
    expect(stdout).toBe(
      'holdup diff: contracts/billing-app-billing-api.json (old) → <tmp>/added.json (new)\n' +
        'ok        GET /v1/invoices/in_1 "a request for invoice in_1": response body $.tax added (number)\n' +
        '0 breaking, 1 non-breaking changes\n',
    );
    expect(code).toBe(0);
  });

  it('prints the changes as data with --json', async () => {
    const added = await variant('added-json.json', (body) => ({ ...body, tax: 240 }));
    const { code, stdout } = await holdup([BUNDLED, added, '--json']);
    expect(JSON.parse(stdout)).toEqual({
      old: BUNDLED,
      new: '<tmp>/added-json.json',
      breaking: 0,
      nonBreaking: 1,
      changes: [
        {
          kind: 'field-added',
          breaking: false,
          interaction: { description: SINGLE, method: 'GET', path: '/v1/invoices/in_1' },
          part: 'response',
          location: '$.tax',
          after: 'number',
        },
      ],
    });
    expect(code).toBe(0);
  });
});

describe('holdup diff with bad input exits 2 with a coded error, the file and the next step', () => {
  const old = path.join(root, BUNDLED);

  it('a file that is not JSON', async () => {
    const { code, stdout, stderr } = await holdup([old, 'not-json.json'], tmp);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "[holdup] CONTRACT_JSON not-json.json: not valid JSON at line 1, column 19: expected a JSON value, found ','\n" +
        '  next: fix the JSON syntax of the contract (a trailing comma or a missing quote is the usual cause)\n',
    );
    expect(code).toBe(2);
  });

  it('a JSON file that is not a contract', async () => {
    const { code, stderr } = await holdup(['hello.json', old], tmp);
    expect(stderr).toBe(
      '[holdup] CONTRACT_SCHEMA hello.json: $.interactions: expected an array for the interactions list, found nothing\n' +
        '  next: fix the contract so it matches the Pact specification (docs/contracts.md)\n',
    );
    expect(code).toBe(2);
  });

  it('a missing file', async () => {
    const { code, stderr } = await holdup([old, 'missing.json'], tmp);
    expect(stderr).toBe(
      '[holdup] CONTRACT_NOT_FOUND missing.json: contract file not found\n' +
        '  next: check the path: holdup diff reads it from the current folder (<tmp>)\n',
    );
    expect(code).toBe(2);
  });

  it.each([
    [[], 'none'],
    [['old.json'], '"old.json"'],
    [['a.json', 'b.json', 'c.json'], '"a.json", "b.json", "c.json"'],
  ])('%j: not two files', async (args, got) => {
    const { code, stderr } = await holdup(args, tmp);
    expect(stderr).toBe(
      `[holdup] USAGE holdup diff takes two contract files, OLD and NEW; got ${got}\n` +
        '  next: for example holdup diff contracts/billing-app-billing-api.json new/billing-app-billing-api.json\n',
    );
    expect(code).toBe(2);
  });
});
