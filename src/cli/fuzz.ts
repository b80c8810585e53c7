import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { prepareRun } from '../config/index.js';
import { loadContract } from '../contracts/load.js';
import { EXIT, HoldupError, type ExitCode, type RunListener } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { reproId, reproScenario } from '../scenarios/repro.js';
import { createReporters, describeSchedule, strayWarningsText, fuzzFailed, fuzzHeader, fuzzPassed, fuzzPathPasses, reproHeader, reproOutcome, type ReporterOptions } from '../report/index.js';
import type { ReportFinding } from '../report/types.js';
import { fuzz, runPlan, takeStrayWarnings } from '../run/index.js';
import { loadScenarioFile, parseScenario } from '../scenarios/load.js';
import type { LoadedScenario } from '../scenarios/schema.js';
import { parseCommand } from './commands.js';
import type { CliIo } from './io.js';

function whole(value: string | undefined, flag: string, max = 2 ** 32 - 1): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) {
    throw new HoldupError('USAGE', `${flag} takes a whole number, got "${value}"`, { hint: `for example ${flag} 100` });
  }
  return Number(value);
}

/** `30s`, `2m`, `500ms` or a number of seconds, in ms. */
function duration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!match) throw new HoldupError('USAGE', `--time-budget takes a duration like 30s, 2m or 500ms, got "${value}"`, { hint: 'for example --time-budget 30s' });
  const amount = Number(match[1]);
  return Math.round(match[2] === 'ms' ? amount : match[2] === 'm' ? amount * 60_000 : amount * 1000);
}

