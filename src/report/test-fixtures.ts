/**
 * A realistic run report, built by hand, for the reporters' tests: `billing-naive` is valid,
 * fails the critical rate-limit and schema-drift checks, has network categories not run
 * (no Toxiproxy) and categories not applicable; `billing-legacy` is invalid (its control failed).
 */
import type { CategoryReport, RunReport } from '../core/report.js';
import type { ReportFinding } from './types.js';

const NOT_RUN = 'no network engine: Toxiproxy not found (run `holdup doctor` to see why)';
const REPRO = (category: string): string =>
  `holdup run --connector billing-naive --category ${category} --seed 42`;

/** Keys in the schema's order, so that `report.json` is byte for byte `JSON.stringify(fixture)`. */
function finding({ code, check, severity, ...rest }: Omit<ReportFinding, 'connector'>): ReportFinding {
  return { code, check, severity, connector: 'billing-naive', ...rest };
}

const retriedEarly = finding({
  code: 'HU-RL-001',
  check: 'honours-retry-after',
  severity: 'critical',
  scenario: 'rate-limit/retry-after-seconds',
  operation: 'listInvoices',
  message: 'retried 412 ms after a 429 that asked to wait 2 s (Retry-After: 2)',
  evidence: {
    timeline: [
      {
        seq: 1,
        startMs: 0,
        endMs: 3,
        stream: 'api',
        method: 'GET',
        path: '/v1/invoices',
        status: 429,
        delivery: 'normal',
        fault: 'rate-limit/retry-after-seconds',
        headers: { 'Retry-After': '2' },
      },
      { seq: 2, startMs: 412, endMs: 415, stream: 'api', method: 'GET', path: '/v1/invoices', status: 200, delivery: 'normal', highlight: true },
    ],
    outcome: 'returned 3 invoices after 2 requests',
    details: { retryAfterMs: 2000, waitedMs: 412 },
  },
  repro: REPRO('rate-limit'),
});

const retriedEarlyDate = finding({
  code: 'HU-RL-001',
  check: 'honours-retry-after',
  severity: 'critical',
  scenario: 'rate-limit/retry-after-date',
  operation: 'getInvoice',
  message: 'retried 0 ms after a 429 whose Retry-After date was 3 s ahead',
  evidence: {
    timeline: [
      {
        seq: 1,
        startMs: 0,
        endMs: 2,
        stream: 'api',
        method: 'GET',
        path: '/v1/invoices/in_1',
        status: 429,
        delivery: 'normal',
        fault: 'rate-limit/retry-after-date',
        headers: { 'Retry-After': 'Fri, 14 Mar 2025 09:27:03 GMT' },
      },
      { seq: 2, startMs: 2, endMs: 4, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 429, delivery: 'normal', fault: 'rate-limit/retry-after-date', highlight: true },
      { seq: 3, startMs: 5, endMs: 7, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 429, delivery: 'normal', fault: 'rate-limit/retry-after-date', highlight: true },
      { seq: 4, startMs: 7, endMs: 9, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 429, delivery: 'normal', fault: 'rate-limit/retry-after-date' },
      { seq: 5, startMs: 10, endMs: 12, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 429, delivery: 'normal', fault: 'rate-limit/retry-after-date' },
      { seq: 6, startMs: 12, endMs: 14, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 429, delivery: 'normal', fault: 'rate-limit/retry-after-date' },
      { seq: 7, startMs: 15, endMs: 17, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 429, delivery: 'normal', fault: 'rate-limit/retry-after-date' },
      { seq: 8, startMs: 17, endMs: 19, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 429, delivery: 'normal', fault: 'rate-limit/retry-after-date' },
      { seq: 9, startMs: 3004, endMs: 3006, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 200, delivery: 'normal' },
      { seq: 10, startMs: 3010, endMs: 3012, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 200, delivery: 'normal' },
    ],
    outcome: 'returned invoice in_1 after 10 requests',
  },
  repro: `holdup run --connector billing-naive --category rate-limit --seed 42 --scenario rate-limit/retry-after-date`,
});

const gaveUpSilently = finding({
  code: 'HU-RL-003',
  check: 'gives-up-loudly',
  severity: 'error',
  scenario: 'rate-limit/retry-after-too-long',
  operation: 'listInvoices',
  message: 'returned an empty list when the wait (120 s) exceeded the deadline (10 s) instead of throwing',
  evidence: {
    timeline: [
      {
        seq: 1,
        startMs: 0,
        endMs: 2,
        stream: 'api',
        method: 'GET',
        path: '/v1/invoices',
        status: 429,
        delivery: 'normal',
        fault: 'rate-limit/retry-after-too-long',
        headers: { 'Retry-After': '120' },
        highlight: true,
      },
    ],
    outcome: 'returned [] after 1 request',
  },
  repro: REPRO('rate-limit'),
});

const notJittered = finding({
  code: 'HU-SE-003',
  check: 'jittered-backoff',
  severity: 'warning',
  scenario: 'server-errors/503-burst',
  operation: 'getInvoice',
  message: 'the waits between retries were 100, 200 and 400 ms in every execution: no jitter',
  evidence: {
    timeline: [
      { seq: 1, startMs: 0, endMs: 1, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 503, delivery: 'normal', fault: 'server-errors/503' },
      { seq: 2, startMs: 101, endMs: 102, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 503, delivery: 'normal', fault: 'server-errors/503' },
      { seq: 3, startMs: 302, endMs: 303, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 503, delivery: 'normal', fault: 'server-errors/503' },
      { seq: 4, startMs: 703, endMs: 705, stream: 'api', method: 'GET', path: '/v1/invoices/in_1', status: 200, delivery: 'normal' },
    ],
    outcome: 'returned invoice in_1 after 4 requests',
  },
  repro: REPRO('server-errors'),
});

