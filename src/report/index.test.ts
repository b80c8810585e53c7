import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatError, HoldupError } from '../core/errors.js';
import { createReporters, REPORTERS, writeReport, type Reporter } from './index.js';
import { fixtureReport } from './test-fixtures.js';
import { FakeOut } from './test-helpers.js';

let reportsDir: string;
beforeEach(async () => {
  reportsDir = await mkdtemp(join(tmpdir(), 'holdup-reports-'));
});
afterEach(async () => {
  await rm(reportsDir, { recursive: true, force: true });
});

const options = () => ({ out: new FakeOut(), color: false, root: '/project' });

/** Every file under `dir`, relative to it, sorted; a link to a folder (`latest`) is listed as that folder. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries.map(async (entry) => {
      const path = join(entry.parentPath, entry.name);
      if (entry.isFile()) return [relative(dir, path)];
      if (!entry.isSymbolicLink()) return [];
      return (await readdir(path)).map((name) => relative(dir, join(path, name)));
    }),
  );
  return files.flat().sort();
}

describe('createReporters', () => {
  it('creates every listed reporter under its own name; all but console make a file', () => {
    for (const name of Object.keys(REPORTERS)) {
      const [reporter] = createReporters([name], options());
      expect(reporter?.name).toBe(name);
      if (name !== 'console') expect(reporter?.output, name).toBeDefined();
    }
  });

  it('creates the named reporters in order, once each', () => {
    const names = createReporters(['junit', 'console', 'junit', 'markdown', 'json'], options()).map((r) => r.name);
    expect(names).toEqual(['junit', 'console', 'markdown', 'json']);
  });

  it('refuses an unknown name with a usage error naming the valid ones', () => {
    let error: unknown;
    try {
      createReporters(['console', 'xml', 'tap'], options());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HoldupError);
    expect((error as HoldupError).exitCode).toBe(2);
    expect(formatError(error as HoldupError)).toBe(
      '[holdup] USAGE unknown reporters "xml", "tap"\n' +
        `  next: use --reporter with one or more of: ${Object.keys(REPORTERS).join(', ')} (repeat it, or separate names with commas)`,
    );
  });
});

describe('writeReport', () => {
  const all = (): Reporter[] => createReporters(['console', 'json', 'junit', 'markdown'], options());

  it('writes reports/<runId>/ and points reports/latest at it, leaving no temporary file', async () => {
    const report = fixtureReport();
    const written = await writeReport(report, reportsDir, all());
    const dir = join(reportsDir, '2025-03-14T09-26-53Z-7f3a');
    expect(written.dir).toBe(dir);
    expect(written.files).toEqual(['report.json', 'junit.xml', 'report.md'].map((name) => join(dir, name)));
    expect(await tree(reportsDir)).toEqual([
      '2025-03-14T09-26-53Z-7f3a/junit.xml',
      '2025-03-14T09-26-53Z-7f3a/report.json',
      '2025-03-14T09-26-53Z-7f3a/report.md',
      'latest/junit.xml',
      'latest/report.json',
      'latest/report.md',
    ]);
    // a relative link: the reports folder can be moved or archived whole
    expect(await readlink(join(reportsDir, 'latest'))).toBe('2025-03-14T09-26-53Z-7f3a');
    for (const name of ['report.json', 'junit.xml', 'report.md']) {
      expect(await readFile(join(reportsDir, 'latest', name), 'utf8')).toBe(await readFile(join(dir, name), 'utf8'));
    }
  });

  it('replaces latest entirely with the newest run, even a latest/ folder an earlier holdup made', async () => {
    await mkdir(join(reportsDir, 'latest'));
    await writeFile(join(reportsDir, 'latest', 'stale.txt'), 'from an older holdup');
    await writeReport(fixtureReport(), reportsDir, all());
    expect((await lstat(join(reportsDir, 'latest'))).isSymbolicLink()).toBe(true);
    const second = { ...fixtureReport(), runId: '2025-03-15T10-00-00Z-0b1c', seed: 7 };
    await writeReport(second, reportsDir, createReporters(['json'], options()));
    expect(await tree(join(reportsDir, 'latest'))).toEqual(['report.json']);
    const latest = JSON.parse(await readFile(join(reportsDir, 'latest', 'report.json'), 'utf8')) as { seed: number };
    expect(latest.seed).toBe(7);
    expect(await readdir(reportsDir)).toEqual(
      expect.arrayContaining(['2025-03-14T09-26-53Z-7f3a', '2025-03-15T10-00-00Z-0b1c', 'latest']),
    );
    expect(await readdir(reportsDir)).toHaveLength(3);
  });

  it('leaves latest at the newest complete run when a run is interrupted or incomplete (its folder is written all the same)', async () => {
    await writeReport(fixtureReport(), reportsDir, all());
    const stopped = [
      { ...fixtureReport(), runId: '2025-03-15T10-00-00Z-0b1c', complete: false, interrupted: true, incompleteReason: 'the run was interrupted' },
      { ...fixtureReport(), runId: '2025-03-16T10-00-00Z-9d8e', complete: false, incompleteReason: 'Toxiproxy died' },
    ];
    for (const report of stopped) {
      const written = await writeReport(report, reportsDir, all());
      expect(written.dir).toBe(join(reportsDir, report.runId));
      expect(await readlink(join(reportsDir, 'latest'))).toBe('2025-03-14T09-26-53Z-7f3a');
    }
    // no complete run yet: no latest
    const fresh = join(reportsDir, 'fresh');
    await writeReport(stopped[0]!, fresh, all());
    expect(await readdir(fresh)).toEqual(['2025-03-15T10-00-00Z-0b1c']);
  });

  it("never writes into a folder that exists (another run's): the report takes <runId>-2 and says so", async () => {
    const report = fixtureReport();
    await mkdir(join(reportsDir, report.runId));
    await writeFile(join(reportsDir, report.runId, 'report.json'), '{"half": ');
    const written = await writeReport(report, reportsDir, createReporters(['json'], options()));
    expect(written.dir).toBe(join(reportsDir, `${report.runId}-2`));
    expect(JSON.parse(await readFile(join(reportsDir, `${report.runId}-2`, 'report.json'), 'utf8'))).toEqual({ ...report, runId: `${report.runId}-2` });
    expect(await readFile(join(reportsDir, report.runId, 'report.json'), 'utf8')).toBe('{"half": ');
    expect(await readlink(join(reportsDir, 'latest'))).toBe(`${report.runId}-2`);
  });

  it('two runs with the same id writing at once: two complete folders, and latest points at one of them', async () => {
    const reports = await Promise.all([1, 2].map((seed) => writeReport({ ...fixtureReport(), seed }, reportsDir, all())));
    const runId = fixtureReport().runId;
    expect(reports.map((written) => written.dir).sort()).toEqual([join(reportsDir, runId), join(reportsDir, `${runId}-2`)]);
    for (const dir of [runId, `${runId}-2`]) {
      expect((await readdir(join(reportsDir, dir))).sort()).toEqual(['junit.xml', 'report.json', 'report.md']);
    }
    expect([runId, `${runId}-2`]).toContain(await readlink(join(reportsDir, 'latest')));
    const latest = JSON.parse(await readFile(join(reportsDir, 'latest', 'report.json'), 'utf8')) as { runId: string; complete: boolean };
    expect(latest.complete).toBe(true);
    expect(await readdir(reportsDir)).toHaveLength(3); // no temporary file or link left
  });

  it('leaves latest as it was, and no folder or temporary file, when a reporter fails', async () => {
    await writeReport(fixtureReport(), reportsDir, all());
    const broken = { ...fixtureReport(), runId: 'broken', seed: 0.5 };
    await expect(writeReport(broken, reportsDir, all())).rejects.toThrow(/does not match its schema/);
    expect(await tree(reportsDir)).toEqual([
      '2025-03-14T09-26-53Z-7f3a/junit.xml',
      '2025-03-14T09-26-53Z-7f3a/report.json',
      '2025-03-14T09-26-53Z-7f3a/report.md',
      'latest/junit.xml',
      'latest/report.json',
      'latest/report.md',
    ]);
  });

  it('refuses a run id that is not a plain folder name', async () => {
    for (const runId of ['../escape', 'latest', '..', 'a/b', '']) {
      await expect(writeReport({ ...fixtureReport(), runId }, reportsDir, all())).rejects.toThrow(
        /cannot name a report folder/,
      );
    }
    expect(await readdir(reportsDir)).toEqual([]);
  });

  it('wraps a folder it cannot write into in a REPORT_WRITE error', async () => {
    const blocker = join(reportsDir, 'file');
    await writeFile(blocker, '');
    const error = await writeReport(fixtureReport(), blocker, all()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HoldupError);
    expect((error as HoldupError).code).toBe('REPORT_WRITE');
  });
});

describe('reporters with a target of their own (--reporter NAME:FILE, json on stdout)', () => {
  it('writes a reporter given a path there, the others into the run folder, and json with "-" on stdout only', async () => {
    const stdout = new FakeOut();
    const junit = join(reportsDir, 'ci', 'out', 'junit.xml');
    const reporters = createReporters(['markdown', { name: 'junit', target: junit }, { name: 'json', target: '-' }], options());
    const written = await writeReport(fixtureReport(), reportsDir, reporters, stdout);
    const dir = join(reportsDir, fixtureReport().runId);
    expect(written).toEqual({ dir, files: [join(dir, 'report.md'), junit] });
    expect(await tree(reportsDir)).toEqual(['2025-03-14T09-26-53Z-7f3a/report.md', 'ci/out/junit.xml', 'latest/report.md']);
    expect(JSON.parse(stdout.text)).toEqual(fixtureReport());
  });

  it('creates no run folder when every output has a target of its own', async () => {
    const stdout = new FakeOut();
    const written = await writeReport(fixtureReport(), reportsDir, createReporters([{ name: 'json', target: '-' }], options()), stdout);
    expect(written).toEqual({ dir: undefined, files: [] });
    expect(await readdir(reportsDir)).toEqual([]);
  });

  it('keeps one reporter per name and target: the same reporter may write two places', () => {
    const reporters = createReporters(['junit', { name: 'junit', target: '/x/junit.xml' }, 'junit'], options());
    expect(reporters.map((reporter) => [reporter.name, reporter.target])).toEqual([
      ['junit', undefined],
      ['junit', '/x/junit.xml'],
    ]);
  });

  it('refuses a file for the console reporter, which writes none', () => {
    let error: unknown;
    try {
      createReporters([{ name: 'console', target: '/x/console.txt' }], options());
    } catch (caught) {
      error = caught;
    }
    expect(formatError(error as HoldupError)).toBe(
      '[holdup] USAGE the console reporter prints as the run goes and writes no file: it takes no ":/x/console.txt"\n' +
        '  next: use --reporter console, and a file for a reporter that writes one (json, junit, junit-ant, github-actions, html, markdown; for example --reporter junit:reports/junit.xml)',
    );
  });
});
