import { targetOf } from '../checks/writes.js';
import { redactHeaders } from '../contracts/redact.js';
import type { Check, Finding, FindingDraft, HttpRequestData, Observation, Outcome, TimelineEntry, TraceEntry } from '../core/index.js';

/** Headers worth showing in a timeline: the ones checks reason about. */
const SHOWN_RESPONSE_HEADERS = ['retry-after', 'ratelimit', 'x-ratelimit-reset', 'www-authenticate', 'content-type', 'date'];
const SHOWN_REQUEST_HEADERS = ['idempotency-key', 'authorization'];

function shownHeaders(entry: TraceEntry): Record<string, string> | undefined {
  const picked: Record<string, string> = {};
  for (const name of SHOWN_REQUEST_HEADERS) {
    const value = entry.request.headers[name];
    if (value !== undefined) picked[name] = value;
  }
  const response = entry.response?.headers ?? {};
  for (const name of SHOWN_RESPONSE_HEADERS) {
    if (name === 'content-type' && entry.fault === undefined) continue;
    if (name === 'date' && response['retry-after'] === undefined) continue;
    const value = response[name];
    if (value !== undefined) picked[name] = value;
  }
  return Object.keys(picked).length > 0 ? redactHeaders(picked) : undefined;
}

/** `/v1/invoices?customer=cus_1&limit=2`: the path and query as the connector sent them. */
export function pathWithQuery(request: HttpRequestData): string {
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(request.query)) for (const value of values) query.append(name, value);
  const qs = query.toString();
  return qs ? `${request.path}?${qs}` : request.path;
}

export function timelineOf(trace: readonly TraceEntry[], highlight: readonly number[] = []): TimelineEntry[] {
  return trace.map((entry) => {
    const headers = shownHeaders(entry);
    return {
      seq: entry.seq,
      startMs: Math.round(entry.startMs),
      endMs: Math.round(entry.endMs),
      stream: entry.stream,
      method: entry.request.method,
      path: pathWithQuery(entry.request),
      ...(entry.response ? { status: entry.response.status } : {}),
      delivery: entry.delivery,
      ...(entry.fault ? { fault: entry.fault.id } : {}),
      ...(entry.network ? { network: entry.network } : {}),
      ...(headers ? { headers } : {}),
      ...(highlight.includes(entry.seq) ? { highlight: true } : {}),
    } as TimelineEntry;
  });
}

export function describeOutcome(outcome: Outcome, deadlineMs: number): string {
  switch (outcome.status) {
    case 'returned':
      return `returned data after ${Math.round(outcome.settledMs)} ms`;
    case 'threw':
      return `threw ${outcome.error.name}: ${outcome.error.message} after ${Math.round(outcome.settledMs)} ms`;
    case 'hung':
      return `did not settle within deadlineMs ${deadlineMs}`;
  }
}

export function describeOutcomes(observation: Observation): string {
  const { outcomes, deadlineMs } = observation;
  if (outcomes.length === 1) return describeOutcome(outcomes[0] as Outcome, deadlineMs);
  const counts = { returned: 0, threw: 0, hung: 0 };
  for (const outcome of outcomes) counts[outcome.status]++;
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  const firstError = outcomes.find((o) => o.status === 'threw');
  const example = firstError ? ` (first: ${describeOutcome(firstError, deadlineMs)})` : '';
  return `${outcomes.length} concurrent invocations: ${parts.join(', ')}${example}`;
}

/** Evidence keeps this many requests at most: the first and last ones and the highlighted ones (a connector paging forever sends tens of thousands). */
export const TIMELINE_LIMIT = 200;

function cappedTimeline(trace: readonly TraceEntry[], highlight: readonly number[] = []): { timeline: TimelineEntry[]; omitted?: number } {
  const timeline = timelineOf(trace, highlight);
  if (timeline.length <= TIMELINE_LIMIT) return { timeline };
  const head = TIMELINE_LIMIT / 2;
  const tail = TIMELINE_LIMIT / 4;
  let highlighted = 0;
  const kept = timeline.filter((entry, index) => {
    if (index < head || index >= timeline.length - tail) return true;
    return entry.highlight === true && ++highlighted <= TIMELINE_LIMIT / 4;
  });
  return { timeline: kept, omitted: timeline.length - kept.length };
}

export function completeFinding(
  draft: FindingDraft,
  check: Check,
  observation: Observation,
  repro: string,
): Finding {
  return {
    code: draft.code,
    check: check.id,
    severity: draft.severity ?? (check.critical ? 'critical' : 'error'),
    connector: observation.connector,
    scenario: observation.scenario,
    operation: observation.operation,
    message: draft.message,
    evidence: {
      ...cappedTimeline(observation.trace, draft.seqs),
      outcome: describeOutcomes(observation),
      ...(draft.details ? { details: draft.details } : {}),
      schedule: observation.schedule.steps,
    },
    repro,
  };
}

/**
 * The golden result a control execution sets: what the operation returned, and the writes the
 * upstream committed for it, in all and by target. `undefined` when the control did not return.
 */
export function goldenOf(control: Observation): Observation['golden'] {
  const outcome = control.outcomes[0];
  if (outcome?.status !== 'returned') return undefined;
  const committed = control.effects.filter((effect) => !effect.replayed);
  const effectsByTarget: Record<string, number> = {};
  for (const effect of committed) {
    const entry = control.trace.find((e) => e.seq === effect.seq);
    if (entry) effectsByTarget[targetOf(entry)] = (effectsByTarget[targetOf(entry)] ?? 0) + 1;
  }
  return { value: outcome.value, effects: committed.length, effectsByTarget };
}