/** Quotes, `<`, `>` and `&` on purpose: every renderer must escape them. */
const silentCorruption = finding({
  code: 'HU-SD-001',
  check: 'no-silent-corruption',
  severity: 'critical',
  scenario: 'schema-drift/retype',
  operation: 'getInvoice',
  message: 'returned amount_due "1200" (a string) where the golden result had 1200 & raised no error',
  evidence: {
    timeline: [
      {
        seq: 1,
        startMs: 0,
        endMs: 4,
        stream: 'api',
        method: 'GET',
        path: '/v1/invoices/in_1',
        status: 200,
        delivery: 'normal',
        fault: 'schema-drift/retype',
        highlight: true,
      },
    ],
    outcome: 'returned <Invoice in_1> with amount_due "1200"',
    details: { field: 'amount_due', golden: 1200, actual: '1200' },
  },
  repro: REPRO('schema-drift'),
});

const check = (
  id: string,
  critical: boolean,
  weight: number,
  executions: number,
  passes: number,
): CategoryReport['checks'][number] => ({ id, critical, weight, passed: passes === executions, executions, passes });

export function fixtureReport(): RunReport {
  return {
    schemaVersion: 1,
    runId: '2025-03-14T09-26-53Z-7f3a',
    seed: 42,
    startedAt: '2025-03-14T09:26:53.120Z',
    finishedAt: '2025-03-14T09:27:31.480Z',
    durationMs: 38360,
    holdupVersion: '0.1.0',
    complete: true,
    interrupted: false,
    networkEngine: { kind: 'none', reason: 'Toxiproxy not found' },
    gate: {
      passed: false,
      judged: true,
      reasons: [
        'billing-naive: critical check honours-retry-after failed (rate-limit)',
        'billing-naive: critical check no-silent-corruption failed (schema-drift)',
        'billing-legacy: invalid, the control execution failed',
      ],
      unjudged: [],
    },
    connectors: [
      {
        name: 'billing-naive',
        file: 'fixtures/connectors/billing-naive.connector.ts',
        contract: 'contracts/billing-app-billing-api.json',
        valid: true,
        score: 72.22222222222223,
        grade: 'C',
        gate: 'fail',
        gateReasons: [
          'critical check honours-retry-after failed (rate-limit)',
          'critical check no-silent-corruption failed (schema-drift)',
        ],
        coverage: 100,
        executions: 56,
        categories: [
          {
            id: 'write-safety',
            weight: 15,
            status: 'pass',
            score: 100,
            checks: [check('one-effect-per-write', true, 3, 6, 6), check('reuses-idempotency-key', true, 2, 6, 6)],
            findings: [],
          },
          {
            id: 'rate-limit',
            weight: 15,
            status: 'fail',
            score: 40,
            capped: true,
            checks: [
              check('honours-retry-after', true, 3, 9, 7),
              check('eventually-succeeds', false, 2, 9, 9),
              check('gives-up-loudly', false, 1, 3, 2),
            ],
            findings: [gaveUpSilently, retriedEarly, retriedEarlyDate],
          },
          {
            id: 'auth-expiry',
            weight: 12,
            status: 'not-applicable',
            reason: 'the contract has no token endpoint',
            checks: [],
            findings: [],
          },
          {
            id: 'server-errors',
            weight: 10,
            status: 'fail',
            score: 75,
            checks: [
              check('retries-transient', false, 2, 8, 8),
              check('bounded-attempts', false, 1, 8, 8),
              check('jittered-backoff', false, 1, 8, 0),
            ],
            findings: [notJittered],
          },
          { id: 'network-faults', weight: 10, status: 'not-run', reason: NOT_RUN, checks: [], findings: [] },
          { id: 'latency-timeout', weight: 10, status: 'not-run', reason: NOT_RUN, checks: [], findings: [] },
          {
            id: 'schema-drift',
            weight: 10,
            status: 'fail',
            score: 40,
            capped: true,
            checks: [check('no-silent-corruption', true, 3, 7, 6), check('tolerates-additive', false, 1, 2, 2)],
            findings: [silentCorruption],
          },
          {
            id: 'silent-failure',
            weight: 8,
            status: 'pass',
            score: 100,
            checks: [check('raises-on-error-body', false, 1, 5, 5)],
            findings: [],
          },
          {
            id: 'pagination',
            weight: 5,
            status: 'not-applicable',
            reason: 'no operation of the contract is paginated',
            checks: [],
            findings: [],
          },
          {
            id: 'deprecation',
            weight: 5,
            status: 'pass',
            score: 100,
            checks: [check('surfaces-deprecation', false, 1, 2, 2)],
            findings: [],
          },
        ],
      },
      {
        name: 'billing-legacy',
        file: 'fixtures/connectors/billing-legacy.connector.ts',
        contract: 'contracts/billing-app-billing-api.json',
        valid: false,
        invalidReason:
          "createInvoice threw TypeError: Cannot read properties of undefined (reading 'id') without any fault",
        score: null,
        grade: null,
        gate: 'fail',
        gateReasons: ['invalid, the control execution failed'],
        coverage: null,
        executions: 3,
        categories: [],
      },
    ],
  };
}
