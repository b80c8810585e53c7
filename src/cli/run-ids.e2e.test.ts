import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunReportSchema, type RunReport } from '../core/index.js';
import { holdupProcess } from './test-helpers.js';

let reports: string;
beforeAll(async () => {
  reports = await mkdtemp(path.join(tmpdir(), 'holdup-run-ids-'));
});
afterAll(async () => {
  await rm(reports, { recursive: true, force: true });
});

async function reportIn(...parts: string[]): Promise<RunReport> {
  return RunReportSchema.parse(JSON.parse(await readFile(path.join(reports, ...parts, 'report.json'), 'utf8')));
}

describe('two runs with the same seed started together', () => {
  it('write two complete reports in two folders, and latest is one of them, complete', async () => {
    const args = ['--mode', 'in-process', '--connector', 'billing-robust', '--category', 'silent-failure', '-o', reports];
    const runs = await Promise.all([holdupProcess(args, {}), holdupProcess(args, {})]);
    expect(runs.map((run) => run.code)).toEqual([0, 0]);

    const folders = (await readdir(reports)).filter((name) => name !== 'latest').sort();
    expect(folders).toHaveLength(2);
    const written = await Promise.all(folders.map((folder) => reportIn(folder)));
    for (const [index, report] of written.entries()) {
      // the seed (3, from holdupProcess) in the id, and a part of its own
      expect(report.runId).toBe(folders[index]);
      expect(report.runId).toMatch(/^\d{8}-\d{6}Z-00000003-[0-9a-f]{6}$/);
      expect(report).toMatchObject({ seed: 3, complete: true, interrupted: false });
      expect((await readdir(path.join(reports, report.runId))).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
    }
    // each run printed its own folder
    expect(runs.map((run) => /report: \S+\/(\S+)\//.exec(run.stdout)?.[1]).sort()).toEqual(folders);

    // latest: a link to one of the two complete folders, read as a folder
    expect((await lstat(path.join(reports, 'latest'))).isSymbolicLink()).toBe(true);
    expect(folders).toContain(await readlink(path.join(reports, 'latest')));
    expect(await reportIn('latest')).toMatchObject({ complete: true });
  });
});
