import { describe, expect, it } from 'vitest';
import { correctOrLoud } from './correct-or-loud.js';
import { GOLDEN, hung, observation, returned, threw } from './test-helpers.js';

describe('correct-or-loud', () => {
  it('passes a result equal to golden', () => {
    expect(correctOrLoud.evaluate(observation())).toEqual({ verdict: 'pass', findings: [] });
  });

  it('passes an error: failing loudly is correct', () => {
    expect(correctOrLoud.evaluate(observation({ outcomes: [threw('upstream returned 500')] })).verdict).toBe('pass');
  });

  it('fails HU-CL-001 on a retyped field, naming the field and both values', () => {
    const result = correctOrLoud.evaluate(
      observation({ outcomes: [returned({ data: [{ id: 'in_1', amount: '1200', currency: 'usd' }], has_more: false })] }),
    );
    expect(result.verdict).toBe('fail');
    expect(result.findings).toEqual([
      {
        code: 'HU-CL-001',
        message:
          'returned data that differs from the golden result without an error: $.data[0].amount: golden 1200, actual "1200"',
        details: { field: '$.data[0].amount', golden: 1200, actual: '1200' },
      },
    ]);
  });

  it('says the result was missing when the operation returned nothing', () => {
    const result = correctOrLoud.evaluate(observation({ golden: { value: { id: 'in_1' }, effects: 0 }, outcomes: [returned(undefined)] }));
    expect(result.findings).toEqual([
      {
        code: 'HU-CL-001',
        message: 'returned data that differs from the golden result without an error: result was missing (golden {"id":"in_1"})',
        details: { field: '$', golden: { id: 'in_1' }, missing: true },
      },
    ]);
  });

  it('says which field is extra', () => {
    const result = correctOrLoud.evaluate(observation({ outcomes: [returned({ ...(GOLDEN as object), next: 'x' })] }));
    expect(result.findings).toEqual([
      {
        code: 'HU-CL-001',
        message: 'returned data that differs from the golden result without an error: $.next was extra (golden has none, actual "x")',
        details: { field: '$.next', actual: 'x', extra: true },
      },
    ]);
  });

  it('groups identical differences of concurrent invocations into one finding', () => {
    const wrong = returned({ data: [], has_more: false });
    const result = correctOrLoud.evaluate(observation({ outcomes: [wrong, wrong, returned(GOLDEN), threw('x')] }));
    expect(result.findings).toEqual([
      {
        code: 'HU-CL-001',
        message:
          'returned data that differs from the golden result without an error: $.data[0] was missing (golden {"id":"in_1","amount":1200,"currency":"usd"}) (2 of 4 invocations)',
        details: { field: '$.data[0]', golden: { id: 'in_1', amount: 1200, currency: 'usd' }, missing: true, invocations: 2 },
      },
    ]);
  });

  it('is not applicable without a golden result or when every invocation hung', () => {
    expect(correctOrLoud.evaluate(observation({ golden: undefined })).verdict).toBe('not-applicable');
    expect(correctOrLoud.evaluate(observation({ outcomes: [hung(), hung()] })).verdict).toBe('not-applicable');
  });
});
