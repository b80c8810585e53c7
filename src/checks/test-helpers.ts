import type { Json, Observation, Outcome, ScheduleStep, Stream, TraceEntry } from '../core/index.js';

/**
 * Builders of hand-made observations for the checks' unit tests.
 *
 * ```ts
 * const o = observation({
 *   trace: trace(api(0, 5, 429, { headers: { 'retry-after': '2' } }), api(2010, 2015, 200)),
 *   outcomes: [returned({ id: 1 })],
 * });
 * ```
 */

export const STARTED_AT = '2026-01-01T00:00:00.000Z';
export const EPOCH_MS = Date.parse(STARTED_AT);

/** A trace entry before `trace()` numbers it. */
export type EntryDraft = Omit<TraceEntry, 'seq' | 'streamIndex'>;

export interface EntryOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  requestHeaders?: Record<string, string>;
  fault?: string;
  delivery?: TraceEntry['delivery'];
}

function entry(stream: Stream, startMs: number, endMs: number, status: number | undefined, options: EntryOptions): EntryDraft {
  const draft: EntryDraft = {
    stream,
    startMs,
    endMs,
    request: {
      method: options.method ?? (stream === 'token' ? 'POST' : 'GET'),
      path: options.path ?? (stream === 'token' ? '/oauth/token' : '/v1/invoices'),
      query: {},
      headers: options.requestHeaders ?? {},
      body: '',
    },
    response:
      status === undefined
        ? undefined
        : { status, headers: { 'content-type': 'application/json', ...options.headers }, body: options.body ?? '' },
    delivery: options.delivery ?? 'normal',
  };
  if (options.fault !== undefined) draft.fault = { id: options.fault, params: {} };
  return draft;
}

/** An API request that started at `startMs` and was answered `status` by `endMs` (`undefined`: nothing sent). */
export function api(startMs: number, endMs: number, status: number | undefined, options: EntryOptions = {}): EntryDraft {
  return entry('api', startMs, endMs, status, options);
}

/** A request to the token endpoint. */
export function token(startMs: number, endMs: number, status: number | undefined, options: EntryOptions = {}): EntryDraft {
  return entry('token', startMs, endMs, status, options);
}

/** Numbers entries in the order given: `seq` from 1, `streamIndex` from 1 per stream. */
export function trace(...drafts: EntryDraft[]): TraceEntry[] {
  const counts: Record<Stream, number> = { api: 0, token: 0 };
  return drafts.map((draft, index) => {
    counts[draft.stream] += 1;
    return { ...draft, seq: index + 1, streamIndex: counts[draft.stream] };
  });
}

/** API requests answered `status` after each gap: the first at 0, each next one `gap` ms after the previous ended (requests take 5 ms). */
export function retries(statuses: number[], gapsMs: number[], options: EntryOptions = {}): EntryDraft[] {
  const drafts: EntryDraft[] = [];
  let start = 0;
  statuses.forEach((status, index) => {
    if (index > 0) start += gapsMs[index - 1] ?? 0;
    drafts.push(api(start, start + 5, status, options));
    start += 5;
  });
  return drafts;
}

export function returned(value: Json | undefined, settledMs = 100): Outcome {
  return { status: 'returned', value, settledMs };
}

export function threw(message: string, name = 'Error', settledMs = 100): Outcome {
  return { status: 'threw', error: { name, message }, settledMs };
}

export function hung(): Outcome {
  return { status: 'hung' };
}

export function step(fault: string, request = 1, on: Stream = 'api'): ScheduleStep {
  return { on, request, fault, params: {} };
}

export const GOLDEN: Json = { data: [{ id: 'in_1', amount: 1200, currency: 'usd' }], has_more: false };

