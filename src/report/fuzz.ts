/** The text `holdup fuzz` and `holdup repro` print: rendered here, with every other text for people. */
import type { Finding } from '../core/finding.js';
import { formatTimeline } from './format.js';
import type { ReportFinding } from './types.js';

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

/**
 * The shrunk failure, its findings, how to replay it. `reproFile` as the user should type it;
 * `confirmed`: the codes the failure failed with again when it was replayed from that file;
 * `config`: the `--config` it was found with, if one was given (the replay needs it too).
 */
export function fuzzFailed(runs: number, seed: number, failure: FuzzFailureText, reproFile: string, confirmed: readonly string[], config?: string): string {
  return [
    `  failed after ${runs} runs, shrunk ${failure.shrinks} times, to:`,
    `  ${failure.operation}${failure.concurrency > 1 ? ` × ${failure.concurrency} at once` : ''}: ${failure.words}`,
    ...failure.findings.map((finding) => `  ${finding.code} ${finding.check}: ${finding.message}`),
    `  seed ${seed}, path ${failure.path}`,
    `  replayed from its repro file before writing it: fails again (${confirmed.join(', ')})`,
    `  repro file: ${reproFile}`,
    `  replay: holdup repro ${config === undefined ? '' : `--config ${config} `}${reproFile}`,
    '',
  ].join('\n');
}

/** Timeline lines shown per finding by `holdup repro` before the middle is elided. */
const REPRO_TIMELINE_MAX = 8;

/** `holdup repro scenarios/repro/billing-naive-0000002a.json: billing-naive, seed 42, in-process on a virtual clock`, then what the file says it holds. */
export function reproHeader(file: string, connector: string, seed: number, mode: 'in-process' | 'network', description: string): string {
  const how = mode === 'in-process' ? 'in-process on a virtual clock' : 'in network mode (real sockets, real waits)';
  return `holdup repro ${file}: ${connector}, seed ${seed}, ${how}\n  ${description}\n`;
}

/**
 * The rest of `holdup repro`: each finding with its timeline and outcome, then one verdict line.
 * The verdict is the repro's alone (the exit code follows it): a run's gate line, which a
 * non-critical check's failure does not fail, would contradict it.
 */
export function reproOutcome(findings: readonly ReportFinding[], checks: readonly string[]): string {
  const lines: string[] = [];
  for (const finding of findings) {
    lines.push(`  ${finding.code} ${finding.severity} ${finding.check}: ${finding.message}`);
    for (const line of formatTimeline(finding.evidence.timeline, REPRO_TIMELINE_MAX)) lines.push(`    ${line}`);
    lines.push(`    outcome: ${finding.evidence.outcome}`);
  }
  lines.push(reproVerdict(findings.map((finding) => finding.code), checks));
  return `${lines.join('\n')}\n`;
}

/** The last line of `holdup repro`: it still fails (exit 1), or every check it names held (exit 0). */
export function reproVerdict(codes: readonly string[], checks: readonly string[]): string {
  const unique = [...new Set(codes)];
  return unique.length > 0 ? `repro: still fails (${unique.join(', ')})` : `repro: passes now (${checks.join(', ')} held)`;
}
