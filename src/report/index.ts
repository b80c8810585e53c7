/**
 * Reporters, listed explicitly (as vitest's `ReportersMap`), and `writeReport`, which writes a
 * run's files into `reports/<runId>/` and then refreshes `reports/latest/`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HoldupError } from '../core/errors.js';
import type { RunReport } from '../core/report.js';
import { createConsoleReporter } from './console.js';
import { replaceDirWithCopies } from './fs.js';
import { createJsonReporter } from './json.js';
import { createJunitReporter } from './junit.js';
import { createMarkdownReporter } from './markdown.js';
import type { Reporter, ReporterOptions } from './types.js';

export type { Reporter, ReporterOptions } from './types.js';
export { fuzzFailed, fuzzHeader, fuzzPassed, fuzzPathPasses, reproHeader, reproOutcome, reproVerdict, type FuzzFailureText } from './fuzz.js';
export { strayWarningsText } from './format.js';

export const REPORTERS = {
  console: createConsoleReporter,
  json: createJsonReporter,
  junit: createJunitReporter,
  markdown: () => createMarkdownReporter(),
} satisfies Record<string, (options: ReporterOptions) => Reporter>;

export type ReporterName = keyof typeof REPORTERS;

export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(REPORTERS, name);
}

/** The reporters named, in order. An unknown name is a usage error that lists the valid ones. */
export function createReporters(names: string[], options: ReporterOptions): Reporter[] {
  const unknown = names.filter((name) => !isReporterName(name));
  if (unknown.length > 0) {
    const valid = Object.keys(REPORTERS).join(', ');
    throw new HoldupError(
      'USAGE',
      `unknown reporter${unknown.length === 1 ? '' : 's'} ${unknown.map((name) => `"${name}"`).join(', ')}`,
      { hint: `use --reporter with one or more of: ${valid} (comma-separated)` },
    );
  }
  return [...new Set(names as ReporterName[])].map((name) => REPORTERS[name](options));
}

/** The folder name every run refreshes with a copy of the newest report. */
export const LATEST_DIR = 'latest';

/**
 * Writes every reporter's files into `reportsDir/<runId>/` (each file through a temporary file
 * and a rename), then replaces `reportsDir/latest/` with copies of them.
 */
export async function writeReport(
  report: RunReport,
  reportsDir: string,
  reporters: Reporter[],
): Promise<{ dir: string; files: string[] }> {
  if (!/^[\w.-]+$/.test(report.runId) || report.runId === LATEST_DIR || /^\.+$/.test(report.runId)) {
    throw new HoldupError('HARNESS', `run id "${report.runId}" cannot name a report folder`, {
      hint: 'run ids use letters, digits, ".", "_" and "-" only; this is a bug in holdup, please report it',
    });
  }
  const dir = join(reportsDir, report.runId);
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new HoldupError('REPORT_WRITE', `could not create the report folder: ${(cause as Error).message}`, {
      file: dir,
      hint: 'check that the reports folder is writable',
      cause,
    });
  }
  const files: string[] = [];
  for (const reporter of reporters) {
    if (reporter.write) files.push(...(await reporter.write(report, dir)));
  }
  await replaceDirWithCopies(join(reportsDir, LATEST_DIR), files);
  return { dir, files };
}
