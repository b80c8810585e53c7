/**
 * Reporters, listed explicitly (as vitest's `ReportersMap`), and `writeReport`, which writes a
 * run's files into `reports/<runId>/` and then, for a complete run, points `reports/latest` at it.
 */
import { appendFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HoldupError } from '../core/errors.js';
import type { RunReport } from '../core/report.js';
import { createConsoleReporter } from './console.js';
import { claimFolder, pointLinkAt, writeFileAtomic } from './fs.js';
import { createJsonReporter } from './json.js';
import { createGithubReporter } from './github.js';
import { createHtmlReporter } from './html.js';
import { createJunitAntReporter, createJunitReporter } from './junit.js';
import { createMarkdownReporter } from './markdown.js';
import type { Reporter, ReporterOptions } from './types.js';

export type { Reporter, ReporterOptions, ReporterOutput } from './types.js';
export { fuzzFailed, fuzzHeader, fuzzPassed, fuzzPathPasses, reproHeader, reproOutcome, reproVerdict, type FuzzFailureText } from './fuzz.js';
export { strayWarningsText } from './format.js';
export { describeSchedule } from './schedule.js';
export { baselineText } from './baseline.js';

export const REPORTERS = {
  console: createConsoleReporter,
  json: createJsonReporter,
  junit: createJunitReporter,
  'junit-ant': createJunitAntReporter,
  'github-actions': createGithubReporter,
  html: () => createHtmlReporter(),
  markdown: () => createMarkdownReporter(),
} satisfies Record<string, (options: ReporterOptions) => Reporter>;

export type ReporterName = keyof typeof REPORTERS;

/**
 * What each reporter makes, in a line: `--reporter --help`, docs/cli.md and the README are
 * generated from it (`npm run docs`). Typed by the registry: a reporter without a line does not
 * compile.
 */
export const REPORTER_DOCS: Readonly<Record<ReporterName, string>> = {
  console: 'progress while the run goes, then a table per connector and the findings with their evidence (stdout, or stderr when json prints the report)',
  json: '`report.json`, described by docs/report.schema.json; without a file, the report on stdout',
  junit: '`junit.xml`: a test case per connector × check, in the dialect Jenkins, GitLab and most CI read (valid against Jenkins\' junit-4 XSD, with skipped cases)',
  'junit-ant': '`junit-ant.xml`: the same in the strict Apache Ant dialect, which has no skipped element (what was not judged is in each suite\'s system-out)',
  'github-actions': 'annotations for GitHub Actions, and the report in Markdown appended to `$GITHUB_STEP_SUMMARY`',
  html: '`report.html`: one self-contained page — a card per connector, the category grid, each finding\'s requests on a time axis',
  markdown: '`report.md`: the whole report in Markdown',
};

export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(REPORTERS, name);
}

/** A reporter to create, and where its file goes (see `Reporter.target`). */
export interface ReporterSpec {
  name: string;
  target?: string;
}

/**
 * The reporters named, in order, once each (a name given twice with different targets is two
 * reporters). An unknown name is a usage error that lists the valid ones; so is a target for a
 * reporter that writes no file.
 */
