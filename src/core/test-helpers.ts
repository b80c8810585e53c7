/**
 * Shared by the loaders' property tests: arbitraries for the odd values files hold, and the
 * one property every loader has — it loads the input or throws a coded HoldupError, within a
 * bound, whatever the input.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { HoldupError } from './errors.js';

/** Strings a careless or hostile file holds: empty, control characters, lone surrogates, emoji, long. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('', ' ', '\u0000', 'a\r\nb', '\ud800', '😀', '\u202e', '../..', '__proto__', 'constructor', '%00', '$', '[', '{{x}}'),
  fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** Usually a well-formed value, sometimes an odd one: a file is rarely wrong everywhere at once. */
export function mostly<T>(valid: fc.Arbitrary<T>, odd: fc.Arbitrary<unknown>, weight = 10): fc.Arbitrary<unknown> {
  return fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: odd });
}

/** JSON-ish values of any type, for a field that expects one type. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.integer(), oddString), { maxLength: 3 }),
  fc.dictionary(oddString, fc.oneof(fc.integer(), oddString), { maxKeys: 3 }),
);

/** `[[[…]]]` nested `depth` levels, as JSON text (JSON.stringify would overflow the stack on deep values). */
export function deepArrayText(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** A placeholder in generated JSON that `withDeep` replaces by deeply nested JSON text. */
export const DEEP = '__holdup_deep__';

/** JSON text of `value` with every `"__holdup_deep__<n>"` string replaced by JSON nested n levels. */
export function jsonWithDeep(value: unknown): string {
  return JSON.stringify(value).replace(new RegExp(`"${DEEP}(\\d+)"`, 'g'), (_, depth: string) => deepArrayText(Number(depth)));
}

/** A value nested `depth` levels deep, as a placeholder for `jsonWithDeep`. */
export const deepValue: fc.Arbitrary<string> = fc.integer({ min: 200, max: 20_000 }).map((depth) => `${DEEP}${depth}`);

/**
 * How long one generated case may take: a case takes milliseconds, a hang or a quadratic blow-up
 * takes minutes, and a busy machine stays far below this bound.
 */
export const CASE_BOUND_MS = 15_000;

/** A property test's whole budget (vitest's default of 5 s is for one example, not hundreds). */
export const PROPERTY_TIMEOUT_MS = 300_000;

export interface Outcome {
  loaded: number;
  refused: number;
  codes: Set<string>;
}

export function newOutcome(): Outcome {
  return { loaded: 0, refused: 0, codes: new Set() };
}

/**
 * Runs `load`; a HoldupError is a refusal (counted with its code), anything else thrown fails
 * the property, as does taking longer than CASE_BOUND_MS.
 */
export async function loadsOrRefuses(outcome: Outcome, load: () => unknown): Promise<void> {
  const started = performance.now();
  try {
    await load();
    outcome.loaded++;
  } catch (error) {
    if (!(error instanceof HoldupError)) throw error;
    expect(error.message.length + error.hint.length + (error.path ?? '').length).toBeLessThan(3_000);
    outcome.refused++;
    outcome.codes.add(error.code);
  }
  expect(performance.now() - started).toBeLessThan(CASE_BOUND_MS);
}
