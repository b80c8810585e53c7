import { describe, expect, it } from 'vitest';
import { parseContract } from '../contracts/load.js';
import type { HttpRequestData } from '../core/http.js';
import { createMatcher } from './match.js';

const json = (content: unknown) => ({ content, contentType: 'application/json', encoded: false });

const contract = parseContract(
  JSON.stringify({
    consumer: { name: 'billing-app' },
    provider: { name: 'billing-api' },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        description: 'list invoices',
        request: { method: 'GET', path: '/v1/invoices', query: { customer: ['cus_1'] } },
        response: { status: 200, body: json({ data: [] }) },
      },
      {
        type: 'Synchronous/HTTP',
        description: 'get an invoice (generic)',
        request: { method: 'GET', path: '/v1/invoices/in_1', matchingRules: { path: { combine: 'AND', matchers: [{ match: 'regex', regex: '^/v1/invoices/in_\\w+$' }] } } },
        response: { status: 200 },
      },
      {
        type: 'Synchronous/HTTP',
        description: 'get invoice in_1',
        request: { method: 'GET', path: '/v1/invoices/in_1' },
        response: { status: 200 },
      },
      {
        type: 'Synchronous/HTTP',
        description: 'get invoice in_2 when it exists',
        providerStates: [{ name: 'in_2 exists' }],
        request: { method: 'GET', path: '/v1/invoices/in_2' },
        response: { status: 200 },
      },
      {
        type: 'Synchronous/HTTP',
        description: 'get invoice in_2 when it was deleted',
        providerStates: [{ name: 'in_2 deleted' }],
        request: { method: 'GET', path: '/v1/invoices/in_2' },
        response: { status: 404 },
      },
      {
        type: 'Synchronous/HTTP',
        description: 'create an invoice',
        request: {
          method: 'POST',
          path: '/v1/invoices',
          headers: { 'Content-Type': 'application/json' },
          body: json({ customer: 'cus_1', amount: 1200, currency: 'usd' }),
          matchingRules: { body: { '$.amount': { combine: 'AND', matchers: [{ match: 'integer' }] } } },
        },
        response: { status: 201 },
      },
      ...Array.from({ length: 50 }, (_, i) => ({
        type: 'Synchronous/HTTP',
        description: `filler ${i}`,
        request: { method: 'GET', path: `/v1/things/${i}` },
        response: { status: 200 },
      })),
    ],
    metadata: { pactSpecification: { version: '4.0' } },
  }),
  'contracts/billing.json',
);

function req(partial: Partial<HttpRequestData>): HttpRequestData {
  return { method: 'GET', path: '/', query: {}, headers: {}, body: '', ...partial };
}

describe('createMatcher', () => {
  const matcher = createMatcher(contract);

  it('finds an interaction by method and exact path', () => {
    expect(matcher.match(req({ path: '/v1/invoices', query: { customer: ['cus_1'] } })).interaction?.description).toBe('list invoices');
    expect(matcher.match(req({ path: '/v1/things/42' })).interaction?.description).toBe('filler 42');
  });

  it('prefers an exact path over a regex path, and falls back to the regex', () => {
    expect(matcher.match(req({ path: '/v1/invoices/in_1' })).interaction?.description).toBe('get invoice in_1');
    expect(matcher.match(req({ path: '/v1/invoices/in_99' })).interaction?.description).toBe('get an invoice (generic)');
  });

  it('prefers the interaction whose provider states are active, else the first in contract order', () => {
    const request = req({ path: '/v1/invoices/in_2' });
    expect(matcher.match(request).interaction?.description).toBe('get invoice in_2 when it exists');
    expect(matcher.match(request, ['in_2 deleted']).interaction?.description).toBe('get invoice in_2 when it was deleted');
    expect(matcher.match(request, ['in_2 exists']).interaction?.description).toBe('get invoice in_2 when it exists');
    // Neither state is active: an interaction without provider states (here the regex one) is preferred.
    expect(matcher.match(request, ['something else']).interaction?.description).toBe('get an invoice (generic)');
  });

  it('names the closest interaction and a missing query parameter', () => {
    expect(matcher.match(req({ path: '/v1/invoices' }))).toEqual({
      interaction: undefined,
      nearMiss: {
        interaction: { index: 0, description: 'list invoices' },
        mismatches: [{ part: 'query', path: 'customer', expected: '"cus_1"', actual: 'absent' }],
      },
    });
  });

  it('names a body field with the wrong type, most important part first', () => {
    const result = matcher.match(
      req({
        method: 'POST',
        path: '/v1/invoices',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer: 'cus_1', amount: '1200', currency: 'usd' }),
      }),
    );
    expect(result).toEqual({
      interaction: undefined,
      nearMiss: {
        interaction: { index: 5, description: 'create an invoice' },
        mismatches: [{ part: 'body', path: '$.amount', expected: 'an integer', actual: '"1200"' }],
      },
    });
  });

  it('orders a near miss with a wrong method before its other parts', () => {
    const result = matcher.match(req({ method: 'DELETE', path: '/v1/invoices', query: { customer: ['cus_1'], x: ['1'] } }));
    expect(result.interaction).toBeUndefined();
    if (result.interaction === undefined) {
      expect(result.nearMiss?.interaction.description).toBe('list invoices');
      expect(result.nearMiss?.mismatches.map((m) => m.part)).toEqual(['method', 'query']);
    }
  });
});
