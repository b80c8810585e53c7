import type { CommittedEffect, Observation, TraceEntry } from '../core/index.js';

/** Methods that change state upstream. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `POST /v1/invoices`: what a write request targets, as `golden.effectsByTarget` keys it. */
export function targetOf(entry: TraceEntry): string {
  return `${entry.request.method.toUpperCase()} ${entry.request.path}`;
}

/** The write requests of an execution (API stream), in order of arrival. */
export function writeRequests(observation: Observation): TraceEntry[] {
  return observation.trace
    .filter((entry) => entry.stream === 'api' && WRITE_METHODS.has(entry.request.method.toUpperCase()))
    .sort((a, b) => a.seq - b.seq);
}

/** The request's `Idempotency-Key`, whatever its case; `undefined` when it has none. */
export function idempotencyKey(entry: TraceEntry): string | undefined {
  for (const [name, value] of Object.entries(entry.request.headers)) {
    if (name.toLowerCase() === 'idempotency-key') return value;
  }
  return undefined;
}

/**
 * How many logical writes the execution made: the writes one control invocation committed,
 * times the invocations. `undefined` when the control committed nothing (not a write that
 * the upstream records).
 */
export function logicalWrites(observation: Observation): number | undefined {
  const perInvocation = observation.golden?.effects ?? 0;
  if (observation.kind !== 'write' || perInvocation === 0) return undefined;
  return perInvocation * observation.outcomes.length;
}

/** The writes to one target, judged on their own: a retry of a write goes to the same target. */
export interface WriteGroup {
  /** `POST /v1/invoices`, or `*` when the golden result does not say which targets were written. */
  target: string;
  requests: TraceEntry[];
  /** Effects the upstream committed (not replayed for a repeated key) for these requests. */
  commits: CommittedEffect[];
  /** Logical writes to this target: its control commits times the invocations. */
  expected: number;
  /** Logical writes to this target by the invocations that returned (they must have sent theirs). */
  confirmed: number;
}

/** A response the client did not get whole: dropped, cut short, never sent, or mangled by Toxiproxy. */
export function responseLost(entry: TraceEntry): boolean {
  return entry.delivery !== 'normal' || entry.response === undefined || entry.network !== undefined;
}

/**
 * The execution's writes grouped by target (`undefined` when `logicalWrites` is). Targets the
 * control never wrote to are left out: nothing says how many writes they should see.
 */
export function writeGroups(observation: Observation): WriteGroup[] | undefined {
  const golden = observation.golden;
  if (!golden || logicalWrites(observation) === undefined) return undefined;
  const perTarget = golden.effectsByTarget ?? { '*': golden.effects };
  const invocations = observation.outcomes.length;
  const returned = observation.outcomes.filter((outcome) => outcome.status === 'returned').length;
  const bySeq = new Map(observation.trace.map((entry) => [entry.seq, entry]));
  const keyOf = (entry: TraceEntry | undefined): string | undefined =>
    entry === undefined ? undefined : golden.effectsByTarget ? targetOf(entry) : '*';
  const groups: WriteGroup[] = [];
  for (const [target, count] of Object.entries(perTarget)) {
    if (count <= 0) continue;
    groups.push({
      target,
      requests: writeRequests(observation).filter((entry) => keyOf(entry) === target),
      commits: observation.effects.filter(
        (effect) => !effect.replayed && (golden.effectsByTarget ? keyOf(bySeq.get(effect.seq)) === target : true),
      ),
      expected: count * invocations,
      confirmed: count * returned,
    });
  }
  return groups;
}

/** ` (POST /v1/invoices)` for a named target; `''` for the single group. */
export function targetSuffix(group: WriteGroup): string {
  return group.target === '*' ? '' : ` (${group.target})`;
}
