import path from 'node:path';
import { format } from 'node:util';
import { z } from 'zod';
import { loadReportFile, prepareRun, HOLDUP_VERSION } from '../config/index.js';
import { EXIT, HoldupError, closest, formatError, isHoldupError, type ExitCode, type RunReport } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { describeCandidates, ENGINE_MODES, type EngineMode } from '../network/index.js';
import { runPlan, type RunMode } from '../run/index.js';
import { baselineText, createReporters, writeReport, type ReporterSpec } from '../report/index.js';
import { compareWithBaseline } from '../score/index.js';
import { commandHelp, globalHelp, isCommandName, nearestCommand, parseCommand, points } from './commands.js';
import { liveProgress, useColor } from './terminal.js';
import { compareCommand } from './compare.js';
import { diffCommand } from './diff.js';
import { fuzzCommand, reproCommand } from './fuzz.js';
import { recordCommand } from './record.js';
import { verifyCommand } from './verify.js';
import type { CliIo } from './io.js';

export type { CliIo } from './io.js';

const NOT_BUILT: Record<string, string> = {
  serve: 'the stand-alone replay server',
};


function list(values: string[] | undefined): string[] | undefined {
  if (!values) return undefined;
  return values.flatMap((value) => value.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** Sends console.log, console.info and console.debug to stderr until the returned function is called. */
function logsToStderr(): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  return () => Object.assign(console, saved);
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 2 ** 32 - 1) {
    throw new HoldupError('USAGE', `${flag} takes a whole number from 0 to 4294967295, got "${value}"`, {
      hint: `for example ${flag} 42`,
    });
  }
  return Number(value);
}

/**
 * `--reporter` values: `NAME` or `NAME:FILE`, repeated or separated by commas. A FILE is relative
 * to the current folder; `json` without one goes to standard output.
 */
export function reporterSpecs(values: string[], cwd: string): ReporterSpec[] {
  return values
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const at = item.indexOf(':');
      const name = at < 0 ? item : item.slice(0, at);
      const file = at < 0 ? undefined : item.slice(at + 1);
      if (file === '') throw new HoldupError('USAGE', `--reporter ${item}: the file after ":" is empty`, { hint: `for example --reporter ${name}:reports/${name === 'junit' ? 'junit.xml' : name === 'markdown' ? 'report.md' : 'report.json'}` });
      if (file !== undefined) return { name, target: file === '-' ? '-' : path.resolve(cwd, file) };
      return name === 'json' ? { name, target: '-' } : { name };
    });
}

