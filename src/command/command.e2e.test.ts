import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findConfig, loadConnectors, prepareRun, runResilience } from '../config/index.js';
import { formatError, HoldupError, type ConnectorReport } from '../core/index.js';
import { loadContract } from '../contracts/load.js';
import { fuzz } from '../run/fuzz.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const script = path.join(repo, 'fixtures/command-connectors/misbehaving/connector.mjs');
const contract = path.join(repo, 'contracts/billing-app-billing-api.json');

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A project with one connector file whose default export is `definition` (JSON, or source text). */
async function project(definition: Record<string, unknown> | string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'holdup-command-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'holdup.config.mjs'), "export default { connectors: ['*.connector.mjs'], reporters: [] };\n");
  const text = typeof definition === 'string' ? definition : JSON.stringify(definition, null, 2);
  await writeFile(path.join(dir, 'x.connector.mjs'), `export default ${text};\n`);
  return dir;
}

function commandConnector(mode: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `cmd-${mode}`,
    contract,
    credentials: { apiKey: 'sk_live_abcdef123456' },
    command: { run: [process.execPath, script, mode] },
    operations: { getInvoice: { kind: 'read', input: { id: 'in_1' } } },
    deadlineMs: 2_000,
    ...extra,
  };
}

async function loadError(definition: Record<string, unknown> | string): Promise<string> {
  const dir = await project(definition);
  try {
    await loadConnectors(await findConfig(dir), dir);
  } catch (error) {
    if (error instanceof HoldupError) return formatError(error);
    throw error;
  }
  throw new Error('expected CONNECTOR_INVALID');
}

async function onlyConnector(definition: Record<string, unknown>, mode?: 'in-process'): Promise<ConnectorReport> {
  const cwd = await project(definition);
  const report = await runResilience({ cwd, seed: 3, categories: ['deprecation'], ...(mode ? { mode } : {}) });
  const [connector] = report.connectors;
  if (!connector) throw new Error('no connector in the report');
  return connector;
}

