/** Text for people of `holdup record`: one line per operation, then what was written. */

import type { OperationRecording as OperationRecorded } from '../core/record.js';
import { plural } from './format.js';

/** `recording listInvoices … 3 requests`, with what went wrong and the connector's warnings. */
export function formatOperationRecorded(recording: OperationRecorded): string {
  const lines = [`recording ${recording.operation} … ${plural(recording.requests, 'request')}`];
  if (recording.error !== undefined) {
    lines[0] += ` (threw: ${recording.error}; its requests are recorded anyway)`;
  }
  for (const warning of recording.warnings) lines.push(`  warning: ${warning}`);
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
}

export function formatRecordSummary(summary: RecordSummary): string {
  const lines = [
    `wrote ${summary.file}: ${plural(summary.interactions, 'interaction')}, ${plural(summary.redacted, 'redacted value')}` +
      (summary.duplicates > 0 ? ` (${plural(summary.duplicates, 'repeated request')} left out)` : ''),
  ];
  if (summary.failed.length > 0) {
    lines.push(`note: ${summary.failed.join(', ')} threw while recording; check that the contract holds what you expect before relying on it`);
  }
  lines.push(`next: point the \`contract\` of ${summary.connector} at it, then holdup run --connector ${summary.connector}`);
  return `${lines.join('\n')}\n`;
}
