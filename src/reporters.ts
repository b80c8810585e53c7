/**
 * `holdup/reporters`: the report formats, for a report.json saved by an earlier run (a CI
 * artifact, a baseline): render it again as JUnit, Markdown, HTML or a GitHub step summary, or
 * check it against the schema holdup writes it with.
 *
 *   import { readFileSync, writeFileSync } from 'node:fs';
 *   import { parseReport, renderHtml } from 'holdup/reporters';
 *   writeFileSync('report.html', renderHtml(parseReport(readFileSync('report.json', 'utf8'))));
 */
import { RunReportSchema, type RunReport } from './core/index.js';

export { renderJson } from './report/json.js';
export { renderJunit, type JunitFlavour } from './report/junit.js';
export { renderMarkdown } from './report/markdown.js';
export { renderHtml } from './report/html.js';
export { renderAnnotations, renderGithubSummary } from './report/github.js';
export { REPORTERS, type Reporter, type ReporterOptions, type ReporterOutput } from './report/index.js';
export type { RunReport, ConnectorReport, CategoryReport, Finding } from './core/index.js';

/** A report.json's text, parsed and checked against the report schema (throws when it is not one). */
export function parseReport(text: string): RunReport {
  return RunReportSchema.parse(JSON.parse(text));
}
