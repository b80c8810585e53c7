import { describe, expect, it } from 'vitest';
import { CHECKS, getCheck } from './index.js';
import { referenceCheck } from './reference.js';
import { observation } from './test-helpers.js';

describe('CHECKS', () => {
  it('lists every check under its own id, with titled HU- codes (and the reference check, which CONTRIBUTING.md copies, has them too)', () => {
    for (const [id, check] of [...Object.entries(CHECKS), [referenceCheck.id, referenceCheck] as const]) {
      expect(check.id).toBe(id);
      // weight 0: reported, never scored (matches-contract: the gate is onUnhandledRequest's)
      expect(check.weight).toBeGreaterThanOrEqual(id === 'matches-contract' ? 0 : 1);
      expect(Object.keys(check.codes).length).toBeGreaterThan(0);
      for (const [code, title] of Object.entries(check.codes)) {
        expect(code).toMatch(/^HU-[A-Z]{2}-\d{3}$/);
        expect(title.length).toBeGreaterThan(0);
      }
    }
  });

  it('gives every code to one check only', () => {
    const codes = [...Object.values(CHECKS), referenceCheck].flatMap((check) => Object.keys(check.codes));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('emits only codes its checks declare', () => {
    for (const check of [...Object.values(CHECKS), referenceCheck]) {
      for (const finding of check.evaluate(observation()).findings) expect(check.codes).toHaveProperty(finding.code);
    }
  });

  it('finds a check by id', () => {
    expect(getCheck('honours-retry-after')).toBe(CHECKS['honours-retry-after']);
    expect(getCheck('nope')).toBeUndefined();
    expect(getCheck('toString')).toBeUndefined();
    expect(getCheck(referenceCheck.id)).toBeUndefined();
  });
});
