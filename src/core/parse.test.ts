import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeIssues, describeValue } from './parse.js';

const schema = z
  .object({
    count: z.number().int().min(1).max(5).optional(),
    name: z.string().min(1).optional(),
    tags: z.array(z.string()).min(2).max(3).optional(),
    kind: z.enum(['read', 'write']).optional(),
    url: z.url().optional(),
    either: z.union([z.string(), z.number()]).optional(),
    shape: z.discriminatedUnion('type', [z.object({ type: z.literal('a') }), z.object({ type: z.literal('b') })]).optional(),
    keys: z.record(z.string().regex(/^[a-z]+$/), z.string()).optional(),
    status: z.number().min(100, 'an HTTP status between 100 and 599').optional(),
    step: z.number().multipleOf(5).optional(),
  })
  .strict();

function first(input: unknown): { path: (string | number)[]; message: string } {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected a failure');
  return describeIssues(result.error.issues, input);
}

describe('describeIssues: zod issues in words, from the issue data', () => {
  it.each([
    [{ count: 1.5 }, ['count'], 'expected an integer, found 1.5'],
    [{ count: '2' }, ['count'], 'expected a number, found "2"'],
    [{ count: 0 }, ['count'], 'expected a number of at least 1, found 0'],
    [{ count: 9 }, ['count'], 'expected a number of at most 5, found 9'],
    [{ name: '' }, ['name'], 'expected a non-empty string, found ""'],
    [{ tags: ['x'] }, ['tags'], 'expected a list of at least 2 items, found an array of 1'],
    [{ tags: ['a', 'b', 'c', 'd'] }, ['tags'], 'expected a list of at most 3 items, found an array of 4'],
    [{ kind: 'fetch' }, ['kind'], 'expected one of "read", "write", found "fetch"'],
    [{ url: 'nope' }, ['url'], 'expected a valid url, found "nope"'],
    [{ either: true }, ['either'], 'expected a string or a number, found true'],
    [{ shape: { type: 'c' } }, ['shape', 'type'], 'expected one of "a", "b", found "c"'],
    [{ keys: { A: 'x' } }, ['keys', 'A'], 'expected a key that is a string matching /^[a-z]+$/, found "x"'],
    [{ status: 42 }, ['status'], 'expected an HTTP status between 100 and 599, found 42'],
    [{ step: 7 }, ['step'], 'expected a multiple of 5, found 7'],
    [{ colour: 'red' }, [], 'unknown key "colour" (not allowed here)'],
    [{ count: 0, name: '' }, ['count'], 'expected a number of at least 1, found 0 (and 1 more problem)'],
  ])('%j → %j: %s', (input, path, message) => {
    expect(first(input)).toEqual({ path, message });
  });

  it("never shows zod's own English text", () => {
    for (const input of [{ count: 'x' }, { tags: [] }, { url: 5 }, { shape: 5 }, { either: null }, { step: 'x' }]) {
      expect(first(input).message).not.toMatch(/Invalid|Too (small|big)|received|expected \w+ to/);
    }
  });
});

describe('describeValue', () => {
  it('shows a value in a few words, cutting long strings short', () => {
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue(undefined, 'absent')).toBe('absent');
    expect(describeValue({})).toBe('an empty object');
    expect(describeValue([1, 2])).toBe('an array of 2');
    expect(describeValue('x'.repeat(100))).toBe(`${JSON.stringify('x'.repeat(57))}…`);
  });
});
