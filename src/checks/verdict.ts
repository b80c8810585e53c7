/** Verdicts and the few words every check's messages share. */
import type { CheckResult, FindingDraft } from '../core/index.js';

/** `(3 of 10 invocations)` when an operation ran concurrently, else `''`. */
export function ofInvocations(count: number, total: number): string {
  return total > 1 ? ` (${count} of ${total} invocations)` : '';
}

/** `1 token` / `3 tokens`. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** A passing verdict. */
export function pass(): CheckResult {
  return { verdict: 'pass', findings: [] };
}

/** Nothing to judge: the execution does not count for this check; `reason` says why, in a few words. */
export function notApplicable(reason?: string): CheckResult {
  return reason === undefined ? { verdict: 'not-applicable', findings: [] } : { verdict: 'not-applicable', findings: [], reason };
}

/** `fail` with these findings, or `pass` when there are none. */
export function verdictOf(findings: FindingDraft[]): CheckResult {
  return { verdict: findings.length > 0 ? 'fail' : 'pass', findings };
}
