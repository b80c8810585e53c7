import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { hostname, tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processStart, psStart, reapLeftovers, RunState, runsDir, stateDir } from './state.js';
import { alive, ended } from './test-helpers.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'holdup-state-'));
  env = { HOLDUP_STATE_DIR: dir };
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** A process that runs until killed (a stand-in for a toxiproxy-server). */
function sleeper(): ChildProcess & { pid: number } {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  children.push(child);
  return child as ChildProcess & { pid: number };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** A process that ran and has ended, with the start it had: a holdup that was killed. */
async function deadOwner(): Promise<{ pid: number; started: string }> {
  const owner = sleeper();
  const started = processStart(owner.pid);
  owner.kill('SIGKILL');
  await exited(owner);
  return { pid: owner.pid, started: started as string };
}

async function leaveState(runId: string, state: Record<string, unknown>): Promise<string> {
  const folder = join(runsDir(env), runId);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'state.json'), JSON.stringify({ version: 1, runId, processes: [], proxies: [], ...state }));
  return folder;
}

/** Runs `lines` (an ES module, `RunState` imported) in a node process of its own: its exit code and stdout. */
async function exitingScript(lines: string[]): Promise<{ code: number | null; stdout: string }> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const module = pathToFileURL(fileURLToPath(new URL('./state.ts', import.meta.url))).href;
  const script = [`import { RunState } from '${module}';`, ...lines].join('\n');
  const run = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  run.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve) => run.once('close', resolve));
  return { code, stdout };
}

describe('the state folder', () => {
  it('is $HOLDUP_STATE_DIR, else $XDG_STATE_HOME/holdup, else ~/.local/state/holdup', () => {
    expect(stateDir({ HOLDUP_STATE_DIR: '/s', XDG_STATE_HOME: '/x' })).toBe('/s');
    expect(stateDir({ XDG_STATE_HOME: '/x' })).toBe('/x/holdup');
    expect(stateDir({})).toMatch(/\/\.local\/state\/holdup$/);
  });
});

describe('processStart', () => {
  it('tells a running process by the same token each time, and says null once it has ended', async () => {
    const child = sleeper();
    const started = processStart(child.pid);
    expect(started).toEqual(expect.any(String));
    expect(processStart(child.pid)).toBe(started);
    expect(processStart(process.pid)).not.toBe(started);
    child.kill('SIGKILL');
    await exited(child);
    expect(processStart(child.pid)).toBeNull();
  });
});

