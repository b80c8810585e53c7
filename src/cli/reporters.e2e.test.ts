import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunReportSchema } from '../core/index.js';
import { FakeOut, junitSchemas, xsdErrors } from '../report/test-helpers.js';
import { main } from './main.js';
import { holdupCommand, holdupShellCommand, root } from './test-helpers.js';

/** A connector that talks on the console as it works, as many do (or their HTTP libraries). */
const CHATTY = `export default {
  name: 'chatty',
  contract: 'contract.json',
  create: ({ baseUrl }: { baseUrl: string }) => ({ baseUrl }),
  operations: {
    getQuote: {
      kind: 'read',
      run: async ({ baseUrl }: { baseUrl: string }) => {
        console.log('fetching q_1', { attempt: 1 });
        console.info('info line');
        const response = await fetch(baseUrl + '/v1/quotes/q_1', { headers: { accept: 'application/json' } });
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      },
    },
  },
};
`;

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

  it('-r json through a real pipe: the whole report arrives, however long, before holdup exits', async () => {
    // the naive demo connector: hundreds of findings, a report far longer than a pipe's buffer, read
    // by a consumer that is slow to start (as `| jq` on a busy machine): holdup must wait for it
    const file = path.join(out, 'piped.json');
    const command = `${holdupShellCommand()} run -n billing-naive -s 3 -m in-process -r json | (sleep 1; cat > '${file}')`;
    const ran = await new Promise<number | null>((resolve) => spawn('sh', ['-c', command], { cwd: root, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } }).on('close', resolve));
    expect(ran).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text.length).toBeGreaterThan(200_000);
    expect(RunReportSchema.parse(JSON.parse(text)).connectors).toHaveLength(1);
  });

  it("-r json keeps stdout for the report: what a connector logs goes to stderr", async () => {
    const project = await mkdtemp(path.join(tmpdir(), 'holdup-chatty-'));
    try {
      await cp(path.join(root, 'fixtures/retry-after-date/contract.json'), path.join(project, 'contract.json'));
      await writeFile(path.join(project, 'holdup.config.ts'), "export default { connectors: ['*.connector.ts'] };\n");
      await writeFile(path.join(project, 'chatty.connector.ts'), CHATTY);
      const ran = await holdupCommand(['run', '-s', '3', '-m', 'in-process', '--category', 'rate-limit', '-r', 'json'], {}, { cwd: project });
      // it never retries, so it never retries too early: ending loudly on a 429 passes rate-limit's gate
      expect(ran.code).toBe(0);
      expect(RunReportSchema.parse(JSON.parse(ran.stdout)).connectors[0]?.name).toBe('chatty');
      expect(ran.stderr).toContain('fetching q_1 { attempt: 1 }\ninfo line\n');
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it('only one reporter may write to stdout, and --baseline-budget needs --baseline', async () => {
    expect((await holdup('-r', 'json', '-r', 'junit:-')).stderr).toBe('[holdup] USAGE only one reporter can write to stdout, got json and junit\n  next: give the others a file: for example -r json -r junit:reports/junit.xml\n');
    expect((await holdup('--baseline-budget', '3')).stderr).toBe('[holdup] USAGE --baseline-budget needs --baseline FILE\n  next: for example --baseline main/report.json --baseline-budget 5\n');
  });

  it('the console reporter takes no file: a usage error before anything runs', async () => {
    const ran = await holdup('-r', 'console:out.txt');
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^\[holdup\] USAGE the console reporter prints as the run goes and writes no file/);
  });
});