/** An observation of one `listInvoices` execution that returned the golden value; override what the test is about. */
export function observation(overrides: Partial<Observation> = {}): Observation {
  return {
    executionId: 'exec-1',
    connector: 'billing-test',
    operation: 'listInvoices',
    kind: 'read',
    scenario: 'test/scenario',
    category: 'server-errors',
    seed: 1,
    schedule: { steps: [] },
    deadlineMs: 10_000,
    startedAt: STARTED_AT,
    trace: trace(api(0, 5, 200)),
    outcomes: [returned(GOLDEN)],
    golden: { value: GOLDEN, effects: 0 },
    warnings: [],
    tokens: [],
    effects: [],
    hasTokenEndpoint: false,
    retryBudget: 2,
    retriesNeeded: 1,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Writes: `POST /v1/invoices`, the side-effect ledger, a `createInvoice` observation

/** What `createInvoice` returns; the golden value of `writeObservation()`. */
export const INVOICE: Json = { id: 'in_1', customer: 'cus_1', amount: 1200, currency: 'usd' };

/** A `POST /v1/invoices` answered `status` (`undefined`: nothing sent), with `Idempotency-Key: key` when a key is given. */
export function write(startMs: number, endMs: number, status: number | undefined, key?: string, options: EntryOptions = {}): EntryDraft {
  const keyHeader: Record<string, string> = key === undefined ? {} : { 'idempotency-key': key };
  return api(startMs, endMs, status, { method: 'POST', ...options, requestHeaders: { ...keyHeader, ...options.requestHeaders } });
}

/** A `POST /v1/invoices` the upstream committed, then reset before answering (`write-safety/reset-after-commit`). */
export function resetWrite(startMs: number, endMs: number, key?: string): EntryDraft {
  return write(startMs, endMs, undefined, key, { delivery: 'reset', fault: 'write-safety/reset-after-commit' });
}

/** An entry of the side-effect ledger for request `seq` (interaction 0, at `seq * 100` ms unless given). */
export function effect(seq: number, idempotencyKey: string | undefined, replayed = false, atMs = seq * 100): Observation['effects'][number] {
  return { atMs, seq, interaction: 0, idempotencyKey, replayed };
}

/**
 * An observation of one `createInvoice` execution: a write whose control committed one effect
 * per invocation, made once and committed once; override what the test is about.
 */
export function writeObservation(overrides: Partial<Observation> = {}): Observation {
  return observation({
    operation: 'createInvoice',
    kind: 'write',
    scenario: 'write-safety/reset-after-commit',
    category: 'write-safety',
    schedule: { steps: [step('write-safety/reset-after-commit')] },
    trace: trace(write(0, 5, 200)),
    outcomes: [returned(INVOICE)],
    golden: { value: INVOICE, effects: 1 },
    effects: [effect(1, undefined)],
    ...overrides,
  });
}

// The retries of a reset write the write-safety checks are judged on.

/** The first POST is committed and reset; the retry carries the same key and is replayed. */
export const sameKeyRetry = writeObservation({
  trace: trace(resetWrite(0, 5, 'k1'), write(105, 110, 201, 'k1')),
  effects: [effect(1, 'k1'), effect(2, 'k1', true)],
});

/** The first POST is committed and reset; the retry carries a new key, so it is committed again. */
export const newKeyRetry = writeObservation({
  trace: trace(resetWrite(0, 5, 'k1'), write(105, 110, 201, 'k2')),
  effects: [effect(1, 'k1'), effect(2, 'k2')],
});

/** The first POST carries a key and is reset; the retry drops the key, so it is committed again. */
export const droppedKeyRetry = writeObservation({
  trace: trace(resetWrite(0, 5, 'k1'), write(105, 110, 201)),
  effects: [effect(1, 'k1'), effect(2, undefined)],
});

/** The first POST is committed and reset; the retry, without a key, is committed again. */
export const blindRetry = writeObservation({
  trace: trace(resetWrite(0, 5), write(105, 110, 201)),
  effects: [effect(1, undefined), effect(2, undefined)],
});
