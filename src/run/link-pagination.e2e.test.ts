import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runResilience } from '../config/index.js';
import type { CategoryReport, RunReport } from '../core/index.js';

// A connector holdup's own fixtures do not resemble: plain functions, a GitHub-like API whose
// first request (the user) is not the data, bare arrays per page, Link rel="next" pagination,
// and a result it reshapes ({ name, stars }).
const cwd = fileURLToPath(new URL('../../fixtures/link-pagination/', import.meta.url));
let report: RunReport;

beforeAll(async () => {
  report = await runResilience({ cwd, seed: 11, mode: 'in-process', categories: ['schema-drift', 'pagination', 'deprecation'] });
}, 60_000);

function category(id: string): CategoryReport & { failed: string[] } {
  const found = report.connectors[0]?.categories.find((c) => c.id === id);
  if (!found) throw new Error(`no category ${id}`);
  return { ...found, failed: found.checks.filter((c) => !c.passed).map((c) => c.id).sort() };
}

describe('a GitHub-like connector with Link pagination', () => {
  it('is judged in schema-drift on the repositories it returns, not on the user it asked for first', () => {
    const drift = category('schema-drift');
    expect(drift).toMatchObject({ status: 'fail', capped: true });
    expect(drift.failed).toContain('correct-or-loud');
    for (const finding of drift.findings.filter((f) => f.code === 'HU-CL-001')) {
      const path = String(finding.evidence.schedule?.[0]?.params['path']);
      expect(path, finding.message).toMatch(/^\$\[\*\]/);
    }
  });

  it('has its Link pagination learnt: paging forever on a repeated next link is caught, an empty first page is followed', () => {
    const pagination = category('pagination');
    expect(pagination.status).toBe('fail');
    expect(pagination.failed).toContain('stops-on-repeated-cursor');
    // judged (the empty page was inserted and followed), and passed
    expect(pagination.checks.find((c) => c.id === 'no-truncated-list')).toMatchObject({ passed: true });
    expect(pagination.checks.find((c) => c.id === 'no-truncated-list')?.executions).toBeGreaterThan(0);
    const schedule = pagination.findings.find((f) => f.code === 'HU-PG-001')?.evidence.schedule?.[0];
    expect(schedule?.params).toMatchObject({ style: 'link', path: '/users/octo/repos' });
  });

  it('keeps the Link relations a page already had when it adds a deprecation link, so paging still works', () => {
    const deprecation = category('deprecation');
    // (and after a 410 on /user it asks for /users/undefined/repos, which the contract does not know: HU-UM-001)
    expect(deprecation.failed).toEqual(['matches-contract', 'surfaces-deprecation']);
    expect(deprecation.findings.find((f) => f.code === 'HU-UM-001')?.message).toMatch(/^GET \/users\/undefined\/repos matched no interaction/);
  });
});
