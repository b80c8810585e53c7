import { randomInt } from 'node:crypto';
import path from 'node:path';
import { format } from 'node:util';
import { z } from 'zod';
import { ConfigSchema, findConfig, loadReportFile, newRunId, prepareFromConfig, HOLDUP_VERSION, type FoundConfig } from '../config/index.js';
import {
  EXIT,
  HoldupError,
  closest,
  formatError,
  isHoldupError,
  unexpectedError,
  type ConnectorReport,
  type ExitCode,
  type NetworkEngine,
  type RunReport,
} from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { describeCandidates, ENGINE_MODES, type EngineMode } from '../network/index.js';
import { assembleReport, runPlan, type RunMode, type RunPlan } from '../run/index.js';
import { baselineText, createReporters, writeReport, type Reporter, type ReporterSpec } from '../report/index.js';
import { compareWithBaseline } from '../score/index.js';
import { commandHelp, globalHelp, isCommandName, nearestCommand, parseCommand, points, takeGlobalOptions, type CommandName, type CommandValues } from './commands.js';
import { liveProgress, useColor } from './terminal.js';
import { compareCommand } from './compare.js';
import { diffCommand } from './diff.js';
import { fuzzCommand, reproCommand } from './fuzz.js';
import { importCommand } from './import.js';
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

/**
 * How long an interrupted run may take to cut its executions short and report them before holdup
 * reports what it knows and exits (ms): well inside the 7.5 s GitHub Actions leaves between the
 * SIGINT and the SIGTERM of a cancelled job.
 */
const STOP_GRACE_MS = 5_000;

const INTERRUPTED = Symbol('interrupted');

/** `work`'s value, or `INTERRUPTED` once `signal` has been aborted for `graceMs` (or `quit` at all) without `work` settling. */
function unlessInterrupted<T>(work: Promise<T>, signal: AbortSignal, graceMs = 0, quit?: AbortSignal): Promise<T | typeof INTERRUPTED> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      timer = setTimeout(() => resolve(INTERRUPTED), graceMs);
    };
    const onQuit = (): void => resolve(INTERRUPTED);
    const settle = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      quit?.removeEventListener('abort', onQuit);
    };
    if (quit?.aborted) onQuit();
    else quit?.addEventListener('abort', onQuit, { once: true });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

/** What is known of a run as it goes: its report, if Ctrl-C comes before the runner has one of its own. */
interface RunSoFar {
  startedAt: Date;
  seed: number | undefined;
  found: FoundConfig | undefined;
  plan: RunPlan | undefined;
  networkEngine: NetworkEngine | undefined;
  connectors: ConnectorReport[];
  /** What was under way: `loading the config and connectors`, `starting the network engine`, `running the executions`. */
  doing: string;
}

type RunValues = CommandValues<'run'>;

/**
 * The baseline, the config, the connectors and the scenarios: the plan. `undefined` when Ctrl-C
 * came in between (what was found so far is in `known`).
 */
