/** A fault schedule in words, for reports, `holdup fuzz` and the repro files it writes. */
import type { ScheduleStep } from '../core/index.js';

export type DescribedStep = { on: ScheduleStep['on']; request: number; fault: string; params: Record<string, unknown>; onwards?: boolean };

/**
 * `rate-limit/retry-after-seconds (seconds: 2) on API request 1, then …`: a schedule in words
 * (parameters that are null, i.e. not used, left out; a burst of the same step on consecutive
 * requests said once: `on API requests 1 to 20`).
 */
export function describeSchedule(schedule: { steps: readonly DescribedStep[] }): string {
  const runs: { step: DescribedStep; last: number }[] = [];
  for (const step of schedule.steps) {
    const run = runs.at(-1);
    const same = run && !run.step.onwards && !step.onwards && run.step.on === step.on && run.step.fault === step.fault;
    if (same && step.request === run.last + 1 && JSON.stringify(run.step.params) === JSON.stringify(step.params)) run.last = step.request;
    else runs.push({ step, last: step.request });
  }
  return runs
    .map(({ step, last }) => {
      const params = Object.entries(step.params)
        .filter(([, value]) => value !== null)
        .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
        .join(', ');
      const stream = step.on === 'api' ? 'API request' : 'token request';
      const which = step.onwards
        ? `every ${stream} from ${step.request}`
        : last > step.request
          ? `${stream}s ${step.request} to ${last}`
          : `${stream} ${step.request}`;
      return `${step.fault}${params ? ` (${params})` : ''} on ${which}`;
    })
    .join(', then ');
}
