import { describe, expect, it } from 'vitest';
import { fixtureReport } from './report/test-fixtures.js';
import { holdupMatchers } from './vitest.js';

expect.extend(holdupMatchers);

describe('holdup/vitest matchers', () => {
  it('toPassHoldupGate fails on a failed gate, listing its reasons and the seed', () => {
    const report = fixtureReport();
    expect(() => expect(report).toPassHoldupGate()).toThrow(/^expected the holdup gate to pass \(seed 42\), but:\n {2}- /);
    expect(report).not.toPassHoldupGate();
    expect({ ...report, gate: { passed: true, judged: true, reasons: [], unjudged: [] } }).toPassHoldupGate();
  });

  it('toScoreAtLeast judges every connector, or the one named, and lists the scores', () => {
    const report = fixtureReport();
    // billing-legacy is invalid: it has no score, so no minimum holds for every connector
    expect(() => expect(report).toScoreAtLeast(10)).toThrow(/billing-naive: 72\.2\S* \(C\)\n {2}billing-legacy: no score \(invalid: /);
    expect(report).toScoreAtLeast(70, 'billing-naive');
    expect(() => expect(report).toScoreAtLeast(80, 'billing-naive')).toThrow('expected every score to be at least 80 (seed 42)');
    expect(() => expect(report).toScoreAtLeast(80, 'nope')).toThrow('no connector named "nope" in the report (it has billing-naive, billing-legacy)');
  });

  it('toHaveNoCriticalFindings lists each critical finding with its replay command', () => {
    const report = fixtureReport();
    expect(() => expect(report).toHaveNoCriticalFindings()).toThrow(/found \d+:\n {2}HU-RL-001 honours-retry-after \(billing-naive, rate-limit\): .+\n {4}replay: holdup run /);
    expect(report).toHaveNoCriticalFindings('billing-legacy');
  });

  it('says so when it is given something other than a report', () => {
    expect(() => expect(undefined).toPassHoldupGate()).toThrow('toPassHoldupGate expects the report runResilience returned, got undefined');
  });
});