/** `holdup fuzz --connector NAME [--runs N] [--seed S] [--path P] [--time-budget 30s]` */
export async function fuzzCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommand('fuzz', args);
  if (!values.connector) throw new HoldupError('USAGE', 'holdup fuzz needs --connector NAME', { hint: 'for example holdup fuzz --connector billing-naive --runs 100' });
  const runs = whole(values.runs, '--runs', 1_000_000) ?? 100;
  if (runs < 1) throw new HoldupError('USAGE', '--runs takes a whole number from 1', { hint: 'for example --runs 100' });
  const seed = whole(values.seed, '--seed');
  if (values.path !== undefined) {
    if (!/^\d+(:\d+)*$/.test(values.path)) {
      throw new HoldupError('USAGE', `--path takes the path holdup fuzz printed, numbers joined by ":", got "${values.path}"`, { hint: 'for example --seed 42 --path 3:0:0' });
    }
    if (seed === undefined) throw new HoldupError('USAGE', '--path needs the --seed it was found with', { hint: 'holdup fuzz printed both: --seed 42 --path 3:0:0' });
  }
  const budget = duration(values['time-budget']);
  if (budget !== undefined && budget <= 0) throw new HoldupError('USAGE', '--time-budget must be longer than 0', { hint: 'for example --time-budget 30s' });
  const mode = values.mode ?? 'in-process';
  if (mode !== 'in-process' && mode !== 'network') {
    throw new HoldupError('USAGE', `--mode takes in-process or network, got "${mode}"`, { hint: 'in-process (the default) costs no wall time for waits; network uses real sockets' });
  }
  const { plan, config } = await prepareRun({
    cwd: io.cwd,
    connectors: [values.connector],
    ...(values.config ? { config: values.config } : {}),
    ...(seed !== undefined ? { seed } : {}),
  });
  const connector = plan.connectors[0];
  if (!connector) throw new Error('prepareRun returned no connector');
  const contract = await loadContract(connector.contractPath, connector.definition.contract);
  io.out.write(fuzzHeader(connector.definition.name, plan.seed, runs, mode));
  const result = await fuzz({
    connector,
    contract,
    scenarios: plan.scenarios,
    runs,
    seed: plan.seed,
    ...(plan.retryBudget !== undefined ? { retryBudget: plan.retryBudget } : {}),
    ...(values.path ? { path: values.path } : {}),
    ...(budget ? { timeBudgetMs: budget } : {}),
    mode,
  });
  // warnings the connector gave outside the execution that emitted them: said, once
  const strays = takeStrayWarnings();
  if (strays.warnings.length > 0 || strays.more > 0) io.err.write(strayWarningsText(strays));
  if (result.status === 'invalid') {
    throw new HoldupError('CONTROL_THREW', `${connector.definition.name}: ${result.reason}`, {
      file: connector.file,
      hint: 'holdup run says why the control run fails; fuzzing needs a connector that passes it',
    });
  }
  if (result.status === 'flaky') {
    throw new HoldupError('NOT_REPRODUCIBLE', `${connector.definition.name}: ${result.reason}`, {
      file: connector.file,
      hint: 'run the same --seed again to see whether it fails at all; make the connector take its time and randomness from Date, setTimeout and Math.random',
    });
  }
  if (result.status === 'bad-path') {
    throw new HoldupError('USAGE', result.reason, { hint: 'copy --seed and --path together from the holdup fuzz output that printed them' });
  }
  if (result.status === 'passed') {
    io.out.write(values.path !== undefined ? fuzzPathPasses(values.path) : fuzzPassed(result.runs, result.interrupted));
    return EXIT.ok;
  }
  const { failure } = result;
  const file = path.join(config.root, 'scenarios', `${reproId(connector.definition.name, plan.seed)}.json`);
  const category = FAULTS.get(failure.schedule.steps[0]?.fault ?? '')?.category ?? 'server-errors';
  const scenario = reproScenario({
    connector: connector.definition.name,
    operation: failure.operation,
    concurrency: failure.concurrency,
    schedule: failure.schedule,
    words: describeSchedule(failure.schedule),
    checks: failure.checks,
    findings: failure.findings,
    seed: plan.seed,
    path: failure.path,
    category,
    mode,
    file,
    projectRoot: config.root,
  });
  const text = `${JSON.stringify(scenario, null, 2)}\n`;
  const shown = path.relative(io.cwd, file);
  // replay the failure from the very text of its repro file, as `holdup repro` will: only a file
  // that fails again is written (a failure that does not is no finding anyone can act on)
  const loaded: LoadedScenario = { scenario: parseScenario(text, shown), file: shown, builtin: false };
  const replayed = await replayRepro(loaded, io, values.config);
  const found = [...new Set(failure.findings.map((finding) => finding.code))];
  // judged by the checks the fuzz judged it by: the replay's run also reports what fuzzing never judges
  // (a request the contract does not know, a policy judged over the run)
  const again = [...new Set(replayed.filter((finding) => failure.checks.includes(finding.check)).map((finding) => finding.code))];
  if (found.length !== again.length || found.some((code) => !again.includes(code))) {
    throw new HoldupError(
      'NOT_REPRODUCIBLE',
      `${connector.definition.name}: the failure found at seed ${plan.seed}, path ${failure.path} (${found.join(', ')}) ` +
        `${again.length === 0 ? 'passed' : `failed with ${again.join(', ')} instead`} when replayed from its repro file, so no repro file was written`,
      {
        file: connector.file,
        hint: 'run the same --seed again to see whether it fails at all; make the connector take its time and randomness from Date, setTimeout and Math.random, and warn through warn() before its operation settles',
      },
    );
  }
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  io.out.write(fuzzFailed(result.runs, plan.seed, { ...failure, words: describeSchedule(failure.schedule) }, shown, again, values.config));
  return EXIT.gateFailed;
}

/**
 * Replays a repro file's scenario on the connector it names, the way it was found (its mode and
 * seed), and returns the findings of that scenario. Throws when it cannot be judged: a connector
 * or operation the config does not have, a control run that fails, a schedule its mode cannot run.
 */
