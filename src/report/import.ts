/** Text for people of `holdup import nock` and `holdup import openapi`: what was written, redacted and left out. */
import { plural } from './format.js';

export interface ImportSummary {
  /** `nock` or `openapi`. */
  kind: string;
  /** The input and the contract written, as the user should read them. */
  input: string;
  file: string;
  consumer: string;
  provider: string;
  names: readonly string[];
  interactions: number;
  redacted: number;
  duplicates: number;
  skipped: readonly { where: string; reason: string }[];
  tokenEndpoint?: string;
  notes: readonly string[];
}

export function formatImportSummary(summary: ImportSummary): string {
  const lines = [
    `wrote ${summary.file} from ${summary.input}: ${plural(summary.interactions, 'interaction')}, ${plural(summary.redacted, 'redacted value')}` +
      (summary.duplicates > 0 ? ` (${plural(summary.duplicates, 'repeated request')} left out)` : ''),
    `names: ${summary.names.join(', ')}`,
  ];
  if (summary.tokenEndpoint) lines.push(`token endpoint: ${summary.tokenEndpoint} (holdup run issues its own tokens there)`);
  for (const note of summary.notes) lines.push(`note: ${note}`);
  if (summary.skipped.length > 0) {
    lines.push(`skipped ${plural(summary.skipped.length, 'item')}:`);
    for (const item of summary.skipped) lines.push(`  ${item.where}: ${item.reason}`);
  }
  lines.push(`next: write a connector whose \`contract\` is ${summary.file}, then holdup run --connector NAME (docs/connectors.md)`);
  return `${lines.join('\n')}\n`;
}
