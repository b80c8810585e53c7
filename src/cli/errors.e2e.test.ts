import { readFile, rm } from 'node:fs/promises';

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeOut } from '../report/test-helpers.js';
import { main } from './main.js';
import { CATEGORY_IDS } from '../core/index.js';


const root = fileURLToPath(new URL('../../', import.meta.url));


/** Runs `holdup run` in a bad-input fixture folder; the report goes to a temporary folder. */
async function holdup(fixture: string, ...args: string[]) {
  const out = new FakeOut();
  const err = new FakeOut();
  const cwd = path.join(root, 'fixtures/bad', fixture);
  const code = await main(['run', '--seed', '1', '--reporter', 'json:reports/report.json', '--category', 'silent-failure', ...args], {
    out,
    err,
    cwd,
    signal: new AbortController().signal,
  });
  return { code, stdout: out.text, stderr: err.text };
}

afterAll(async () => {
  for (const fixture of ['never-settles', 'unmatched-request']) {
    await rm(path.join(root, 'fixtures/bad', fixture, 'reports'), { recursive: true, force: true });
  }
});

describe('bad input gets a coded error with the file, the path inside it and the next step', () => {
  it('a contract that is not JSON', async () => {
    const { code, stderr } = await holdup('malformed-contract');
    expect(code).toBe(2);
    expect(stderr).toBe(
      "[holdup] CONTRACT_JSON contract.json: not valid JSON at line 8, column 5: expected a property name in double quotes, found '}'\n" +
        '  next: fix the JSON syntax of the contract (a trailing comma or a missing quote is the usual cause)\n',
    );
  });

  it('a bad contract is said before anything starts: no Toxiproxy for a run that cannot go on', async () => {
    const { code, stdout, stderr } = await holdup('malformed-contract', '--category', 'network-faults', '--reporter', 'console');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^\[holdup\] CONTRACT_JSON contract\.json: not valid JSON at line 8, column 5/);
    expect(stdout).not.toContain('network engine');
  });

  it('a contract that fails the Pact schema', async () => {
    const { code, stderr } = await holdup('schema-contract');
    expect(code).toBe(2);
    expect(stderr).toBe(
      '[holdup] CONTRACT_SCHEMA contract.json: $.interactions[1].request.method: expected a string for the HTTP method, found 42\n' +
        '  next: fix the contract so it matches the Pact specification (docs/contracts.md)\n',
    );
  });

  it('a scenario naming an unknown fault id', async () => {
    const { code, stderr } = await holdup('unknown-fault');
    expect(code).toBe(2);
    expect(stderr).toBe(
      '[holdup] UNKNOWN_FAULT scenarios/bad.json: $.faults[0].fault: unknown fault id "rate-limit/retry-after-sometimes"\n' +
        '  next: did you mean "rate-limit/retry-after-seconds"? `holdup faults` lists every fault id\n',
    );
  });

  it('a connector that throws on import', async () => {
    const { code, stderr } = await holdup('throws-on-import');
    expect(code).toBe(2);
    expect(stderr).toBe(
      '[holdup] CONNECTOR_IMPORT billing.connector.ts: threw while loading: Error: BILLING_API_KEY is not set\n' +
        '  next: fix the error above; a connector module should not need secrets or a network at import time — read them in create()\n',
    );
    expect(stderr).not.toMatch(/\n\s+at /); // no stack dump
  });

  it('an operation that never settles: the connector is invalid, holdup does not hang', async () => {
    const { code, stderr } = await holdup('never-settles');
    expect(code).toBe(1);
    expect(stderr).toBe(
      '[holdup] CONTROL_HUNG billing.connector.ts: operations.getInvoice: did not settle within deadlineMs 1500 in the control run (no faults)\n' +
        '  next: make the operation return or throw (an un-awaited promise or a missing timeout is the usual cause), or raise deadlineMs\n',
    );
    // the gate says what went wrong: a hang, not a contract the connector disagrees with
    const report = JSON.parse(await readFile(path.join(root, 'fixtures/bad/never-settles/reports/report.json'), 'utf8')) as { connectors: { gateReasons: string[] }[] };
    expect(report.connectors[0]?.gateReasons).toEqual(['the control run failed: an operation did not settle within its deadline, with no fault injected']);
  });

  it('a request that matches no interaction: the near miss names the closest interaction and what differed', async () => {
    const { code, stderr } = await holdup('unmatched-request');
    expect(code).toBe(1);
    expect(stderr).toBe(
      '[holdup] NO_MATCH billing.connector.ts: operations.listInvoices: GET /v1/invoices?customer=cus_1 matched no interaction in ' +
        '../../../contracts/billing-app-billing-api.json; closest: "a request for the first page of invoices of customer cus_1" ' +
        '(query limit: expected "2", found absent)\n' +
        '  next: make the connector send what the contract records, or record the contract again (the control run has no faults)\n',
    );
  });

  it('an unknown category on the command line', async () => {
    const { code, stderr } = await holdup('never-settles', '--category', 'rate-limits');
    expect(code).toBe(2);
    expect(stderr).toBe(
      '[holdup] UNKNOWN_CATEGORY --category: unknown category "rate-limits"\n' +
        `  next: did you mean "rate-limit"? known: ${CATEGORY_IDS.join(', ')}\n`,
    );
  });

  it('a seed that is not a number', async () => {
    const { code, stderr } = await holdup('never-settles', '--seed', 'abc');
    expect(code).toBe(2);
    expect(stderr).toBe(
      '[holdup] USAGE --seed takes a whole number from 0 to 4294967295, got "abc"\n  next: for example --seed 42\n',
    );
  });
});