async function replayRepro(loaded: LoadedScenario, io: CliIo, config: string | undefined, listener?: RunListener): Promise<ReportFinding[]> {
  const repro = loaded.scenario.repro;
  if (!repro) {
    throw new HoldupError('REPRO_INVALID', 'not a repro file: it has no "repro" section saying which connector failed', {
      file: loaded.file,
      path: '$.repro',
      hint: 'replay the files `holdup fuzz` writes to scenarios/repro/; run other scenarios with holdup run --scenario',
    });
  }
  const operations = Array.isArray(loaded.scenario.operations) ? loaded.scenario.operations : undefined;
  let prepared: Awaited<ReturnType<typeof prepareRun>>;
  try {
    prepared = await prepareRun({
      cwd: io.cwd,
      connectors: [repro.connector],
      mode: repro.mode,
      seed: repro.seed,
      ...(operations ? { operations } : {}),
      ...(config ? { config } : {}),
    });
  } catch (error) {
    // the names come from the file, not from flags: say where in it
    if (error instanceof HoldupError && (error.code === 'UNKNOWN_CONNECTOR' || error.code === 'UNKNOWN_OPERATION')) {
      throw new HoldupError('REPRO_INVALID', error.message, {
        file: loaded.file,
        path: error.code === 'UNKNOWN_CONNECTOR' ? '$.repro.connector' : '$.operations',
        hint: error.hint,
      });
    }
    throw error;
  }
  const { plan } = prepared;
  const report = await runPlan({ ...plan, scenarios: [loaded] }, listener);
  const connector = report.connectors[0];
  if (!connector?.valid) {
    throw new HoldupError('CONTROL_THREW', `${repro.connector} fails its control run (no faults), so the repro cannot be judged`, {
      file: loaded.file,
      hint: `run holdup run --connector ${repro.connector} to see why`,
    });
  }
  const category = connector.categories.find((c) => c.id === loaded.scenario.category);
  if (!category || category.status === 'not-run' || category.status === 'not-applicable') {
    throw new HoldupError('REPRO_INVALID', `the repro did not run: ${category?.reason ?? 'its category is unknown'}`, {
      file: loaded.file,
      hint: 'replay it the way it was found ($.repro.mode); network faults need network mode and Toxiproxy',
    });
  }
  return category.findings.filter((finding) => finding.scenario === loaded.scenario.id);
}

/**
 * `holdup repro FILE`: replays a repro file's schedule; exits 1 while the connector still fails it.
 * `holdup repro --connector NAME --seed S --path P`: replays one fuzz run and its shrinks.
 */
export async function reproCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommand('repro', args);
  const [target, ...extra] = positionals;
  if (!target && values.seed !== undefined && values.path !== undefined) {
    if (!values.connector) throw new HoldupError('USAGE', 'holdup repro --seed S --path P needs --connector NAME', { hint: 'the fuzz run printed all three' });
    // the path's first number is the run it starts from: there must be that many runs
    const runs = /^\d+/.test(values.path) ? Number(/^\d+/.exec(values.path)?.[0]) + 1 : 1;
    const again = ['--connector', values.connector, '--seed', values.seed, '--path', values.path, '--runs', String(runs)];
    return fuzzCommand([...again, ...(values.config ? ['--config', values.config] : [])], io);
  }
  if (!target || extra.length > 0) {
    throw new HoldupError('USAGE', 'holdup repro takes one repro file, or --connector NAME --seed S --path P', {
      hint: 'for example holdup repro scenarios/repro/billing-naive-0000002a.json',
    });
  }
  const absolute = path.resolve(io.cwd, target);
  const loaded = await loadScenarioFile(absolute, path.relative(io.cwd, absolute));
  const repro = loaded.scenario.repro;
  if (repro) io.out.write(reproHeader(loaded.file, repro.connector, repro.seed, repro.mode, loaded.scenario.description));
  // the run's own summary (scores, a gate line) would contradict the repro's verdict: only the
  // network engine's progress is shown from it
  const options: ReporterOptions = { out: io.out, color: false, root: io.cwd };
  const [progress] = createReporters(['console'], options);
  const findings = await replayRepro(loaded, io, values.config, (event) => {
    if (event.type === 'engine-progress') progress?.onEvent?.(event);
  });
  io.out.write(reproOutcome(findings, loaded.scenario.checks));
  return findings.length > 0 ? EXIT.gateFailed : EXIT.ok;
}