async function loadRun(values: RunValues, io: CliIo, signal: AbortSignal, known: RunSoFar) {
  // a baseline that cannot be read is said before anything runs
  const baselineFile = values.baseline;
  const baseline = baselineFile === undefined ? undefined : await loadReportFile(path.resolve(io.cwd, baselineFile), baselineFile);
  if (signal.aborted) return undefined;
  known.found = await findConfig(io.cwd, values.config);
  if (signal.aborted) return undefined;
  const concurrency = integer(values.concurrency, '--concurrency');
  const { plan } = await prepareFromConfig(known.found, {
    cwd: io.cwd,
    ...(values.config ? { config: values.config } : {}),
    ...(values.connector ? { connectors: list(values.connector) } : {}),
    ...(values.category ? { categories: list(values.category) } : {}),
    ...(values.scenario ? { scenarios: list(values.scenario) } : {}),
    ...(values.operation ? { operations: list(values.operation) } : {}),
    ...(known.seed !== undefined ? { seed: known.seed } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(values['network-engine'] ? { networkEngine: values['network-engine'] as EngineMode } : {}),
    ...(values.mode ? { mode: values.mode as RunMode } : {}),
    signal,
  });
  return { plan, baseline, baselineFile };
}

async function run(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommand('run', args);
  const seed = integer(values.seed, '--seed');
  integer(values.concurrency, '--concurrency'); // a usage error is said before anything loads
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
  if (values['baseline-budget'] !== undefined && values.baseline === undefined) {
    throw new HoldupError('USAGE', '--baseline-budget needs --baseline FILE', { hint: 'for example --baseline main/report.json --baseline-budget 5' });
  }
  const cliSpecs = values.reporter ? reporterSpecs(values.reporter, io.cwd) : undefined;
  const signal = io.signal ?? new AbortController().signal;
  const onStop = (): void => {
    io.err.write('\n[holdup] stopping: cutting short what is under way, removing what holdup started, writing the report (Ctrl-C again to write what is known now and quit)\n');
  };
  signal.addEventListener('abort', onStop, { once: true });
  const known: RunSoFar = { startedAt: new Date(), seed, found: undefined, plan: undefined, networkEngine: undefined, connectors: [], doing: 'loading the config and connectors' };
  try {
    // Ctrl-C while a config or connector module loads (it may never finish): report at once what is known
    const prepared = await unlessInterrupted(loadRun(values, io, signal, known), signal);
    const output = outputFor(cliSpecs ?? known.found?.config.reporters ?? defaultReporters(), io);
    const reportsDir = values['reports-dir']
      ? path.resolve(io.cwd, values['reports-dir'])
      : path.resolve(known.found?.root ?? io.cwd, known.found?.config.reportsDir ?? ConfigSchema.shape.reportsDir.parse(undefined));
    if (prepared === INTERRUPTED || prepared === undefined) return await reportInterrupted(known, output, reportsDir, io);
    const { plan, baseline, baselineFile } = prepared;
    known.plan = plan;
    known.doing = 'starting the network engine';

    // stdout is the report's: what a connector logs (console.log, info, debug) goes to stderr meanwhile
    const restoreConsole = output.toStdout ? logsToStderr() : () => undefined;
    let report: RunReport | typeof INTERRUPTED;
    try {
      // the runner answers Ctrl-C itself (executions cut short, proxies deleted); should it not in time, report what is known
      report = await unlessInterrupted(
        runPlan(plan, (event) => {
          if (event.type === 'run-start') Object.assign(known, { networkEngine: event.networkEngine, doing: 'running the executions' });
          if (event.type === 'connector-done') known.connectors.push(event.report);
          for (const reporter of output.reporters) reporter.onEvent?.(event);
        }),
        signal,
        STOP_GRACE_MS,
        io.quit,
      );
    } finally {
      restoreConsole();
    }
    if (report === INTERRUPTED) return await reportInterrupted(known, output, reportsDir, io);
    if (baseline && baselineFile !== undefined) {
      const comparison = compareWithBaseline(baseline, report, budget);
      report.baseline = { file: baselineFile, passed: comparison.regressions.length === 0, ...comparison };
    }
    // the reason a connector is invalid is an error the user must act on: print it whole, on stderr,
    // unless the console reporter has shown it already (twice: as the control run failed, and in its table)
    const consoleShown = output.reporters.some((reporter) => reporter.name === 'console');
    for (const connector of report.connectors) {
      if (!consoleShown && !connector.valid && connector.invalidReason) io.err.write(`${connector.invalidReason}\n`);
    }
    await writeAndSay(report, output, reportsDir, io);
    if (report.interrupted) return interruptedExit(report, io);
    if (!report.complete) {
      // a harness failure (Toxiproxy died) is a formatted error already
      io.err.write(`${report.incompleteReason ?? '[holdup] HARNESS the run stopped'}\n`);
      return EXIT.harness;
    }
    if (report.baseline) output.terminal.write(`\n${baselineText(report.baseline)}`);
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
  } finally {
    signal.removeEventListener('abort', onStop);
  }
}

/** The reporters a run writes with, and where what people read goes. */
interface RunOutput {
  reporters: Reporter[];
  /** Where the console reporter and the closing lines go: stderr when a report takes stdout. */
  terminal: NodeJS.WritableStream;
  toStdout: boolean;
}

function defaultReporters(): string[] {
  return ConfigSchema.shape.reporters.parse(undefined);
}

function outputFor(specs: readonly (string | ReporterSpec)[], io: CliIo): RunOutput {
  // a report on stdout leaves stdout to it: what people read goes to stderr
  const toStdout = specs.filter((spec) => typeof spec !== 'string' && spec.target === '-');
  if (toStdout.length > 1) {
    throw new HoldupError('USAGE', `only one reporter can write to stdout, got ${toStdout.map((spec) => (spec as ReporterSpec).name).join(' and ')}`, {
      hint: 'give the others a file: for example -r json -r junit:reports/junit.xml',
    });
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
  return { reporters, terminal, toStdout: toStdout.length > 0 };
}

/** Writes the report with every reporter, and says where it went. */
async function writeAndSay(report: RunReport, output: RunOutput, reportsDir: string, io: CliIo): Promise<void> {
  const written = await writeReport(report, reportsDir, output.reporters, io.out);
  const shown = (file: string): string => path.relative(io.cwd, file) || '.';
  const inFolder = written.files.filter((file) => written.dir !== undefined && path.dirname(file) === written.dir);
  const lines = [
    ...(written.dir !== undefined ? [`report: ${shown(written.dir)}/ (${inFolder.map((f) => path.basename(f)).join(', ')})`] : []),
    ...written.files.filter((file) => !inFolder.includes(file)).map((file) => `wrote: ${shown(file)}`),
  ];
  if (lines.length > 0) output.terminal.write(`\n${lines.join('\n')}\n`);
}

function interruptedExit(report: RunReport, io: CliIo): ExitCode {
  const error = new HoldupError('INTERRUPTED', 'the run was interrupted; the report holds what finished and is marked interrupted', {
    hint: `run again with --seed ${report.seed} to repeat it`,
  });
  io.err.write(`${formatError(error)}\n`);
  return EXIT.interrupted;
}

/** Ctrl-C before the runner had a report of its own (or while it took too long to stop): the report of what is known, then exit 130. */
async function reportInterrupted(known: RunSoFar, output: RunOutput, reportsDir: string, io: CliIo): Promise<ExitCode> {
  const seed = known.plan?.seed ?? known.seed ?? known.found?.config.seed ?? randomInt(0, 2 ** 32 - 1);
  const report = assembleReport({
    plan: known.plan ?? { runId: newRunId(known.startedAt, seed), seed, holdupVersion: HOLDUP_VERSION },
    startedAt: known.startedAt,
    networkEngine: known.networkEngine ?? { kind: 'none', reason: `the run was interrupted before a network engine was started` },
    connectors: known.connectors,
    stopped: { interrupted: true, reason: `the run was interrupted while ${known.doing}` },
  });
  for (const reporter of output.reporters) reporter.onEvent?.({ type: 'run-done', report });
  await writeAndSay(report, output, reportsDir, io);
  return interruptedExit(report, io);
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

/**
 * What each command of the registry (`./commands.ts`) does. Typed by the registry: a command
 * listed there without a handler here does not compile.
 */
const COMMAND_HANDLERS: { [N in CommandName]: (args: string[], io: CliIo) => Promise<ExitCode> | ExitCode } = {
  run,
  fuzz: fuzzCommand,
  repro: reproCommand,
  record: recordCommand,
  verify: verifyCommand,
  diff: diffCommand,
  compare: compareCommand,
  import: importCommand,
  faults: (args, io) => {
    parseCommand('faults', args);
    return faults(io);
  },
  doctor: (args, io) => {
    parseCommand('doctor', args);
    return doctor(io);
  },
};

/**
 * Runs the command line; returns the exit code (the only caller of process.exit is bin.ts, via
 * the code). `io.signal` is Ctrl-C (bin.ts aborts it on SIGINT and SIGTERM): `holdup run` then
 * reports what it did so far and returns 130.
 */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<ExitCode> {
  const full: CliIo = { out: process.stdout, err: process.stderr, cwd: process.cwd(), ...io };
  const { debug, rest: args } = takeGlobalOptions(argv);
  const [command, ...rest] = args;
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
    if (command !== undefined && isCommandName(command)) return await COMMAND_HANDLERS[command](rest, full);
    switch (command) {
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
      full.err.write(`${formatError(error, { stack: debug })}\n`);
      return error.exitCode;
    }
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      const hint = command !== undefined && isCommandName(command) ? `holdup ${command} --help lists its options` : 'holdup --help lists the commands';
      full.err.write(`${formatError(new HoldupError('USAGE', error.message, { hint }))}\n`);
      return EXIT.badInput;
    }
    // anything else is not the user's input, nor a verdict: an internal error, exit 3 (never 1)
    full.err.write(`${formatError(unexpectedError(error, 'holdup itself failed'), { stack: debug })}\n`);
    return EXIT.harness;
  }
}
