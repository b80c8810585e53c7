#!/usr/bin/env node
// The `holdup` command: hands over to the CLI and exits with its code. Connector and config files
// written in TypeScript are compiled on the fly by the loaders (config/import-module.ts).
// Only light modules are imported statically: Ctrl-C is caught before the rest of holdup loads.
import { EXIT, formatError, unexpectedError } from '../core/errors.js';

const argv = process.argv.slice(2);
const words = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined);
const debug = words.includes('--debug');

// Ctrl-C (SIGINT) and SIGTERM (a CI job cancelled), from the first moment: `holdup run` stops what
// is under way and writes the report of what was done so far, then exits 130. A second one (Ctrl-C
// again; the SIGTERM GitHub Actions sends 7.5 s after its SIGINT) stops waiting for that: the
// report of what is known is written at once, then holdup exits 130 — within QUIT_MS whatever
// happens (a runner kills 2.5 s after its SIGTERM). A third one, or one to any other command,
// exits 130 at once. `exit` handlers still kill the processes holdup spawned.
const QUIT_MS = 2_000;
const interrupt = new AbortController();
const quit = new AbortController();
const graceful = words.find((word) => word !== '--debug') === 'run';
const onSignal = (): void => {
  if (!graceful || quit.signal.aborted) process.exit(EXIT.interrupted);
  if (!interrupt.signal.aborted) {
    interrupt.abort();
    return;
  }
  quit.abort();
  setTimeout(() => process.exit(EXIT.interrupted), QUIT_MS);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// An error nothing caught (a connector's callback that throws, a promise nobody awaits, a bug in
// holdup) is an internal error: exit 3, never 1, which means a gate failed. Its line is written on
// `exit`, after the listeners added before this one: `holdup record` writes the connector's output
// it held until then (record/output.ts), and this line, which may quote the connector's error, goes
// through the same redaction after it, never held.
const crash = (error: unknown): void => {
  const line = `${formatError(unexpectedError(error, 'an error nothing caught stopped holdup'), { stack: debug })}\n`;
  process.once('exit', () => process.stderr.write(line));
  process.exit(EXIT.harness);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', (reason) => {
  // in-process mode listens too while it runs: it drops its own rejections and throws the rest again
  if (process.listenerCount('unhandledRejection') === 1) crash(reason);
});

// `holdup faults | head`, `holdup run | head`: the reader went away early. That is not an error,
// nor a verdict: what holdup prints from then on goes nowhere, but the command goes on (the run
// writes its report files) and exits with its own code, so a failed gate still fails a pipeline
// under `set -o pipefail` (exiting 0 here hid it).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
  crash(error);
});

const { main } = await import('./main.js');
const code = await main(argv, { signal: interrupt.signal, quit: quit.signal });
// a report on stdout may still be on its way into a pipe (`holdup run -r json | jq`): let it out first
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
// Exit now: a connector that hung may still hold timers or sockets (ky waits ~25 days on a
// malformed Retry-After); holdup has cut it off and written its report, so nothing is lost.
process.exit(code);
