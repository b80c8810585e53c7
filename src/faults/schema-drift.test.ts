import { describe, expect, it } from 'vitest';
import { createRng, parseJsonPath, scalarsIn, valuesAt, type DrawContext, type FaultContext, type Json, type ReplayResponse, type TraceEntry } from '../core/index.js';
import { FAULTS } from './index.js';

const BODY = { id: 'in_1', object: 'invoice', amount_due: 1200, status: 'open', note: 'x', lines: { data: [{ id: 'il_1', amount: 1200 }] } };

/** A draw context whose control saw BODY and returned `golden`. */
function drawContext(golden: Json, body: Json = BODY): DrawContext {
  const entry: TraceEntry = {
    seq: 1,
    stream: 'api',
    streamIndex: 1,
    startMs: 0,
    endMs: 1,
    request: { method: 'GET', path: '/v1/invoices/in_1', query: {}, headers: {}, body: '' },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    delivery: 'normal',
  };
  return { deadlineMs: 10_000, control: { trace: [entry], golden }, target: { on: 'api', request: 1 } };
}

function applied(id: string, params: Record<string, Json>, body: Json = BODY): ReplayResponse {
  const fault = FAULTS.get(id);
  if (!fault) throw new Error(id);
  const ctx = {
    request: { method: 'GET', path: '/v1/invoices/in_1', query: {}, headers: {}, body: '' },
    interaction: undefined,
    nowMs: 0,
    epochMs: 0,
    tokens: { expireAccessTokens: () => {}, revokeRefreshTokens: () => {} },
    next: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  } satisfies FaultContext;
  return fault.apply(params, ctx);
}

function draw(id: string, golden: Json, seed = 1): Record<string, Json> {
  return (FAULTS.get(id) as NonNullable<ReturnType<typeof FAULTS.get>>).draw(createRng(seed), {}, drawContext(golden));
}

describe('schema mutations', () => {
  it('draw a place the golden result carries, and log it as a JSON path', () => {
    // the operation returns only the amount: every breaking mutation goes for a place holding 1200
    for (const id of ['schema-drift/rename-field', 'schema-drift/remove-field', 'schema-drift/change-type', 'schema-drift/null-value']) {
      for (const seed of [1, 2, 3, 4]) {
        const path = parseJsonPath(String(draw(id, { total: 1200 }, seed)['path'])) ?? [];
        const carried = valuesAt(BODY, path.map((segment) => (segment === '*' ? 0 : segment)));
        expect(scalarsIn(carried).has(1200)).toBe(true);
      }
    }
  });

  it('draw the same place from the same seed', () => {
    expect(draw('schema-drift/remove-field', BODY, 9)).toEqual(draw('schema-drift/remove-field', BODY, 9));
  });

  it('rename a field, keeping its value', () => {
    const fault = FAULTS.get('schema-drift/rename-field');
    expect(fault?.draw(createRng(1), { path: '$.amount_due' }, drawContext(BODY))).toEqual({ path: '$.amount_due', to: 'amountDue' });
    expect(fault?.draw(createRng(1), { path: '$.status' }, drawContext(BODY))).toEqual({ path: '$.status', to: 'status_v2' });
    const body = JSON.parse(applied('schema-drift/rename-field', { path: '$.amount_due', to: 'amountDue' }).body);
    expect(body.amount_due).toBeUndefined();
    expect(body.amountDue).toBe(1200);
  });

  it('retype a number as a string in every element of an array', () => {
    const body = JSON.parse(applied('schema-drift/change-type', { path: '$.lines.data[*].amount', from: 'number', to: 'string' }).body);
    expect(body.lines.data[0].amount).toBe('1200');
  });

  it('retype an object as an array', () => {
    expect(FAULTS.get('schema-drift/change-type')?.draw(createRng(1), { path: '$.lines' }, drawContext(BODY))).toEqual({ path: '$.lines', from: 'object', to: 'array' });
    const body = JSON.parse(applied('schema-drift/change-type', { path: '$.lines', from: 'object', to: 'array' }).body);
    expect(body.lines).toEqual([{ data: [{ id: 'il_1', amount: 1200 }] }]);
  });

  it('move a nested object one level down', () => {
    const body = JSON.parse(applied('schema-drift/nested-shape', { path: '$.lines', under: 'attributes' }).body);
    expect(body.lines).toEqual({ attributes: { data: [{ id: 'il_1', amount: 1200 }] } });
  });

  it('add a field the body did not have', () => {
    const params = draw('schema-drift/extra-field', BODY);
    expect(params['name']).not.toBe(undefined);
    const body = JSON.parse(applied('schema-drift/extra-field', { path: '$', name: 'tax_rate', value: 0.2 }).body);
    expect(body).toEqual({ ...BODY, tax_rate: 0.2 });
  });

  it('put a new value in an enum-like field the result does not carry, when there is one', () => {
    // the result carries "open" but not "invoice": the new value goes where it is unused
    expect(draw('schema-drift/unknown-enum', { status: 'open' })).toMatchObject({ path: '$.object', from: 'invoice' });
    const body = JSON.parse(applied('schema-drift/unknown-enum', { path: '$.object', from: 'invoice', to: 'archived' }).body);
    expect(body.object).toBe('archived');
  });

  it('leave a body without the place as the upstream sent it, and say so', () => {
    const response = applied('schema-drift/remove-field', { path: '$.missing' });
    expect(response.untouched).toBe(true);
    expect(JSON.parse(response.body)).toEqual(BODY);
    expect(applied('schema-drift/null-value', { path: '$.id' }, 'not json' as Json).untouched).toBe(true);
  });

  it('draw nothing to do when no control body is known', () => {
    const fault = FAULTS.get('schema-drift/rename-field');
    const params = fault?.draw(createRng(1), {}, { deadlineMs: 10_000 });
    expect(params?.['path']).toBeNull();
    expect(applied('schema-drift/rename-field', params as Record<string, Json>).untouched).toBe(true);
  });
});
