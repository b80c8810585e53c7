import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runResilience } from '../config/index.js';
import type { CategoryReport, RunReport } from '../core/index.js';

// What holdup used to pass silently (issue #11), on a CRM contract like many recorded ones: no
// interaction lists Authorization, the last page of contacts has no paging object, deals page
// with JSON:API-style links, and one client calls an endpoint the contract does not record.
const cwd = fileURLToPath(new URL('../../fixtures/silent-pass/', import.meta.url));
const categories = ['auth-expiry', 'pagination', 'server-errors'];
let report: RunReport;
let warned: RunReport;

beforeAll(async () => {
  report = await runResilience({ cwd, seed: 5, mode: 'in-process', categories });
  warned = await runResilience({ cwd, seed: 5, mode: 'in-process', categories, connectors: ['crm-off-contract'], onUnhandledRequest: 'warn' });
}, 120_000);

function category(from: RunReport, name: string, id: string): CategoryReport {
  const found = from.connectors.find((c) => c.name === name)?.categories.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} for ${name}`);
  return found;
}

describe('no silent pass (issue #11)', () => {
  it('enforces the tokens it issued although no interaction lists Authorization: a client that never refreshes fails auth-expiry', () => {
    const auth = category(report, 'crm-no-refresh', 'auth-expiry');
    expect(auth.status).toBe('fail');
    const expired = auth.findings.filter((f) => f.code === 'HU-RC-001' && f.scenario === 'auth-expiry/token-expired');
    expect(expired.map((f) => f.operation).sort()).toEqual(['getContact', 'listContacts']);
    expect(expired[0]?.message).toMatch(/^threw instead of recovering: .*401/);
  });

  it('says auth-expiry does not apply to a client with a static key, and why', () => {
    expect(category(report, 'crm-static-key', 'auth-expiry')).toMatchObject({
      status: 'not-applicable',
      reason:
        "the connector authenticates without the contract's token endpoint (no API request of its control run carried a token it issued): a static key does not expire",
    });
  });

  it('repeats a cursor on a last page that has no cursor field: the client that pages forever is caught', () => {
    const pagination = category(report, 'crm-no-refresh', 'pagination');
    expect(pagination.status).toBe('fail');
    expect(pagination.findings.map((f) => f.code)).toContain('HU-PG-001');
  });

  it('shows a category whose critical check never ran as not exercised, with the reason, and leaves it out of the score', () => {
    const pagination = category(report, 'crm-deals', 'pagination');
    expect(pagination).toMatchObject({
      status: 'not-exercised',
      reason: 'stops-on-repeated-cursor never judged an execution: the fault pagination/repeated-cursor found nothing to change (1 execution)',
    });
    expect(pagination.score).toBeUndefined();
    expect(pagination.checks.find((c) => c.id === 'stops-on-repeated-cursor')?.notExercised).toBe(
      'the fault pagination/repeated-cursor found nothing to change (1 execution)',
    );
    const deals = report.connectors.find((c) => c.name === 'crm-deals');
    expect(deals?.coverage).toBeLessThan(100);
  });

  it('reports a request no interaction matches as its own finding with the near miss, and fails the gate (onUnhandledRequest: error)', () => {
    const errors = category(report, 'crm-off-contract', 'server-errors');
    const unmatched = errors.findings.filter((f) => f.code === 'HU-UM-001');
    expect(unmatched.length).toBeGreaterThan(0);
    expect(unmatched[0]).toMatchObject({ check: 'matches-contract', severity: 'error' });
    // one failure, one health check
    expect(unmatched.find((f) => f.scenario === 'server-errors/internal-error-once')?.message).toBe(
      'GET /v1/status matched no interaction of the contract; closest: "one contact" (path: expected "/v1/contacts/ct_1", found "/v1/status"): holdup answered 500 in the upstream\'s place',
    );
    const offContract = report.connectors.find((c) => c.name === 'crm-off-contract');
    expect(offContract?.gateReasons).toContain("requests matched no interaction of the contract (onUnhandledRequest: 'error') in server-errors");
  });

  it('never counts holdup’s answer to an unmatched request as a failure of the upstream: the backoff between retries is still judged', () => {
    const backoff = category(report, 'crm-off-contract', 'server-errors').checks.find((c) => c.id === 'backoff-grows-with-jitter');
    expect(backoff?.executions).toBeGreaterThan(0);
    expect(backoff?.passed).toBe(true);
  });

  it('with onUnhandledRequest: warn, reports it as a warning and does not fail the gate for it', () => {
    const errors = category(warned, 'crm-off-contract', 'server-errors');
    expect(errors.findings.filter((f) => f.code === 'HU-UM-001').every((f) => f.severity === 'warning')).toBe(true);
    expect(errors.checks.find((c) => c.id === 'matches-contract')?.passed).toBe(true);
    const connector = warned.connectors[0];
    expect(connector?.gateReasons.some((reason) => reason.includes('matched no interaction'))).toBe(false);
  });
});
