import { beforeAll, describe, expect, it } from 'vitest';
import { escapeXmlAttribute, escapeXmlText, renderJunit } from './junit.js';
import { fixtureReport } from './test-fixtures.js';
import { junitSchemas, xsdErrors } from './test-helpers.js';

describe('junit reporter', () => {
  it('writes a suite per connector, a case per check, skipped categories and a failing control', () => {
    expect(renderJunit(fixtureReport())).toMatchInlineSnapshot(`
      "<?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="holdup run 2025-03-14T09-26-53Z-7f3a (seed 42)" tests="17" failures="5" errors="0" time="38.360">
        <testsuite name="billing-naive" tests="16" failures="4" errors="0" skipped="4" time="38.360" timestamp="2025-03-14T09:26:53" hostname="localhost" id="0" package="holdup">
          <properties>
            <property name="contract" value="contracts/billing-app-billing-api.json"/>
            <property name="valid" value="true"/>
            <property name="score" value="72.2"/>
            <property name="grade" value="C"/>
            <property name="gate" value="fail"/>
            <property name="seed" value="42"/>
          </properties>
          <testcase classname="billing-naive.write-safety" name="one-effect-per-write" time="0.000"/>
          <testcase classname="billing-naive.write-safety" name="reuses-idempotency-key" time="0.000"/>
          <testcase classname="billing-naive.rate-limit" name="honours-retry-after" time="0.000">
            <failure message="HU-RL-001 retried 412 ms after a 429 that asked to wait 2 s (Retry-After: 2) (and 1 more finding)" type="HU-RL-001">critical check honours-retry-after: 7/9 executions passed

      HU-RL-001 [critical] honours-retry-after: rate-limit/retry-after-seconds × listInvoices
      retried 412 ms after a 429 that asked to wait 2 s (Retry-After: 2)
          +0ms   GET /v1/invoices → 429 [rate-limit/retry-after-seconds] Retry-After: 2
        &gt; +412ms GET /v1/invoices → 200
      outcome: returned 3 invoices after 2 requests
      details: retryAfterMs: 2000, waitedMs: 412
      replay: holdup run --connector billing-naive --category rate-limit --seed 42

      HU-RL-001 [critical] honours-retry-after: rate-limit/retry-after-date × getInvoice
      retried 0 ms after a 429 whose Retry-After date was 3 s ahead
          +0ms    GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date] Retry-After: Fri, 14 Mar 2025 09:27:03 GMT
        &gt; +2ms    GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
        &gt; +5ms    GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
          +7ms    GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
          +10ms   GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
          +12ms   GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
          +15ms   GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
          +17ms   GET /v1/invoices/in_1 → 429 [rate-limit/retry-after-date]
          +3004ms GET /v1/invoices/in_1 → 200
          +3010ms GET /v1/invoices/in_1 → 200
      outcome: returned invoice in_1 after 10 requests
      replay: holdup run --connector billing-naive --category rate-limit --seed 42 --scenario rate-limit/retry-after-date</failure>
          </testcase>
          <testcase classname="billing-naive.rate-limit" name="eventually-succeeds" time="0.000"/>
          <testcase classname="billing-naive.rate-limit" name="gives-up-loudly" time="0.000">
            <failure message="HU-RL-003 returned an empty list when the wait (120 s) exceeded the deadline (10 s) instead of throwing" type="HU-RL-003">check gives-up-loudly: 2/3 executions passed

      HU-RL-003 [error] gives-up-loudly: rate-limit/retry-after-too-long × listInvoices
      returned an empty list when the wait (120 s) exceeded the deadline (10 s) instead of throwing
        &gt; +0ms GET /v1/invoices → 429 [rate-limit/retry-after-too-long] Retry-After: 120
      outcome: returned [] after 1 request
      replay: holdup run --connector billing-naive --category rate-limit --seed 42</failure>
          </testcase>
          <testcase classname="billing-naive.auth-expiry" name="auth-expiry" time="0.000">
            <skipped>not applicable: the contract has no token endpoint</skipped>
          </testcase>
          <testcase classname="billing-naive.server-errors" name="retries-transient" time="0.000"/>
          <testcase classname="billing-naive.server-errors" name="bounded-attempts" time="0.000"/>
          <testcase classname="billing-naive.server-errors" name="jittered-backoff" time="0.000">
            <failure message="HU-SE-003 the waits between retries were 100, 200 and 400 ms in every execution: no jitter" type="HU-SE-003">check jittered-backoff: 0/8 executions passed

      HU-SE-003 [warning] jittered-backoff: server-errors/503-burst × getInvoice
      the waits between retries were 100, 200 and 400 ms in every execution: no jitter
        +0ms   GET /v1/invoices/in_1 → 503 [server-errors/503]
        +101ms GET /v1/invoices/in_1 → 503 [server-errors/503]
        +302ms GET /v1/invoices/in_1 → 503 [server-errors/503]
        +703ms GET /v1/invoices/in_1 → 200
      outcome: returned invoice in_1 after 4 requests
      replay: holdup run --connector billing-naive --category server-errors --seed 42</failure>
          </testcase>
          <testcase classname="billing-naive.network-faults" name="network-faults" time="0.000">
            <skipped>not run: no network engine: Toxiproxy not found (run \`holdup doctor\` to see why)</skipped>
          </testcase>
          <testcase classname="billing-naive.latency-timeout" name="latency-timeout" time="0.000">
            <skipped>not run: no network engine: Toxiproxy not found (run \`holdup doctor\` to see why)</skipped>
          </testcase>
          <testcase classname="billing-naive.schema-drift" name="no-silent-corruption" time="0.000">
            <failure message="HU-SD-001 returned amount_due &quot;1200&quot; (a string) where the golden result had 1200 &amp; raised no error" type="HU-SD-001">critical check no-silent-corruption: 6/7 executions passed

      HU-SD-001 [critical] no-silent-corruption: schema-drift/retype × getInvoice
      returned amount_due "1200" (a string) where the golden result had 1200 &amp; raised no error
        &gt; +0ms GET /v1/invoices/in_1 → 200 [schema-drift/retype]
      outcome: returned &lt;Invoice in_1&gt; with amount_due "1200"
      details: field: "amount_due", golden: 1200, actual: "1200"
      replay: holdup run --connector billing-naive --category schema-drift --seed 42</failure>
          </testcase>
          <testcase classname="billing-naive.schema-drift" name="tolerates-additive" time="0.000"/>
          <testcase classname="billing-naive.silent-failure" name="raises-on-error-body" time="0.000"/>
          <testcase classname="billing-naive.pagination" name="pagination" time="0.000">
            <skipped>not applicable: no operation of the contract is paginated</skipped>
          </testcase>
          <testcase classname="billing-naive.deprecation" name="surfaces-deprecation" time="0.000"/>
        </testsuite>
        <testsuite name="billing-legacy" tests="1" failures="1" errors="0" skipped="0" time="38.360" timestamp="2025-03-14T09:26:53" hostname="localhost" id="1" package="holdup">
          <properties>
            <property name="contract" value="contracts/billing-app-billing-api.json"/>
            <property name="valid" value="false"/>
            <property name="score" value=""/>
            <property name="grade" value=""/>
            <property name="gate" value="fail"/>
            <property name="seed" value="42"/>
          </properties>
          <testcase classname="billing-legacy" name="control" time="0.000">
            <failure message="createInvoice threw TypeError: Cannot read properties of undefined (reading &apos;id&apos;) without any fault" type="invalid-connector">the control execution (no faults) failed:
      createInvoice threw TypeError: Cannot read properties of undefined (reading 'id') without any fault</failure>
          </testcase>
        </testsuite>
      </testsuites>
      "
    `);
  });

  it('writes a check that judged nothing as skipped, with why, never as a failure', () => {
    const report = fixtureReport();
    const category = report.connectors[0]!.categories.find((c) => c.checks.length > 0)!;
    category.checks = [{ id: 'stops-on-repeated-cursor', critical: true, weight: 3, passed: false, executions: 0, passes: 0, notExercised: 'the fault found nothing to change (1 execution)' }];
    category.findings = [];
    const xml = renderJunit(report);
    expect(xml).toContain(
      `<testcase classname="billing-naive.${category.id}" name="stops-on-repeated-cursor" time="0.000">\n      <skipped>not exercised: the fault found nothing to change (1 execution)</skipped>\n    </testcase>`,
    );
  });

  it('escapes markup characters in text and attributes', () => {
    expect(escapeXmlText(`a < b && c > "d" 'e'`)).toBe(`a &lt; b &amp;&amp; c &gt; "d" 'e'`);
    expect(escapeXmlAttribute(`a < b && c > "d" 'e'`)).toBe('a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;');
    expect(escapeXmlAttribute('one\ntwo\r\tthree')).toBe('one&#10;two&#13;&#9;three');
    expect(escapeXmlText('one\ntwo\r\tthree')).toBe('one\ntwo\r\tthree');
  });

  it('writes characters XML cannot hold (control characters, lone surrogates) as visible \\u escapes', () => {
    expect(escapeXmlText('bell\u0007 esc\u001b[31m nul\u0000 ff\u000c')).toBe(
      'bell\\u0007 esc\\u001b[31m nul\\u0000 ff\\u000c',
    );
    expect(escapeXmlText('lone \ud800 pair \ud83d\ude00 low \udc00')).toBe('lone \\ud800 pair 😀 low \\udc00');
    expect(escapeXmlAttribute('\u0008<')).toBe('\\u0008&lt;');
  });

  it('escapes a hostile connector name, message and reason everywhere they appear', () => {
    const report = fixtureReport();
    const naive = report.connectors[0]!;
    naive.name = 'a"<b>&c';
    naive.categories[6]!.findings[0]!.message = 'x\u001by "quoted" </failure>';
    report.connectors[1]!.invalidReason = 'threw <Error> & "died"\u0007';
    const xml = renderJunit(report);
    expect(xml).toContain('<testsuite name="a&quot;&lt;b&gt;&amp;c"');
    expect(xml).toContain('<testcase classname="a&quot;&lt;b&gt;&amp;c.schema-drift" name="no-silent-corruption" time="');
    expect(xml).toContain('message="HU-SD-001 x\\u001by &quot;quoted&quot; &lt;/failure&gt;"');
    expect(xml).toContain('\nx\\u001by "quoted" &lt;/failure&gt;\n');
    expect(xml).toContain('message="threw &lt;Error&gt; &amp; &quot;died&quot;\\u0007" type="invalid-connector"');
    // nothing outside markup is left unescaped
    const outsideTags = xml.replace(/<[^<>]*>/g, '');
    expect(outsideTags).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos|#\d+);)/);
    // eslint-disable-next-line no-control-regex -- the characters XML 1.0 cannot hold are the point of this test
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  describe('is valid against the JUnit XML schemas CI tools check (xmllint)', () => {
    let schemas: { jenkins: string; ant: string };
    beforeAll(async () => {
      schemas = await junitSchemas();
    }, 120_000);

    it("the default dialect against Jenkins' junit-4 XSD, skipped cases and failures included", async () => {
      const xml = renderJunit(fixtureReport());
      expect(xml).toContain('<skipped>');
      expect(xml).toContain('<failure ');
      expect(await xsdErrors(xml, schemas.jenkins)).toEqual([]);
    });

    it('the ant dialect against the Apache Ant XSD: what was not judged is said in the suite output, not dropped', async () => {
      const xml = renderJunit(fixtureReport(), 'ant');
      expect(await xsdErrors(xml, schemas.ant)).toEqual([]);
      expect(xml).not.toContain('<skipped');
      expect(xml).toContain('skipped billing-naive.network-faults network-faults: not run: no network engine');
    });

    it('an interrupted run says so in every suite, as a property both dialects accept', async () => {
      const report = { ...fixtureReport(), complete: false, interrupted: true, incompleteReason: 'the run was interrupted' };
      for (const flavour of ['jenkins', 'ant'] as const) {
        const xml = renderJunit(report, flavour);
        expect(xml.match(/<property name="interrupted" value="the run was interrupted"\/>/g)).toHaveLength(report.connectors.length);
        expect(await xsdErrors(xml, flavour === 'ant' ? schemas.ant : schemas.jenkins)).toEqual([]);
      }
      expect(renderJunit(report)).toContain(`<testsuites name="holdup run ${report.runId} (seed 42, interrupted)" `);
      expect(renderJunit({ ...report, interrupted: false, incompleteReason: 'Toxiproxy died' })).toContain('<property name="incomplete" value="Toxiproxy died"/>');
    });

    it('the ant dialect is valid against both; the default one fails Ant only where Ant has no word for it (skipped, run totals)', async () => {
      expect(await xsdErrors(renderJunit(fixtureReport(), 'ant'), schemas.jenkins)).toEqual([]);
      const errors = await xsdErrors(renderJunit(fixtureReport()), schemas.ant);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.filter((error) => !/Element 'testsuites', attribute|Element 'skipped'|attribute 'skipped'|system-out/.test(error))).toEqual([]);
    });

    it('gives every test case a time, and a failing check the time of the executions it judged', () => {
      const report = fixtureReport();
      report.connectors[0]!.categories[1]!.checks.find((check) => check.id === 'honours-retry-after')!.durationMs = 12_345;
      for (const flavour of ['jenkins', 'ant'] as const) {
        const xml = renderJunit(report, flavour);
        const cases = [...xml.matchAll(/<testcase [^>]*>/g)].map(([tag]) => tag);
        expect(cases.length).toBeGreaterThan(5);
        expect(cases.filter((tag) => !/ time="\d+\.\d{3}"/.test(tag))).toEqual([]);
        expect(xml).toContain('name="honours-retry-after" time="12.345"');
      }
    });
  });
});
