/**
 * Property test of the config loader (the `holdup` key of package.json, or a JSON file given
 * with --config) and of the saved-report loader (--baseline, holdup compare): generated files
 * either load or are refused with a coded error — never a stack trace, never a hang.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyValue, deepValue, jsonWithDeep, loadsOrRefuses, PROPERTY_TIMEOUT_MS, mostly, newOutcome, oddString } from '../core/test-helpers.js';
import { findConfig } from './load.js';
import { loadReportFile } from './report-file.js';

const CASES = 300;

/** The text of a file: whole, or cut short somewhere. */
function asText(value: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.tuple(value, fc.oneof({ weight: 8, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat() })).map(([file, cut]) => {
    const text = jsonWithDeep(file);
    return cut < 0 ? text : text.slice(0, cut % (text.length + 1));
  });
}

const config = fc.record(
  {
    connectors: mostly(fc.array(fc.constantFrom('connectors/*.ts', '*.connector.ts'), { minLength: 1, maxLength: 2 }), anyValue),
    scenarios: mostly(fc.array(fc.constantFrom('scenarios/*.json'), { maxLength: 1 }), anyValue),
    builtinScenarios: mostly(fc.boolean(), anyValue),
    reportsDir: mostly(fc.constantFrom('reports', 'out/reports'), oddString),
    reporters: mostly(fc.subarray(['console', 'json', 'junit', 'markdown', 'html']), fc.array(oddString, { maxLength: 2 })),
    concurrency: mostly(fc.integer({ min: 1, max: 32 }), fc.oneof(fc.integer(), anyValue)),
    networkEngine: mostly(fc.constantFrom('auto', 'none'), anyValue),
    seed: mostly(fc.nat(), anyValue),
    retryBudget: mostly(fc.integer({ min: 0, max: 5 }), anyValue),
    onUnhandledRequest: mostly(fc.constantFrom('error', 'warn', 'bypass'), anyValue),
    thresholds: mostly(fc.record({ overall: fc.integer({ min: 0, max: 100 }), categories: fc.dictionary(fc.constantFrom('rate-limit', 'nope'), fc.integer({ min: -5, max: 105 }), { maxKeys: 1 }) }, { requiredKeys: [] }), anyValue),
  },
  { requiredKeys: ['connectors'] },
);
const packageJson = fc.oneof(
  { weight: 8, arbitrary: fc.record({ name: oddString, holdup: mostly(config, fc.oneof(anyValue, deepValue)) }, { requiredKeys: ['holdup'] }) },
  { weight: 1, arbitrary: anyValue },
);

const category = fc.record({
  id: mostly(fc.constantFrom('rate-limit', 'server-errors'), oddString),
  weight: mostly(fc.integer({ min: 0, max: 30 }), anyValue),
  status: mostly(fc.constantFrom('pass', 'fail', 'not-applicable', 'not-exercised', 'not-run'), oddString),
  checks: mostly(fc.constant([]), anyValue),
  findings: mostly(fc.constant([]), anyValue),
});
const connector = fc.record({
  name: oddString,
  file: mostly(fc.constant('c.connector.ts'), anyValue),
  contract: mostly(fc.constant('contracts/c.json'), anyValue),
  valid: mostly(fc.boolean(), anyValue),
  score: mostly(fc.option(fc.double({ min: 0, max: 100, noNaN: true })), anyValue),
  grade: mostly(fc.option(fc.constantFrom('A', 'B', 'C', 'D', 'F')), anyValue),
  gate: mostly(fc.constantFrom('pass', 'fail'), anyValue),
  gateReasons: mostly(fc.array(oddString, { maxLength: 2 }), anyValue),
  coverage: mostly(fc.option(fc.integer({ min: 0, max: 100 })), anyValue),
  executions: mostly(fc.nat(), anyValue),
  categories: mostly(fc.array(category, { maxLength: 2 }), fc.oneof(anyValue, deepValue)),
});
const report = fc.record(
  {
    schemaVersion: mostly(fc.constant(1), anyValue),
    runId: mostly(fc.constant('20261203-000000Z-00000001'), oddString),
    seed: mostly(fc.nat(), anyValue),
    startedAt: mostly(fc.constant('2026-12-03T00:00:00.000Z'), oddString),
    complete: mostly(fc.boolean(), anyValue),
    connectors: mostly(fc.array(connector, { maxLength: 2 }), anyValue),
  },
  { requiredKeys: [] },
);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'holdup-config-property-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(`generated configs (${CASES} package.json files): each loads or is refused with a coded error`, () => {
  it('never crashes or hangs', async () => {
    const outcome = newOutcome();
    await fc.assert(
      fc.asyncProperty(asText(packageJson), async (text) => {
        await writeFile(path.join(dir, 'package.json'), text);
        await loadsOrRefuses(outcome, () => findConfig(dir));
      }),
      { numRuns: CASES, seed: 19 },
    );
    expect(outcome.loaded).toBeGreaterThan(CASES / 20);
    expect(outcome.refused).toBeGreaterThan(CASES / 4);
    for (const code of ['CONFIG_INVALID', 'CONFIG_NOT_FOUND']) expect(outcome.codes).toContain(code);
  }, PROPERTY_TIMEOUT_MS);
});

describe(`generated saved reports (${CASES} report.json files for --baseline and compare): each loads or is refused with a coded error`, () => {
  it('never crashes or hangs', async () => {
    const outcome = newOutcome();
    const file = path.join(dir, 'report.json');
    await fc.assert(
      fc.asyncProperty(asText(report), async (text) => {
        await writeFile(file, text);
        await loadsOrRefuses(outcome, () => loadReportFile(file, 'report.json'));
      }),
      { numRuns: CASES, seed: 23 },
    );
    expect(outcome.refused).toBeGreaterThan(CASES / 2);
    expect(outcome.codes).toContain('BASELINE_INVALID');
  }, PROPERTY_TIMEOUT_MS);
});
