import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RunReportSchema, type RunReport } from '../core/index.js';
import { FakeOut } from '../report/test-helpers.js';
import { main } from './main.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The command from its sources, as `npm run demo` runs it: tsx compiles them on the fly, and the
 * `holdup-source` condition points the fixtures' `import 'holdup'` at src/index.ts (package.json).
 */
const bin = path.join(root, 'src/cli/bin.ts');
/** tsx's loader, found from here: `--import tsx` would look for it from the folder holdup runs in. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The command line that runs holdup from its sources, for a shell (`node … src/cli/bin.ts`). */
export function holdupShellCommand(): string {
  return [process.execPath, '--conditions=holdup-source', '--import', TSX, bin].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
}

export interface RunOptions {
  /** When `whenRunning` may be called. */
  ready?: (stdout: string) => boolean;
  whenRunning?: (child: ChildProcess, stdout: string) => void;
  /** Called at once with the process, before it has printed anything. */
  onSpawn?: (child: ChildProcess) => void;
  /** The folder it runs in; the repository's root by default. */
  cwd?: string;
}

/** Ctrl-C in a terminal: SIGINT to the whole foreground process group, holdup and what it spawned. */
export function interrupt(child: ChildProcess): void {
  if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `holdup run` as a real child process in the project root (so Ctrl-C is a real SIGINT
 * and process.exit is real), with `--seed 3`, the default reporters and `env` added to this
 * process's environment. `whenRunning` is called once `ready(stdout)` is true.
 */
export function holdupProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: RunOptions = {},
): Promise<Run> {
  return holdupCommand(['run', '--seed', '3', ...args], env, options);
}

/** Runs any holdup command line as a child process; see `holdupProcess`. */
export function holdupCommand(
  argv: string[],
  env: NodeJS.ProcessEnv,
  options: RunOptions = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=holdup-source', '--import', TSX, bin, ...argv], {
      cwd: options.cwd ?? root,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // a process group of its own, as a shell gives a foreground job: `interrupt` signals all of it
      detached: true,
    });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    let fired = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!fired && options.ready?.(stdout)) {
        fired = true;
        options.whenRunning?.(child, stdout);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The report.json a run wrote (its folder is on the `report:` line). */
export async function reportOf(run: Run): Promise<RunReport> {
  const dir = /report: (\S+)\//.exec(run.stdout)?.[1];
  if (!dir) throw new Error(`no report line in:\n${run.stdout}\n${run.stderr}`);
  return RunReportSchema.parse(JSON.parse(await readFile(path.join(root, dir, 'report.json'), 'utf8')));
}

/** An HTTP server on 127.0.0.1 (a fake upstream): its URL, and `close`, which ends its connections too. */
export async function listenLocal(handler: RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A project of connector files (name → source), whose package.json lists them: `holdup record --config <project>/package.json`. */
export async function writeConnectorProject(project: string, connectors: Record<string, string>): Promise<void> {
  for (const [name, source] of Object.entries(connectors)) await writeFile(path.join(project, `${name}.connector.ts`), source);
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ type: 'module', holdup: { connectors: ['*.connector.ts'] } }));
}

/**
 * `holdup record` in this process, for the connector `name` of a project `writeConnectorProject`
 * made, writing `contract`, with `flags` before the command (`--debug`): its exit code and what it
 * printed, the project's folder shown as `<project>` and the upstream's URL as `<upstream>`.
 */
export async function recordInProject(project: string, upstream: string, name: string, contract: string, flags: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new FakeOut();
  const err = new FakeOut();
  const code = await main([...flags, 'record', '--upstream', upstream, '--connector', name, '--config', path.join(project, 'package.json'), '--out', contract], { out, err, cwd: root });
  const clean = (text: string) => text.split(project).join('<project>').split(upstream).join('<upstream>');
  return { code, stdout: clean(out.text), stderr: clean(err.text) };
}
