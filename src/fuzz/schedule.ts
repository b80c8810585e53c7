import fc from 'fast-check';
import { sequenceRng, type DrawContext, type Fault, type FaultParams, type FaultSchedule, type ScheduleStep } from '../core/index.js';

/** One fault decision as fast-check generates it: the parameters come from `draws`, through the fault's own `draw`. */
export interface FuzzStep {
  fault: string;
  /** 1-based request of the fault's stream. */
  request: number;
  /** The floats in [0, 1) the fault's `draw` receives, in order: they shrink towards 0, its values towards their minimum. */
  draws: number[];
}

/** What one fuzz run tries: an operation, a few fault decisions. */
export interface FuzzCase {
  operation: string;
  /** Invocations of the operation at once on one client (their requests interleave). */
  concurrency: number;
  steps: FuzzStep[];
}

export interface ScheduleArbitraryOptions {
  /** Fault ids to draw from, simplest first: shrinking moves towards the start of the list. */
  faults: readonly string[];
  operations: readonly string[];
  /** 3 by default. */
  maxSteps?: number;
  /** The latest request of a stream a fault may hit: 4 by default. */
  maxRequest?: number;
  /** The most invocations at once: 3 by default (1 turns interleavings off). */
  maxConcurrency?: number;
}

/**
 * Fault schedules for fast-check. They shrink towards one invocation, fewer steps, earlier
 * requests, faults earlier in the list and parameters at the low end of their ranges.
 */
export function fuzzCaseArbitrary(options: ScheduleArbitraryOptions): fc.Arbitrary<FuzzCase> {
  const step = fc.record({
    fault: fc.constantFrom(...options.faults),
    request: fc.integer({ min: 1, max: options.maxRequest ?? 4 }),
    draws: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 4, maxLength: 4 }),
  });
  return fc.record({
    operation: fc.constantFrom(...options.operations),
    concurrency: fc.integer({ min: 1, max: options.maxConcurrency ?? 3 }),
    steps: fc.array(step, { minLength: 1, maxLength: options.maxSteps ?? 3 }),
  });
}

/** The concrete schedule of a fuzz case: every parameter drawn, one decision per request (the first wins). */
export function scheduleOf(steps: readonly FuzzStep[], faults: ReadonlyMap<string, Fault<FaultParams>>, ctx: DrawContext): FaultSchedule {
  const seen = new Set<string>();
  const out: ScheduleStep[] = [];
  for (const step of steps) {
    const fault = faults.get(step.fault);
    if (!fault) throw new Error(`unknown fault ${step.fault}`);
    const key = `${fault.on}:${step.request}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ on: fault.on, request: step.request, fault: fault.id, params: fault.draw(sequenceRng(step.draws), {}, { ...ctx, target: { on: fault.on, request: step.request } }) });
  }
  out.sort((a, b) => (a.on === b.on ? a.request - b.request : a.on < b.on ? -1 : 1));
  return { steps: out };
}
