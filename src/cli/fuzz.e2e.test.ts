import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeOut } from '../report/test-helpers.js';
import { parseScenario } from '../scenarios/load.js';
import { main } from './main.js';
import { root } from './test-helpers.js';

const written: string[] = [];
afterAll(async () => {
  for (const file of written) await rm(file, { force: true });
});

/** Writes a hand-made repro file under scenarios/repro/ (removed after the tests); `overrides` replace a valid one's fields. */
async function handMade(name: string, overrides: Record<string, unknown>): Promise<string> {
  const file = path.join(root, `scenarios/repro/${name}.json`);
  written.push(file);
  await mkdir(path.dirname(file), { recursive: true });
  const valid = {
    id: `repro/${name}`,
    category: 'rate-limit',
    description: 'edited by hand',
    operations: ['listInvoices'],
    faults: [{ fault: 'rate-limit/retry-after-seconds', requests: 1, params: { seconds: 1 } }],
    checks: ['recovers'],
    repro: { connector: 'billing-naive', seed: 1, path: '0', found: 'x' },
  };
  await writeFile(file, JSON.stringify({ ...valid, ...overrides }));
  return `scenarios/repro/${name}.json`;
}

async function holdup(...argv: string[]) {
  const out = new FakeOut();
  const err = new FakeOut();
  const code = await main(argv, { out, err, cwd: root, signal: new AbortController().signal });
  return { code, stdout: out.text, stderr: err.text };
}

