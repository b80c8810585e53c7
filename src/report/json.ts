/** The json reporter: `report.json`, exactly the `RunReport`, checked against its schema first. */
import { z } from 'zod';
import { HoldupError } from '../core/errors.js';
import { RunReportSchema, type RunReport } from '../core/report.js';
import type { Reporter } from './types.js';

export const JSON_FILE = 'report.json';

/** `report.json` text: the report parsed by `RunReportSchema`, 2-space indented. Throws when it does not parse. */
export function renderJson(report: RunReport): string {
  const parsed = RunReportSchema.safeParse(report);
  if (!parsed.success) {
    throw new HoldupError('REPORT_WRITE', `the run report does not match its schema:\n${z.prettifyError(parsed.error)}`, {
      file: JSON_FILE,
      hint: 'this is a bug in holdup: please report it with the output above',
    });
  }
  return `${JSON.stringify(parsed.data, null, 2)}\n`;
}

export function createJsonReporter(): Reporter {
  return { name: 'json', output: { file: JSON_FILE, render: renderJson } };
}
