/// <reference types="vitest" />
/**
 * `holdup/vitest`: resilience in a team's own test suite. `runResilience` runs the scenarios and
 * returns the report; these matchers judge it, with messages that name what failed and the
 * command that replays it.
 *
 *   import { expect, test } from 'vitest';
 *   import { holdupMatchers, runResilience } from 'holdup/vitest';
 *   expect.extend(holdupMatchers);
 *
 *   test('the billing connector holds up', async () => {
 *     const report = await runResilience({ connectors: ['billing'], mode: 'in-process' });
 *     expect(report).toHaveNoCriticalFindings();
 *     expect(report).toScoreAtLeast(80);
 *   }, 120_000);
 *
 * The matchers are plain functions of the shape `expect.extend` takes (vitest's, and jest's):
 * holdup does not load vitest.
 */
import type { RunReport } from './core/index.js';

export { runResilience, assertResilient, ResilienceError } from './config/index.js';
export type { RunOptions } from './config/index.js';
export type { RunReport } from './core/index.js';

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** What a run can be asked to hold to. */
export interface HoldupMatchers<R = unknown> {
  /** Every gate passed: no critical check failed, no threshold missed, no connector invalid, nothing left unjudged. */
  toPassHoldupGate(): R;
  /** Every connector (or the one named) scored at least `min` (0–100); a connector with no score fails. */
  toScoreAtLeast(min: number, connector?: string): R;
  /** No finding of critical severity, in any connector (or the one named). */
  toHaveNoCriticalFindings(connector?: string): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- vitest's documented way to type custom matchers
  interface Assertion<T = any> extends HoldupMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- as above, for expect.not and asymmetric use
  interface AsymmetricMatchersContaining extends HoldupMatchers {}
}

function isReport(value: unknown): value is RunReport {
  return typeof value === 'object' && value !== null && Array.isArray((value as RunReport).connectors) && typeof (value as RunReport).gate === 'object';
}

function notAReport(name: string, received: unknown): MatcherResult {
  return { pass: false, message: () => `${name} expects the report runResilience returned, got ${received === null ? 'null' : typeof received}` };
}

function connectorsOf(report: RunReport, name: string | undefined): RunReport['connectors'] {
  return name === undefined ? report.connectors : report.connectors.filter((connector) => connector.name === name);
}

const MAX_LISTED = 10;

function listed(lines: string[]): string {
  const more = lines.length > MAX_LISTED ? [`  … and ${lines.length - MAX_LISTED} more`] : [];
  return [...lines.slice(0, MAX_LISTED), ...more].join('\n');
}

export const holdupMatchers = {
  toPassHoldupGate(received: unknown): MatcherResult {
    if (!isReport(received)) return notAReport('toPassHoldupGate', received);
    const reasons = [...received.gate.reasons, ...received.gate.unjudged.map((reason) => `not judged: ${reason}`)];
    return {
      pass: received.gate.passed,
      message: () =>
        received.gate.passed
          ? `expected the holdup gate to fail, but it passed (seed ${received.seed})`
          : `expected the holdup gate to pass (seed ${received.seed}), but:\n${listed(reasons.map((reason) => `  - ${reason}`))}`,
    };
  },

  toScoreAtLeast(received: unknown, min: number, connector?: string): MatcherResult {
    if (!isReport(received)) return notAReport('toScoreAtLeast', received);
    const judged = connectorsOf(received, connector);
    if (judged.length === 0) return { pass: false, message: () => `no connector named "${connector}" in the report (it has ${received.connectors.map((c) => c.name).join(', ')})` };
    const below = judged.filter((c) => c.score === null || c.score < min);
    const scores = judged.map((c) => `  ${c.name}: ${c.score === null ? `no score (${c.valid ? 'nothing applicable' : `invalid: ${c.invalidReason ?? 'its control failed'}`})` : `${c.score} (${c.grade})`}`);
    return {
      pass: below.length === 0,
      message: () =>
        below.length === 0
          ? `expected a score below ${min} (seed ${received.seed}):\n${listed(scores)}`
          : `expected every score to be at least ${min} (seed ${received.seed}):\n${listed(scores)}`,
    };
  },

  toHaveNoCriticalFindings(received: unknown, connector?: string): MatcherResult {
    if (!isReport(received)) return notAReport('toHaveNoCriticalFindings', received);
    const critical = connectorsOf(received, connector).flatMap((c) =>
      c.categories.flatMap((category) =>
        category.findings
          .filter((finding) => finding.severity === 'critical')
          .map((finding) => `  ${finding.code} ${finding.check} (${c.name}, ${category.id}): ${finding.message}\n    replay: ${finding.repro}`),
      ),
    );
    return {
      pass: critical.length === 0,
      message: () =>
        critical.length === 0
          ? `expected critical findings (seed ${received.seed}), found none`
          : `expected no critical finding (seed ${received.seed}), found ${critical.length}:\n${listed(critical)}`,
    };
  },
};
