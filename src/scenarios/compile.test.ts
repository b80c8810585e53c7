import { describe, expect, it } from 'vitest';
import { createRng, type DrawContext } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { compileSchedule } from './compile.js';
import { ScenarioSchema, type ScenarioInput } from './schema.js';

const CTX: DrawContext = { deadlineMs: 10_000 };
const SEEDS = Array.from({ length: 50 }, (_, seed) => seed);

/** A scenario with these faults, parsed as a scenario file is (defaults filled in). */
function scenario(faults: ScenarioInput['faults']) {
  return ScenarioSchema.parse({ id: 'test/compile', category: 'server-errors', description: 'x', faults, checks: ['recovers'] });
}

function compile(faults: ScenarioInput['faults'], seed = 7, ctx = CTX) {
  return compileSchedule(scenario(faults), FAULTS, createRng(seed), ctx);
}

describe('compileSchedule', () => {
  const mixed: ScenarioInput['faults'] = [
    { fault: 'server-errors/bad-gateway', requests: { from: 1, count: { min: 1, max: 3 } } },
    { fault: 'network-faults/slicer', requests: 4 },
    { fault: 'rate-limit/retry-after-seconds', requests: 5 },
    { fault: 'auth-expiry/token-endpoint-fails' },
  ];

  it('compiles the same schedule from the same seed', () => {
    for (const seed of SEEDS) expect(compile(mixed, seed)).toEqual(compile(mixed, seed));
  });

  it('compiles other schedules from other seeds', () => {
    const schedules = new Set(SEEDS.map((seed) => JSON.stringify(compile(mixed, seed))));
    expect(schedules.size).toBeGreaterThan(1);
  });

  it('targets the n-th request for `requests: n`, and the first by default', () => {
    expect(compile([{ fault: 'server-errors/internal-error', requests: 4 }])).toStrictEqual({
      steps: [{ on: 'api', request: 4, fault: 'server-errors/internal-error', params: {} }],
    });
    expect(compile([{ fault: 'server-errors/internal-error' }])).toStrictEqual({
      steps: [{ on: 'api', request: 1, fault: 'server-errors/internal-error', params: {} }],
    });
  });

  it('expands `{ from: 2, count: 3 }` into requests 2, 3 and 4', () => {
    const faults = [{ fault: 'rate-limit/retry-after-seconds', requests: { from: 2, count: 3 }, params: { seconds: 30 } }];
    expect(compile(faults)).toStrictEqual({
      steps: [
        { on: 'api', request: 2, fault: 'rate-limit/retry-after-seconds', params: { seconds: 30 } },
        { on: 'api', request: 3, fault: 'rate-limit/retry-after-seconds', params: { seconds: 30 } },
        { on: 'api', request: 4, fault: 'rate-limit/retry-after-seconds', params: { seconds: 30 } },
      ],
    });
  });

  it('draws the parameters once for all the requests of one entry', () => {
    for (const seed of SEEDS) {
      const { steps } = compile([{ fault: 'network-faults/slicer', requests: { from: 1, count: 3 } }], seed);
      expect(steps).toHaveLength(3);
      expect(steps[1]?.params).toEqual(steps[0]?.params);
      expect(steps[2]?.params).toEqual(steps[0]?.params);
    }
  });

  it('draws a count between min and max from the seed, and every one of them for some seed', () => {
    const counts = SEEDS.map(
      (seed) => compile([{ fault: 'server-errors/bad-gateway', requests: { from: 3, count: { min: 2, max: 4 } } }], seed).steps,
    );
    for (const steps of counts) expect(steps.map((s) => s.request)).toEqual([3, 4, 5, 6].slice(0, steps.length));
    expect([...new Set(counts.map((steps) => steps.length))].sort()).toEqual([2, 3, 4]);
  });

  it("yields one step with `onwards: true` for `count: 'all'`", () => {
    expect(compile([{ fault: 'server-errors/service-unavailable', requests: { from: 1, count: 'all' } }])).toStrictEqual({
      steps: [{ on: 'api', request: 1, fault: 'server-errors/service-unavailable', params: {}, onwards: true }],
    });
    expect(compile([{ fault: 'auth-expiry/token-endpoint-fails', requests: { from: 3, count: 'all' } }])).toStrictEqual({
      steps: [{ on: 'token', request: 3, fault: 'auth-expiry/token-endpoint-fails', params: {}, onwards: true }],
    });
  });

  it("targets the fault's own stream unless `on` overrides it", () => {
    expect(compile([{ fault: 'auth-expiry/token-endpoint-fails' }]).steps[0]?.on).toBe('token');
    expect(compile([{ fault: 'server-errors/service-unavailable', on: 'token' }]).steps).toEqual([
      { on: 'token', request: 1, fault: 'server-errors/service-unavailable', params: {} },
    ]);
    expect(compile([{ fault: 'auth-expiry/token-endpoint-fails', on: 'api', requests: { from: 2, count: 2 } }]).steps).toEqual([
      { on: 'api', request: 2, fault: 'auth-expiry/token-endpoint-fails', params: {} },
      { on: 'api', request: 3, fault: 'auth-expiry/token-endpoint-fails', params: {} },
    ]);
  });

  it('sorts the steps by stream (api first), then by request', () => {
    const { steps } = compile([
      { fault: 'server-errors/internal-error', requests: 5 },
      { fault: 'auth-expiry/token-endpoint-fails', requests: 2 },
      { fault: 'server-errors/bad-gateway', requests: { from: 1, count: 2 } },
      { fault: 'auth-expiry/invalid-grant', requests: 1 },
      { fault: 'server-errors/gateway-timeout', requests: { from: 6, count: 'all' } },
    ]);
    expect(steps.map((s) => `${s.on} #${s.request} ${s.fault}${s.onwards ? ' onwards' : ''}`)).toEqual([
      'api #1 server-errors/bad-gateway',
      'api #2 server-errors/bad-gateway',
      'api #5 server-errors/internal-error',
      'api #6 server-errors/gateway-timeout onwards',
      'token #1 auth-expiry/invalid-grant',
      'token #2 auth-expiry/token-endpoint-fails',
    ]);
  });

  it("keeps the scenario's order for two steps on the same request", () => {
    const { steps } = compile([
      { fault: 'server-errors/internal-error', requests: 2 },
      { fault: 'server-errors/bad-gateway', requests: { from: 1, count: 2 } },
    ]);
    expect(steps.map((s) => `${s.on} #${s.request} ${s.fault}`)).toEqual([
      'api #1 server-errors/bad-gateway',
      'api #2 server-errors/internal-error',
      'api #2 server-errors/bad-gateway',
    ]);
  });

  it('keeps the parameters the scenario fixed, and draws the others', () => {
    for (const seed of SEEDS) {
      const [slicer] = compile([{ fault: 'network-faults/slicer', params: { averageSize: 16 } }], seed).steps;
      expect(slicer?.params.averageSize).toBe(16);
      expect(slicer?.params.sizeVariation).toBeGreaterThanOrEqual(0);
      expect(slicer?.params.sizeVariation).toBeLessThanOrEqual(4);
      expect(slicer?.params.delayUs).toBeGreaterThanOrEqual(500);
      expect(slicer?.params.delayUs).toBeLessThanOrEqual(3_000);
    }
  });

  it("passes the draw context to the faults (the deadline, the connector's request timeout)", () => {
    const faults = [{ fault: 'latency-timeout/latency-below-timeout' }];
    for (const seed of SEEDS) {
      // a quarter of the timeout, at most 1/20 of the deadline, drawn between half and 0.9 of it
      const byDeadline = compile(faults, seed).steps[0]?.params.latencyMs;
      expect(byDeadline).toBeGreaterThanOrEqual(250);
      expect(byDeadline).toBeLessThanOrEqual(450);
      const byTimeout = compile(faults, seed, { deadlineMs: 10_000, requestTimeoutMs: 400 }).steps[0]?.params.latencyMs;
      expect(byTimeout).toBeGreaterThanOrEqual(50);
      expect(byTimeout).toBeLessThanOrEqual(90);
    }
  });

  it('refuses a fault it does not know', () => {
    expect(() => compile([{ fault: 'server-errors/teapot' }])).toThrow(
      new Error('unknown fault server-errors/teapot (scenarios are validated when loaded)'),
    );
  });
});
