/** The text `holdup fuzz` and `holdup repro` print: rendered here, with every other text for people. */
import type { Finding } from '../core/finding.js';

export interface FuzzFailureText {
  operation: string;
  concurrency: number;
  /** The shrunk schedule in words. */
  words: string;
  findings: readonly Pick<Finding, 'code' | 'check' | 'message'>[];
  path: string;
  shrinks: number;
}

/** `holdup fuzz billing-naive: seed 42, up to 100 runs, in-process on a virtual clock` */
export function fuzzHeader(connector: string, seed: number, runs: number, mode: 'in-process' | 'network'): string {
  const how = mode === 'in-process' ? 'in-process on a virtual clock' : 'in network mode (real sockets, real waits)';
  return `holdup fuzz ${connector}: seed ${seed}, up to ${runs} runs, ${how}\n`;
}

export function fuzzPassed(runs: number, interrupted: boolean): string {
  return `  passed ${runs} runs${interrupted ? ' (the time budget ran out first)' : ''}: every check held\n`;
}

/** A replayed path (`--seed S --path P`) whose case holds now. */
export function fuzzPathPasses(path: string): string {
  return `  the run at path ${path} passes now: every check held\n`;
}

/** The shrunk failure, its findings, how to replay it. `reproFile` as the user should type it. */
export function fuzzFailed(runs: number, seed: number, failure: FuzzFailureText, reproFile: string): string {
  return [
    `  failed after ${runs} runs, shrunk ${failure.shrinks} times, to:`,
    `  ${failure.operation}${failure.concurrency > 1 ? ` × ${failure.concurrency} at once` : ''}: ${failure.words}`,
    ...failure.findings.map((finding) => `  ${finding.code} ${finding.check}: ${finding.message}`),
    `  seed ${seed}, path ${failure.path}`,
    `  repro file: ${reproFile}`,
    `  replay: holdup repro ${reproFile}`,
    '',
  ].join('\n');
}

/** The last line of `holdup repro`. */
export function reproVerdict(codes: readonly string[]): string {
  return codes.length > 0 ? `\nrepro: still fails (${codes.join(', ')})\n` : '\nrepro: passes now\n';
}
