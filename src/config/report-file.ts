import { HoldupError, parseJsonText, parseWithSchema, readInputFile, RunReportSchema, type RunReport } from '../core/index.js';

const HINT = 'give the report.json of an earlier run (reports/latest/report.json, or one saved with -r json:FILE)';

/** An earlier run's report.json (a baseline, one side of holdup compare), parsed by its schema. */
export async function loadReportFile(absolute: string, shown: string): Promise<RunReport> {
  const text = await readInputFile(absolute, shown, { what: 'report file', notFound: 'BASELINE_NOT_FOUND', notFoundHint: HINT });
  const json = parseJsonText(text, shown, 'BASELINE_INVALID', { hint: HINT });
  const report = parseWithSchema(RunReportSchema, json, { file: shown, code: 'BASELINE_INVALID', hint: `${HINT}; it must be a holdup run report (docs/report.schema.json)` });
  // an interrupted run judged only part of what it planned: against it, the rest would look new or gone
  if (!report.complete) {
    throw new HoldupError('BASELINE_INVALID', `the run it reports did not finish (${report.incompleteReason ?? 'interrupted'}): it cannot be compared`, {
      file: shown,
      path: '$.complete',
      hint: 'use the report of a complete run (report.json has "complete": true)',
    });
  }
  return report;
}
