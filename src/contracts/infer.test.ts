import { describe, expect, it } from 'vitest';
import { inferBodyRules, inferValueRule } from './infer.js';

const rule = (...matchers: Record<string, unknown>[]) => ({ combine: 'AND', matchers });

describe('inferBodyRules', () => {
  it('infers type for varying values, regex for prefixed ids, exact for enum-like words, and min for arrays', () => {
    const body = {
      object: 'list',
      data: [
        { id: 'in_1', status: 'open', amount_due: 1200, currency: 'usd', created: 1767225600, lines: { data: [{ id: 'il_1', description: 'Pro plan' }] } },
        { id: 'in_2', status: 'paid', amount_due: 4900, currency: 'usd', created: 1764547200, lines: { data: [{ id: 'il_2', description: 'Team plan' }] } },
      ],
      has_more: true,
      next_cursor: 'cur_3',
      rate: 0.25,
      closed_at: null,
    };
    expect(inferBodyRules(body)).toEqual({
      '$.object': rule({ match: 'equality' }),
      '$.data': rule({ match: 'type', min: 1 }),
      '$.data[*].id': rule({ match: 'regex', regex: '^in_[A-Za-z0-9]+$' }),
      '$.data[*].status': rule({ match: 'regex', regex: '^(?:open|paid)$' }),
      '$.data[*].amount_due': rule({ match: 'integer' }),
      '$.data[*].currency': rule({ match: 'equality' }),
      '$.data[*].created': rule({ match: 'integer' }),
      '$.data[*].lines.data': rule({ match: 'type', min: 1 }),
      '$.data[*].lines.data[*].id': rule({ match: 'regex', regex: '^il_[A-Za-z0-9]+$' }),
      '$.data[*].lines.data[*].description': rule({ match: 'type' }),
      '$.has_more': rule({ match: 'boolean' }),
      '$.next_cursor': rule({ match: 'regex', regex: '^cur_[A-Za-z0-9]+$' }),
      '$.rate': rule({ match: 'decimal' }),
    });
  });

  it('gives placeholders, timestamps, UUIDs and free text type-style rules, never equality', () => {
    expect(
      inferBodyRules({
        access_token: '<redacted:access_token>',
        token_type: 'Bearer',
        issued_at: '2026-01-01T00:00:00Z',
        request: '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e',
        name: 'acme',
        message: 'No such invoice: in_1',
      }),
    ).toEqual({
      '$.access_token': rule({ match: 'type' }),
      '$.token_type': rule({ match: 'equality' }),
      '$.issued_at': rule({ match: 'type' }),
      '$.request': rule({ match: 'regex', regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }),
      '$.name': rule({ match: 'type' }),
      '$.message': rule({ match: 'type' }),
    });
  });

  it('writes an empty array as type with min 0, and quotes field names that are not identifiers', () => {
    expect(inferBodyRules({ items: [], 'the total': 3 })).toEqual({
      '$.items': rule({ match: 'type', min: 0 }),
      "$['the total']": rule({ match: 'integer' }),
    });
  });

  it('gives a top-level array a rule of its own', () => {
    expect(inferBodyRules([{ id: 'cus_1' }])).toEqual({
      '$': rule({ match: 'type', min: 1 }),
      '$[*].id': rule({ match: 'regex', regex: '^cus_[A-Za-z0-9]+$' }),
    });
  });
});

describe('inferValueRule', () => {
  it('keeps null exact and calls a place holding null and a value type-style', () => {
    expect(inferValueRule('next_cursor', [null])).toBeUndefined();
    expect(inferValueRule('next_cursor', ['cur_2', null])).toEqual({ match: 'type' });
  });

  it('treats a word without digits under an identifier-like name as an id, not an enum', () => {
    expect(inferValueRule('id', ['acct_abc'])).toEqual({ match: 'regex', regex: '^acct_[A-Za-z0-9]+$' });
    expect(inferValueRule('code', ['resource_missing'])).toEqual({ match: 'equality' });
  });
});
