import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunReportSchema, type RunReport } from '../core/index.js';
import { alive } from '../network/test-helpers.js';
import { REPORTERS } from '../report/index.js';
import { FakeOut } from '../report/test-helpers.js';
import { main } from './main.js';
import { holdupCommand, holdupShellCommand, interrupt, root, type Run } from './test-helpers.js';

// The exit codes (README.md, "Exit codes"): 0 every gate passed; 1 a gate failed; 2 bad input or
// usage; 3 holdup could not run, or failed; 130 interrupted. A crash or bad input never exits 1.

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'holdup-exit-codes-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The report.json of the one run that wrote into the reports folder `dir`; an interrupted run leaves `latest` alone (the newest complete run's). */
async function onlyReport(dir: string): Promise<RunReport> {
  const names = await readdir(dir);
  expect(names).not.toContain('latest');
  expect(names).toHaveLength(1);
  return RunReportSchema.parse(JSON.parse(await readFile(path.join(dir, names[0] as string, 'report.json'), 'utf8')));
}

/** Polls (up to 20 s) until `file` exists; its text. */
async function untilFile(file: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${file} never appeared`);
}

const STACK_LINE = /\n\s+at /;

describe('a crash exits 3 (never 1, which means a gate failed), with a HARNESS line and no stack trace', () => {
  const crashing = path.join(root, 'fixtures/bad/uncaught-error');
  const run = (env: NodeJS.ProcessEnv, ...extra: string[]): Promise<Run> =>
    holdupCommand(['run', '--seed', '1', '--category', 'silent-failure', '-o', path.join(scratch, 'crash'), ...extra], env, { cwd: crashing });

  it("a connector's callback throws where nothing can catch it", async () => {
    const ran = await run({});
    expect(ran.code).toBe(3);
    expect(ran.stderr).toBe(
      "[holdup] HARNESS an error nothing caught stopped holdup: TypeError: Cannot read properties of undefined (reading 'id')\n" +
        '  next: if it comes from your connector (a callback that throws, a promise nobody awaits), fix it there; otherwise it is a bug in holdup: please report it with the command you ran and what --debug prints\n',
    );
  });

  it('a promise nobody awaits rejects; --debug adds the stack trace', async () => {
    const ran = await run({ CRASH: 'reject' });
    expect(ran.code).toBe(3);
    expect(ran.stderr).toMatch(/^\[holdup\] HARNESS an error nothing caught stopped holdup: Error: the audit log is unreachable\n {2}next: /);
    expect(ran.stderr).not.toMatch(STACK_LINE);
    const debug = await run({ CRASH: 'reject' }, '--debug');
    expect(debug.code).toBe(3);
    expect(debug.stderr).toMatch(/\nError: the audit log is unreachable\n\s+at crash \(.*billing\.connector\.ts:\d+:\d+\)/);
  });

  it('a reporter that fails while rendering', async () => {
    const spy = vi.spyOn(REPORTERS, 'markdown').mockImplementation(() => ({
      name: 'markdown',
      output: {
        file: 'report.md',
        render: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'score')");
        },
      },
    }));
    try {
      for (const debug of [false, true]) {
        const err = new FakeOut();
        const code = await main(
          ['run', '--seed', '1', '--mode', 'in-process', '--connector', 'billing-robust', '--category', 'silent-failure', '-r', 'markdown', '-o', path.join(scratch, 'reporter'), ...(debug ? ['--debug'] : [])],
          { out: new FakeOut(), err, cwd: root, signal: new AbortController().signal },
        );
        expect(code).toBe(3);
        expect(err.text).toMatch(/^\[holdup\] HARNESS holdup itself failed: TypeError: Cannot read properties of undefined \(reading 'score'\)\n {2}next: /);
        expect(STACK_LINE.test(err.text)).toBe(debug);
      }
    } finally {
      spy.mockRestore();
    }
  });
});

describe('a reader that stops reading early changes no exit code', () => {
  it('holdup run | head -c 10 under set -o pipefail: the failed gate still fails the pipeline (exit 1), and the report is written', async () => {
    const reports = path.join(scratch, 'pipe');
    const pipeline = `${holdupShellCommand()} run --seed 3 --mode in-process --connector billing-naive --category schema-drift -o '${reports}' | head -c 10`;
    const shell = spawn('bash', ['-o', 'pipefail', '-c', pipeline], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    shell.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => shell.on('close', resolve));
    expect(stdout).toHaveLength(10);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const [runId] = (await readdir(reports)).filter((name) => name !== 'latest');
    expect(RunReportSchema.parse(JSON.parse(await readFile(path.join(reports, runId as string, 'report.json'), 'utf8')))).toMatchObject({ complete: true, gate: { passed: false } });
  });
});

describe('bad input or usage exits 2', () => {
  it('an option holdup does not know', async () => {
    const ran = await holdupCommand(['run', '--sede', '7'], {});
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^\[holdup\] USAGE Unknown option '--sede'.*\n {2}next: holdup run --help lists its options\n$/s);
  });

  it('a connector that throws on import', async () => {
    const ran = await holdupCommand(['run', '--seed', '1', '-o', path.join(scratch, 'bad')], {}, { cwd: path.join(root, 'fixtures/bad/throws-on-import') });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^\[holdup\] CONNECTOR_IMPORT billing\.connector\.ts: threw while loading: Error: BILLING_API_KEY is not set\n/);
    expect(ran.stderr).not.toMatch(STACK_LINE);
  });
});

describe('Ctrl-C in the first moments of a run writes report.json marked "interrupted": true and exits 130', () => {
  it('while the config is still loading', async () => {
    const reports = path.join(scratch, 'slow-config');
    const ran = await holdupCommand(['run', '--seed', '5', '-o', reports], {}, {
      cwd: path.join(root, 'fixtures/slow-config'),
      ready: (stdout) => stdout.includes('fixture: loading the config'),
      whenRunning: (child) => interrupt(child),
    });
    expect(ran.code).toBe(130);
    expect(ran.stderr).toContain('[holdup] INTERRUPTED the run was interrupted; the report holds what finished and is marked interrupted\n  next: run again with --seed 5 to repeat it\n');
    const report = await onlyReport(reports);
    expect(report).toMatchObject({ seed: 5, complete: false, interrupted: true, incompleteReason: 'the run was interrupted while loading the config and connectors', connectors: [] });
    // every default reporter wrote its file
    expect((await readdir(path.join(reports, report.runId))).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
    expect(await readFile(path.join(reports, report.runId, 'report.md'), 'utf8')).toContain('**Interrupted run:** the run was interrupted while loading the config and connectors');
  });

  it('while Toxiproxy is starting: the server being started is stopped too', async () => {
    const bin = await mkdtemp(path.join(scratch, 'slow-toxiproxy-'));
    const pidFile = path.join(bin, 'pid');
    // a toxiproxy-server that never answers: holdup is still waiting for its API when Ctrl-C comes
    await writeFile(path.join(bin, 'toxiproxy-server'), `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 120\n`);
    await chmod(path.join(bin, 'toxiproxy-server'), 0o755);
    const state = path.join(bin, 'state');
    const reports = path.join(bin, 'reports');
    const ran = await holdupCommand(
      ['run', '--seed', '6', '--connector', 'billing-robust', '--scenario', 'network-faults/reset-peer-once', '-o', reports],
      { PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`, TOXIPROXY_URL: '', HOLDUP_STATE_DIR: state },
      {
        onSpawn: (child) => {
          void untilFile(pidFile).then(() => interrupt(child));
        },
      },
    );
    expect(ran.code).toBe(130);
    const report = await onlyReport(reports);
    expect(report).toMatchObject({
      complete: false,
      interrupted: true,
      networkEngine: { kind: 'none', reason: 'the run was interrupted while the network engine was starting' },
    });
    expect(alive(Number(await readFile(pidFile, 'utf8')))).toBe(false);
    expect(await readdir(path.join(state, 'runs'))).toEqual([]);
  });
});