export function createReporters(specs: readonly (string | ReporterSpec)[], options: ReporterOptions): Reporter[] {
  const wanted = specs.map((spec) => (typeof spec === 'string' ? { name: spec } : spec));
  const unknown = [...new Set(wanted.map((spec) => spec.name).filter((name) => !isReporterName(name)))];
  if (unknown.length > 0) {
    const valid = Object.keys(REPORTERS).join(', ');
    throw new HoldupError(
      'USAGE',
      `unknown reporter${unknown.length === 1 ? '' : 's'} ${unknown.map((name) => `"${name}"`).join(', ')}`,
      { hint: `use --reporter with one or more of: ${valid} (repeat it, or separate names with commas)` },
    );
  }
  const seen = new Set<string>();
  const reporters: Reporter[] = [];
  for (const spec of wanted) {
    const key = `${spec.name}\0${spec.target ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const reporter = REPORTERS[spec.name as ReporterName](options);
    if (spec.target !== undefined) {
      if (!reporter.output) {
        throw new HoldupError('USAGE', `the ${spec.name} reporter prints as the run goes and writes no file: it takes no ":${spec.target}"`, {
          hint: `use --reporter ${spec.name}, and a file for a reporter that writes one (${Object.keys(REPORTERS).filter((name) => name !== 'console').join(', ')}; for example --reporter junit:reports/junit.xml)`,
        });
      }
      reporter.target = spec.target;
      delete reporter.append;
    }
    reporters.push(reporter);
  }
  return reporters;
}

/**
 * The link to the newest complete run's report folder (a folder of copies where links cannot be
 * made): what a baseline is taken from. A run that was interrupted or stopped short writes its
 * folder but leaves `latest` where it was.
 */
export const LATEST_DIR = 'latest';

export interface WrittenReport {
  /** The run's report folder, when a reporter wrote into it. */
  dir: string | undefined;
  /** Every file written: the run folder's, then the ones given a path of their own. */
  files: string[];
}

/**
 * Renders every reporter's output (all of them first: a report that cannot be rendered writes
 * nothing), then writes each where it goes: the ones without a target into
 * `reportsDir/<runId>/` (a folder this run creates: should another run have taken the name, this
 * one's is `<runId>-2`, and the report says so; each file through a temporary file and a rename,
 * then, for a complete run, `reportsDir/latest` is pointed at the folder), the others to their own
 * path or to `stdout`.
 */
export async function writeReport(
  report: RunReport,
  reportsDir: string,
  reporters: Reporter[],
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<WrittenReport> {
  if (!/^[\w.-]+$/.test(report.runId) || report.runId === LATEST_DIR || /^\.+$/.test(report.runId)) {
    throw new HoldupError('HARNESS', `run id "${report.runId}" cannot name a report folder`, {
      hint: 'run ids use letters, digits, ".", "_" and "-" only; this is a bug in holdup, please report it',
    });
  }
  let dir: string | undefined;
  let claimed = report;
  if (reporters.some((reporter) => reporter.output && reporter.target === undefined)) {
    await makeFolder(reportsDir, 'check that the reports folder is writable');
    const runId = await claimFolder(reportsDir, report.runId);
    dir = join(reportsDir, runId);
    if (runId !== report.runId) claimed = { ...report, runId };
  }
  let rendered;
  try {
    rendered = reporters.flatMap((reporter) =>
      reporter.output ? [{ target: reporter.target, append: reporter.append === true, file: reporter.output.file, text: reporter.output.render(claimed) }] : [],
    );
  } catch (error) {
    if (dir) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const files: string[] = [];
  if (dir) {
    for (const output of rendered.filter((output) => output.target === undefined)) {
      const file = join(dir, output.file);
      await writeFileAtomic(file, output.text);
      files.push(file);
    }
    if (claimed.complete) await pointLinkAt(join(reportsDir, LATEST_DIR), claimed.runId, files);
  }
  for (const output of rendered) {
    if (output.target === undefined) continue;
    if (output.target === '-') {
      stdout.write(output.text);
      continue;
    }
    await makeFolder(dirname(output.target), 'check the path given with --reporter NAME:FILE');
    if (output.append) await appendReport(output.target, output.text);
    else await writeFileAtomic(output.target, output.text);
    files.push(output.target);
  }
  return { dir, files };
}

async function appendReport(file: string, text: string): Promise<void> {
  try {
    await appendFile(file, text, 'utf8');
  } catch (cause) {
    throw new HoldupError('REPORT_WRITE', `could not append the report: ${(cause as Error).message}`, { file, hint: 'check that the file (GITHUB_STEP_SUMMARY) is writable', cause });
  }
}

async function makeFolder(dir: string, hint: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new HoldupError('REPORT_WRITE', `could not create the report folder: ${(cause as Error).message}`, { file: dir, hint, cause });
  }
}
