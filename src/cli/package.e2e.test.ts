import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { junitSchemas, xsdErrors } from '../report/test-helpers.js';
import { root } from './test-helpers.js';

// holdup as other people get it: `npm pack`, then the tarball installed into fresh projects, one
// CommonJS (no "type" field, as in most existing projects) and one ESM ("type": "module"), each with a
// TypeScript config and connectors of its own, used the way the README says.

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const npm = (args: string[], cwd: string): Promise<Ran> => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);
const npx = (args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Ran> => run('npx', ['--no-install', ...args], cwd, env);

async function version(name: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A second connector that imports the first through a relative TypeScript module, as real projects do. */
const CAREFUL = `import { defineConnector } from 'holdup';
import { QuotesClient, secondsOrDate } from './quotes.connector.js';

export default defineConnector({
  name: 'quotes-careful',
  contract: 'contract.json',
  create: ({ baseUrl, warn }) => new QuotesClient(baseUrl, warn, secondsOrDate),
  operations: { getQuote: { kind: 'read', run: (client) => client.getQuote('q_1') } },
  deadlineMs: 10_000,
  requestTimeoutMs: 2_000,
});
`;

const CONFIG = `import { defineConfig } from 'holdup';

export default defineConfig({ connectors: ['*.connector.ts'] });
`;

const TSCONFIG = {
  compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: false, noEmit: true, types: ['node'] },
  include: ['*.ts'],
};

let work: string;
let tarball: string;
let shipped: string[];
const projects = { commonjs: '', esm: '' };

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'holdup-package-'));
  // npm pack runs the build (prepack): the tarball is what `npm publish` would upload
  const packed = await npm(['pack', '--json', '--pack-destination', work], root);
  expect(packed.code, `${packed.stdout}\n${packed.stderr}`).toBe(0);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, info!.filename);
  shipped = info!.files.map((file) => file.path);
  const tools = [`typescript@${await version('typescript')}`, `@types/node@${await version('@types/node')}`];
  await Promise.all(
    (['commonjs', 'esm'] as const).map(async (kind) => {
      const dir = path.join(work, kind);
      await cp(path.join(root, 'fixtures/retry-after-date'), dir, { recursive: true });
      await rm(path.join(dir, 'holdup.config.ts'));
      const manifest = { name: `holdup-user-${kind}`, version: '1.0.0', private: true, ...(kind === 'esm' ? { type: 'module' } : {}) };
      await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      await writeFile(path.join(dir, 'holdup.config.ts'), CONFIG);
      await writeFile(path.join(dir, 'careful.connector.ts'), CAREFUL);
      await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
      projects[kind] = dir;
    }),
  );
  // one after the other: two npm installs at once share (and fight over) the npm cache
  for (const [kind, dir] of Object.entries(projects)) {
    // the ESM project also runs holdup from its own vitest suite (docs/vitest.md)
    const extra = kind === 'esm' ? [`vitest@${await version('vitest')}`] : [];
    const installed = await npm(['install', '--save-dev', '--prefer-offline', tarball, ...tools, ...extra], dir);
    expect(installed.code, installed.stderr).toBe(0);
  }
}, 900_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships the compiled package with its types, the docs, LICENSE, and no tests or sources', () => {
    for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/esm/cli/bin.js']) {
      expect(shipped).toContain(file);
    }
    expect(shipped.filter((file) => /(\.test\.|test-helpers|test-fixtures|^src\/|^fixtures\/.*\.ts$)/.test(file))).toEqual([]);
  });

  it('ships every file its Markdown links to', async () => {
    const broken: string[] = [];
    for (const file of shipped.filter((name) => name.endsWith('.md'))) {
      const text = await readFile(path.join(root, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!) || target!.startsWith('#')) continue;
        const linked = path.posix.normalize(path.posix.join(path.posix.dirname(file), target!.split('#')[0]!));
        if (!shipped.includes(linked) && !shipped.some((name) => name.startsWith(`${linked.replace(/\/$/, '')}/`))) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe.each(['commonjs', 'esm'] as const)('installed in a fresh %s project', (kind) => {
  it("runs the README's quick start: npx holdup run scores the project's TypeScript connectors and writes the report", async () => {
    const ran = await npx(['holdup', 'run', '--seed', '3', '--category', 'rate-limit'], projects[kind]);
    expect(ran.stderr).not.toMatch(/\[holdup\] [A-Z_]+ /);
    // the seconds-only connector fails honours-retry-after on an HTTP-date, the careful one passes it
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('gate: FAILED — quotes-seconds-only: critical check honours-retry-after failed in rate-limit');
    const report = JSON.parse(await readFile(path.join(projects[kind], 'reports/latest/report.json'), 'utf8')) as {
      connectors: { name: string; categories: { id: string; status: string }[] }[];
    };
    const rateLimit = Object.fromEntries(report.connectors.map((c) => [c.name, c.categories.find((category) => category.id === 'rate-limit')?.status]));
    expect(rateLimit).toEqual({ 'quotes-careful': 'pass', 'quotes-seconds-only': 'fail' });
  });

  it('answers --version with the package version and holdup run --help with its options, exit 0', async () => {
    const version = await npx(['holdup', '--version'], projects[kind]);
    const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(version).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
    const help = await npx(['holdup', 'run', '--help'], projects[kind]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^holdup run \[options\]\n/);
    expect(help.stdout).toContain('-r, --reporter NAME[:FILE]');
  });

  it("loads with require('holdup') and import('holdup'), with the same API", async () => {
    const names = "['defineConfig','defineConnector','runResilience','assertResilient','ResilienceError','HoldupError','isHoldupError'].map((n) => n + ':' + typeof h[n]).join(' ')";
    const required = await run('node', ['-e', `const h = require('holdup'); console.log(${names})`], projects[kind]);
    const imported = await run('node', ['--input-type=module', '-e', `const h = await import('holdup'); console.log(${names})`], projects[kind]);
    const expected = 'defineConfig:function defineConnector:function runResilience:function assertResilient:function ResilienceError:function HoldupError:function isHoldupError:function';
    expect(required.stderr).toBe('');
    expect(required.stdout.trim()).toBe(expected);
    expect(imported.stderr).toBe('');
    expect(imported.stdout.trim()).toBe(expected);
  });

  it("holdup/reporters renders a saved report.json again, from require() and import() alike", async () => {
    // reports/latest/report.json: written by the quick start above
    const render = "const html = r.renderHtml(r.parseReport(require('node:fs').readFileSync('reports/latest/report.json', 'utf8'))); console.log(html.startsWith('<!doctype html>'), r.renderJunit(r.parseReport(require('node:fs').readFileSync('reports/latest/report.json', 'utf8'))).includes('<testsuites'))";
    const required = await run('node', ['-e', `const r = require('holdup/reporters'); ${render}`], projects[kind]);
    expect(required).toMatchObject({ code: 0, stdout: 'true true\n' });
    const imported = await run('node', ['--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(process.cwd() + '/'); const r = await import('holdup/reporters'); ${render}`], projects[kind]);
    expect(imported).toMatchObject({ code: 0, stdout: 'true true\n' });
  });

  it("type-checks: the user's tsc --noEmit passes on the config and connectors (strict, skipLibCheck off)", async () => {
    const checked = await npx(['tsc', '-p', '.'], projects[kind]);
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.code).toBe(0);
  });

  it('fuzz writes a repro file whose $schema resolves in this project, and holdup repro confirms it (exit 1)', async () => {
    const fuzzed = await npx(['holdup', 'fuzz', '-n', 'quotes-seconds-only', '-s', '3', '--runs', '100'], projects[kind]);
    expect(fuzzed.stderr).toBe('');
    expect(fuzzed.code).toBe(1);
    const file = path.join(projects[kind], 'scenarios/repro/quotes-seconds-only-00000003.json');
    const { $schema } = JSON.parse(await readFile(file, 'utf8')) as { $schema: string };
    expect($schema).toBe('../../node_modules/holdup/docs/scenario.schema.json');
    expect(existsSync(path.resolve(path.dirname(file), $schema))).toBe(true);
    const repro = await npx(['holdup', 'repro', 'scenarios/repro/quotes-seconds-only-00000003.json'], projects[kind]);
    expect(repro.code).toBe(1);
    expect(repro.stdout).toContain('repro: still fails (HU-RL-001)');
    expect(repro.stdout).not.toContain('PASSED');
  });

  it('says which optional package to install when a run asks for the container engine, the Pact verifier or the OpenAPI $ref parser', async () => {
    const container = await npx(['holdup', 'run', '--network-engine', 'container', '--category', 'network-faults'], projects[kind]);
    expect(container.stderr).toContain('[holdup] MISSING_PACKAGE testcontainers is not installed');
    expect(container.stderr).toContain('npm install --save-dev testcontainers@11');
    expect(container.code).toBe(2);
    const verify = await npx(['holdup', 'verify', '--provider-url', 'http://127.0.0.1:9', 'contract.json'], projects[kind]);
    expect(verify.stderr).toContain('[holdup] MISSING_PACKAGE @pact-foundation/pact-core is not installed');
    expect(verify.code).toBe(2);
    const openapi = await npx(['holdup', 'import', 'openapi', 'contract.json'], projects[kind]);
    expect(openapi.stderr).toContain('[holdup] MISSING_PACKAGE @apidevtools/json-schema-ref-parser is not installed');
    expect(openapi.code).toBe(2);
  });
});

/** The commands of a YAML block in docs/ci.md: GitHub's `run:` steps, or GitLab's `script:` items. */
function recipe(markdown: string, heading: string): string[] {
  const section = markdown.slice(markdown.indexOf(heading));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const runs = [...yaml.matchAll(/^\s+(?:- )?run: (.+)$/gm)].map(([, command]) => command!);
  if (runs.length > 0) return runs;
  const script = /^ {2}script:\n((?: {4}- .+\n)+)/m.exec(yaml)?.[1] ?? '';
  return [...script.matchAll(/^ {4}- (.+)$/gm)].map(([, command]) => command!);
}

describe('the CI recipes of docs/ci.md, run as written in the fresh ESM project', () => {
  const sh = (command: string, env: NodeJS.ProcessEnv = {}) => run('sh', ['-c', command], projects.esm, { CI: 'true', ...env });

  it('GitHub Actions: gates absolutely without a baseline (annotations, step summary, JUnit), then only on what got worse', async () => {
    const commands = recipe(await readFile(path.join(root, 'docs/ci.md'), 'utf8'), '## GitHub Actions');
    expect(commands).toHaveLength(3);
    const [install, holdup, saveBaseline] = commands as [string, string, string];
    const summary = path.join(work, 'step_summary.md');
    await writeFile(summary, '');
    const env = { GITHUB_STEP_SUMMARY: summary, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/quotes', GITHUB_RUN_ID: '7' };
    expect((await sh(install)).code).toBe(0);
    const first = await sh(holdup, env);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^::error file=quotes\.connector\.ts,title=HU-RL-001 honours-retry-after \(quotes-seconds-only%2C rate-limit\)::/m);
    expect(await readFile(summary, 'utf8')).toMatch(/^## holdup: gate FAILED\n[\s\S]*\| quotes-seconds-only \| [\d.]+ \| [A-F] \| fail \|/);
    const schemas = await junitSchemas();
    expect(await xsdErrors(await readFile(path.join(projects.esm, 'reports/junit.xml'), 'utf8'), schemas.jenkins)).toEqual([]);
    // main keeps its report; the next run (a pull request changing nothing) is judged against it
    expect((await sh(saveBaseline, env)).code).toBe(0);
    const second = await sh(holdup, env);
    expect(second.stdout).toContain('baseline gate: PASSED — nothing got worse');
    expect(second.code).toBe(0);
  }, 900_000);

  it('GitHub Actions, a cancelled job: SIGINT to the step, SIGTERM 7.5 s later; holdup gets them, writes the report so far (interrupted) and exits 130', async () => {
    const [, holdup] = recipe(await readFile(path.join(root, 'docs/ci.md'), 'utf8'), '## GitHub Actions') as [string, string, string];
    const report = path.join(projects.esm, 'reports/report.json');
    await rm(report, { force: true });
    // the step's shell, as GitHub runs it; the runner signals its process alone, not the group
    const step = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', holdup], {
      cwd: projects.esm,
      env: { ...process.env, NO_COLOR: '1', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let term: NodeJS.Timeout | undefined;
    step.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (term === undefined && stdout.includes('  contract.json')) {
        step.kill('SIGINT');
        term = setTimeout(() => step.kill('SIGTERM'), 7_500);
      }
    });
    step.stderr.resume();
    const code = await new Promise<number | null>((resolve) => step.on('close', resolve));
    clearTimeout(term);
    expect(code, stdout).toBe(130);
    expect(JSON.parse(await readFile(report, 'utf8'))).toMatchObject({ complete: false, interrupted: true });
  }, 300_000);

  it('GitLab CI: the job writes the JUnit report GitLab reads, and fails on the gate', async () => {
    const commands = recipe(await readFile(path.join(root, 'docs/ci.md'), 'utf8'), '## GitLab CI');
    expect(commands).toHaveLength(2);
    const [install, holdup] = commands as [string, string];
    expect((await sh(install)).code).toBe(0);
    const ran = await sh(holdup);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('gate: FAILED — quotes-seconds-only: critical check honours-retry-after failed in rate-limit');
    expect(await xsdErrors(await readFile(path.join(projects.esm, 'reports/junit.xml'), 'utf8'), (await junitSchemas()).jenkins)).toEqual([]);
  }, 900_000);
});

describe('holdup/vitest in the fresh ESM project: the example of docs/vitest.md, run by its vitest', () => {
  it('passes for the careful connector, and fails naming the critical finding for the one that misreads Retry-After', async () => {
    const example = /```ts\n([\s\S]*?)```/.exec(await readFile(path.join(root, 'docs/vitest.md'), 'utf8'))?.[1] ?? '';
    expect(example).toContain("from 'holdup/vitest'");
    await writeFile(path.join(projects.esm, 'resilience.test.ts'), example);
    const passed = await npx(['vitest', 'run', 'resilience.test.ts'], projects.esm);
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    // the matchers are typed: the user's tsc knows expect(report).toScoreAtLeast
    const checked = await npx(['tsc', '-p', '.'], projects.esm);
    expect(checked.stdout + checked.stderr).toBe('');
    await writeFile(path.join(projects.esm, 'resilience.test.ts'), example.replace("'quotes-careful'", "'quotes-seconds-only'"));
    const failed = await npx(['vitest', 'run', 'resilience.test.ts'], projects.esm);
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toMatch(/expected no critical finding \(seed 7\), found \d+:\n\s+HU-RL-001 honours-retry-after \(quotes-seconds-only, rate-limit\)/);
  }, 300_000);
});

