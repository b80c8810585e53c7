import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOut } from '../report/test-helpers.js';
import { main } from './main.js';
import { root } from './test-helpers.js';

// The baseline gate as CI uses it: main's report saved, then a change compared with it. One
// connector, `quotes`, in two versions: a careful one, and one made worse (it reads an HTTP-date
// Retry-After as seconds, so it retries at once). In-process, rate-limit only: quick.
let project: string;

const connector = (retryAfter: string) => `import { defineConnector } from 'holdup';
import { QuotesClient, secondsOrDate } from './quotes.connector.js';

export default defineConnector({
  name: 'quotes',
  contract: 'contract.json',
  create: ({ baseUrl, warn }) => new QuotesClient(baseUrl, warn${retryAfter}),
  operations: { getQuote: { kind: 'read', run: (client) => client.getQuote('q_1') } },
  deadlineMs: 10_000,
  requestTimeoutMs: 2_000,
});
`;
const CAREFUL = ', secondsOrDate';

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'holdup-baseline-'));
  await cp(path.join(root, 'fixtures/retry-after-date'), project, { recursive: true });
  await rm(path.join(project, 'holdup.config.ts'));
  await mkdir(path.join(project, 'node_modules'));
  await symlink(root, path.join(project, 'node_modules/holdup'), 'dir');
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ type: 'module' }));
  // two versions of the same connector, each with its config (a module is imported once per process)
  await writeFile(path.join(project, 'careful.ts'), connector(CAREFUL));
  await writeFile(path.join(project, 'worse.ts'), connector(''));
  await writeFile(path.join(project, 'careful.config.ts'), "export default { connectors: ['careful.ts'] };\n");
  await writeFile(path.join(project, 'worse.config.ts'), "export default { connectors: ['worse.ts'] };\n");
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function holdup(...argv: string[]) {
  const out = new FakeOut();
  const err = new FakeOut();
  const code = await main(argv, { out, err, cwd: project, env: {}, signal: new AbortController().signal });
  return { code, stdout: out.text, stderr: err.text };
}
const run = (config: string, ...args: string[]) => holdup('run', '-c', config, '-s', '3', '-m', 'in-process', '--category', 'rate-limit', '-r', 'console', ...args);

describe('holdup run --baseline: fails only when something got worse', () => {
  beforeAll(async () => {
    const saved = await run('careful.config.ts', '-r', 'json:main/report.json');
    expect(saved.code).toBe(0);
  });

  it('the same connector again: nothing got worse, exit 0', async () => {
    const again = await run('careful.config.ts', '--baseline', 'main/report.json');
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain('baseline main/report.json: 0 regressions, 0 improvements (a score may drop 2 points)\nbaseline gate: PASSED — nothing got worse\n');
    expect(again.code).toBe(0);
  });

  it('the connector made worse: exit 1, naming the category that stopped passing and the new critical finding', async () => {
    const worse = await run('worse.config.ts', '--baseline', 'main/report.json', '-r', 'json:worse/report.json');
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(/ {2}worse {3}quotes: rate-limit pass → fail \(100 → \d+(\.\d)?\)\n/);
    expect(worse.stdout).toContain('  worse   quotes: new critical finding: HU-RL-001 honours-retry-after on rate-limit/retry-after-date × getQuote\n');
    expect(worse.stdout).toMatch(/baseline gate: FAILED — \d+ regressions?\n$/);
    // holdup compare says the same of the two saved reports
    const compared = await holdup('compare', 'main/report.json', 'worse/report.json');
    expect(compared.code).toBe(1);
    expect(compared.stdout).toContain('  worse   quotes: new critical finding: HU-RL-001 honours-retry-after on rate-limit/retry-after-date × getQuote\n');
    // and the other way round, better
    const back = await holdup('compare', 'worse/report.json', 'main/report.json');
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('  better  quotes: critical finding gone: HU-RL-001 honours-retry-after');
  });

  it('a baseline that is missing or not a report is a coded error before anything runs', async () => {
    const missing = await run('careful.config.ts', '--baseline', 'nope.json');
    expect(missing).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^\[holdup\] BASELINE_NOT_FOUND nope\.json: report file not found\n {2}next: /) });
    const notReport = await run('careful.config.ts', '--baseline', 'contract.json');
    expect(notReport.code).toBe(2);
    expect(notReport.stdout).toBe('');
    expect(notReport.stderr).toMatch(/^\[holdup\] BASELINE_INVALID contract\.json: /);
    const saved = JSON.parse(await readFile(path.join(project, 'main/report.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(project, 'interrupted.json'), JSON.stringify({ ...saved, complete: false, incompleteReason: 'the run was interrupted' }));
    const interrupted = await run('careful.config.ts', '--baseline', 'interrupted.json');
    expect(interrupted).toEqual({
      code: 2,
      stdout: '',
      stderr: '[holdup] BASELINE_INVALID interrupted.json: $.complete: the run it reports did not finish (the run was interrupted): it cannot be compared\n  next: use the report of a complete run (report.json has "complete": true)\n',
    });
    const budget = await run('careful.config.ts', '--baseline', 'main/report.json', '--baseline-budget', 'lots');
    expect(budget.stderr).toBe('[holdup] USAGE --baseline-budget takes a number of points, 0 or more, got "lots"\n  next: for example --baseline-budget 2\n');
  });
});
