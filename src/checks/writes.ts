import type { Observation, TraceEntry } from '../core/index.js';

/** Methods that change state upstream. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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
