import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng, formatError, HoldupError } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { compileSchedule } from './compile.js';
import { BUILTIN_SCENARIOS_DIR, loadScenarioFile, parseScenario } from './load.js';
import { CHECKS } from '../checks/index.js';

async function builtinFiles(): Promise<string[]> {
  const entries = await readdir(BUILTIN_SCENARIOS_DIR, { recursive: true });
  return entries.filter((e) => e.endsWith('.json') && !e.startsWith('repro')).map((e) => path.join(BUILTIN_SCENARIOS_DIR, e));
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof HoldupError) return formatError(error);
    throw error;
  }
  throw new Error('expected an error');
}

const valid = {
  id: 'custom/x',
  category: 'rate-limit',
  description: 'x',
  faults: [{ fault: 'rate-limit/retry-after-seconds' }],
  checks: ['recovers'],
};

describe('scenarios', () => {
  it('every built-in scenario loads, and is filed under its own id', async () => {
    const files = await builtinFiles();
    expect(files.length).toBeGreaterThanOrEqual(25);
    for (const file of files) {
      const { scenario } = await loadScenarioFile(file, file, true);
      expect(file.endsWith(`${scenario.id}.json`)).toBe(true);
    }
  });

  it('compiles the same schedule from the same seed, and another from another seed', async () => {
    const { scenario } = await loadScenarioFile(path.join(BUILTIN_SCENARIOS_DIR, 'server-errors/bad-gateway-burst.json'), 'x');
    const a = compileSchedule(scenario, FAULTS, createRng(11), { deadlineMs: 10_000 });
    const b = compileSchedule(scenario, FAULTS, createRng(11), { deadlineMs: 10_000 });
    expect(a).toEqual(b);
    expect(a.steps.length).toBeGreaterThanOrEqual(2);
    expect(a.steps.every((s, i) => s.request === i + 1 && s.fault === 'server-errors/bad-gateway')).toBe(true);
    const lengths = new Set(
      Array.from({ length: 20 }, (_, seed) => compileSchedule(scenario, FAULTS, createRng(seed), { deadlineMs: 10_000 }).steps.length),
    );
    expect([...lengths].sort()).toEqual([2, 3]);
  });

  it('refuses an unknown check with the closest id', () => {
    expect(errorOf(() => parseScenario(JSON.stringify({ ...valid, checks: ['recover'] }), 'scenarios/x.json'))).toBe(
      '[holdup] UNKNOWN_CHECK scenarios/x.json: $.checks[0]: unknown check id "recover"\n' +
        `  next: did you mean "recovers"? valid checks: ${Object.keys(CHECKS).join(', ')}`,
    );
  });

  it('refuses concurrent invocations with a fault that needs Toxiproxy', () => {
    const text = JSON.stringify({ ...valid, concurrency: 3, faults: [{ fault: 'network-faults/reset-peer' }] });
    expect(errorOf(() => parseScenario(text, 'scenarios/x.json'))).toBe(
      '[holdup] SCENARIO_SCHEMA scenarios/x.json: $.concurrency: network-faults/reset-peer needs Toxiproxy, whose toxics act on every connection of the proxy: it cannot single out one of 3 concurrent invocations\n' +
        '  next: remove `concurrency` (1) from this scenario, or use an HTTP-level fault (`holdup faults` marks the ones that need Toxiproxy)',
    );
  });

  it('refuses a fault parameter of the wrong type, naming where it is', () => {
    const text = JSON.stringify({ ...valid, faults: [{ fault: 'rate-limit/retry-after-seconds', params: { seconds: 'two' } }] });
    expect(errorOf(() => parseScenario(text, 'scenarios/x.json'))).toBe(
      '[holdup] FAULT_PARAMS scenarios/x.json: $.faults[0].params.seconds: expected a number, found "two"\n' +
        '  next: see the parameters of rate-limit/retry-after-seconds with `holdup faults`',
    );
  });

  it('refuses a file that breaks the schema, naming the field', () => {
    expect(errorOf(() => parseScenario(JSON.stringify({ ...valid, category: 'rate-limits' }), 'scenarios/x.json'))).toMatch(
      /^\[holdup\] SCENARIO_SCHEMA scenarios\/x\.json: \$\.category: .*found "rate-limits"\n {2}next: fix the scenario file/,
    );
  });
});

describe('a huge value in a scenario file', () => {
  it('an 8 MB unknown check id: a short coded error, no edit distance over 8 MB', () => {
    const huge = 'x'.repeat(8 * 1024 * 1024);
    const error = errorOf(() => parseScenario(JSON.stringify({ ...valid, checks: [huge] }), 'scenarios/huge.json'));
    expect(error).toMatch(/^\[holdup\] UNKNOWN_CHECK scenarios\/huge\.json: \$\.checks\[0\]: unknown check id "x{60}"… \(8,388,608 characters\)\n/);
    expect(error.length).toBeLessThan(1_500);
  });
});
