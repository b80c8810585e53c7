import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RunReportSchema } from '../core/index.js';
import { FakeOut } from '../report/test-helpers.js';
import { main } from './main.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

afterAll(async () => {
  await rm(`${root}reports/interrupted`, { recursive: true, force: true });
});

/** A terminal where Ctrl-C is pressed once `text` has been shown (the connector's executions have started). */
class CtrlCOn extends FakeOut {
  constructor(
    private readonly awaited: string,
    private readonly controller: AbortController,
  ) {
    super();
  }

  override _write(chunk: Buffer | string, encoding: BufferEncoding, callback: () => void): void {
    super._write(chunk, encoding, callback);
    if (this.text.includes(this.awaited)) this.controller.abort();
  }
}

/** `holdup run` with Ctrl-C (`controller`), its report in reports/interrupted/report.json. */
async function interrupted(controller: AbortController, out: FakeOut) {
  const err = new FakeOut();
  const code = await main(['run', '--seed', '9', '--reporter', 'console', '--reporter', 'json:reports/interrupted/report.json', '--concurrency', '2', '--connector', 'billing-robust'], {
    out,
    err,
    cwd: root,
    signal: controller.signal,
  });
  const report = RunReportSchema.parse(JSON.parse(await readFile(`${root}reports/interrupted/report.json`, 'utf8')));
  return { code, stdout: out.text, stderr: err.text, report };
}

describe('Ctrl-C', () => {
  it('in the middle of a run cuts the executions under way short, writes a report marked interrupted and exits 130', async () => {
    const controller = new AbortController();
    const out = new CtrlCOn('billing-robust  contracts/', controller);
    const { code, stdout, stderr, report } = await interrupted(controller, out);
    expect(code).toBe(130);
    expect(stderr).toContain('[holdup] INTERRUPTED the run was interrupted; the report holds what finished and is marked interrupted');
    expect(stdout).toContain('wrote: reports/interrupted/report.json');
    expect(report).toMatchObject({ complete: false, interrupted: true, incompleteReason: 'the run was interrupted' });
    expect(report.gate).toMatchObject({ passed: false, judged: false });
  });

  it('before anything was loaded still writes a report, marked interrupted, and exits 130', async () => {
    const controller = new AbortController();
    controller.abort();
    const { code, stderr, report } = await interrupted(controller, new FakeOut());
    expect(code).toBe(130);
    expect(stderr).toContain('[holdup] INTERRUPTED');
    expect(report).toMatchObject({
      seed: 9,
      complete: false,
      interrupted: true,
      incompleteReason: 'the run was interrupted while loading the config and connectors',
      connectors: [],
      gate: { passed: false, judged: false, reasons: [], unjudged: ['the run was interrupted while loading the config and connectors'] },
    });
    expect(report.runId).toMatch(/^\d{8}-\d{6}Z-00000009-[0-9a-f]{6}$/);
  });
});
