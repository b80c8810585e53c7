import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runResilience } from '../config/index.js';
import type { Observation, RunReport } from '../core/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Categories whose faults are all HTTP-level: both modes run every one of their scenarios. */
const HTTP_LEVEL = ['write-safety', 'rate-limit', 'auth-expiry', 'server-errors', 'silent-failure'];
/** With no Toxiproxy in either mode, latency-timeout runs its one HTTP-level scenario (slow-headers) in both. */
const COMPARED = [...HTTP_LEVEL, 'latency-timeout'];
/**
 * Scenarios with concurrent invocations: how their requests interleave is up to real sockets in
 * network mode (and differs run to run), while in-process every invocation's request of one step
 * is sent before any is answered. Compared apart, by what does not depend on the interleaving.
 */
const CONCURRENT = ['auth-expiry/token-expired-concurrent', 'write-safety/concurrent-writes-reset'];

/**
 * Per connector: every finding (code, scenario × operation) outside the concurrent scenarios —
 * a check that passed leaves none — and, for the concurrent ones, whether they found anything.
 */
/**
 * Checks judged once over the whole run, on measured waits: network mode measures them with its
 * machine's timer noise and may say "undecided" where the virtual clock decides, so the two modes
 * are compared on the per-execution checks.
 */
const POLICY_CHECKS = ['backoff-grows-with-jitter', 'uses-rate-limit-hint'];

function verdicts(report: RunReport) {
  return Object.fromEntries(
    report.connectors.map((connector) => {
      const findings = connector.categories
        .filter((category) => COMPARED.includes(category.id))
        .flatMap((category) => category.findings)
        .filter((finding) => !POLICY_CHECKS.includes(finding.check));
      return [
        connector.name,
        {
          findings: [...new Set(findings.filter((f) => !CONCURRENT.includes(f.scenario)).map((f) => `${f.code} ${f.scenario} × ${f.operation}`))].sort(),
          concurrentFailed: CONCURRENT.filter((id) => findings.some((f) => f.scenario === id)),
        },
      ];
    }),
  );
}

let network: RunReport;
let inProcess: RunReport;
const observations: Observation[] = [];

beforeAll(async () => {
  network = await runResilience({ cwd: root, seed: 7, categories: COMPARED, networkEngine: 'none' });
  inProcess = await runResilience({
    cwd: root,
    seed: 7,
    categories: COMPARED,
    mode: 'in-process',
    onEvent: (event) => {
      if (event.type === 'execution-done') observations.push(event.observation);
    },
  });
}, 120_000);

describe('in-process mode on a virtual clock', () => {
  it('gives the fixture connectors the same verdicts as network mode on the HTTP-level scenarios', () => {
    expect(verdicts(inProcess)).toEqual(verdicts(network));
  });

  it('keeps the times the connector would have waited: the retry after a Retry-After comes that many virtual seconds later', () => {
    const observation = observations.find(
      (o) => o.connector === 'billing-robust' && o.scenario === 'rate-limit/retry-after-seconds' && o.operation === 'getInvoice',
    );
    const seconds = observation?.schedule.steps[0]?.params['seconds'] as number;
    const api = observation?.trace.filter((entry) => entry.stream === 'api') ?? [];
    expect(api[0]?.response?.status).toBe(429);
    expect(api[1]?.response?.status).toBe(200);
    // the connector honoured it to the millisecond, on the virtual clock: no real second passed
    expect((api[1]?.startMs ?? 0) - (api[0]?.endMs ?? 0)).toBeGreaterThanOrEqual(seconds * 1000);
    expect((api[1]?.startMs ?? 0) - (api[0]?.endMs ?? 0)).toBeLessThan(seconds * 1000 + 50);
  });

  it('gives the same scores, checks and findings on a second run with the same seed', async () => {
    const again = await runResilience({ cwd: root, seed: 7, categories: COMPARED, mode: 'in-process' });
    // everything but times, idempotency keys and other values a connector draws itself
    const stable = (report: RunReport) =>
      report.connectors.map((c) => ({
        name: c.name,
        score: c.score,
        grade: c.grade,
        categories: c.categories.map((k) => ({
          id: k.id,
          status: k.status,
          score: k.score,
          checks: k.checks,
          findings: k.findings.map((f) => `${f.code} ${f.check} ${f.scenario} × ${f.operation}`),
        })),
      }));
    expect(stable(again)).toEqual(stable(inProcess));
  });

  it('reports that it ran without sockets', () => {
    expect(inProcess.networkEngine).toEqual({
      kind: 'none',
      reason: 'in-process mode runs HTTP-level faults only, on a virtual clock (network mode runs the rest)',
    });
  });
});
