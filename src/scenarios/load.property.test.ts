/**
 * Property test of the scenario loader, repro files included (a repro file is a scenario with a
 * `repro` section): generated files either load and compile into a fault schedule, or are
 * refused with a coded error — never a stack trace, never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/index.js';
import { anyValue, deepValue, jsonWithDeep, loadsOrRefuses, PROPERTY_TIMEOUT_MS, mostly, newOutcome, oddString } from '../core/test-helpers.js';
import { CHECKS } from '../checks/index.js';
import { FAULTS } from '../faults/index.js';
import { compileSchedule } from './compile.js';
import { parseScenario } from './load.js';

const CASES = 500;

const faultIds = [...FAULTS.keys()];
const checkIds = Object.keys(CHECKS);
const param = fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.double(), fc.boolean(), oddString, fc.constantFrom('all', 'api', 'token'), anyValue);
const fault = fc.record(
  {
    fault: mostly(fc.constantFrom(...faultIds), oddString),
    on: mostly(fc.constantFrom('api', 'token'), anyValue),
    requests: mostly(
      fc.oneof(fc.integer({ min: 1, max: 20 }), fc.record({ from: fc.integer({ min: 1, max: 5 }), count: fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.constant('all'), fc.record({ min: fc.integer({ min: 1, max: 5 }), max: fc.integer({ min: 1, max: 10 }) })) })),
      anyValue,
    ),
    params: fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, fc.dictionary(fc.constantFrom('status', 'count', 'seconds', 'delayMs', 'burst', 'retryAfter', 'latencyMs', 'field', 'change'), param, { maxKeys: 2 }), anyValue),
  },
  { requiredKeys: ['fault'] },
);
const repro = fc.record(
  {
    connector: mostly(fc.constantFrom('billing-robust', 'billing-naive'), oddString),
    mode: mostly(fc.constantFrom('network', 'in-process'), anyValue),
    seed: mostly(fc.nat(), anyValue),
    path: mostly(fc.constantFrom('0', '0:1:2', ''), oddString),
    found: mostly(fc.constant('HU-RL-001'), anyValue),
  },
  { requiredKeys: ['connector', 'seed', 'path', 'found'] },
);
const scenario = fc.record(
  {
    id: mostly(fc.constantFrom('custom/x', 'rate-limit/burst'), oddString),
    category: mostly(fc.constantFrom('rate-limit', 'server-errors', 'auth-expiry', 'network-faults', 'write-safety', 'schema-drift'), oddString),
    description: mostly(fc.constant('generated'), oddString),
    operations: mostly(fc.oneof(fc.constantFrom('all', 'read', 'write'), fc.array(fc.constantFrom('getInvoice', 'createInvoice'), { minLength: 1, maxLength: 2 })), anyValue),
    concurrency: mostly(fc.integer({ min: 1, max: 4 }), fc.oneof(fc.integer(), anyValue)),
    requires: mostly(fc.subarray(['token-endpoint', 'bearer-token', 'pagination', 'json-body']), anyValue),
    faults: mostly(fc.array(fault, { minLength: 1, maxLength: 3 }), fc.oneof(anyValue, deepValue)),
    checks: mostly(fc.array(mostly(fc.constantFrom(...checkIds), oddString), { minLength: 1, maxLength: 3 }), anyValue),
    repro,
  },
  { requiredKeys: ['id', 'category', 'description', 'faults', 'checks'] },
);
const scenarioText = fc.tuple(scenario, fc.oneof({ weight: 8, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat() })).map(([file, cut]) => {
  const text = jsonWithDeep(file);
  return cut < 0 ? text : text.slice(0, cut % (text.length + 1));
});

describe(`generated scenario and repro files (${CASES} cases): each loads and compiles, or is refused with a coded error`, () => {
  it('never crashes or hangs', async () => {
    const outcome = newOutcome();
    await fc.assert(
      fc.asyncProperty(scenarioText, fc.nat(), async (text, seed) => {
        await loadsOrRefuses(outcome, () => {
          const loaded = parseScenario(text, 'scenarios/generated.json');
          compileSchedule(loaded, FAULTS, createRng(seed), { deadlineMs: 10_000 });
        });
      }),
      { numRuns: CASES, seed: 17 },
    );
    expect(outcome.loaded).toBeGreaterThan(CASES / 20);
    expect(outcome.refused).toBeGreaterThan(CASES / 4);
    for (const code of ['SCENARIO_JSON', 'SCENARIO_SCHEMA', 'UNKNOWN_FAULT', 'UNKNOWN_CHECK', 'FAULT_PARAMS']) expect(outcome.codes).toContain(code);
  }, PROPERTY_TIMEOUT_MS);
});
