import type { Check, FindingDraft, Mismatch, TraceEntry } from '../core/index.js';
import { describeRequest } from './trace.js';
import { plural, verdictOf } from './verdict.js';

/** Header and field names whose values a message never shows. */
const SECRET_NAME = /auth|token|key|secret|cookie|session|password/i;

function shown(mismatch: Mismatch, value: string): string {
  const text = SECRET_NAME.test(mismatch.path) ? '<redacted>' : value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `closest: "get one invoice" (query customer: expected cus_1, found cus_2)`, or `''` without a near miss. */
export function describeNearMiss(entry: TraceEntry): string {
  const near = entry.nearMiss;
  if (!near) return '';
  const parts = near.mismatches
    .slice(0, 3)
    .map((m) => `${m.part}${m.path ? ` ${m.path}` : ''}: expected ${shown(m, m.expected)}, found ${shown(m, m.actual)}`)
    .join('; ');
  return `closest: "${near.interaction.description}"${parts ? ` (${parts})` : ''}`;
}

/**
 * A request no interaction of the contract matches is not an upstream fault: the contract and
 * the client disagree (the client calls an endpoint the recording never saw, or sends other
 * query or body values when it retries). holdup answers it with a 500 of its own, which the
 * other checks never count as a failure of the upstream; this check reports it, with the
 * interaction that came closest. Whether it fails the gate is the config's `onUnhandledRequest`
 * (`error` by default, `warn`, `bypass`); it never changes a score. The runner judges every
 * execution with it: scenarios need not name it.
 */
export const matchesContract: Check = {
  id: 'matches-contract',
  critical: false,
  weight: 0,
  summary: 'Every request the connector sends matches an interaction of its contract.',
  codes: {
    'HU-UM-001': 'a request matched no interaction of the contract',
  },
  docs: {
    rule:
      "Every request the connector sends matches an interaction of its contract. holdup answers an unmatched request with a 500 of its own, which no other check counts as a failure of the upstream.",
    evidence:
      "The requests of the trace that matched no interaction, with the interaction that came closest and what differed.",
    budget:
      "Never scored (weight 0). Runs on every execution, named or not. onUnhandledRequest decides the rest: error (default) fails the gate, warn reports a warning, bypass says nothing.",
    notExercised:
      "Never: every execution is judged (unless onUnhandledRequest is bypass).",
  },
  evaluate(observation) {
    const unmatched = observation.trace.filter((entry) => entry.unmatched);
    const bySignature = new Map<string, TraceEntry[]>();
    for (const entry of unmatched) {
      const signature = describeRequest(entry);
      bySignature.set(signature, [...(bySignature.get(signature) ?? []), entry]);
    }
    const findings: FindingDraft[] = [...bySignature].map(([signature, entries]) => {
      const first = entries[0] as TraceEntry;
      const closest = describeNearMiss(first);
      const times = entries.length > 1 ? ` (${plural(entries.length, 'request')})` : '';
      return {
        code: 'HU-UM-001',
        message: `${signature} matched no interaction of the contract${times}${closest ? `; ${closest}` : ''}: holdup answered 500 in the upstream's place`,
        details: {
          request: signature,
          requests: entries.length,
          ...(first.nearMiss ? { closest: first.nearMiss.interaction.description } : {}),
        },
        seqs: entries.map((entry) => entry.seq),
      };
    });
    return verdictOf(findings);
  },
};
