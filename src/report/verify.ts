/**
 * The text of `holdup verify`: one block per interaction that did not verify (which field,
 * expected vs actual, the request that was sent), one line per interaction that did, a summary.
 */
import { clip as clipText } from '../core/errors.js';
import type { Drift, InteractionVerification, VerifyReport } from '../core/verify.js';

type DriftView = Drift;
type InteractionView = InteractionVerification;
type VerifyReportView = VerifyReport;

/** Drift items are listed in the order of an HTTP response: status, headers, body. */
const DRIFT_ORDER: readonly DriftView['kind'][] = ['error', 'status', 'header', 'body-type', 'body', 'other'];

/** Values longer than this are cut with `…`. */
const VALUE_WIDTH = 80;

/** `text`, cut to the width a drift line shows. */
function clip(text: string, width = VALUE_WIDTH): string {
  return clipText(text, width);
}

/**
 * `1200 (a number)`, `"1200" (a string)`, `null`, `{…} (an object)` from the JSON text the verifier
 * reports: the type is shown because a drift is so often one (a number sent as a string), and the
 * text as the verifier quoted it, unlike `describeValue` (core/parse.ts), which shows a parsed value
 * in a few words.
 */
export function describeJsonText(json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return clip(json);
  }
  if (value === null) return 'null';
  if (typeof value === 'string') return `${clip(JSON.stringify(value))} (a string)`;
  if (typeof value === 'number') return `${json} (a number)`;
  if (typeof value === 'boolean') return `${json} (a boolean)`;
  if (Array.isArray(value)) return `${clip(json)} (an array of ${value.length})`;
  return `${clip(json)} (an object)`;
}

/** `a, b` from the JSON array of keys the verifier reports; `none` for an empty one. */
function describeKeys(json: string): string {
  try {
    const keys: unknown = JSON.parse(json);
    if (Array.isArray(keys)) return keys.length === 0 ? 'none' : clip(keys.map(String).join(', '), 120);
  } catch {
    // not a list: shown as it came
  }
  return clip(json);
}

function secretHint(name: string): string {
  return `--secret ${name}=… (or env HOLDUP_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')})`;
}

/** One drift item as a line, without indentation. */
export function driftLine(drift: DriftView): string {
  switch (drift.kind) {
    case 'status':
      return `status: expected ${drift.expected}, got ${drift.actual}`;
    case 'header':
      return drift.actual === null
        ? `header ${drift.name}: expected "${clip(drift.expected)}", got no ${drift.name} header`
        : `header ${drift.name}: expected "${clip(drift.expected)}", got "${clip(drift.actual)}"`;
    case 'body': {
      // a map missing keys: Pact reports the key lists, which read better as its sentence
      const missing = /^Actual map is missing the following keys: (.*)$/.exec(drift.detail);
      if (missing) {
        const keys = missing[1] ?? '';
        const word = keys.includes(',') ? 'keys' : 'key';
        return `body ${drift.path}: the object lacks the ${word} ${clip(keys, 120)} (got the keys ${describeKeys(drift.actual)})`;
      }
      const rule = drift.detail ? ` — Pact: ${clip(drift.detail)}` : '';
      return `body ${drift.path}: expected ${describeJsonText(drift.expected)}, got ${describeJsonText(drift.actual)}${rule}`;
    }
    case 'body-type':
      return `body: expected content type ${drift.expected}, got ${drift.actual || 'none'}`;
    case 'other':
      return `${drift.type}: ${clip(drift.detail, 160)}`;
    case 'error': {
      const states = /state change/i.test(drift.detail)
        ? ' (the --state-change-url must answer a POST of {"state", "params", "action"} with a 2xx)'
        : '';
      return `could not verify: ${clip(drift.detail, 160)}${states}`;
    }
  }
}

function interactionHead(mark: string, interaction: InteractionView): string {
  const pending = interaction.pending ? ' [pending]' : '';
  return `  ${mark} ${interaction.description}${pending} — ${interaction.method} ${interaction.path}`;
}

function requestLines(request: InteractionView['request']): string[] {
  const lines = [`      request: ${request.method} ${request.target}`];
  for (const [name, value] of request.headers) lines.push(`        ${name}: ${clip(value)}`);
  if (request.body !== undefined) lines.push(`        body: ${clip(request.body)}`);
  return lines;
}

function statesLine(report: VerifyReportView): string {
  const all = report.contracts.flatMap((c) => c.interactions);
  const withState = all.filter((i) => i.providerStates.length > 0).length;
  if (report.stateChangeUrl) return `provider states: set up through ${report.stateChangeUrl} before each interaction`;
  if (withState === 0) return 'provider states: none needed';
  return `provider states: not set up (no --state-change-url); ${withState} of ${all.length} interactions name one, and any that depends on its state may drift`;
}

/** The summary line: `3 of 7 interactions verified; 4 drifted`. */
export function summaryLine(report: VerifyReportView): string {
  const { total, verified, drifted, needsSecret, notRun } = report.summary;
  const parts = [`${verified} of ${total} interaction${total === 1 ? '' : 's'} verified`, `${drifted} drifted`];
  if (needsSecret > 0) parts.push(`${needsSecret} not sent (secrets missing)`);
  if (notRun > 0) parts.push(`${notRun} not run by the verifier`);
  return parts.join('; ');
}

/** The whole text `holdup verify` prints. */
export function renderVerifyReport(report: VerifyReportView): string {
  const lines = [`holdup verify against ${report.providerUrl}`, statesLine(report)];
  if (report.headers.length > 0) lines.push(`headers added to every request: ${report.headers.join(', ')}`);
  for (const contract of report.contracts) {
    lines.push('', `${contract.file} (${contract.consumer} → ${contract.provider})`);
    for (const interaction of contract.interactions) {
      switch (interaction.status) {
        case 'verified':
          lines.push(interactionHead('✓', interaction));
          break;
        case 'needs-secret':
          lines.push(
            interactionHead('!', interaction),
            ...interaction.needsSecrets.map((name) => `      not sent: needs ${secretHint(name)}`),
          );
          break;
        case 'not-run':
          lines.push(interactionHead('?', interaction), '      the verifier gave no result for it');
          break;
        case 'drifted': {
          lines.push(interactionHead('✗', interaction));
          if (interaction.providerStates.length > 0) {
            const setUp = report.stateChangeUrl ? '' : ' (not set up)';
            lines.push(`      given: ${interaction.providerStates.join('; ')}${setUp}`);
          }
          const order = (drift: DriftView) => DRIFT_ORDER.indexOf(drift.kind);
          const sorted = [...interaction.drift].sort((a, b) => order(a) - order(b));
          for (const drift of sorted) lines.push(`      ${driftLine(drift)}`);
          lines.push(...requestLines(interaction.request));
          break;
        }
      }
    }
  }
  lines.push('', summaryLine(report));
  return `${lines.join('\n')}\n`;
}
