import { describe, expect, it } from 'vitest';
import { settlesBeforeDeadline } from './settles-before-deadline.js';
import { hung, observation, returned, threw } from './test-helpers.js';

describe('settles-before-deadline', () => {
  it('passes when every invocation returned or threw', () => {
    expect(settlesBeforeDeadline.evaluate(observation({ outcomes: [returned(1), threw('boom')] }))).toEqual({
      verdict: 'pass',
      findings: [],
    });
  });

  it('fails HU-DL-001 when the operation hung', () => {
    expect(settlesBeforeDeadline.evaluate(observation({ outcomes: [hung()] })).findings).toEqual([
      {
        code: 'HU-DL-001',
        message: 'the operation neither returned nor threw within the 10000 ms deadline',
        details: { deadlineMs: 10_000, hung: 1, invocations: 1 },
      },
    ]);
  });

  it('counts hung invocations among concurrent ones', () => {
    const result = settlesBeforeDeadline.evaluate(observation({ deadlineMs: 5000, outcomes: [hung(), returned(1), hung()] }));
    expect(result.verdict).toBe('fail');
    expect(result.findings[0]?.message).toBe('2 of 3 invocations neither returned nor threw within the 5000 ms deadline');
  });
});
