/**
 * One command connector process: started for one execution, driven over the protocol of
 * `protocol.ts`, ended when the execution is over (docs/command-connectors.md).
 *
 * Every way the process can misbehave ends in an error a person can act on, never a hang of
 * holdup or a crash: it cannot be started, it exits before answering, it writes a line that is
 * not a message or too long, it answers a call it was never sent. Such a break rejects every call
 * under way and every later call with a `CommandConnectorError` that names the line; a process
 * that never answers is left to the execution's deadline, like any connector.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { clip, quoted } from '../core/index.js';
import { isMessageLine, parseMessageLine, type CallMessage } from './protocol.js';

/** The longest stdout line read (a result holds an operation's whole return value). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** The longest stderr or output line passed on; the rest of it is cut. */
export const MAX_OUTPUT_LINE = 16 * 1024;
/** How long a process whose stdin was closed gets to exit before it is killed. */
const EXIT_GRACE_MS = 250;
/** How long after the kill holdup still reads what the process's stdout and stderr hold. */
const ABANDON_MS = 2_000;
/** Lines of stderr quoted when the process exits before answering. */
const STDERR_TAIL = 5;

/** What went wrong with the process (not an error the operation itself reported). */
export class CommandConnectorError extends Error {
  override name = 'CommandConnectorError';
  /** The process broke the protocol (rather than failing to start or exiting): its answers cannot be read. */
  readonly protocol: boolean;
  constructor(message: string, protocol = false) {
    super(message);
    this.protocol = protocol;
  }
}

export interface CommandProcessOptions {
  /** The program and its arguments. */
  run: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** A protocol `warning` message. */
  warn(message: string): void;
  /** A line the process wrote to stderr. */
  stderr(line: string): void;
  /** A stdout line that is not a message: the connector's own output. */
  stdout(line: string): void;
  /** Applied to every text of the process's that holdup shows: output lines and the messages of errors. */
  scrub(text: string): string;
}

export interface CommandProcess {
  /** Sends a call; settles with its result, or rejects with the operation's error or the process's break. */
  call(operation: string, input: unknown): Promise<unknown>;
  /** Closes its stdin, and kills it (with whatever it started) unless it exits at once. */
  close(): Promise<void>;
}

interface Pending {
  operation: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** `python3 connector.py`, as a person reads it. */
export function describeCommand(run: readonly string[]): string {
  return run.map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : quoted(part))).join(' ');
}

/** An error the process reported for a call: its `name` and `message`, as a thrown error has them. */
function reported(name: string | undefined, message: string): Error {
  const error = new Error(message);
  if (name !== undefined) error.name = name;
  return error;
}

/** Splits a stream into lines; a line longer than `max` bytes is reported with `tooLong` and skipped. */
function lines(stream: Readable, max: number, onLine: (line: string) => void, tooLong: (bytes: number) => void): void {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  stream.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, end);
      start = end + 1;
      if (skipping) {
        skipping = false;
        continue;
      }
      if (size + piece.length > max) {
        tooLong(size + piece.length);
      } else {
        const line = Buffer.concat([...parts, piece]).toString('utf8');
        onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      }
      parts = [];
      size = 0;
    }
    if (skipping || start >= chunk.length) return;
    const rest = chunk.subarray(start);
    if (size + rest.length > max) {
      tooLong(size + rest.length);
      skipping = true;
      parts = [];
      size = 0;
      return;
    }
    parts.push(Buffer.from(rest));
    size += rest.length;
  });
  stream.on('end', () => {
    if (size > 0 && !skipping) onLine(Buffer.concat(parts).toString('utf8'));
  });
}

