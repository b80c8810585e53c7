/**
 * What a run started outside its own process — a toxiproxy-server it spawned, proxies on a shared
 * Toxiproxy — is written down while the run goes, in a folder of the run's own, so that a run
 * killed outright (SIGKILL, a crash, a CI job torn down) leaves a note the next run reads: each
 * run starts by reaping what dead runs left (`reapLeftovers`).
 *
 * Where: `$HOLDUP_STATE_DIR`, else `$XDG_STATE_HOME/holdup`, else `~/.local/state/holdup`, with one
 * folder per run in `runs/<run-id>/` holding `state.json`. Per user and outside the project: a run
 * in one project reaps what a killed run in another left (they share the machine's processes and
 * may share a TOXIPROXY_URL), the reports folder stays the user's (`-o` moves it per run), and no
 * other user can write there (holdup kills what it reads there, so never a shared /tmp folder).
 * Concurrent runs each own a folder (run ids are unique) and never reap a run whose holdup still runs.
 *
 * A process is known by its pid **and** when it started (`/proc/<pid>/stat` on Linux, with the
 * boot id; `ps -o lstart=` elsewhere), so a pid the OS has since given to another process is never
 * killed. A pid means something only on one machine, in one boot and one pid namespace, and the
 * folder may be shared beyond them (an NFS home, a home or HOLDUP_STATE_DIR bind-mounted into
 * containers): so the owner is recorded with the host name, the boot id and the pid namespace, and
 * a run recorded elsewhere is left to the runs there. Everything here is synchronous: it runs from
 * an `exit` handler too.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, hostname, uptime } from 'node:os';
import { basename, join, relative } from 'node:path';
import { z } from 'zod';
import type { ReapedRun } from '../core/index.js';
import { pidAlive } from './process.js';
import { ToxiproxyApi } from './toxiproxy.js';

/** `$HOLDUP_STATE_DIR`, else `$XDG_STATE_HOME/holdup`, else `~/.local/state/holdup`. */
export function stateDir(env: NodeJS.ProcessEnv): string {
  if (env['HOLDUP_STATE_DIR']) return env['HOLDUP_STATE_DIR'];
  return join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'holdup');
}

/** The folder of every run's state. */
export function runsDir(env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'runs');
}

let bootId: string | undefined;

/**
 * When process `pid` started, as a token two readings of the same process agree on and a later
 * process with the same pid does not; `null` when no such process runs (a zombie has ended too);
 * `undefined` when this system cannot tell.
 */
export function processStart(pid: number): string | null | undefined {
  let stat: string | undefined;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && procAvailable()) return null;
  }
  if (stat !== undefined) {
    // pid (comm) state ppid … starttime: comm may hold spaces and parentheses, so count from the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    bootId ??= readOr('/proc/sys/kernel/random/boot_id', '').trim();
    return `linux:${bootId}:${fields[19]}`;
  }
  return psStart(pid);
}

/**
 * No /proc (macOS, the BSDs): `ps` says when it started, to the second, in local time and the
 * locale's words — so in UTC and the C locale, or two runs with another TZ or LANG would read two
 * tokens for one process (and never kill what they should). Exported for tests.
 */
export function psStart(pid: number): string | null | undefined {
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
      env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    }).trim();
    return started ? `ps:${started}` : null;
  } catch (error) {
    // ps exits 1 when there is no such process; it may also not exist at all
    return (error as { status?: number }).status === 1 ? null : undefined;
  }
}

function procAvailable(): boolean {
  try {
    statSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** Where a pid means something: the machine, its boot, and the pid namespace (a container has its own). */
interface Place {
  host: string;
  /** Linux's boot id: another one on the same host means the machine restarted since. */
  bootId?: string;
  /** `/proc/self/ns/pid`'s target (`pid:[4026531836]`): another one is another container's pids. */
  pidNamespace?: string;
}

let place: Place | undefined;

/** Where this process runs (read once). */
function here(): Place {
  if (!place) {
    bootId ??= readOr('/proc/sys/kernel/random/boot_id', '').trim();
    let pidNamespace: string | undefined;
    try {
      pidNamespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      // not Linux, or no /proc: one namespace as far as holdup can tell
    }
    place = { host: hostname(), ...(bootId ? { bootId } : {}), ...(pidNamespace ? { pidNamespace } : {}) };
  }
  return place;
}

const ProcessSchema = z.object({
  pid: z.number().int().positive(),
  /** `processStart` when it was recorded; absent when the system could not tell. */
  started: z.string().optional(),
});

/** The holdup process a run is, and where it runs. Records written before the place was recorded have only pid and start. */
const OwnerSchema = ProcessSchema.extend({
  host: z.string().optional(),
  bootId: z.string().optional(),
  pidNamespace: z.string().optional(),
  /** When the process started (ISO 8601, this machine's clock). */
  startedAt: z.string().optional(),
});

const StateSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  /** The holdup process the run is: while it runs, nothing here is touched. */
  owner: OwnerSchema,
  /** Processes holdup started (toxiproxy-server), with the port each listens on. */
  processes: z.array(ProcessSchema.extend({ command: z.string(), port: z.number().int().optional() })),
  /** Proxies holdup creates on a Toxiproxy it did not start: every proxy named `prefix…` on `api`. */
  proxies: z.array(z.object({ api: z.string(), prefix: z.string() })),
});

