/**
 * The text of `holdup diff`: a header naming both contracts, one line per change (breaking
 * ones marked `BREAKING`), a summary. `diffJson` is the same changes as data, for `--json`.
 */
import type { ContractChange } from '../contracts/diff.js';
import type { Json } from '../core/json.js';

export interface DiffView {
  /** The two contract files, as the user named them. */
  old: string;
  next: string;
  changes: readonly ContractChange[];
}

function quote(value: Json | undefined): string {
  return JSON.stringify(value ?? null);
}

function values(value: Json | undefined): string {
  return Array.isArray(value) ? value.map(quote).join(', ') : quote(value);
}

/** What happened, after `request body ` / `response header ` and the like. */
function what(change: ContractChange): string {
  const where = change.location;
  switch (change.kind) {
    case 'interaction-added':
      return 'interaction added';
    case 'interaction-removed':
      return 'interaction removed';
    case 'status-changed':
      return `status ${String(change.before)} changed to ${String(change.after)}`;
    case 'header-added':
      return `header ${where} added (${quote(change.after)})`;
    case 'header-removed':
      return `header ${where} removed (was ${quote(change.before)})`;
    case 'header-changed':
      return `header ${where} changed from ${quote(change.before)} to ${quote(change.after)}`;
    case 'field-added':
      return `body ${where} added (${String(change.after)})`;
    case 'field-removed':
      return `body ${where} removed (${String(change.before)})`;
    case 'field-renamed':
      return `body ${where} renamed to ${change.renamedTo ?? '?'} (${String(change.after)})`;
    case 'type-changed':
      return `body ${where} changed type from ${String(change.before)} to ${String(change.after)}`;
    case 'enum-widened':
      return `body ${where} has new values ${values(change.after)}`;
    case 'query-added':
      return `query parameter ${where} added (${values(change.after)})`;
    case 'query-removed':
      return `query parameter ${where} removed`;
  }
}

/** `BREAKING  GET /v1/invoices/in_1 "a request for invoice in_1": response body $.amount_due renamed to $.amount_total (number)` */
export function diffLine(change: ContractChange): string {
  const mark = change.breaking ? 'BREAKING' : 'ok';
  const { method, path, description } = change.interaction;
  const whole = change.kind === 'interaction-added' || change.kind === 'interaction-removed';
  return `${mark.padEnd(10)}${method} ${path} ${JSON.stringify(description)}: ${whole ? '' : `${change.part} `}${what(change)}`;
}

/** `2 breaking, 1 non-breaking changes`, or `no changes`. */
export function diffSummary(changes: readonly ContractChange[]): string {
  if (changes.length === 0) return 'no changes';
  const breaking = changes.filter((change) => change.breaking).length;
  return `${breaking} breaking, ${changes.length - breaking} non-breaking changes`;
}

/** The whole text, ending with a newline. */
export function diffText(view: DiffView): string {
  const lines = [`holdup diff: ${view.old} (old) → ${view.next} (new)`, ...view.changes.map(diffLine), diffSummary(view.changes)];
  return `${lines.join('\n')}\n`;
}

/** `--json`: the files, the counts and the change objects. */
export function diffJson(view: DiffView): string {
  const breaking = view.changes.filter((change) => change.breaking).length;
  const body = { old: view.old, new: view.next, breaking, nonBreaking: view.changes.length - breaking, changes: view.changes };
  return `${JSON.stringify(body, null, 2)}\n`;
}
