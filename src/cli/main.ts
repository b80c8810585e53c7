import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { prepareRun, HOLDUP_VERSION } from '../config/index.js';
import { EXIT, HoldupError, closest, formatError, isHoldupError, type ExitCode } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { describeCandidates, ENGINE_MODES, type EngineMode } from '../network/index.js';
import { runPlan, type RunMode } from '../run/index.js';
import { createReporters, writeReport } from '../report/index.js';
import { diffCommand } from './diff.js';
import { fuzzCommand, reproCommand } from './fuzz.js';
import { recordCommand } from './record.js';
import { verifyCommand } from './verify.js';
import type { CliIo } from './io.js';

export type { CliIo } from './io.js';

const USAGE = `holdup ${HOLDUP_VERSION} — does your integration hold up in production?

Usage:
  holdup run [--config FILE] [--connector NAME…] [--category ID…] [--scenario ID…]
             [--operation NAME…] [--seed N] [--reporter console,json,junit,markdown]
             [--concurrency N] [--network-engine auto|url|process|container|none]
             [--mode network|in-process]
  holdup fuzz --connector NAME [--runs N] [--seed N] [--path P] [--time-budget 30s] [--mode in-process|network]
                       search for a fault schedule that breaks the connector; writes scenarios/repro/
  holdup repro FILE | --connector NAME --seed N --path P
                       replay a repro file (or one fuzz run); exits 1 while the connector still fails it
  holdup record --upstream URL --connector NAME [--out FILE] [--provider NAME] [--force] [--config FILE]
                       drive the connector against the real upstream; write what it saw as a redacted Pact V4 contract
  holdup verify --provider-url URL [CONTRACT…] [--secret NAME=VALUE…] [--header 'Name: value'…]
              [--state-change-url URL] [--json]
                       run Pact's verifier against the real upstream; exits 1 when it drifted from the contract
  holdup diff OLD.json NEW.json [--json]
                       what changed between two contracts; exits 1 when a change breaks clients of OLD
  holdup faults        list every fault holdup can inject
  holdup doctor        say which network engine holdup will use, and why not the others
  holdup --version

Exit codes: 0 every gate passed; 1 a gate failed; 2 bad input or usage; 3 holdup itself could not run.
Docs: README.md, docs/ (config, connectors, scenarios, record, verify, diff, report schema).`;

const NOT_BUILT: Record<string, string> = {
  serve: 'the stand-alone replay server',
};


function list(values: string[] | undefined): string[] | undefined {
  if (!values) return undefined;
  return values.flatMap((value) => value.split(',')).map((v) => v.trim()).filter(Boolean);
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

async function run(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      connector: { type: 'string', multiple: true },
      category: { type: 'string', multiple: true },
      scenario: { type: 'string', multiple: true },
      operation: { type: 'string', multiple: true },
      seed: { type: 'string' },
      reporter: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      'network-engine': { type: 'string' },
      mode: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
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
  const reporters = createReporters(list(values.reporter) ?? config.config.reporters, {
    out: io.out,
    color: Boolean(io.out.isTTY) && !process.env['NO_COLOR'],
    root: io.cwd,
  });
  const report = await runPlan(plan, (event) => {
    for (const reporter of reporters) reporter.onEvent?.(event);
  });
  // the reason a connector is invalid is an error the user must act on: print it whole, on stderr
  for (const connector of report.connectors) {
    if (!connector.valid && connector.invalidReason) io.err.write(`${connector.invalidReason}\n`);
  }
  const reportsDir = path.resolve(config.root, config.config.reportsDir);
  const written = await writeReport(report, reportsDir, reporters);
  if (written.files.length > 0) {
    io.out.write(`\nreport: ${path.relative(io.cwd, written.dir) || '.'}/ (${written.files.map((f) => path.basename(f)).join(', ')})\n`);
  }
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
  if (!report.gate.judged) {
    const hint =
      'install Toxiproxy (go install, a toxiproxy-server on PATH, TOXIPROXY_URL, or a container engine: `holdup doctor` says which), or leave those categories out with --category / networkEngine: "none"';
    io.err.write(`${formatError(new HoldupError('NETWORK_ENGINE', `the gate could not be judged: ${report.gate.unjudged.join('; ')}`, { hint }))}\n`);
    // a gate that failed on what was judged has failed whatever the rest would say
    return report.gate.reasons.length > 0 ? EXIT.gateFailed : EXIT.harness;
  }
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

/** Runs the command line; returns the exit code (the only caller of process.exit is bin.js, via exitCode). */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<ExitCode> {
  const full: CliIo = { out: process.stdout, err: process.stderr, cwd: process.cwd(), ...io };
  const [command, ...rest] = argv;
  try {
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
      case 'doctor':
        return await doctor(full);
      case '--version':
      case '-v':
        full.out.write(`${HOLDUP_VERSION}\n`);
        return EXIT.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        full.out.write(`${USAGE}\n`);
        return command === undefined ? EXIT.badInput : EXIT.ok;
      default:
        if (command in NOT_BUILT) {
          throw new HoldupError('NOT_BUILT', `holdup ${command} (${NOT_BUILT[command]}) is not built in this version`, {
            hint: 'holdup run is; see README.md for what is planned',
          });
        }
        throw new HoldupError('USAGE', `unknown command "${command}"`, { hint: 'run holdup --help for the commands' });
    }
  } catch (error) {
    if (isHoldupError(error)) {
      full.err.write(`${formatError(error)}\n`);
      return error.exitCode;
    }
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      full.err.write(`${formatError(new HoldupError('USAGE', error.message, { hint: 'run holdup --help for the options' }))}\n`);
      return EXIT.badInput;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    full.err.write(`[holdup] HARNESS holdup itself failed: ${message}\n  next: this is a bug in holdup; please report it with the command you ran\n`);
    return EXIT.harness;
  }
}
