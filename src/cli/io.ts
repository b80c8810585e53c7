/** Where a command reads and writes: the process's streams, or fakes in tests. */
export interface CliIo {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  /** The environment (`NO_COLOR`, `FORCE_COLOR`, `CI`, …); `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
  /** Aborted on a second Ctrl-C (or SIGTERM): stop waiting for the run to stop, report what is known at once. */
  quit?: AbortSignal;
}