type State = z.infer<typeof StateSchema>;
export type RecordedProcess = State['processes'][number];

const STATE_FILE = 'state.json';

/** Whether the recorded process still runs: the same pid, started at the same time (without a recorded start, any process with that pid). */
function stillRuns(record: z.infer<typeof ProcessSchema>): boolean {
  const now = processStart(record.pid);
  if (now === null) return false;
  if (record.started === undefined || now === undefined) return pidAlive(record.pid);
  return now === record.started;
}

/** When this machine booted (ms since the epoch). */
function bootTime(): number {
  return Date.now() - uptime() * 1000;
}

/**
 * What became of a run's holdup: `alive`, `dead`, or `elsewhere` — recorded on another host or in
 * another pid namespace, where this process cannot see whether it runs (its pid here means
 * nothing). The same host with another boot id has restarted since: dead, provided the run
 * started before this boot (one started after it is on another machine of the same name).
 */
function ownerState(owner: z.infer<typeof OwnerSchema>): 'alive' | 'dead' | 'elsewhere' {
  const self = here();
  if (owner.host !== undefined && owner.host !== self.host) return 'elsewhere';
  if (owner.bootId !== undefined && self.bootId !== undefined && owner.bootId !== self.bootId) {
    const startedAt = owner.startedAt === undefined ? Number.NaN : Date.parse(owner.startedAt);
    return startedAt < bootTime() ? 'dead' : 'elsewhere';
  }
  if (owner.pidNamespace !== undefined && self.pidNamespace !== undefined && owner.pidNamespace !== self.pidNamespace) return 'elsewhere';
  return stillRuns(owner) ? 'alive' : 'dead';
}

/** Whether `pid` is still the very process that was recorded, so it may be killed; never when that cannot be told. */
function isRecorded(record: z.infer<typeof ProcessSchema>): boolean {
  return record.started !== undefined && processStart(record.pid) === record.started;
}

/**
 * Whether process `pid` runs `command` (recorded as the file holdup started), by its first argument
 * or its name (`comm`, cut at 15 characters) — a wrapper script that `exec`s a toxiproxy-server of
 * the same name passes; anything else does not. True where there is no /proc to ask.
 */
function runsCommand(pid: number, command: string): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return !procAvailable();
  }
  const name = basename(command);
  const first = cmdline.split('\0')[0] ?? '';
  if (first === command || basename(first) === name) return true;
  const comm = readOr(`/proc/${pid}/comm`, '').trim();
  return comm !== '' && comm === name.slice(0, 15);
}

/** Whether a record read from the state folder names a process holdup may kill: pid, start time and command all match. */
function mayKill(record: RecordedProcess): boolean {
  return isRecorded(record) && runsCommand(record.pid, record.command);
}

/**
 * Why holdup must not act on `path` (the runs folder, a run's folder or its state.json), or
 * `undefined` when it may: it must be this user's and writable by no one else — what is read
 * there decides what holdup kills. A symbolic link fails (lstat sees the link, which is no one's
 * folder); a path that does not exist passes (there is nothing to act on). Windows: no uid to check.
 */
