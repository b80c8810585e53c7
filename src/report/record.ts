/** Text for people of `holdup record`: one line per operation, then what was written. */

import type { OperationRecording as OperationRecorded, RefusedRequest } from '../core/record.js';
import { plural } from './format.js';

/** `recording listInvoices … 3 requests`, with what was refused, what went wrong and the connector's warnings. */
export function formatOperationRecorded(recording: OperationRecorded): string {
  const lines = [`recording ${recording.operation} … ${plural(recording.requests, 'request')}${recording.refused > 0 ? `, ${recording.refused} refused` : ''}`];
  if (recording.error !== undefined) {
    lines[0] += ` (threw: ${recording.error}; its requests are recorded anyway)`;
  }
  for (const warning of recording.warnings) lines.push(`  warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The requests the recorder refused, one a line: `  smuggle: GET /x (Host: evil.example) → 421, its
 * Host names evil.example`. Empty when there were none.
 */
export function formatRefusedRequests(refused: readonly RefusedRequest[]): string {
  if (refused.length === 0) return '';
  const lines = [
    `refused ${plural(refused.length, 'request')} that named another host than the upstream or rewrote its target: answered with a 4xx, not forwarded, not in the contract`,
    ...refused.map((r) => `  ${r.operation ? `${r.operation}: ` : ''}${r.request} → ${r.status}, ${r.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}

export interface RecordSummary {
  /** The contract written, as the user should read it (relative to the working folder). */
  file: string;
  connector: string;
  interactions: number;
  redacted: number;
  duplicates: number;
  /** Operations that threw. */
  failed: string[];
  refused: readonly RefusedRequest[];
}

export function formatRecordSummary(summary: RecordSummary): string {
  const lines = [
    `wrote ${summary.file}: ${plural(summary.interactions, 'interaction')}, ${plural(summary.redacted, 'redacted value')}` +
      (summary.duplicates > 0 ? ` (${plural(summary.duplicates, 'repeated request')} left out)` : ''),
  ];
  const refused = formatRefusedRequests(summary.refused);
  if (refused) lines.push(refused.trimEnd());
  if (summary.failed.length > 0) {
    lines.push(`note: ${summary.failed.join(', ')} threw while recording; check that the contract holds what you expect before relying on it`);
  }
  lines.push(`next: point the \`contract\` of ${summary.connector} at it, then holdup run --connector ${summary.connector}`);
  return `${lines.join('\n')}\n`;
}
