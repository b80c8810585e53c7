/**
 * What a connector prints while `holdup record` runs it — `console.log`, `info`, `debug`, `warn`,
 * `error`, `trace`, `dir`, and writes to `process.stdout` / `process.stderr` — goes through a
 * redaction before it reaches the terminal: a connector that logs its token, or quotes it in an
 * error, does not put it on the screen or in a CI log.
 *
 * While an operation runs (`hold` … `release`), all of it is held; `release` writes it, redacted,
 * to the command's own streams once the operation has settled, when every secret its requests and
 * responses showed is known (a signature logged before the request that sends it, too). Operations
 * run one at a time and holdup prints nothing meanwhile, so what arrives then is the connector's.
 * Between operations (a connector's late timer), output is redacted with what is known so far and
 * goes where it would have gone at once.
 *
 * The process may end while an operation runs: a connector's callback throws (bin.ts prints the
 * `HARNESS` line and exits 3) or Ctrl-C comes (exit 130). On `exit`, what is held is written then,
 * redacted, synchronously, through the streams' own `write`, and nothing is held any more: the line
 * bin.ts writes last, on `exit` too, goes through the same redaction and follows the connector's
 * output. Only what is written to `process.stdout`, `process.stderr` or the console is caught: a
 * write straight to a file descriptor (`fs.writeSync(1, …)`, pino's default destination, a child
 * process with inherited stdio) is not.
 */
import { format, inspect } from 'node:util';

export interface ConnectorOutput {
  /** Holds everything printed until `release`: an operation starts. */
  hold(): void;
  /** The operation has settled: writes what was held, redacted, in order. */
  release(): void;
  /** Writes what is still held and puts the console and the process's streams back. */
  close(): void;
}

export interface CaptureOptions {
  /** Where the connector's standard output goes (the command's own stdout). */
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  redact: (text: string) => string;
}

type Stream = 'out' | 'err';
type Write = NodeJS.WriteStream['write'];
type WriteText = (this: NodeJS.WriteStream, chunk: string, callback?: (error?: Error | null) => void) => boolean;

const CONSOLE_METHODS = { log: 'out', info: 'out', debug: 'out', dir: 'out', warn: 'err', error: 'err', trace: 'err' } as const;
type ConsoleMethod = keyof typeof CONSOLE_METHODS;

function text(chunk: unknown, encoding: unknown): string {
  if (typeof chunk === 'string') return typeof encoding === 'string' && encoding !== 'utf8' && Buffer.isEncoding(encoding) ? Buffer.from(chunk, encoding).toString('utf8') : chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk).toString('utf8');
  return String(chunk);
}

/** What a console method prints, as one text (without its final newline). */
function render(name: ConsoleMethod, args: unknown[]): string {
  if (name === 'dir') return inspect(args[0], args[1] as object | undefined);
  if (name === 'trace') return `Trace: ${format(...args)}\n${new Error().stack?.split('\n').slice(3).join('\n') ?? ''}`;
  return format(...args);
}

/** Patches the console and the process's streams until `close`. */
export function captureConnectorOutput(options: CaptureOptions): ConnectorOutput {
  const savedConsole = Object.fromEntries(Object.keys(CONSOLE_METHODS).map((name) => [name, console[name as ConsoleMethod]])) as Record<ConsoleMethod, (...args: unknown[]) => void>;
  const savedWrite: Record<Stream, Write> = { out: process.stdout.write, err: process.stderr.write };
  const processStream: Record<Stream, NodeJS.WriteStream> = { out: process.stdout, err: process.stderr };
  let held: { stream: Stream; text: string }[] | undefined;

  /** Writes to the process's own stream without coming back through the patch. */
  const direct = (stream: Stream, value: string, callback?: (error?: Error | null) => void): void => {
    (savedWrite[stream] as WriteText).call(processStream[stream], value, callback);
  };
  /** The command's stream for the connector's output; the process's one is written directly. */
  const toCommand = (stream: Stream, value: string): void => {
    const target = stream === 'out' ? options.out : options.err;
    if (target === process.stdout) direct('out', value);
    else if (target === process.stderr) direct('err', value);
    else target.write(value);
  };

  for (const [name, stream] of Object.entries(CONSOLE_METHODS) as [ConsoleMethod, Stream][]) {
    console[name] = (...args: unknown[]) => {
      const line = render(name, args);
      if (held) held.push({ stream, text: `${line}\n` });
      // the text is rendered already: dir and trace pass it on as a line
      else savedConsole[name === 'dir' ? 'log' : name === 'trace' ? 'error' : name].call(console, options.redact(line));
    };
  }
  for (const stream of ['out', 'err'] as const) {
    processStream[stream].write = function (chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      const done = typeof encoding === 'function' ? encoding : callback;
      const value = text(chunk, typeof encoding === 'function' ? undefined : encoding);
      if (held) {
        held.push({ stream, text: value });
        if (typeof done === 'function') process.nextTick(done as () => void);
      } else {
        direct(stream, options.redact(value), typeof done === 'function' ? (done as () => void) : undefined);
      }
      return true;
    } as Write;
  }

  const release = (): void => {
    const chunks = held ?? [];
    held = undefined;
    if (chunks.length === 0) return;
    // consecutive writes to one stream are redacted together: a token written in two pieces is still one token
    for (let i = 0; i < chunks.length; ) {
      const stream = chunks[i]!.stream;
      let run = '';
      for (; i < chunks.length && chunks[i]!.stream === stream; i++) run += chunks[i]!.text;
      toCommand(stream, options.redact(run));
    }
  };
  // the process ends with an operation under way: what it printed is not lost, and what holdup
  // writes on its way out (the HARNESS line) is redacted too, and never held
  let exiting = false;
  const onExit = (): void => {
    exiting = true;
    release();
  };
  process.on('exit', onExit);
  return {
    hold: () => {
      if (!exiting) held ??= [];
    },
    release,
    close: () => {
      process.off('exit', onExit);
      release();
      Object.assign(console, savedConsole);
      process.stdout.write = savedWrite.out;
      process.stderr.write = savedWrite.err;
    },
  };
}