describe('a command connector in a run', () => {
  it('whose process breaks the protocol in its control run is invalid, with the line that broke it', async () => {
    const connector = await onlyConnector(commandConnector('malformed'));
    expect(connector.valid).toBe(false);
    expect(connector.score).toBeNull();
    expect(connector.invalidReason).toMatch(/CommandConnectorError: stdout line 1 of `.*connector\.mjs malformed` is not JSON/);
  }, 30_000);

  it('scrubs nested credentials from what its process prints, as holdup record does', async () => {
    const connector = await onlyConnector(commandConnector('crash', { credentials: { oauth: { clientSecret: 'nested_secret_9f8e7d6c5b' } } }));
    expect(connector.invalidReason).toMatch(/Traceback: boom with <redacted:credentials\.oauth\.client_secret>/);
    expect(connector.invalidReason).not.toContain('nested_secret_9f8e7d6c5b');
  }, 30_000);

  it('whose process exits before answering is invalid, with its exit code and stderr (secrets scrubbed)', async () => {
    const connector = await onlyConnector(commandConnector('crash'));
    expect(connector.valid).toBe(false);
    expect(connector.invalidReason).toMatch(/exited with code 3 before answering call 1 \(getInvoice\); its last stderr: Traceback: boom with <redacted:credentials.api_key>/);
    expect(connector.invalidReason).not.toContain('sk_live_abcdef123456');
  }, 30_000);

  it('whose process never answers hangs like any connector: the control run did not settle within its deadline', async () => {
    const connector = await onlyConnector(commandConnector('never'));
    expect(connector.valid).toBe(false);
    expect(connector.gateReasons).toEqual(['the control run failed: an operation did not settle within its deadline, with no fault injected']);
  }, 30_000);

  it("files what its process writes on stderr as the execution's warnings, as a TypeScript connector's console.error", async () => {
    const surfaces = (c: ConnectorReport) => c.categories.find((category) => category.id === 'deprecation')?.checks.find((check) => check.id === 'surfaces-deprecation');
    const credentials = { clientId: 'demo', clientSecret: 'demo-secret' };
    const logged = await onlyConnector(commandConnector('fetch-stderr', { credentials }));
    expect(logged.valid, logged.invalidReason).toBe(true);
    expect(surfaces(logged)).toMatchObject({ passed: true });
    expect(surfaces(logged)?.executions).toBeGreaterThan(0);
    const silent = await onlyConnector(commandConnector('fetch-silent', { credentials }));
    expect(surfaces(silent)).toMatchObject({ passed: false });
  }, 60_000);

  it('whose process breaks the protocol under a fault is not judged on it, and says so: never a loud failure that passes', async () => {
    const cwd = await project(commandConnector('fetch-garbles-errors', { credentials: { clientId: 'demo', clientSecret: 'demo-secret' } }));
    const report = await runResilience({ cwd, seed: 3, categories: ['server-errors'] });
    const connector = report.connectors[0]!;
    expect(connector.valid, connector.invalidReason).toBe(true);
    const errors = connector.categories.find((category) => category.id === 'server-errors')!;
    expect(errors.status).not.toBe('pass');
    const loud = errors.checks.find((check) => check.id === 'correct-or-loud');
    expect(loud?.notExercised ?? errors.reason).toMatch(/the connector's process broke the protocol \(stdout line \d+ of `.*fetch-garbles-errors` is not JSON/);
  }, 60_000);

  it('is not run in-process, and says why: not scored, every category not run, the gate not passed', async () => {
    const connector = await onlyConnector(commandConnector('crash'), 'in-process');
    expect(connector.score).toBeNull();
    expect(connector.gate).toBe('fail');
    expect(new Set(connector.categories.map((c) => c.status))).toEqual(new Set(['not-run']));
    expect(connector.categories[0]?.reason).toMatch(/^not run in-process: a command connector \(`.*connector\.mjs crash`\) runs in a process of its own.*run it in network mode/);
  }, 30_000);

  it('is refused by holdup fuzz in-process, with the command to fuzz it in network mode', async () => {
    const dir = await project(commandConnector('echo'));
    const [connector] = await loadConnectors(await findConfig(dir), dir);
    if (!connector) throw new Error('no connector');
    const loaded = await loadContract(connector.contractPath, contract);
    const error = await fuzz({ connector, contract: loaded, scenarios: [], runs: 1, seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HoldupError);
    expect(formatError(error as HoldupError)).toMatch(/^\[holdup\] USAGE cmd-echo cannot be fuzzed in-process: a command connector .*\n {2}next: holdup fuzz --connector cmd-echo --mode network$/);
  });

  it('stops holdup fuzz (network mode) on a run whose process broke the protocol, naming the line, rather than passing it', async () => {
    const dir = await project(commandConnector('fetch-garbles-errors', { credentials: { clientId: 'demo', clientSecret: 'demo-secret' } }));
    const [connector] = await loadConnectors(await findConfig(dir), dir);
    if (!connector) throw new Error('no connector');
    const loaded = await loadContract(connector.contractPath, contract);
    const { scenarios } = await prepareRun({ cwd: dir, seed: 3 }).then(({ plan }) => plan);
    const errorScenarios = scenarios.filter(({ scenario }) => scenario.id === 'server-errors/outage');
    const error = await fuzz({ connector, contract: loaded, scenarios: errorScenarios, runs: 3, seed: 3, mode: 'network' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HoldupError);
    expect(formatError(error as HoldupError)).toMatch(/^\[holdup\] CONNECTOR_INVALID .*: cmd-fetch-garbles-errors could not be judged in a fuzz run: the connector's process broke the protocol/);
  }, 60_000);
});

describe('a command connector file that is wrong', () => {
  it('names a program that is not on PATH: CONNECTOR_INVALID at $.command.run[0]', async () => {
    expect(await loadError({ ...commandConnector('echo'), command: { run: ['no-such-interpreter-xyz', 'c.py'] } })).toBe(
      '[holdup] CONNECTOR_INVALID x.connector.mjs: $.command.run[0]: the command\'s program "no-such-interpreter-xyz" is not an executable on PATH\n' +
        '  next: install no-such-interpreter-xyz, or give its path: command.run is started without a shell',
    );
  });

  it('names a program path that does not exist, or a cwd that is not a folder', async () => {
    expect(await loadError({ ...commandConnector('echo'), command: { run: ['./bin/connector'] } })).toMatch(
      /^\[holdup\] CONNECTOR_INVALID x\.connector\.mjs: \$\.command\.run\[0\]: the command's program "\.\/bin\/connector" is not an executable file in .*\n {2}next: build it first/,
    );
    expect(await loadError({ ...commandConnector('echo'), command: { run: ['node'], cwd: 'nowhere' } })).toMatch(
      /^\[holdup\] CONNECTOR_INVALID x\.connector\.mjs: \$\.command\.cwd: command\.cwd "nowhere" is not a folder/,
    );
  });

  it('gives an empty command, a create beside it, a run in an operation, or an unknown key: each said at its place', async () => {
    expect(await loadError({ ...commandConnector('echo'), command: { run: [] } })).toBe(
      "[holdup] CONNECTOR_INVALID x.connector.mjs: $.command.run: expected the program and its arguments, e.g. ['python3', 'connector.py'], found an empty array\n" +
        '  next: a command connector gives command: { run: [program, ...args], cwd?, env? } and operations of { kind, input? } (docs/command-connectors.md)',
    );
    expect(await loadError(`{ ...${JSON.stringify(commandConnector('echo'))}, create: () => ({}) }`)).toMatch(
      /\$\.create: expected no create: holdup starts the command for each execution, found function/,
    );
    const withRun = `(() => { const d = ${JSON.stringify(commandConnector('echo'))}; d.operations.getInvoice.run = () => 1; return d; })()`;
    expect(await loadError(withRun)).toMatch(/\$\.operations\.getInvoice\.run: expected no run: a command connector's operation is called over the protocol/);
    expect(await loadError({ ...commandConnector('echo'), command: { run: ['node'], shell: true } })).toMatch(/\$\.command: unknown key "shell" \(not allowed here\)/);
  });
});
