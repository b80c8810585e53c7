import { describe, expect, it } from 'vitest';
import { recovers } from './recovers.js';
import { GOLDEN, hung, observation, returned, threw } from './test-helpers.js';

describe('recovers', () => {
  it('passes when every invocation returned the golden result', () => {
    expect(recovers.evaluate(observation({ outcomes: [returned(GOLDEN), returned(GOLDEN)] }))).toEqual({
      verdict: 'pass',
      findings: [],
    });
  });

  it('fails HU-RC-001 with the error message when it threw', () => {
    expect(recovers.evaluate(observation({ outcomes: [threw('fetch failed', 'TypeError')] })).findings).toEqual([
      {
        code: 'HU-RC-001',
        message: 'threw instead of recovering: TypeError: fetch failed',
        details: { outcome: 'threw', error: 'TypeError: fetch failed', invocations: 1 },
      },
    ]);
  });

  it('fails HU-RC-001 when it hung', () => {
    expect(recovers.evaluate(observation({ outcomes: [hung()] })).findings).toEqual([
      {
        code: 'HU-RC-001',
        message: 'hung instead of recovering: no result within the 10000 ms deadline',
        details: { outcome: 'hung', deadlineMs: 10_000, invocations: 1 },
      },
    ]);
  });

  it('fails HU-RC-001 when it returned other data, per kind of failure among concurrent invocations', () => {
    const result = recovers.evaluate(
      observation({ outcomes: [returned(GOLDEN), returned({ data: 'x' }), threw('HTTP 503'), threw('HTTP 503')] }),
    );
    expect(result.verdict).toBe('fail');
    expect(result.findings).toEqual([
      {
        code: 'HU-RC-001',
        message: 'threw instead of recovering: HTTP 503 (2 of 4 invocations)',
        details: { outcome: 'threw', error: 'HTTP 503', invocations: 2 },
      },
      {
        code: 'HU-RC-001',
        message:
          'returned other data instead of the golden result: $.data: golden [{"id":"in_1","amount":1200,"currency":"usd"}], actual "x" (1 of 4 invocations)',
        details: {
          outcome: 'returned',
          field: '$.data',
          golden: [{ id: 'in_1', amount: 1200, currency: 'usd' }],
          actual: 'x',
          invocations: 1,
        },
      },
    ]);
  });

  it('is not applicable without a golden result', () => {
    expect(recovers.evaluate(observation({ golden: undefined })).verdict).toBe('not-applicable');
  });
});
