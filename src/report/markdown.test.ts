import { describe, expect, it } from 'vitest';
import { MARKDOWN_MAX_CHARS, renderMarkdown } from './markdown.js';
import { fixtureReport } from './test-fixtures.js';

describe('markdown reporter', () => {
  it('says interrupted, not incomplete, when Ctrl-C stopped the run', () => {
    const report = { ...fixtureReport(), complete: false, interrupted: true, incompleteReason: 'the run was interrupted' };
    expect(renderMarkdown(report)).toContain('\n**Interrupted run:** the run was interrupted\n');
    expect(renderMarkdown({ ...report, interrupted: false })).toContain('\n**Incomplete run:** the run was interrupted\n');
  });

  it('renders the gate, a table per connector and each finding in a details block', () => {
    expect(renderMarkdown(fixtureReport())).toMatchInlineSnapshot(`
      "## holdup: gate FAILED

      Run \`2025-03-14T09-26-53Z-7f3a\` · seed 42 · started 2025-03-14T09:26:53.120Z · 38.4 s · holdup 0.1.0 · network engine: none (Toxiproxy not found)

      Gate failed because:

      - billing-naive: critical check honours-retry-after failed (rate-limit)
      - billing-naive: critical check no-silent-corruption failed (schema-drift)
      - billing-legacy: invalid, the control execution failed

      ### billing-naive: 72.2/100, grade C

      contract \`contracts/billing-app-billing-api.json\` · 56 executions

      | category | weight | status | score | checks |
      | --- | ---: | --- | ---: | ---: |
      | write-safety | 15 | pass | 100 | 2/2 |
      | rate-limit | 15 | **fail** | 40 capped | 1/3 |
      | auth-expiry | 12 | not applicable | — | — |
      | server-errors | 10 | **fail** | 75 | 2/3 |
      | network-faults | 10 | not run | — | — |
      | latency-timeout | 10 | not run | — | — |
      | schema-drift | 10 | **fail** | 40 capped | 1/2 |
      | silent-failure | 8 | pass | 100 | 1/1 |
      | pagination | 5 | not applicable | — | — |
      | deprecation | 5 | pass | 100 | 1/1 |

      - capped: rate-limit, schema-drift: a critical check failed, which caps the category's score at 40 and fails the gate
      - not run: network-faults, latency-timeout — no network engine: Toxiproxy not found (run \`holdup doctor\` to see why)
      - not applicable: auth-expiry — the contract has no token endpoint
      - not applicable: pagination — no operation of the contract is paginated

      ### billing-legacy: invalid, not scored

      contract \`contracts/billing-app-billing-api.json\` · 3 executions

      The control execution (no faults) failed: createInvoice threw TypeError: Cannot read properties of undefined (reading 'id') without any fault

      #### Findings

      <details>
      <summary><code>HU-RL-001</code> critical · billing-naive · rate-limit/retry-after-date × getInvoice: retried 0 ms after a 429 whose Retry-After date was 3 s ahead</summary>

      check \`honours-retry-after\` · outcome: returned invoice in_1 after 10 requests

      \`\`\`text
        +0ms    GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date] Retry-After: Fri, 14 Mar 2025 09:27:03 GMT
      > +2ms    GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
      > +5ms    GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
        +7ms    GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
        +10ms   GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
        +12ms   GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
        +15ms   GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
        +17ms   GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
        +3004ms GET /v1/invoices/in_1 → 200
        +3010ms GET /v1/invoices/in_1 → 200
      \`\`\`

      Replay:

      \`\`\`sh
      holdup run --connector billing-naive --category rate-limit --seed 42 --scenario rate-limit/retry-after-date
      \`\`\`

      </details>

      <details>
      <summary><code>HU-RL-001</code> critical · billing-naive · rate-limit/retry-after-seconds × listInvoices: retried 412 ms after a 429 that asked to wait 2 s (Retry-After: 2)</summary>

      check \`honours-retry-after\` · outcome: returned 3 invoices after 2 requests

      details: \`retryAfterMs: 2000, waitedMs: 412\`

      \`\`\`text
        +0ms   GET /v1/invoices → 429 [rate-limit/retry-after-seconds] Retry-After: 2
      > +412ms GET /v1/invoices → 200
      \`\`\`

      Replay:

      \`\`\`sh
      holdup run --connector billing-naive --category rate-limit --seed 42
      \`\`\`

      </details>

      <details>
      <summary><code>HU-SD-001</code> critical · billing-naive · schema-drift/retype × getInvoice: returned amount_due "1200" (a string) where the golden result had 1200 &amp; raised no error</summary>

      check \`no-silent-corruption\` · outcome: returned &lt;Invoice in_1&gt; with amount_due "1200"

      details: \`field: "amount_due", golden: 1200, actual: "1200"\`

      \`\`\`text
      > +0ms GET /v1/invoices/in_1 → 200 [schema-drift/retype]
      \`\`\`

      Replay:

      \`\`\`sh
      holdup run --connector billing-naive --category schema-drift --seed 42
      \`\`\`

      </details>

      <details>
      <summary><code>HU-RL-003</code> error · billing-naive · rate-limit/retry-after-too-long × listInvoices: returned an empty list when the wait (120 s) exceeded the deadline (10 s) instead of throwing</summary>

      check \`gives-up-loudly\` · outcome: returned [] after 1 request

      \`\`\`text
      > +0ms GET /v1/invoices → 429 [rate-limit/retry-after-too-long] Retry-After: 120
      \`\`\`

      Replay:

      \`\`\`sh
      holdup run --connector billing-naive --category rate-limit --seed 42
      \`\`\`

      </details>

      <details>
      <summary><code>HU-SE-003</code> warning · billing-naive · server-errors/503-burst × getInvoice: the waits between retries were 100, 200 and 400 ms in every execution: no jitter</summary>

      check \`jittered-backoff\` · outcome: returned invoice in_1 after 4 requests

      \`\`\`text
      +0ms   GET /v1/invoices/in_1 → 503 [server-errors/503]
      +101ms GET /v1/invoices/in_1 → 503 [server-errors/503]
      +302ms GET /v1/invoices/in_1 → 503 [server-errors/503]
      +703ms GET /v1/invoices/in_1 → 200
      \`\`\`

      Replay:

      \`\`\`sh
      holdup run --connector billing-naive --category server-errors --seed 42
      \`\`\`

      </details>
      "
    `);
  });

  it('says so when the gate passed and there is no finding', () => {
    const report = fixtureReport();
    report.gate = { passed: true, judged: true, reasons: [], unjudged: [] };
    report.connectors = [];
    report.networkEngine = { kind: 'toxiproxy', version: '2.12.0' };
    expect(renderMarkdown(report)).toBe(
      [
        '## holdup: gate PASSED',
        '',
        'Run `2025-03-14T09-26-53Z-7f3a` · seed 42 · started 2025-03-14T09:26:53.120Z · 38.4 s · ' +
          'holdup 0.1.0 · network engine: toxiproxy 2.12.0',
        '',
      ].join('\n'),
    );
  });

  it('leaves findings out, with a note saying how many, to stay under the size limit', () => {
    const report = fixtureReport();
    const rateLimit = report.connectors[0]!.categories[1]!;
    const first = rateLimit.findings[0]!;
    rateLimit.findings.push(
      ...Array.from({ length: 2000 }, (_, index) => ({ ...first, scenario: `rate-limit/extra-${index}` })),
    );
    const text = renderMarkdown(report);
    expect(text.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    const shown = text.match(/<details>/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(50);
    expect(text.endsWith(`</details>\n\n_${2005 - shown} more findings left out to keep this page short: see \`report.json\`._\n`)).toBe(true);
  });

  it('counts the note in the limit', () => {
    const full = renderMarkdown(fixtureReport());
    const cut = renderMarkdown(fixtureReport(), { maxChars: full.length - 1 });
    expect(cut.length).toBeLessThan(full.length);
    expect(cut.match(/<details>/g)).toHaveLength(4);
    expect(cut.endsWith('</details>\n\n_1 more finding left out to keep this page short: see `report.json`._\n')).toBe(true);
  });

  it('escapes HTML in summaries and fences code blocks longer than backtick runs inside them', () => {
    const report = fixtureReport();
    const finding = report.connectors[0]!.categories[6]!.findings[0]!;
    finding.repro = 'holdup repro ```weird```';
    finding.message = '</summary><script>alert(1)</script>';
    const text = renderMarkdown(report);
    expect(text).toContain(
      '<summary><code>HU-SD-001</code> critical · billing-naive · schema-drift/retype × getInvoice: ' +
        '&lt;/summary&gt;&lt;script&gt;alert(1)&lt;/script&gt;</summary>',
    );
    expect(text).toContain('\n````sh\nholdup repro ```weird```\n````\n');
  });
});
