/** Where a command reads and writes: the process's streams, or fakes in tests. */
export interface CliIo {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream;
  cwd: string;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
}
