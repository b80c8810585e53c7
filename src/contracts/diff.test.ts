import { describe, expect, it } from 'vitest';
import type { Contract, Interaction, RuleList } from '../core/contract.js';
import type { Json } from '../core/json.js';
import { diffContracts, type ContractChange } from './diff.js';

interface Spec {
  description?: string;
  method?: string;
  path?: string;
  query?: Record<string, string[]>;
  states?: string[];
  requestBody?: Json;
  status?: number;
  headers?: Record<string, string[]>;
  headerRules?: Record<string, RuleList>;
  body?: Json;
  rules?: Record<string, RuleList>;
}

function interaction(spec: Spec, index = 0): Interaction {
  return {
    index,
    description: spec.description ?? 'a request for invoice in_1',
    providerStates: (spec.states ?? []).map((name) => ({ name })),
    request: {
      method: spec.method ?? 'GET',
      path: spec.path ?? '/v1/invoices/in_1',
      query: spec.query ?? {},
      headers: {},
      ...(spec.requestBody === undefined ? {} : { body: { contentType: 'application/json', json: spec.requestBody } }),
      rules: { body: {}, header: {}, query: {} },
    },
    response: {
      status: spec.status ?? 200,
      headers: spec.headers ?? { 'content-type': ['application/json'] },
      ...(spec.body === undefined ? {} : { body: { contentType: 'application/json', json: spec.body } }),
      rules: { body: spec.rules ?? {}, header: spec.headerRules ?? {}, query: {} },
    },
  };
}

function contract(...specs: Spec[]): Contract {
  return { file: 'c.json', consumer: 'app', provider: 'api', specVersion: '4.0', interactions: specs.map(interaction) };
}

const rule = (match: string): RuleList => ({ combine: 'AND', matchers: [{ match }] });

const invoice = { id: 'in_1', amount_due: 1200, status: 'open', created: 1767225600 };
const INVOICE = { description: 'a request for invoice in_1', method: 'GET', path: '/v1/invoices/in_1' };

/** The changes without the interaction, which most tests share. */
function diffBodies(before: Spec, after: Spec): Omit<ContractChange, 'interaction'>[] {
  return diffContracts(contract(before), contract(after)).map(({ interaction: _, ...rest }) => rest);
}