async function run(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommand('run', args);
  const seed = integer(values.seed, '--seed');
  const concurrency = integer(values.concurrency, '--concurrency');
  const mode = values.mode;
  if (mode !== undefined && mode !== 'network' && mode !== 'in-process') {
    throw new HoldupError('USAGE', `--mode takes network or in-process, got "${mode}"`, {
      hint: 'network (the default) runs every category on real sockets; in-process runs HTTP-level faults on a virtual clock',
    });
  }
  const engine = values['network-engine'];
  if (engine !== undefined && !(ENGINE_MODES as readonly string[]).includes(engine)) {
    const near = closest(engine, ENGINE_MODES);
    throw new HoldupError('USAGE', `--network-engine takes one of ${ENGINE_MODES.join(', ')}, got "${engine}"`, {
      hint: near ? `did you mean --network-engine ${near}?` : 'for example --network-engine auto',
    });
  }
  const budget = points(values['baseline-budget'], '--baseline-budget');
  // a baseline that cannot be read is said before anything runs
  const baselineFile = values.baseline;
  const baseline = baselineFile === undefined ? undefined : await loadReportFile(path.resolve(io.cwd, baselineFile), baselineFile);
  const { plan, config } = await prepareRun({
    cwd: io.cwd,
    ...(values.config ? { config: values.config } : {}),
    ...(values.connector ? { connectors: list(values.connector) } : {}),
    ...(values.category ? { categories: list(values.category) } : {}),
    ...(values.scenario ? { scenarios: list(values.scenario) } : {}),
    ...(values.operation ? { operations: list(values.operation) } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(engine ? { networkEngine: engine as EngineMode } : {}),
    ...(mode ? { mode: mode as RunMode } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  const specs = values.reporter ? reporterSpecs(values.reporter, io.cwd) : config.config.reporters;
  // a report on stdout leaves stdout to it: what people read goes to stderr
  const toStdout = specs.filter((spec) => typeof spec !== 'string' && spec.target === '-');
  if (toStdout.length > 1) {
    throw new HoldupError('USAGE', `only one reporter can write to stdout, got ${toStdout.map((spec) => (spec as ReporterSpec).name).join(' and ')}`, {
      hint: 'give the others a file: for example -r json -r junit:reports/junit.xml',
    });
  }
  if (values['baseline-budget'] !== undefined && values.baseline === undefined) {
    throw new HoldupError('USAGE', '--baseline-budget needs --baseline FILE', { hint: 'for example --baseline main/report.json --baseline-budget 5' });
  }
  const terminal = toStdout.length > 0 ? io.err : io.out;
  const env = io.env ?? process.env;
  const reporters = createReporters(specs, {
    out: terminal,
    color: useColor(terminal, env),
    live: liveProgress(terminal, env),
    root: io.cwd,
    env,
  });
  // stdout is the report's: what a connector logs (console.log, info, debug) goes to stderr meanwhile
  const restoreConsole = toStdout.length > 0 ? logsToStderr() : () => undefined;
  let report: RunReport;
  try {
    report = await runPlan(plan, (event) => {
      for (const reporter of reporters) reporter.onEvent?.(event);
    });
  } finally {
    restoreConsole();
  }
  if (baseline && baselineFile !== undefined) {
    const comparison = compareWithBaseline(baseline, report, budget);
    report.baseline = { file: baselineFile, passed: comparison.regressions.length === 0, ...comparison };
  }
  // the reason a connector is invalid is an error the user must act on: print it whole, on stderr
  for (const connector of report.connectors) {
    if (!connector.valid && connector.invalidReason) io.err.write(`${connector.invalidReason}\n`);
  }
  const reportsDir = values['reports-dir'] ? path.resolve(io.cwd, values['reports-dir']) : path.resolve(config.root, config.config.reportsDir);
  const written = await writeReport(report, reportsDir, reporters, io.out);
  const shown = (file: string): string => path.relative(io.cwd, file) || '.';
  const inFolder = written.files.filter((file) => written.dir !== undefined && path.dirname(file) === written.dir);
  const lines = [
    ...(written.dir !== undefined ? [`report: ${shown(written.dir)}/ (${inFolder.map((f) => path.basename(f)).join(', ')})`] : []),
    ...written.files.filter((file) => !inFolder.includes(file)).map((file) => `wrote: ${shown(file)}`),
  ];
  if (lines.length > 0) terminal.write(`\n${lines.join('\n')}\n`);
  if (!report.complete) {
    // a harness failure (Toxiproxy died) is already a formatted error; Ctrl-C is said here
    const reason = report.incompleteReason?.startsWith('[holdup] ')
      ? report.incompleteReason
      : formatError(
          new HoldupError('INTERRUPTED', `the run was interrupted; the report holds what finished and is marked incomplete`, {
            hint: `run again with --seed ${report.seed} to repeat it`,
          }),
        );
    io.err.write(`${reason}\n`);
    return EXIT.harness;
  }
  if (report.baseline) terminal.write(`\n${baselineText(report.baseline)}`);
  if (!report.gate.judged) {
    const hint =
      'install Toxiproxy (go install, a toxiproxy-server on PATH, TOXIPROXY_URL, or a container engine: `holdup doctor` says which), or leave those categories out with --category / networkEngine: "none"';
    io.err.write(`${formatError(new HoldupError('NETWORK_ENGINE', `the gate could not be judged: ${report.gate.unjudged.join('; ')}`, { hint }))}\n`);
    // a gate that failed on what was judged has failed whatever the rest would say
    const failed = report.baseline ? !report.baseline.passed : report.gate.reasons.length > 0;
    return failed ? EXIT.gateFailed : EXIT.harness;
  }
  // with a baseline, only what got worse fails
  if (report.baseline) return report.baseline.passed ? EXIT.ok : EXIT.gateFailed;
  return report.gate.passed ? EXIT.ok : EXIT.gateFailed;
}

function faults(io: CliIo): ExitCode {
  for (const fault of FAULTS.values()) {
    const shape = fault.params instanceof z.ZodObject ? Object.keys(fault.params.shape) : [];
    const params = shape.length > 0 ? ` params: ${shape.join(', ')}` : '';
    const needs = fault.needs === 'network' ? '[needs Toxiproxy] ' : '';
    io.out.write(`${fault.id.padEnd(40)} ${fault.on.padEnd(6)} ${needs}${fault.summary}${params}\n`);
  }
  return EXIT.ok;
}

async function doctor(io: CliIo): Promise<ExitCode> {
  const candidates = await describeCandidates(process.env);
  const chosen = candidates.find((candidate) => candidate.verdict === 'use');
  const lines = [
    `holdup ${HOLDUP_VERSION} on Node ${process.version}`,
    'HTTP-level faults: built in (replay server on 127.0.0.1)',
    `network engine: ${chosen ? chosen.name : 'none: network-faults and latency-timeout scenarios will not run, and `holdup run` exits 3 (gate not judged)'}`,
    'candidates, in the order holdup tries them:',
    ...candidates.map((candidate) => `  ${candidate.verdict.padEnd(9)} ${candidate.name.padEnd(13)} ${candidate.detail}`),
    '',
  ];
  io.out.write(lines.join('\n'));
  return EXIT.ok;
}

function unknownCommand(name: string): HoldupError {
  const near = nearestCommand(name);
  return new HoldupError('USAGE', `unknown command "${name}"`, { hint: near ? `did you mean holdup ${near}? (holdup --help lists the commands)` : 'holdup --help lists the commands' });
}

/** Runs the command line; returns the exit code (the only caller of process.exit is bin.js, via exitCode). */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<ExitCode> {
  const full: CliIo = { out: process.stdout, err: process.stderr, cwd: process.cwd(), ...io };
  const [command, ...rest] = argv;
  try {
    // `holdup <command> --help` (anywhere before a `--`) and `holdup help <command>`: that command's help
    const wantsHelp = command !== undefined && isCommandName(command) && rest.slice(0, rest.includes('--') ? rest.indexOf('--') : undefined).some((arg) => arg === '--help' || arg === '-h');
    if (wantsHelp) {
      full.out.write(commandHelp(command));
      return EXIT.ok;
    }
    if (command === 'help' && rest[0] !== undefined) {
      const [topic] = rest;
      if (!isCommandName(topic)) throw unknownCommand(topic);
      full.out.write(commandHelp(topic));
      return EXIT.ok;
    }
    switch (command) {
      case 'run':
        if (!io.signal) {
          const controller = new AbortController();
          let interrupts = 0;
          const onSigint = () => {
            interrupts++;
            if (interrupts > 1) process.exit(EXIT.harness);
            full.err.write('\n[holdup] stopping: cutting the executions under way short, removing proxies, writing the report (Ctrl-C again to quit at once)\n');
            controller.abort();
          };
          // SIGTERM (a CI job cancelled) stops the run the same way
          process.on('SIGINT', onSigint);
          process.on('SIGTERM', onSigint);
          try {
            return await run(rest, { ...full, signal: controller.signal });
          } finally {
            process.off('SIGINT', onSigint);
            process.off('SIGTERM', onSigint);
          }
        }
        return await run(rest, full);
      case 'faults':
        parseCommand('faults', rest);
        return faults(full);
      case 'fuzz':
        return await fuzzCommand(rest, full);
      case 'repro':
        return await reproCommand(rest, full);
      case 'record':
        return await recordCommand(rest, full);
      case 'verify':
        return await verifyCommand(rest, full);
      case 'diff':
        return await diffCommand(rest, full);
      case 'compare':
        return await compareCommand(rest, full);
      case 'doctor':
        parseCommand('doctor', rest);
        return await doctor(full);
      case '--version':
      case '-v':
        full.out.write(`${HOLDUP_VERSION}\n`);
        return EXIT.ok;
      case 'help':
      case '--help':
      case '-h':
        full.out.write(globalHelp());
        return EXIT.ok;
      case undefined:
        // no command is a usage error: the help goes where errors go
        full.err.write(globalHelp());
        return EXIT.badInput;
      default:
        if (command in NOT_BUILT) {
          throw new HoldupError('NOT_BUILT', `holdup ${command} (${NOT_BUILT[command]}) is not built in this version`, {
            hint: 'holdup run is; see README.md for what is planned',
          });
        }
        throw unknownCommand(command);
    }
  } catch (error) {
    if (isHoldupError(error)) {
      full.err.write(`${formatError(error)}\n`);
      return error.exitCode;
    }
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      const hint = command !== undefined && isCommandName(command) ? `holdup ${command} --help lists its options` : 'holdup --help lists the commands';
      full.err.write(`${formatError(new HoldupError('USAGE', error.message, { hint }))}\n`);
      return EXIT.badInput;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    full.err.write(`[holdup] HARNESS holdup itself failed: ${message}\n  next: this is a bug in holdup; please report it with the command you ran\n`);
    return EXIT.harness;
  }
}