describe('psStart (where there is no /proc: macOS, the BSDs)', () => {
  it('reads the same token for a process whatever the TZ and locale holdup runs with', () => {
    const saved = { TZ: process.env['TZ'], LC_ALL: process.env['LC_ALL'] };
    const token = (TZ: string, LC_ALL: string): string | null | undefined => {
      Object.assign(process.env, { TZ, LC_ALL });
      return psStart(process.pid);
    };
    try {
      const tokens = [token('Asia/Tokyo', 'C.UTF-8'), token('America/New_York', 'POSIX'), token('UTC', 'C')];
      expect(tokens[0]).toMatch(/^ps:\S/);
      expect(new Set(tokens).size).toBe(1);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('RunState', () => {
  it('writes nothing until it records something, then the owner, the process and its port; remove() deletes the folder', async () => {
    const state = new RunState(env, 'run-1');
    expect(await readdir(dir)).toEqual([]);
    const child = sleeper();
    state.addProcess(child.pid, '/usr/bin/toxiproxy-server', 41234);
    state.addProxies('http://127.0.0.1:8474', 'holdup-1-abc-');
    const recorded = JSON.parse(await readFile(join(runsDir(env), 'run-1', 'state.json'), 'utf8')) as unknown;
    expect(recorded).toEqual({
      version: 1,
      runId: 'run-1',
      owner: {
        pid: process.pid,
        started: processStart(process.pid),
        host: hostname(),
        bootId: (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim(),
        pidNamespace: await readlink('/proc/self/ns/pid'),
        startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
      processes: [{ pid: child.pid, started: processStart(child.pid), command: '/usr/bin/toxiproxy-server', port: 41234 }],
      proxies: [{ api: 'http://127.0.0.1:8474', prefix: 'holdup-1-abc-' }],
    });
    state.remove();
    expect(await readdir(runsDir(env))).toEqual([]);
    state.removeProcess(child.pid); // after remove(), nothing is written again
    expect(await readdir(runsDir(env))).toEqual([]);
  });

  it('says once, and goes on, when the folder cannot be written', async () => {
    await writeFile(join(dir, 'runs'), 'a file where the folder should be');
    const said: string[] = [];
    const state = new RunState(env, 'run-1', (message) => said.push(message));
    state.addProcess(process.pid, 'x');
    state.addProxies('http://127.0.0.1:1', 'p-');
    expect(said).toEqual([expect.stringMatching(/^could not record what this run starts in .*run-1 \(.*\): if holdup is killed, the next run cannot clean up after it/)]);
    state.remove();
  });

  it('on process.exit (a second Ctrl-C), kills what it recorded and removes its folder', async () => {
    const { code, stdout } = await exitingScript([
      `import { spawn } from 'node:child_process';`,
      `const child = spawn('sleep', ['300'], { stdio: 'ignore', detached: true });`,
      `new RunState({ HOLDUP_STATE_DIR: ${JSON.stringify(dir)} }, 'run-2').addProcess(child.pid, 'sleep');`,
      `process.stdout.write(String(child.pid));`,
      `process.exit(130);`,
    ]);
    expect(code).toBe(130);
    const pid = Number(stdout);
    expect(pid).toBeGreaterThan(0);
    expect(await ended(pid)).toBe(true);
    expect(await readdir(runsDir(env))).toEqual([]);
  });

  it('on process.exit, throws nothing when its folder cannot be written: the exit code stays, later exit listeners run', async () => {
    const { code, stdout } = await exitingScript([
      `import { rmSync } from 'node:fs';`,
      `const state = new RunState({ HOLDUP_STATE_DIR: ${JSON.stringify(dir)} }, 'run-3');`,
      `state.addProxies('http://127.0.0.1:1', 'holdup-1-abc-');`,
      `rmSync(state.folder, { recursive: true });`, // reaped by mistake, a full disk: the last write fails
      `process.on('exit', () => process.stdout.write('later listener ran'));`,
      `process.on('uncaughtException', () => process.exit(3));`, // as bin.ts does
      `process.exit(130);`,
    ]);
    expect(code).toBe(130);
    expect(stdout).toBe('later listener ran');
  });
});

describe('reapLeftovers', () => {
  it('kills what a dead holdup recorded (pid and start time match) and removes its folder', async () => {
    const server = sleeper();
    const folder = await leaveState('killed-run', {
      owner: await deadOwner(),
      processes: [{ pid: server.pid, started: processStart(server.pid), command: '/usr/bin/sleep', port: 41234 }],
    });
    const reaped = await reapLeftovers(env);
    expect(reaped).toEqual([
      { runId: 'killed-run', processes: [{ pid: server.pid, command: '/usr/bin/sleep', port: 41234 }], proxies: 0, unreachable: [] },
    ]);
    await exited(server);
    expect(server.signalCode).toBe('SIGKILL');
    expect(await readdir(runsDir(env))).toEqual([]);
    expect(folder).toContain('killed-run');
  });

  it('never kills a process whose pid was given to another since (the start time differs)', async () => {
    const other = sleeper();
    await leaveState('killed-run', {
      owner: await deadOwner(),
      processes: [{ pid: other.pid, started: 'linux:another-boot:12345', command: 'toxiproxy-server' }],
    });
    expect(await reapLeftovers(env)).toEqual([{ runId: 'killed-run', processes: [], proxies: 0, unreachable: [] }]);
    expect(alive(other.pid)).toBe(true);
    expect(await readdir(runsDir(env))).toEqual([]);
  });

  it('never kills a recorded pid that runs another command, even with the recorded start time', async () => {
    const other = sleeper();
    await leaveState('killed-run', {
      owner: await deadOwner(),
      processes: [{ pid: other.pid, started: processStart(other.pid), command: '/usr/local/bin/toxiproxy-server' }],
    });
    expect(await reapLeftovers(env)).toEqual([{ runId: 'killed-run', processes: [], proxies: 0, unreachable: [] }]);
    expect(alive(other.pid)).toBe(true);
  });

  it('leaves alone the folder of a holdup that still runs, and a folder being created', async () => {
    const server = sleeper();
    const running = sleeper();
    await leaveState('running-run', {
      owner: { pid: running.pid, started: processStart(running.pid) },
      processes: [{ pid: server.pid, started: processStart(server.pid), command: 'toxiproxy-server' }],
    });
    await mkdir(join(runsDir(env), 'being-created'));
    expect(await reapLeftovers(env)).toEqual([]);
    expect(alive(server.pid)).toBe(true);
    expect((await readdir(runsDir(env))).sort()).toEqual(['being-created', 'running-run']);
  });

  it('a holdup whose pid now belongs to another process is dead: its leftovers are reaped', async () => {
    const stranger = sleeper();
    await leaveState('recycled-owner', { owner: { pid: stranger.pid, started: 'linux:another-boot:1' } });
    expect(await reapLeftovers(env)).toEqual([{ runId: 'recycled-owner', processes: [], proxies: 0, unreachable: [] }]);
    expect(await readdir(runsDir(env))).toEqual([]);
    expect(alive(stranger.pid)).toBe(true);
  });

  it('keeps the record of proxies on a shared Toxiproxy that does not answer, for the next run to try again (for a day)', async () => {
    const server = sleeper();
    const owner = await deadOwner();
    const proxies = [
      { api: 'http://127.0.0.1:1', prefix: 'holdup-1-abc-' },
      { api: 'http://127.0.0.1:1', prefix: 'holdup-1-def-' },
    ];
    await leaveState('api-down', { owner: { ...owner, startedAt: new Date().toISOString() }, processes: [{ pid: server.pid, started: processStart(server.pid), command: 'sleep' }], proxies });
    const dayAgo = new Date(Date.now() - 25 * 60 * 60_000).toISOString();
    await leaveState('api-down-long-ago', { owner: { ...owner, startedAt: dayAgo }, proxies: [{ api: 'http://127.0.0.1:2', prefix: 'holdup-2-abc-' }] });
    expect(await reapLeftovers(env)).toEqual([
      { runId: 'api-down', processes: [{ pid: server.pid, command: 'sleep' }], proxies: 0, unreachable: ['http://127.0.0.1:1'], kept: true },
      { runId: 'api-down-long-ago', processes: [], proxies: 0, unreachable: ['http://127.0.0.1:2'] },
    ]);
    expect(await readdir(runsDir(env))).toEqual(['api-down']);
    const kept = JSON.parse(await readFile(join(runsDir(env), 'api-down', 'state.json'), 'utf8')) as unknown;
    // what was stopped is no longer recorded; the proxies are
    expect(kept).toMatchObject({ runId: 'api-down', processes: [], proxies });
    // the next run tries again
    expect(await reapLeftovers(env)).toEqual([{ runId: 'api-down', processes: [], proxies: 0, unreachable: ['http://127.0.0.1:1'], kept: true }]);
  });

  it("a dead run that had this process's pid (a container gives holdup the same pid each time) is reaped; this process's own runs are not", async () => {
    const server = sleeper();
    await leaveState('same-pid-earlier', {
      owner: { pid: process.pid, started: 'linux:another-boot:1' },
      processes: [{ pid: server.pid, started: processStart(server.pid), command: 'sleep' }],
    });
    await leaveState('this-process', { owner: { pid: process.pid, started: processStart(process.pid) } });
    expect(await reapLeftovers(env)).toEqual([{ runId: 'same-pid-earlier', processes: [{ pid: server.pid, command: 'sleep' }], proxies: 0, unreachable: [] }]);
    await exited(server);
    expect(await readdir(runsDir(env))).toEqual(['this-process']);
  });

  it('leaves alone a run recorded on another host or in another pid namespace (its pid means nothing here), whatever its pid', async () => {
    const server = sleeper();
    const here = { host: hostname(), bootId: (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim(), pidNamespace: await readlink('/proc/self/ns/pid') };
    const processes = [{ pid: server.pid, started: processStart(server.pid), command: 'sleep' }];
    const dead = await deadOwner();
    await leaveState('other-host', { owner: { ...dead, ...here, host: `not-${hostname()}` }, processes });
    await leaveState('other-container', { owner: { ...dead, ...here, pidNamespace: 'pid:[1]' }, processes });
    // another boot id, but started after this machine booted: another machine of the same name
    await leaveState('same-name-other-machine', { owner: { ...dead, ...here, bootId: 'another-boot', startedAt: new Date().toISOString() }, processes });
    expect(await reapLeftovers(env)).toEqual([]);
    expect(alive(server.pid)).toBe(true);
    expect((await readdir(runsDir(env))).sort()).toEqual(['other-container', 'other-host', 'same-name-other-machine']);
  });

  it('a run recorded on this host before it restarted (another boot id) is dead: reaped, whatever its pid', async () => {
    const here = { host: hostname(), pidNamespace: await readlink('/proc/self/ns/pid') };
    const beforeBoot = new Date(Date.now() - uptime() * 1000 - 60_000).toISOString();
    // its pid is this very process's: only the boot tells it apart
    await leaveState('before-reboot', { owner: { pid: process.pid, started: 'linux:another-boot:1', ...here, bootId: 'another-boot', startedAt: beforeBoot } });
    expect(await reapLeftovers(env)).toEqual([{ runId: 'before-reboot', processes: [], proxies: 0, unreachable: [] }]);
    expect(await readdir(runsDir(env))).toEqual([]);
  });

  it('each leftover is reaped once, by whichever run claims it first, while both runs are reaping at once', async () => {
    // a shared Toxiproxy that answers slowly: each reaper is still deleting one leftover's proxies
    // when the other lists the folder, so both are in flight together
    const asked: string[] = [];
    const api = createServer((request, response) => {
      asked.push(`${request.method} ${request.url}`);
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 100);
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
      const owner = await deadOwner();
      for (const n of [0, 1, 2]) await leaveState(`killed-${n}`, { owner, proxies: [{ api: `${url}/toxiproxy-${n}`, prefix: `holdup-${n}-` }] });
      const [a, b] = await Promise.all([reapLeftovers(env), reapLeftovers(env)]);
      expect([...(a ?? []), ...(b ?? [])].map((run) => run.runId).sort()).toEqual(['killed-0', 'killed-1', 'killed-2']);
      expect(a?.length).toBeGreaterThan(0);
      expect(b?.length).toBeGreaterThan(0);
      // one reaper acted on each leftover: its proxies were listed once
      expect(asked.sort()).toEqual(['GET /toxiproxy-0/proxies', 'GET /toxiproxy-1/proxies', 'GET /toxiproxy-2/proxies']);
      expect(await readdir(runsDir(env))).toEqual([]);
    } finally {
      api.closeAllConnections();
      await new Promise((resolve) => api.close(resolve));
    }
  });

  it('leaves alone a leftover another run has claimed and is reaping, and takes over a claim whose reaper died long ago', async () => {
    const owner = await deadOwner();
    const claim = (runId: string, minutesAgo: number): string => `.${runId}.reaping-${Date.now() - minutesAgo * 60_000}-4242-abcdef`;
    const fresh = claim('being-reaped', 1);
    await leaveState(fresh, { runId: 'being-reaped', owner });
    await leaveState(claim('reaper-died', 11), { runId: 'reaper-died', owner });
    expect(await reapLeftovers(env)).toEqual([{ runId: 'reaper-died', processes: [], proxies: 0, unreachable: [] }]);
    expect(await readdir(runsDir(env))).toEqual([fresh]);
  });

  describe('acts only on records that are yours and writable by you alone, and says once which it left alone', () => {
    /** A dead run's record of a running process: what a reaper would kill. */
    async function leftover(runId: string): Promise<{ folder: string; pid: number }> {
      const server = sleeper();
      const folder = await leaveState(runId, { owner: await deadOwner(), processes: [{ pid: server.pid, started: processStart(server.pid), command: 'sleep' }] });
      return { folder, pid: server.pid };
    }

    it('a run folder or a state.json others can write, a run folder that is a link: skipped, in one line', async () => {
      const open = await leftover('group-writable');
      await chmod(open.folder, 0o775);
      const file = await leftover('file-writable');
      await chmod(join(file.folder, 'state.json'), 0o646);
      const elsewhere = await leftover('elsewhere');
      await rename(elsewhere.folder, join(dir, 'elsewhere'));
      await symlink(join(dir, 'elsewhere'), elsewhere.folder);
      const fine = await leftover('fine');
      const said: string[] = [];
      expect((await reapLeftovers(env, (line) => said.push(line))).map((run) => run.runId)).toEqual(['fine']);
      expect(said).toEqual([
        `left alone 3 records of killed runs in ${runsDir(env)} that cannot be trusted (a record must be yours and writable by you alone): ` +
          'elsewhere is a symbolic link; file-writable/state.json is writable by others (mode 646); group-writable is writable by others (mode 775) (check them, then remove them or chmod go-w)',
      ]);
      for (const { pid } of [open, file, elsewhere]) expect(alive(pid)).toBe(true);
      expect(await ended(fine.pid)).toBe(true);
      expect((await readdir(runsDir(env))).sort()).toEqual(['elsewhere', 'file-writable', 'group-writable']);
    });

    it('a runs folder others can write: nothing in it is acted on', async () => {
      const left = await leftover('killed-run');
      await chmod(runsDir(env), 0o777);
      const said: string[] = [];
      expect(await reapLeftovers(env, (line) => said.push(line))).toEqual([]);
      expect(said).toEqual([
        `did not clean up after killed runs: ${runsDir(env)} is writable by others (mode 777), so what is recorded there cannot be trusted (make it yours alone: chmod 700 ${runsDir(env)})`,
      ]);
      expect(alive(left.pid)).toBe(true);
    });

    it.runIf(process.getuid?.() === 0)("a record that belongs to another user (as root, who can make one)", async () => {
      const left = await leftover('someone-elses');
      await chown(join(left.folder, 'state.json'), 4242, 4242);
      const said: string[] = [];
      expect(await reapLeftovers(env, (line) => said.push(line))).toEqual([]);
      expect(said).toEqual([expect.stringContaining(': someone-elses/state.json belongs to uid 4242, not to you (uid 0) (check it, then remove it or chmod go-w)')]);
      expect(alive(left.pid)).toBe(true);
    });
  });

  it('finds nothing to do when no run ever recorded anything', async () => {
    expect(await reapLeftovers({ HOLDUP_STATE_DIR: join(dir, 'never-made') })).toEqual([]);
  });
});
