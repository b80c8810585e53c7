import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runResilience } from '../config/index.js';
import type { CategoryId, ConnectorReport, RunReport } from '../core/index.js';

// The bundled fixtures, run as the README's first command runs them: three billing connectors
// against the same contract, every built-in scenario, real sockets and real waits.
const root = fileURLToPath(new URL('../../', import.meta.url));
let report: RunReport;

beforeAll(async () => {
  report = await runResilience({ cwd: root, seed: 7 });
}, 120_000);

function connector(name: string): ConnectorReport {
  const found = report.connectors.find((c) => c.name === name);
  if (!found) throw new Error(`no connector ${name} in the report`);
  return found;
}

function category(name: string, id: CategoryId) {
  const found = connector(name).categories.find((c) => c.id === id);
  if (!found) throw new Error(`no category ${id}`);
  return { ...found, failed: found.checks.filter((c) => !c.passed).map((c) => c.id).sort() };
}

describe('the demo suite on the bundled billing fixtures', () => {
  it('the robust connector passes every category that ran, and its gate', () => {
    const robust = connector('billing-robust');
    expect(robust.valid).toBe(true);
    for (const id of ['rate-limit', 'auth-expiry', 'server-errors', 'silent-failure'] as const) {
      const c = category('billing-robust', id);
      expect(c.findings.map((f) => `${f.code} ${f.scenario} ${f.operation}: ${f.message}`), id).toEqual([]);
      expect(c, id).toMatchObject({ status: 'pass', score: 100, failed: [] });
    }
    expect(robust.gate).toBe('pass');
    expect(robust.grade).toBe('A');
  });

  it('the naive connector returns error bodies as data: every category capped by correct-or-loud', () => {
    for (const id of ['rate-limit', 'auth-expiry', 'server-errors', 'silent-failure'] as const) {
      const c = category('billing-naive', id);
      expect(c, id).toMatchObject({ status: 'fail', capped: true });
      expect(c.failed, id).toContain('correct-or-loud');
    }
    // ten concurrent calls on a fresh client each fetch a token: a stampede
    expect(category('billing-naive', 'auth-expiry').failed).toContain('single-refresh-per-expiry');
    const finding = category('billing-naive', 'silent-failure').findings.find(
      (f) => f.code === 'HU-CL-001' && f.scenario === 'silent-failure/error-body' && f.operation === 'getInvoice',
    );
    expect(finding?.evidence.details).toMatchObject({ field: '$.id', golden: 'in_1' });
    expect(connector('billing-naive').gate).toBe('fail');
  });

  it("the ky connector relies on ky's defaults: waits out a Retry-After past its deadline, never refreshes a token, returns an empty body as data", () => {
    expect(category('billing-ky', 'rate-limit')).toMatchObject({ status: 'fail', capped: true });
    expect(category('billing-ky', 'rate-limit').failed).toContain('settles-before-deadline');
    expect(category('billing-ky', 'rate-limit').failed).not.toContain('honours-retry-after');
    expect(category('billing-ky', 'auth-expiry')).toMatchObject({ status: 'fail', failed: ['recovers'] });
    expect(category('billing-ky', 'auth-expiry').capped).toBeFalsy();
    expect(category('billing-ky', 'server-errors')).toMatchObject({ status: 'fail', failed: ['recovers'] });
    expect(category('billing-ky', 'silent-failure')).toMatchObject({ status: 'fail', capped: true, failed: ['correct-or-loud'] });
  });

  it('ranks the connectors by how well they hold up', () => {
    const score = (name: string) => connector(name).score as number;
    expect(score('billing-robust')).toBeGreaterThan(score('billing-ky'));
    expect(score('billing-ky')).toBeGreaterThan(score('billing-naive'));
  });

  it('says plainly which categories did not run and why, and never scores them', () => {
    for (const c of connector('billing-robust').categories.filter((c) => c.id === 'network-faults' || c.id === 'latency-timeout')) {
      expect(c.status).toBe('not-run');
      expect(c.score).toBeUndefined();
      expect(c.reason).toMatch(/Toxiproxy/);
    }
    expect(report.networkEngine.kind).toBe('none');
  });

  it('every finding says how to replay it', () => {
    const findings = report.connectors.flatMap((c) => c.categories.flatMap((k) => k.findings));
    expect(findings.length).toBeGreaterThan(10);
    for (const f of findings) {
      expect(f.repro).toBe(`holdup run --connector ${f.connector} --scenario ${f.scenario} --operation ${f.operation} --seed 7`);
      expect(f.code).toMatch(/^HU-[A-Z]{2}-\d{3}$/);
      expect(f.evidence.timeline.length).toBeGreaterThan(0);
      // the seeded fault decisions are logged with the evidence
      expect(f.evidence.schedule?.length).toBeGreaterThan(0);
    }
  });

  it('never writes a token or secret into the evidence', () => {
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/hu_at_|hu_rt_|demo-secret/);
  });
});
