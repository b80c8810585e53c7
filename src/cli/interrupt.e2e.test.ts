import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RunReportSchema } from '../core/index.js';
import { FakeOut } from '../report/test-helpers.js';
import { main } from './main.js';

const root = fileURLToPath(new URL('../../', import.meta.url));


describe('Ctrl-C in the middle of a run', () => {
  it('cuts the executions under way short, writes a report marked incomplete and exits 3', async () => {
    const out = new FakeOut();
    const err = new FakeOut();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const code = await main(['run', '--seed', '9', '--reporter', 'json:reports/interrupted/report.json', '--concurrency', '2', '--connector', 'billing-robust'], {
      out,
      err,
      cwd: root,
      signal: controller.signal,
    });
    expect(code).toBe(3);
    expect(err.text).toContain('[holdup] INTERRUPTED the run was interrupted; the report holds what finished and is marked incomplete');
    expect(out.text).toContain('wrote: reports/interrupted/report.json');
    const report = RunReportSchema.parse(JSON.parse(await readFile(`${root}reports/interrupted/report.json`, 'utf8')));
    expect(report.complete).toBe(false);
    expect(report.incompleteReason).toBe('the run was interrupted');
    expect(report.gate.passed).toBe(false);
  });
});