function distrust(path: string): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  let info;
  try {
    info = lstatSync(path);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : `cannot be checked (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (info.isSymbolicLink()) return 'is a symbolic link';
  if (info.uid !== uid) return `belongs to uid ${info.uid}, not to you (uid ${uid})`;
  if ((info.mode & 0o022) !== 0) return `is writable by others (mode ${(info.mode & 0o777).toString(8)})`;
  return undefined;
}

function writeState(dir: string, state: State): void {
  const temp = join(dir, `.${STATE_FILE}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(temp, join(dir, STATE_FILE));
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function readState(dir: string): State | undefined {
  try {
    return StateSchema.parse(JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * The record of one run: created on the first thing it records (a run that starts nothing writes
 * nothing), removed by `remove()` once what it records is gone. If holdup exits without that (a
 * second Ctrl-C, an internal error), it kills the processes it recorded on the way out and keeps
 * the folder only for proxies on a shared Toxiproxy, which the next run deletes.
 */
export class RunState {
  private dir: string | undefined;
  private state: State;
  /** Nothing more is written: the record failed, or it was removed. */
  private closed = false;
  private readonly onExit = (): void => this.exiting();

  /** `onError`: said once when the record cannot be written (the run goes on without it). */
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    runId: string,
    private readonly onError: (message: string) => void = () => {},
  ) {
    this.state = { version: 1, runId, owner: { pid: process.pid }, processes: [], proxies: [] };
  }

  /** Where the record is, once something was recorded. */
  get folder(): string | undefined {
    return this.dir;
  }

  /** Records a process holdup started, right after it started (synchronously: a kill may come any moment). */
  addProcess(pid: number, command: string, port?: number): void {
    const started = processStart(pid);
    this.update((state) => state.processes.push({ pid, ...(started ? { started } : {}), command, ...(port !== undefined ? { port } : {}) }));
  }

  removeProcess(pid: number): void {
    this.update((state) => {
      state.processes = state.processes.filter((p) => p.pid !== pid);
    });
  }

  /** Records, before the first is created, that this run's proxies on `api` are named `prefix…`. */
  addProxies(api: string, prefix: string): void {
    this.update((state) => state.proxies.push({ api, prefix }));
  }

  /**
   * The run is over but what it recorded is not all gone (its proxies on a shared Toxiproxy could
   * not be deleted): the record stays, without the processes (stopped by now), for the next run to
   * reap. Where it is, when there is one.
   */
  keep(): string | undefined {
    this.closed = true;
    process.off('exit', this.onExit);
    if (!this.dir) return undefined;
    try {
      this.state.processes = [];
      writeState(this.dir, this.state);
      return this.dir;
    } catch {
      return undefined;
    }
  }

  /** Everything recorded is gone: the folder goes too. */
  remove(): void {
    this.closed = true;
    process.off('exit', this.onExit);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private update(change: (state: State) => void): void {
    change(this.state);
    if (this.closed) return;
    const dir = this.dir ?? join(runsDir(this.env), this.state.runId);
    try {
      if (!this.dir) {
        const owner = processStart(process.pid);
        const startedAt = new Date(Date.now() - process.uptime() * 1000).toISOString();
        this.state.owner = { ...this.state.owner, ...(owner ? { started: owner } : {}), ...here(), startedAt };
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        this.dir = dir;
        process.on('exit', this.onExit);
      }
      writeState(dir, this.state);
    } catch (error) {
      this.closed = true;
      this.onError(
        `could not record what this run starts in ${dir} (${(error as Error).message}): if holdup is killed, the next run cannot clean up after it (set HOLDUP_STATE_DIR to a writable folder)`,
      );
    }
  }

  /**
   * An `exit` listener: it must never throw. An exception here would replace the exit code (130
   * would become bin.ts's 3) and keep the listeners after it from running — among them
   * spawnToxiproxy's backstop kill. A record that cannot be written now (its folder was removed,
   * the disk is full) leaves what the last write said, for the next run to judge.
   */
  private exiting(): void {
    if (!this.dir) return;
    try {
      for (const record of this.state.processes) {
        if (isRecorded(record)) kill(record.pid);
      }
      if (this.state.proxies.length === 0) {
        rmSync(this.dir, { recursive: true, force: true });
        return;
      }
      this.state.processes = [];
      writeState(this.dir, this.state);
    } catch {
      // nothing to say it to: the process is exiting
    }
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // it ended meanwhile
  }
}

/** What one run that was killed left behind, and what became of it. */
export type Reaped = ReapedRun;

/** A folder with no readable state this old is a run that died while creating it; a claim this old, a reaper that died while reaping. */
const UNREADABLE_AFTER_MS = 10 * 60_000;

/** When a reaper claimed the folder `name` (the time is in the name: a rename keeps a folder's times); NaN for any other name. */
function claimedAt(name: string): number {
  return Number(/\.reaping-(\d+)-\d+-[0-9a-f]+$/.exec(name)?.[1] ?? Number.NaN);
}

/**
 * Removes what runs that no longer run left: the processes they recorded (only when pid and start
 * time still match), their proxies on shared Toxiproxy servers (when those answer), and their
 * folders. A folder whose holdup still runs is never touched, nor one recorded on another host or
 * in another pid namespace (see `ownerState`); two runs starting together reap each leftover once
 * (the folder is claimed by a rename first). Only records that are this user's and writable by no
 * one else are acted on (`distrust`), and a recorded process is killed only when its pid, start
 * time and command all match; `onNote` is told, in one line, of the records left alone.
 */
export async function reapLeftovers(env: NodeJS.ProcessEnv, onNote: (message: string) => void = () => {}): Promise<Reaped[]> {
  const root = runsDir(env);
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    return [];
  }
  const rootProblem = distrust(root);
  if (rootProblem) {
    onNote(`did not clean up after killed runs: ${root} ${rootProblem}, so what is recorded there cannot be trusted (make it yours alone: chmod 700 ${root})`);
    return [];
  }
  const distrusted: string[] = [];
  const reaped: Reaped[] = [];
  for (const name of names) {
    const dir = join(root, name);
    // `.<run-id>.reaping-<when>-…` is a folder another run has claimed and is reaping now: never
    // twice (one whose reaper was killed half-way is taken over once the claim is old)
    if (name.startsWith('.') && !(Date.now() - claimedAt(name) > UNREADABLE_AFTER_MS)) continue;
    const problem = [dir, join(dir, STATE_FILE)].map((path) => [path, distrust(path)] as const).find(([, why]) => why !== undefined);
    if (problem) {
      distrusted.push(`${relative(root, problem[0])} ${problem[1] ?? ''}`);
      continue;
    }
    const state = readState(dir);
    if (!state) {
      if (ageMs(dir) > UNREADABLE_AFTER_MS) rmSync(dir, { recursive: true, force: true });
      continue;
    }
    // a run of this very process (pid and start time match) is alive; a dead run that had the
    // same pid (in a container holdup often gets the same pid every time) is not
    if (ownerState(state.owner) !== 'dead') continue;
    const claimed = join(root, `.${state.runId}.reaping-${Date.now()}-${process.pid}-${randomBytes(3).toString('hex')}`);
    try {
      renameSync(dir, claimed);
    } catch {
      continue; // another run is reaping it
    }
    const killed = state.processes.filter(mayKill);
    for (const record of killed) kill(record.pid);
    let proxies = 0;
    const left: State['proxies'] = [];
    for (const record of state.proxies) {
      try {
        proxies += (await new ToxiproxyApi(record.api).removeProxies(record.prefix)).length;
      } catch {
        left.push(record);
      }
    }
    // proxies on a shared Toxiproxy that did not answer stay recorded, for the next run to try again
    const kept = left.length > 0 && Date.now() - recordedAt(state, claimed) < KEEP_UNREACHABLE_MS && keepRecord(claimed, join(root, state.runId), { ...state, processes: [], proxies: left });
    if (!kept) rmSync(claimed, { recursive: true, force: true });
    reaped.push({
      runId: state.runId,
      processes: killed.map(({ pid, command, port }) => ({ pid, command, ...(port !== undefined ? { port } : {}) })),
      proxies,
      unreachable: [...new Set(left.map((record) => record.api))],
      ...(kept ? { kept: true as const } : {}),
    });
  }
  if (distrusted.length > 0) {
    onNote(
      `left alone ${distrusted.length === 1 ? 'a record' : `${distrusted.length} records`} of killed runs in ${root} that cannot be trusted ` +
        `(a record must be yours and writable by you alone): ${distrusted.join('; ')} (check ${distrusted.length === 1 ? 'it' : 'them'}, then remove ${distrusted.length === 1 ? 'it' : 'them'} or chmod go-w)`,
    );
  }
  return reaped;
}

/** How long proxies a reaper could not delete (their Toxiproxy did not answer) stay recorded for the next runs: a day after the run started. */
const KEEP_UNREACHABLE_MS = 24 * 60 * 60_000;

/** When the run recorded in `dir` started (its owner's start; a record without one, the folder's last write). */
function recordedAt(state: State, dir: string): number {
  const started = state.owner.startedAt === undefined ? Number.NaN : Date.parse(state.owner.startedAt);
  return Number.isNaN(started) ? Date.now() - ageMs(dir) : started;
}

/** Writes `state` into the claimed folder and gives it its name back, for the next run; whether that worked. */
function keepRecord(claimed: string, dir: string, state: State): boolean {
  try {
    writeState(claimed, state);
    renameSync(claimed, dir);
    return true;
  } catch {
    return false;
  }
}

function ageMs(dir: string): number {
  try {
    return Date.now() - statSync(dir).mtimeMs;
  } catch {
    return 0;
  }
}
