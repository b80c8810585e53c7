import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunReportSchema } from '../core/index.js';
import { FakeOut, junitSchemas, xsdErrors } from '../report/test-helpers.js';
import { main } from './main.js';
import { root } from './test-helpers.js';

// holdup run's output flags as CI uses them, on the quotes fixture (in-process, rate-limit only: quick)
const cwd = path.join(root, 'fixtures/retry-after-date');
let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'holdup-reporters-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
  await rm(path.join(cwd, 'reports'), { recursive: true, force: true });
});

async function holdup(...args: string[]) {
  const stdout = new FakeOut();
  const stderr = new FakeOut();
  const code = await main(['run', '--seed', '3', '--mode', 'in-process', '--category', 'rate-limit', ...args], {
    out: stdout,
    err: stderr,
    cwd,
    env: {},
    signal: new AbortController().signal,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('holdup run -r / --reporter and -o / --reports-dir', () => {
  it('-r json prints the report on stdout and nothing else there; the console reporter goes to stderr', async () => {
    const ran = await holdup('-r', 'console', '-r', 'json');
    expect(ran.code).toBe(1);
    const report = RunReportSchema.parse(JSON.parse(ran.stdout));
    expect(report.seed).toBe(3);
    expect(report.connectors.map((connector) => connector.name)).toEqual(['quotes-seconds-only']);
    expect(ran.stderr).toContain('gate: FAILED — quotes-seconds-only');
    expect(ran.stderr).not.toContain('report:');
  });

  it('-r NAME:FILE writes that file (folders made), the other reporters into -o DIR/<run-id>/ and DIR/latest/', async () => {
    const reports = path.join(out, 'reports');
    const junit = path.join(out, 'ci', 'junit.xml');
    const ran = await holdup('-r', `junit:${junit}`, '-r', 'console,markdown', '-o', reports);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toBe('');
    expect(await xsdErrors(await readFile(junit, 'utf8'), (await junitSchemas()).jenkins)).toEqual([]);
    const [runId] = (await readdir(reports)).filter((name) => name !== 'latest');
    expect(await readdir(path.join(reports, runId!))).toEqual(['report.md']);
    expect(await readdir(path.join(reports, 'latest'))).toEqual(['report.md']);
    expect(ran.stdout).toContain(`report: ${path.relative(cwd, path.join(reports, runId!))}/ (report.md)\nwrote: ${path.relative(cwd, junit)}\n`);
  });

  it('-r junit-ant writes the strict Apache Ant dialect, valid against its XSD', async () => {
    const file = path.join(out, 'ant', 'junit.xml');
    const ran = await holdup('-r', `junit-ant:${file}`);
    expect(ran.code).toBe(1);
    const xml = await readFile(file, 'utf8');
    expect(await xsdErrors(xml, (await junitSchemas()).ant)).toEqual([]);
    expect(xml).toMatch(/<failure message="HU-RL-001 /);
  });

  it('the console reporter takes no file: a usage error before anything runs', async () => {
    const ran = await holdup('-r', 'console:out.txt');
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^\[holdup\] USAGE the console reporter prints as the run goes and writes no file/);
  });
});
