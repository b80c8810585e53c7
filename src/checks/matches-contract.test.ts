import { describe, expect, it } from 'vitest';
import { matchesContract } from './matches-contract.js';
import { api, observation, trace } from './test-helpers.js';

const unmatched = (startMs: number, path: string, secret = false) => ({
  ...api(startMs, startMs + 5, 500, { path }),
  unmatched: true as const,
  nearMiss: {
    interaction: { index: 2, description: 'get one invoice' },
    mismatches: [
      secret
        ? { part: 'header' as const, path: 'authorization', expected: 'Bearer hu_at_1', actual: 'Bearer sk_live_123' }
        : { part: 'path' as const, path: '', expected: '/v1/invoices/in_1', actual: path },
    ],
  },
});

describe('matches-contract', () => {
  it('passes when every request matched an interaction', () => {
    expect(matchesContract.evaluate(observation())).toEqual({ verdict: 'pass', findings: [] });
  });

  it('fails HU-UM-001 once per request the contract does not know, with the interaction that came closest', () => {
    const o = observation({ trace: trace(api(0, 5, 503), unmatched(100, '/v1/invoice/in_1'), unmatched(300, '/v1/invoice/in_1')) });
    expect(matchesContract.evaluate(o).findings).toEqual([
      {
        code: 'HU-UM-001',
        message:
          'GET /v1/invoice/in_1 matched no interaction of the contract (2 requests); closest: "get one invoice" (path: expected /v1/invoices/in_1, found /v1/invoice/in_1): holdup answered 500 in the upstream\'s place',
        details: { request: 'GET /v1/invoice/in_1', requests: 2, closest: 'get one invoice' },
        seqs: [2, 3],
      },
    ]);
  });

  it('never shows a credential from the near miss', () => {
    const o = observation({ trace: trace(unmatched(0, '/v1/invoices/in_1', true)) });
    const [finding] = matchesContract.evaluate(o).findings;
    expect(finding?.message).toContain('header authorization: expected <redacted>, found <redacted>');
    expect(finding?.message).not.toContain('sk_live');
  });
});