describe('diffContracts', () => {
  it('finds no changes between a contract and itself', () => {
    const same = contract({ body: invoice, query: { expand: ['lines'] } }, { description: 'a list', path: '/v1/invoices', body: { data: [invoice] } });
    expect(diffContracts(same, same)).toEqual([]);
  });

  it('reports a removed response field as breaking and an added one as not', () => {
    expect(diffBodies({ body: { id: 'in_1', paid: true } }, { body: { id: 'in_1', tax: 10, note: 'x' } })).toEqual([
      { kind: 'field-removed', breaking: true, part: 'response', location: '$.paid', before: 'boolean' },
      { kind: 'field-added', breaking: false, part: 'response', location: '$.tax', after: 'number' },
      { kind: 'field-added', breaking: false, part: 'response', location: '$.note', after: 'string' },
    ]);
  });

  it('guesses a rename from the same type at the same position among the keys', () => {
    const after = { id: 'in_1', amount_total: 99, status: 'open', created: 1767225600 };
    expect(diffBodies({ body: invoice }, { body: after })).toEqual([
      { kind: 'field-renamed', breaking: true, part: 'response', location: '$.amount_due', renamedTo: '$.amount_total', before: 'number', after: 'number' },
    ]);
  });

  it('guesses a rename from the same value when the position moved', () => {
    const after = { amount_total: 1200, id: 'in_1', status: 'open', created: 1767225600 };
    expect(diffBodies({ body: invoice }, { body: after }).map((c) => [c.kind, c.location, c.renamedTo])).toEqual([['field-renamed', '$.amount_due', '$.amount_total']]);
  });

  it('does not guess a rename when the type differs', () => {
    const after = { id: 'in_1', amount_total: '1200', status: 'open', created: 1767225600 };
    expect(diffBodies({ body: invoice }, { body: after }).map((c) => c.kind)).toEqual(['field-removed', 'field-added']);
  });

  it.each([
    ['number to string', 1200, '1200', 'number', 'string'],
    ['object to array', { a: 1 }, [{ a: 1 }], 'object', 'array'],
    ['a scalar to null', 'open', null, 'string', 'null'],
    ['boolean to number', true, 1, 'boolean', 'number'],
  ])('reports a type change from %s as breaking', (_, was, now, before, after) => {
    expect(diffBodies({ body: { value: was } }, { body: { value: now } })).toEqual([
      { kind: 'type-changed', breaking: true, part: 'response', location: '$.value', before, after },
    ]);
  });

  it('does not call a response field that stops being null breaking', () => {
    const changes = diffBodies({ body: { data: [{ due: null }, { due: 5 }] } }, { body: { data: [{ due: 5 }] } });
    expect(changes).toEqual([{ kind: 'type-changed', breaking: false, part: 'response', location: '$.data[*].due', before: 'null|number', after: 'number' }]);
  });

  it('merges the elements of an array and writes them as [*]', () => {
    const before: Json = { data: [{ id: 'in_1' }, { id: 'in_2', lines: { data: [{ amount: 1 }] } }] };
    const after = { data: [{ id: 'in_1', lines: { data: [{ amount: '1' }] } }] };
    expect(diffBodies({ body: before }, { body: after })).toEqual([
      { kind: 'type-changed', breaking: true, part: 'response', location: '$.data[*].lines.data[*].amount', before: 'number', after: 'string' },
    ]);
  });

  it('reports a nested shape change where the shape changed, not below it', () => {
    expect(diffBodies({ body: { lines: { data: [{ id: 'il_1' }] } } }, { body: { lines: [{ id: 'il_1' }] } })).toEqual([
      { kind: 'type-changed', breaking: true, part: 'response', location: '$.lines', before: 'object', after: 'array' },
    ]);
  });

  it('reports a changed status as breaking', () => {
    expect(diffBodies({ status: 200 }, { status: 201 })).toEqual([{ kind: 'status-changed', breaking: true, part: 'response', location: 'status', before: 200, after: 201 }]);
  });

  it('marks a Content-Type change breaking, a charset change and an added header not', () => {
    const changes = diffBodies(
      { headers: { 'content-type': ['application/json'], etag: ['"1"'] } },
      { headers: { 'content-type': ['text/html'], etag: ['"2"'], 'cache-control': ['no-store'] } },
    );
    expect(changes).toEqual([
      { kind: 'header-changed', breaking: true, part: 'response', location: 'content-type', before: 'application/json', after: 'text/html' },
      { kind: 'header-changed', breaking: false, part: 'response', location: 'etag', before: '"1"', after: '"2"' },
      { kind: 'header-added', breaking: false, part: 'response', location: 'cache-control', after: 'no-store' },
    ]);
    expect(diffBodies({ headers: { 'content-type': ['application/json'] } }, { headers: { 'content-type': ['application/json; charset=utf-8'] } })[0]?.breaking).toBe(false);
  });

  it('marks a removed header breaking only when it was Content-Type or had a matching rule', () => {
    const before = { headers: { 'content-type': ['application/json'], etag: ['"1"'], 'x-request-id': ['r1'] }, headerRules: { 'x-request-id': rule('type') } };
    expect(diffBodies(before, { headers: {} }).map((c) => [c.location, c.breaking])).toEqual([
      ['content-type', true],
      ['etag', false],
      ['x-request-id', true],
    ]);
  });

  it('reports new values of an equality-matched string as a non-breaking widened enum, once per method and path', () => {
    const old = contract({ body: { status: 'open' }, rules: { '$.status': rule('equality') } }, { description: 'a paid one', body: { status: 'paid' } });
    const next = contract({ body: { status: 'void' } }, { description: 'a paid one', body: { status: 'void' } });
    expect(diffContracts(old, next).map(({ kind, breaking, location, after }) => ({ kind, breaking, location, after }))).toEqual([
      { kind: 'enum-widened', breaking: false, location: '$.status', after: ['void'] },
    ]);
  });

  it('does not count a value another interaction of the same method and path had as new', () => {
    const old = contract({ body: { status: 'open' } }, { description: 'a paid one', body: { status: 'paid' } });
    const next = contract({ body: { status: 'paid' } }, { description: 'a paid one', body: { status: 'paid' } });
    expect(diffContracts(old, next)).toEqual([]);
  });

  it('does not take a changed id or free text in a contract without matchers for a new enum value', () => {
    expect(diffBodies({ body: { id: 'in_1', memo: 'Pro plan' } }, { body: { id: 'in_2', memo: 'Team plan' } })).toEqual([]);
  });

  it('does not treat a string under a type or regex rule as an enum', () => {
    const rules = { '$.data': rule('type'), '$.id': rule('regex') };
    expect(diffBodies({ body: { id: 'in_1', data: [{ name: 'a' }] }, rules }, { body: { id: 'in_2', data: [{ name: 'b' }] } })).toEqual([]);
  });

  it('marks a request body field or query parameter added in NEW breaking, removed not', () => {
    const changes = diffBodies(
      { method: 'POST', requestBody: { customer: 'cus_1', memo: 'x' }, query: { expand: ['lines'] } },
      { method: 'POST', requestBody: { customer: 'cus_1', currency: 'usd', memo: 'x' }, query: { limit: ['2'] } },
    );
    expect(changes).toEqual([
      { kind: 'query-added', breaking: true, part: 'request', location: 'limit', after: ['2'] },
      { kind: 'query-removed', breaking: false, part: 'request', location: 'expand', before: ['lines'] },
      { kind: 'field-added', breaking: true, part: 'request', location: '$.currency', after: 'string' },
    ]);
    expect(diffBodies({ requestBody: { a: 1, b: 'x' } }, { requestBody: { a: 1 } })).toEqual([
      { kind: 'field-removed', breaking: false, part: 'request', location: '$.b', before: 'string' },
    ]);
  });

  it('pairs interactions by description even when the query and states changed', () => {
    const changes = diffContracts(contract({ states: ['s1'], query: { a: ['1'] } }), contract({ states: ['s2'], query: { a: ['1'], b: ['2'] } }));
    expect(changes.map((c) => [c.kind, c.location])).toEqual([['query-added', 'b']]);
  });

  it('pairs by method, path, query names and provider states when the description changed', () => {
    const list = { description: 'a list', path: '/v1/invoices' };
    const changes = diffContracts(contract(list, { states: ['s1'], status: 200 }), contract(list, { description: 'renamed', states: ['s1'], status: 404 }));
    expect(changes).toEqual([{ kind: 'status-changed', breaking: true, interaction: INVOICE, part: 'response', location: 'status', before: 200, after: 404 }]);
    const otherState = diffContracts(contract({ states: ['s1'] }), contract({ description: 'renamed', states: ['s2'] }));
    expect(otherState.map((c) => c.kind)).toEqual(['interaction-removed', 'interaction-added']);
  });

  it('pairs a recorded 200 with the state whose status it has, not with the first state', () => {
    const old = contract({ description: 'missing', states: ['no invoice'], status: 404 }, { description: 'there', states: ['invoice exists'], status: 200 });
    const recorded = contract({ description: 'getInvoice: GET /v1/invoices/in_1 → 200', status: 200 });
    expect(diffContracts(old, recorded).map((c) => `${c.kind} ${c.interaction.description}`)).toEqual(['interaction-removed missing']);
  });

  it('pairs an interaction with the same request from a recording, which has no provider states', () => {
    const recorded = diffContracts(contract({ states: ['s1'], status: 200 }), contract({ description: 'getInvoice: GET /v1/invoices/in_1 → 200', status: 404 }));
    expect(recorded.map((c) => c.kind)).toEqual(['status-changed']);
  });

  it('shows a changed method or path as one interaction removed and one added', () => {
    const changes = diffContracts(contract({ method: 'GET' }), contract({ method: 'POST' }));
    expect(changes).toEqual([
      { kind: 'interaction-removed', breaking: true, interaction: INVOICE, part: 'request', location: '' },
      { kind: 'interaction-added', breaking: false, interaction: { ...INVOICE, method: 'POST' }, part: 'request', location: '' },
    ]);
  });

  it('reports a body that disappeared from a response as a breaking type change, one that appeared as not breaking', () => {
    expect(diffBodies({ body: { id: 'in_1' } }, {})).toEqual([{ kind: 'type-changed', breaking: true, part: 'response', location: '$', before: 'object', after: 'absent' }]);
    expect(diffBodies({}, { body: { id: 'in_1' } })[0]?.breaking).toBe(false);
  });
});