describe('holdup fuzz and holdup repro', () => {
  it('finds a failure of the naive connector from a fixed seed, shrinks it to at most three faults, and writes a repro file that fails the same way', async () => {
    const fuzzed = await holdup('fuzz', '--connector', 'billing-naive', '--seed', '42', '--runs', '100');
    expect(fuzzed.code).toBe(1);
    const file = /repro file: (\S+)/.exec(fuzzed.stdout)?.[1];
    expect(file).toBe('scenarios/repro/billing-naive-0000002a.json');
    written.push(path.join(root, file as string));
    const text = await readFile(path.join(root, file as string), 'utf8');
    // a scenario file like any other: the scenario schema accepts it, and a person can read it
    const scenario = parseScenario(text, file as string);
    expect(scenario.faults.length).toBeGreaterThan(0);
    expect(scenario.faults.length).toBeLessThanOrEqual(3);
    expect(scenario.repro).toMatchObject({ connector: 'billing-naive', mode: 'in-process', seed: 42 });
    expect(scenario.description).toMatch(/^Found by holdup fuzz on billing-naive\.\w+: .+ on API request \d/);
    const codes = [...fuzzed.stdout.matchAll(/^ {2}(HU-[A-Z]{2}-\d{3}) /gm)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(0);

    const replayed = await holdup('repro', file as string);
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toContain(`repro: still fails (${[...new Set(codes)].join(', ')})`);
    // one verdict: the run's gate line (which a non-critical failure would not fail) is not printed
    expect(replayed.stdout).not.toMatch(/gate:|passes now/);
    expect(fuzzed.stdout).toContain(`  replayed from its repro file before writing it: fails again (${[...new Set(codes)].join(', ')})\n`);
  });

  it('the same seed finds the same failure, byte for byte', async () => {
    const first = await holdup('fuzz', '--connector', 'billing-naive', '--seed', '42', '--runs', '100');
    const second = await holdup('fuzz', '--connector', 'billing-naive', '--seed', '42', '--runs', '100');
    expect(second.stdout).toBe(first.stdout);
  });

  it('passes its runs on the robust connector', async () => {
    const fuzzed = await holdup('fuzz', '--connector', 'billing-robust', '--seed', '42', '--runs', '100');
    expect(fuzzed.stdout).toBe('holdup fuzz billing-robust: seed 42, up to 100 runs, in-process on a virtual clock\n  passed 100 runs: every check held\n');
    expect(fuzzed.code).toBe(0);
  });

  it('a repro file the connector passes now says so, once, and exits 0', async () => {
    const file = await handMade('robust-passes', {
      operations: ['getInvoice'],
      checks: ['honours-retry-after', 'recovers'],
      repro: { connector: 'billing-robust', mode: 'in-process', seed: 1, path: '0', found: 'HU-RL-001 honours-retry-after' },
    });
    const replayed = await holdup('repro', file);
    expect(replayed.stderr).toBe('');
    expect(replayed.stdout).toBe(
      'holdup repro scenarios/repro/robust-passes.json: billing-robust, seed 1, in-process on a virtual clock\n' +
        '  edited by hand\n' +
        'repro: passes now (honours-retry-after, recovers held)\n',
    );
    expect(replayed.code).toBe(0);
  });

  it('a hand-edited repro file that breaks the schema says where', async () => {
    const file = await handMade('hand-edited', { repro: { connector: 'billing-naive', seed: -1, path: '0', found: 'x' } });
    const replayed = await holdup('repro', file);
    expect(replayed.code).toBe(2);
    expect(replayed.stderr).toMatch(/^\[holdup\] SCENARIO_SCHEMA scenarios\/repro\/hand-edited\.json: \$\.repro\.seed: .+\n {2}next: /);
  });

  it('a scenario that is not a repro file is refused with the next step', async () => {
    const replayed = await holdup('repro', 'scenarios/rate-limit/retry-after-seconds.json');
    expect(replayed.code).toBe(2);
    expect(replayed.stderr).toBe(
      '[holdup] REPRO_INVALID scenarios/rate-limit/retry-after-seconds.json: $.repro: not a repro file: it has no "repro" section saying which connector failed\n' +
        '  next: replay the files `holdup fuzz` writes to scenarios/repro/; run other scenarios with holdup run --scenario\n',
    );
  });

  it('a repro file that is not JSON says where the syntax breaks', async () => {
    const file = path.join(root, 'scenarios/repro/broken.json');
    written.push(file);
    await writeFile(file, '{ "id": "repro/broken", }');
    const replayed = await holdup('repro', 'scenarios/repro/broken.json');
    expect(replayed.code).toBe(2);
    expect(replayed.stderr).toMatch(/^\[holdup\] SCENARIO_JSON scenarios\/repro\/broken\.json: not valid JSON at line 1, column \d+/);
  });

  it('a repro file naming a connector the config does not have says where in the file', async () => {
    const file = await handMade('unknown-connector', { repro: { connector: 'billing-nope', seed: 1, path: '0', found: 'x' } });
    const replayed = await holdup('repro', file);
    expect(replayed.code).toBe(2);
    expect(replayed.stderr).toBe(
      '[holdup] REPRO_INVALID scenarios/repro/unknown-connector.json: $.repro.connector: unknown connector "billing-nope"\n' +
        '  next: did you mean "billing-naive"? known: billing-ky, billing-naive, billing-robust\n',
    );
  });

  it('a repro file whose schedule cannot run in its mode is refused, not passed', async () => {
    const file = await handMade('network-fault', {
      category: 'network-faults',
      description: 'a Toxiproxy fault in a repro file that says in-process',
      operations: ['getInvoice'],
      faults: [{ fault: 'network-faults/reset-peer', requests: 1 }],
      repro: { connector: 'billing-naive', mode: 'in-process', seed: 1, path: '0', found: 'x' },
    });
    const replayed = await holdup('repro', file);
    expect(replayed.code).toBe(2);
    expect(replayed.stderr).toMatch(/^\[holdup\] REPRO_INVALID scenarios\/repro\/network-fault\.json: the repro did not run: needs the Toxiproxy network engine: in-process mode/);
  });

  it('holdup repro --seed --path replays the one run that failed, and refuses a path that is no run of the seed', async () => {
    const fuzzed = await holdup('fuzz', '--connector', 'billing-naive', '--seed', '42', '--runs', '100');
    const found = /seed 42, path (\S+)/.exec(fuzzed.stdout)?.[1] as string;
    const replayed = await holdup('repro', '--connector', 'billing-naive', '--seed', '42', '--path', found);
    expect(replayed.code).toBe(1);
    // the same shrunk schedule and findings, without shrinking again
    const body = (text: string) => text.split('\n').filter((line) => /^ {2}(HU-|\w+: )/.test(line));
    expect(body(replayed.stdout)).toEqual(body(fuzzed.stdout));
    const wrong = await holdup('repro', '--connector', 'billing-naive', '--seed', '3', '--path', '0:0:0:0:0:0:0:0:0:0');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      '[holdup] USAGE path 0:0:0:0:0:0:0:0:0:0 is not a run of seed 3\n  next: copy --seed and --path together from the holdup fuzz output that printed them\n',
    );
  });

  it('a malformed --path is a usage error, not a crash', async () => {
    const fuzzed = await holdup('fuzz', '--connector', 'billing-naive', '--seed', '1', '--path', 'abc');
    expect(fuzzed.code).toBe(2);
    expect(fuzzed.stderr).toBe(
      '[holdup] USAGE --path takes the path holdup fuzz printed, numbers joined by ":", got "abc"\n  next: for example --seed 42 --path 3:0:0\n',
    );
  });

  it('holdup fuzz without --connector is a usage error', async () => {
    const fuzzed = await holdup('fuzz');
    expect(fuzzed.code).toBe(2);
    expect(fuzzed.stderr).toBe('[holdup] USAGE holdup fuzz needs --connector NAME\n  next: for example holdup fuzz --connector billing-naive --runs 100\n');
  });
});
