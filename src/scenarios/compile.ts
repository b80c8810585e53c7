import type { DrawContext, Fault, FaultParams, FaultSchedule, Rng, ScheduleStep } from '../core/index.js';
import type { Scenario } from './schema.js';

/**
 * Turns a scenario into the concrete schedule of one execution: every open choice (how many
 * requests a burst lasts, each fault's parameters) is drawn from `rng` and written down.
 */
export function compileSchedule(
  scenario: Scenario,
  faults: ReadonlyMap<string, Fault<FaultParams>>,
  rng: Rng,
  ctx: DrawContext,
): FaultSchedule {
  const steps: ScheduleStep[] = [];
  for (const entry of scenario.faults) {
    const fault = faults.get(entry.fault);
    if (!fault) throw new Error(`unknown fault ${entry.fault} (scenarios are validated when loaded)`);
    const on = entry.on ?? fault.on;
    const from = typeof entry.requests === 'number' ? entry.requests : entry.requests.from;
    const wanted = typeof entry.requests === 'number' ? 1 : entry.requests.count;
    const drawCtx: DrawContext = { ...ctx, target: { on, request: from } };
    if (wanted === 'all') {
      steps.push({ on, request: from, fault: fault.id, params: fault.draw(rng, entry.params as Partial<FaultParams>, drawCtx), onwards: true });
      continue;
    }
    const count = typeof wanted === 'number' ? wanted : rng.int(wanted.min, wanted.max);
    const params = fault.draw(rng, entry.params as Partial<FaultParams>, drawCtx);
    for (let i = 0; i < count; i++) steps.push({ on, request: from + i, fault: fault.id, params });
  }
  steps.sort((a, b) => (a.on === b.on ? a.request - b.request : a.on < b.on ? -1 : 1));
  return { steps };
}
