import { describe, expect, it } from 'vitest';
import { settlesBeforeDeadline } from './settles-before-deadline.js';
import { api, hung, observation, returned, threw, trace, write, writeObservation } from './test-helpers.js';

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

  describe('one behaviour, one charge (issue #11)', () => {
    /** A write the upstream committed and never answered; the connector's own timeout outlasts the deadline. */
    const lost = (category: 'write-safety' | 'latency-timeout', overrunJudgedBy: string | null = 'latency-timeout/black-hole') =>
      writeObservation({
        scenario: category === 'write-safety' ? 'write-safety/lost-after-commit' : 'latency-timeout/black-hole',
        category,
        ...(overrunJudgedBy ? { overrunJudgedBy } : {}),
        trace: trace(write(0, 10_000, undefined, undefined, { delivery: 'never', fault: 'write-safety/lost-after-commit' })),
        outcomes: [hung()],
      });

    it('leaves an overrun on a response that never came to latency-timeout, and says so', () => {
      expect(settlesBeforeDeadline.evaluate(lost('write-safety'))).toEqual({
        verdict: 'not-applicable',
        findings: [],
        reason:
          'cut by the deadline while waiting on a response that never came (POST /v1/invoices): latency-timeout/black-hole judges that overrun',
      });
    });

    it('judges the overrun itself when no scenario of the run judges it for that operation (in-process, no Toxiproxy, --category): never charged nowhere', () => {
      expect(settlesBeforeDeadline.evaluate(lost('write-safety', null)).verdict).toBe('fail');
    });

    it('judges the same overrun in latency-timeout', () => {
      expect(settlesBeforeDeadline.evaluate(lost('latency-timeout')).verdict).toBe('fail');
    });

    it('still charges a wait on a response that answered (a Retry-After longer than the deadline owns its wait)', () => {
      const o = observation({
        category: 'rate-limit',
        trace: trace(api(0, 5, 429, { headers: { 'retry-after': '3600' } })),
        outcomes: [hung()],
      });
      expect(settlesBeforeDeadline.evaluate(o).verdict).toBe('fail');
    });
  });
});