/** Starts the process. A program that cannot be started is reported by the calls, not thrown here. */
export function startCommandProcess(options: CommandProcessOptions): CommandProcess {
  const command = describeCommand(options.run);
  const [program = '', ...args] = options.run;
  // its own process group: close() ends what it started too (`go run` starts the built program)
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(program, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let broken: CommandConnectorError | undefined;
  let closing = false;
  let closed: Promise<void> | undefined;
  let exited = false;
  let stdoutLine = 0;
  const stderrTail: string[] = [];
  const exit = new Promise<void>((resolve) => child.once('close', () => resolve()));

  /** The process broke the protocol or ended: every call under way, and every later one, fails with this. */
  const breakWith = (message: string, kill: boolean): void => {
    if (broken) return;
    // a process killed for what it wrote broke the protocol; one that could not start or exited did not
    broken = new CommandConnectorError(options.scrub(message), kill);
    for (const call of pending.values()) call.reject(broken);
    pending.clear();
    if (kill) killGroup();
  };
  /** `leaderToo`: also when the process itself has exited (what it started may still run). */
  const killGroup = (leaderToo = false): void => {
    if ((exited && !leaderToo) || child.pid === undefined) return;
    try {
      if (process.platform === 'win32') child.kill('SIGKILL');
      else process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  };

  child.on('error', (error: NodeJS.ErrnoException) => {
    const why =
      error.code === 'ENOENT'
        ? `${quoted(program)} was not found (check the command's program: on PATH, or a path relative to its cwd ${quoted(options.cwd)})`
        : error.code === 'EACCES'
        ? `${quoted(program)} is not executable (chmod +x it, or run it through its interpreter)`
        : error.message;
    breakWith(`the command connector \`${command}\` could not be started: ${why}`, false);
  });
  child.stdin.on('error', () => {
    // the process closed its stdin or exited: its exit says what happened
  });
  child.once('exit', (code, signal) => {
    exited = true;
    if (closing) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`;
    const under = [...pending.entries()].map(([id, call]) => `call ${id} (${call.operation})`);
    const what = under.length > 0 ? `before answering ${under.join(', ')}` : 'while its execution was under way';
    const tail = stderrTail.length > 0 ? `; its last stderr: ${stderrTail.map((line) => clip(line, 300)).join(' | ')}` : '';
    breakWith(`the command connector \`${command}\` ${how} ${what}${tail}`, false);
  });

  lines(
    child.stdout,
    MAX_MESSAGE_BYTES,
    (line) => {
      stdoutLine++;
      if (!isMessageLine(line)) {
        options.stdout(options.scrub(clip(line, MAX_OUTPUT_LINE)));
        return;
      }
      const where = `stdout line ${stdoutLine} of \`${command}\``;
      const parsed = parseMessageLine(line);
      if ('problem' in parsed) {
        breakWith(`${where} ${parsed.problem}: ${quoted(line, 200)}`, true);
        return;
      }
      const message = parsed.message;
      if (message.type === 'warning') {
        options.warn(options.scrub(message.message));
        return;
      }
      const call = pending.get(message.id);
      if (!call) {
        const known = pending.size > 0 ? `the calls under way are ${[...pending.keys()].join(', ')}` : 'no call is under way';
        breakWith(`${where} answers call ${message.id}, which holdup did not send or was answered already (${known}): ${quoted(line, 200)}`, true);
        return;
      }
      pending.delete(message.id);
      if (message.type === 'result') call.resolve(message.value);
      else call.reject(reported(message.name === undefined ? undefined : options.scrub(message.name), options.scrub(message.message)));
    },
    (bytes) => {
      stdoutLine++;
      breakWith(`stdout line ${stdoutLine} of \`${command}\` is longer than ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB (${bytes.toLocaleString('en-US')} bytes so far): one message per line, each at most that long`, true);
    },
  );
  lines(
    child.stderr,
    MAX_OUTPUT_LINE,
    (line) => {
      const text = options.scrub(line);
      stderrTail.push(text);
      if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
      options.stderr(text);
    },
    (bytes) => options.stderr(`(a stderr line of ${bytes.toLocaleString('en-US')} bytes or more, longer than ${MAX_OUTPUT_LINE.toLocaleString('en-US')}, left out)`),
  );

  /** Closes its stdin, gives it a moment, kills its group; once, however often `close` is called. */
  async function end(): Promise<void> {
    closing = true;
    for (const call of pending.values()) call.reject(new CommandConnectorError(`the command connector \`${command}\` was closed before answering`));
    pending.clear();
    child.stdin.end();
    if (child.pid === undefined) return exit;
    // the process, and what it started, get a moment to end on their own; then its group is killed
    const kill = setTimeout(() => killGroup(true), EXIT_GRACE_MS);
    // a program it started outside its group may hold its stdout open: holdup stops reading then
    let stopReading: NodeJS.Timeout | undefined;
    const abandoned = new Promise<void>((resolve) => {
      stopReading = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve();
      }, EXIT_GRACE_MS + ABANDON_MS);
    });
    await Promise.race([exit, abandoned]);
    clearTimeout(kill);
    clearTimeout(stopReading);
    // whatever it started and left behind in its group goes with it
    killGroup(true);
  }

  return {
    call(operation, input) {
      if (broken) return Promise.reject(broken);
      if (closing) return Promise.reject(new CommandConnectorError(`the command connector \`${command}\` was closed`));
      const id = nextId++;
      const message: CallMessage = { id, type: 'call', operation, ...(input !== undefined ? { input } : {}) };
      return new Promise((resolve, reject) => {
        pending.set(id, { operation, resolve, reject });
        child.stdin.write(`${JSON.stringify(message)}\n`);
      });
    },
    close() {
      closed ??= end();
      return closed;
    },
  };
}
