import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../core/events.js';
import type { Observation } from '../core/observation.js';
import { createConsoleReporter } from './console.js';
import { fixtureReport } from './test-fixtures.js';
import { FakeOut } from './test-helpers.js';

function run(events: RunEvent[], { tty = false, color = false } = {}): string {
  const out = new FakeOut(tty);
  const reporter = createConsoleReporter({ out, color, root: '/project' });
  for (const event of events) reporter.onEvent?.(event);
  return out.text;
}

const observation = {} as Observation;
const executions = (connector: string, total: number): RunEvent[] =>
  Array.from({ length: total }, (_, index) => ({
    type: 'execution-done',
    connector,
    observation,
    findings: [],
    done: index + 1,
    total,
  }));

describe('console reporter', () => {
  it('prints a table per connector, the invalid ones, the top findings and the gate', () => {
    expect(run([{ type: 'run-done', report: fixtureReport() }])).toMatchInlineSnapshot(`
      "
      billing-naive  contracts/billing-app-billing-api.json, 56 executions
        category        weight  status              score  checks  worst
        write-safety        15  pass                  100  2/2
        rate-limit          15  fail            40 capped  1/3     HU-RL-001
        auth-expiry         12  not applicable          —  —
        server-errors       10  fail                   75  2/3     HU-SE-003
        network-faults      10  not run                 —  —
        latency-timeout     10  not run                 —  —
        schema-drift        10  fail            40 capped  1/2     HU-SD-001
        silent-failure       8  pass                  100  1/1
        pagination           5  not applicable          —  —
        deprecation          5  pass                  100  1/1
        overall: 72.2/100, grade C
        capped: rate-limit, schema-drift: a critical check failed, which caps the category's score at 40
          and fails the gate
        not run: network-faults, latency-timeout — no network engine: Toxiproxy not found (run \`holdup
          doctor\` to see why)
        not applicable: auth-expiry — the contract has no token endpoint
        not applicable: pagination — no operation of the contract is paginated

        findings (5, most severe first):

        HU-RL-001 critical  honours-retry-after  rate-limit/retry-after-date × getInvoice
          retried 0 ms after a 429 whose Retry-After date was 3 s ahead
            +0ms    GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date] Retry-After: Fri, 14 Mar 20…
          > +2ms    GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
          > +5ms    GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
            … 5 more requests
            +3004ms GET /v1/invoices/in_1 → 200
            +3010ms GET /v1/invoices/in_1 → 200
          outcome: returned invoice in_1 after 10 requests
          replay: holdup run --connector billing-naive --category rate-limit --seed 42 --scenario rate-limit/retry-after-date

        HU-RL-001 critical  honours-retry-after  rate-limit/retry-after-seconds × listInvoices
          retried 412 ms after a 429 that asked to wait 2 s (Retry-After: 2)
            +0ms   GET /v1/invoices → 429 [rate-limit/retry-after-seconds] Retry-After: 2
          > +412ms GET /v1/invoices → 200
          outcome: returned 3 invoices after 2 requests
          replay: holdup run --connector billing-naive --category rate-limit --seed 42

        HU-SD-001 critical  no-silent-corruption  schema-drift/retype × getInvoice
          returned amount_due "1200" (a string) where the golden result had 1200 & raised no error
          > +0ms GET /v1/invoices/in_1 → 200 [schema-drift/retype]
          outcome: returned <Invoice in_1> with amount_due "1200"
          replay: holdup run --connector billing-naive --category schema-drift --seed 42

        HU-RL-003 error  gives-up-loudly  rate-limit/retry-after-too-long × listInvoices
          returned an empty list when the wait (120 s) exceeded the deadline (10 s) instead of throwing
          > +0ms GET /v1/invoices → 429 [rate-limit/retry-after-too-long] Retry-After: 120
          outcome: returned [] after 1 request
          replay: holdup run --connector billing-naive --category rate-limit --seed 42

        HU-SE-003 warning  jittered-backoff  server-errors/503-burst × getInvoice
          the waits between retries were 100, 200 and 400 ms in every execution: no jitter
          +0ms   GET /v1/invoices/in_1 → 503 [server-errors/503]
          +101ms GET /v1/invoices/in_1 → 503 [server-errors/503]
          +302ms GET /v1/invoices/in_1 → 503 [server-errors/503]
          +703ms GET /v1/invoices/in_1 → 200
          outcome: returned invoice in_1 after 4 requests
          replay: holdup run --connector billing-naive --category server-errors --seed 42

      billing-legacy  INVALID, not scored  contracts/billing-app-billing-api.json, 3 executions
        the control execution (no faults) failed: createInvoice threw TypeError: Cannot read properties of
        undefined (reading 'id') without any fault

      gate: FAILED —
        - billing-naive: critical check honours-retry-after failed (rate-limit)
        - billing-naive: critical check no-silent-corruption failed (schema-drift)
        - billing-legacy: invalid, the control execution failed
      "
    `);
  });

  it('keeps every line within 100 columns, except replay commands', () => {
    const lines = run([{ type: 'run-done', report: fixtureReport() }]).split('\n');
    const long = lines.filter((line) => line.length > 100 && !line.startsWith('    replay: '));
    expect(long).toEqual([]);
  });

  it('prints the same text in colour, with ANSI codes around it', () => {
    const plain = run([{ type: 'run-done', report: fixtureReport() }]);
    const colored = run([{ type: 'run-done', report: fixtureReport() }], { color: true });
    expect(colored).not.toBe(plain);
    expect(colored).toContain('\x1b[31mfail          \x1b[39m');
    // eslint-disable-next-line no-control-regex -- ANSI escapes are what this test strips
    expect(colored.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });

  it("prints a finding's logged fault decisions, so the JSON path a schema mutation drew can be read", () => {
    const report = fixtureReport();
    const finding = report.connectors[0]!.categories[1]!.findings[0]!;
    finding.evidence.schedule = [
      { on: 'api', request: 1, fault: 'schema-drift/change-type', params: { path: '$.amount_due', from: 'number', to: 'string' }, onwards: true },
    ];
    expect(run([{ type: 'run-done', report }])).toContain(
      '\n    faults: schema-drift/change-type (path: "$.amount_due", from: "number", to: "string") on every\n      API request from 1\n',
    );
  });

  it('shows at most 8 findings per connector and says how many more there are', () => {
    const report = fixtureReport();
    const rateLimit = report.connectors[0]!.categories[1]!;
    const first = rateLimit.findings[0]!;
    rateLimit.findings.push(
      ...Array.from({ length: 10 }, (_, index) => ({ ...first, scenario: `rate-limit/extra-${index}` })),
    );
    const text = run([{ type: 'run-done', report }]);
    expect(text).toContain('  findings (8 of 15, most severe first):\n');
    expect(text).toContain('\n  … 7 more findings not shown here: the json, markdown and html reports hold every one\n');
    expect(text.match(/^ {4}replay: /gm)).toHaveLength(8);
  });

  it('says when the gate passed and when the run is incomplete', () => {
    const report = fixtureReport();
    report.connectors = [];
    report.gate = { passed: true, judged: true, reasons: [], unjudged: [] };
    report.complete = false;
    report.incompleteReason = 'interrupted (SIGINT) after 12 of 56 executions';
    expect(run([{ type: 'run-done', report }])).toBe(
      '\nincomplete run: interrupted (SIGINT) after 12 of 56 executions\ngate: PASSED\n',
    );
  });

  it('says interrupted, not incomplete, when Ctrl-C stopped the run', () => {
    const report = fixtureReport();
    report.connectors = [];
    report.gate = { passed: false, judged: false, reasons: [], unjudged: ['the run was interrupted'] };
    Object.assign(report, { complete: false, interrupted: true, incompleteReason: 'the run was interrupted while loading the config and connectors' });
    expect(run([{ type: 'run-done', report }])).toBe(
      '\ninterrupted run: the run was interrupted while loading the config and connectors\ngate: NOT JUDGED — the run was interrupted\n',
    );
  });

  it('says in one line what it cleaned up after runs that were killed', () => {
    const text = run([
      {
        type: 'reaped',
        runs: [
          { runId: '20261127-101500Z-00000007-3fa2c1', processes: [{ pid: 4242, command: '/usr/local/bin/toxiproxy-server', port: 41234 }], proxies: 0, unreachable: [] },
        ],
      },
      { type: 'reaped', runs: [{ runId: 'a', processes: [], proxies: 3, unreachable: ['http://127.0.0.1:8474'], kept: true }, { runId: 'b', processes: [], proxies: 1, unreachable: [] }] },
      { type: 'reaped', runs: [{ runId: 'c', processes: [], proxies: 0, unreachable: ['http://127.0.0.1:8475'] }] },
    ]);
    expect(text).toBe(
      'holdup cleaned up after a killed run (20261127-101500Z-00000007-3fa2c1): stopped toxiproxy-server\n' +
        '  (pid 4242, port 41234)\n' +
        'holdup cleaned up after 2 killed runs: deleted 4 proxies; could not reach http://127.0.0.1:8474 to\n' +
        '  delete its proxies: the next run tries again\n' +
        'holdup cleaned up after a killed run (c): could not reach http://127.0.0.1:8475 to delete its\n' +
        '  proxies, recorded over a day ago: gave up on them\n',
    );
  });

  it('puts a short gate failure on one line', () => {
    const report = fixtureReport();
    report.connectors = [];
    report.gate = { passed: false, judged: true, reasons: ['billing-naive: score 52 is below the threshold 60'], unjudged: [] };
    expect(run([{ type: 'run-done', report }])).toBe(
      '\ngate: FAILED — billing-naive: score 52 is below the threshold 60\n',
    );
  });

  it('says NOT JUDGED when a selected category could not be run', () => {
    const report = fixtureReport();
    report.connectors = [];
    report.gate = { passed: false, judged: false, reasons: [], unjudged: ['network-faults could not be judged: no network engine'] };
    expect(run([{ type: 'run-done', report }])).toBe('\ngate: NOT JUDGED — network-faults could not be judged: no network engine\n');
  });

  it('says which scenarios of a scored category did not run', () => {
    const report = fixtureReport();
    const connector = report.connectors[0]!;
    report.connectors = [connector];
    const category = connector.categories.find((c) => c.status === 'pass' || c.status === 'fail')!;
    category.reason = 'x/black-hole not run: needs the Toxiproxy network engine';
    expect(run([{ type: 'run-done', report }])).toContain(`\n  partly run: ${category.id} — x/black-hole not run: needs the Toxiproxy network engine\n`);
  });

  it('shows a not-exercised category with its reason and the coverage that is left (issue #11: never "pass 100")', () => {
    const report = fixtureReport();
    const connector = report.connectors[0]!;
    report.connectors = [connector];
    const pagination = connector.categories.find((c) => c.id === 'pagination')!;
    Object.assign(pagination, { status: 'not-exercised', reason: 'stops-on-repeated-cursor never judged an execution: the fault pagination/repeated-cursor found nothing to change (1 execution)' });
    delete pagination.score;
    connector.coverage = 95;
    const text = run([{ type: 'run-done', report }]);
    expect(text).toMatch(/\n {2}pagination +5 {2}not exercised +— /);
    expect(text).toContain(', coverage 95 %\n');
    expect(text).toContain(
      '\n  not exercised: pagination — stops-on-repeated-cursor never judged an execution: the fault\n    pagination/repeated-cursor found nothing to change (1 execution)\n',
    );
  });

  it('says which property of a policy the run could not decide, and why', () => {
    const report = fixtureReport();
    const connector = report.connectors[0]!;
    report.connectors = [connector];
    const serverErrors = connector.categories.find((c) => c.id === 'server-errors')!;
    serverErrors.checks.push({
      id: 'backoff-grows-with-jitter',
      critical: false,
      weight: 1,
      passed: true,
      executions: 9,
      passes: 9,
      undecided: [{ code: 'HU-BO-002', reason: "jitter undecided: the gaps spread out, but this run's timers were late by up to 41 ms" }],
    });
    const text = run([{ type: 'run-done', report }]);
    // (wrapped at 100 columns: joined back here)
    expect(text.replace(/\n {4}/g, ' ')).toContain(
      "\n  not decided: server-errors backoff-grows-with-jitter (HU-BO-002) — jitter undecided: the gaps spread out, but this run's timers were late by up to 41 ms\n",
    );
  });

  it('lists the warnings connector code gave outside the executions that judged them, once, labelled', () => {
    const text = run([
      {
        type: 'stray-warnings',
        warnings: [{ source: 'console.warn', message: 'retrying in 2s\nsecond line', reason: 'late', executionId: 'billing/rate-limit/x/getInvoice' }],
        more: 0,
      },
    ]);
    expect(text).toBe(
      '\nholdup: 1 warning from connector code arrived outside the execution that emitted it, so no check judged it:\n' +
        '  console.warn: retrying in 2s (after billing/rate-limit/x/getInvoice had settled)\n',
    );
  });

  it('prints the network engine progress (building Toxiproxy) as it comes', () => {
    expect(run([{ type: 'engine-progress', message: 'building Toxiproxy 2.12.0 with go install' }])).toBe(
      'holdup building Toxiproxy 2.12.0 with go install\n',
    );
  });

  it('announces the run and each connector, and reports a failed control', () => {
    const text = run([
      {
        type: 'run-start',
        runId: '2025-03-14T09-26-53Z-7f3a',
        seed: 42,
        connectors: ['billing-naive', 'billing-legacy'],
        networkEngine: { kind: 'toxiproxy', version: '2.12.0' },
      },
      {
        type: 'connector-start',
        connector: 'billing-legacy',
        contract: '/project/contracts/billing.json',
        operations: ['listInvoices', 'createInvoice'],
        executions: 0,
      },
      { type: 'control-done', connector: 'billing-legacy', operation: 'listInvoices', ok: true },
      {
        type: 'control-done',
        connector: 'billing-legacy',
        operation: 'createInvoice',
        ok: false,
        reason: "TypeError: Cannot read properties of undefined (reading 'id')",
      },
    ]);
    expect(text).toBe(
      [
        'holdup run 2025-03-14T09-26-53Z-7f3a, seed 42, 2 connectors, network engine: toxiproxy 2.12.0',
        'billing-legacy  contracts/billing.json  2 operations, 0 executions (listInvoices, createInvoice)',
        "  x control of createInvoice failed: TypeError: Cannot read properties of undefined (reading 'id')",
        '',
      ].join('\n'),
    );
  });

  it('leaves the operation names out of the connector line when they do not fit', () => {
    const operations = Array.from({ length: 12 }, (_, index) => `operationNumber${index}`);
    const text = run([
      { type: 'connector-start', connector: 'crm', contract: 'contracts/app-crm.json', operations, executions: 120 },
    ]);
    expect(text).toBe('crm  contracts/app-crm.json  12 operations, 120 executions\n');
  });

  it('without a TTY, prints progress every 10 executions and at the end', () => {
    const text = run([
      ...executions('billing-robust', 23),
      { type: 'control-done', connector: 'billing-naive', operation: 'getInvoice', ok: false, reason: 'hung' },
      ...executions('billing-naive', 10),
    ]);
    expect(text).toBe(
      [
        '  billing-robust  10/23 executions',
        '  billing-robust  20/23 executions',
        '  billing-robust  23/23 executions',
        '  x control of getInvoice failed: hung',
        '  billing-naive  10/10 executions',
        '',
      ].join('\n'),
    );
  });

  it('on a TTY, rewrites one progress line with every running connector and ends it before printing anything else', () => {
    const text = run(
      [
        ...executions('billing-robust', 2),
        { type: 'control-done', connector: 'billing-robust', operation: 'getInvoice', ok: false, reason: 'hung' },
        ...executions('billing-robust', 3).slice(2),
        ...executions('billing-naive', 2).slice(0, 1),
        { type: 'connector-done', report: fixtureReport().connectors[0]! },
      ],
      { tty: true },
    );
    expect(text.replaceAll('\r\x1b[2K', '<redraw>')).toBe(
      [
        '<redraw>  billing-robust 1/2',
        '<redraw>  billing-robust 2/2\n',
        '  x control of getInvoice failed: hung\n',
        '<redraw>  billing-robust 3/3',
        '<redraw>  billing-robust 3/3  billing-naive 1/2',
      ].join(''),
    );
  });
});

describe('text a connector threw holds the console’s shape', () => {
  const hostile =
    'BillingError: upstream said\r\n\u001b[2J\u001b[31mred\u001b[0m and a bell\u0007, a tab\there, a lone \ud800 half\n' +
    Array.from({ length: 40 }, (_, i) => `    at frame${i} (file.js:${i}:1)`).join('\n');

  it('escape sequences and control characters are shown, not acted on; a stack is cut short; every line stays indented', () => {
    const report = fixtureReport();
    const connector = report.connectors[0]!;
    const category = connector.categories.find((c) => c.findings.length > 0)!;
    category.findings[0] = { ...category.findings[0]!, message: hostile };
    const text = run([{ type: 'run-done', report }]);
    // eslint-disable-next-line no-control-regex -- what must not reach the terminal
    expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
    expect(text).toContain('\\x1b[2J\\x1b[31mred\\x1b[0m and a bell\\x07, a tab here, a lone \uFFFD half');
    expect(text).toMatch(/\n {4}… \d+ more lines\n/);
    expect(text).not.toContain('frame39');
    const block = text.slice(text.indexOf('BillingError'), text.indexOf('more lines'));
    for (const line of block.split('\n').slice(1)) expect(line.startsWith('    ')).toBe(true);
  });

  it('a coded error carrying such a message: one indented block, the next: line last', async () => {
    const { formatError, HoldupError } = await import('../core/errors.js');
    const printed = formatError(new HoldupError('CONTROL_THREW', `threw ${hostile.slice(0, 200)}`, { file: 'c.ts', hint: 'fix it' }));
    // eslint-disable-next-line no-control-regex -- what must not reach the terminal
    expect(printed).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
    const lines = printed.split('\n');
    expect(lines[0]).toMatch(/^\[holdup\] CONTROL_THREW c\.ts: threw BillingError: upstream said$/);
    for (const line of lines.slice(1, -1)) expect(line.startsWith('    ')).toBe(true);
    expect(lines.at(-1)).toBe('  next: fix it');
  });
});
