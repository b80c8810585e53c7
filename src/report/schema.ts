/** The published JSON Schema of `report.json`, generated from `RunReportSchema`. */
import { z } from 'zod';
import { RunReportSchema } from '../core/report.js';

/** Where the generated schema is committed, relative to the project root. */
export const REPORT_SCHEMA_FILE = 'docs/report.schema.json';
/** A name, not an address: holdup publishes no schema server; the file is docs/report.schema.json. */
export const REPORT_SCHEMA_ID = 'urn:holdup:schema:report:v1';

/**
 * A property with a default (`interrupted`) may be absent: reports written before it existed lack
 * it, and holdup reads them with the default. zod's output schema lists it as required (what
 * holdup writes always has it); the published schema validates what readers may meet.
 */
function defaultsOptional(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) defaultsOptional(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const object = node as { properties?: Record<string, unknown>; required?: string[] };
  if (object.properties && Array.isArray(object.required)) {
    const properties = object.properties;
    object.required = object.required.filter((name) => !(typeof properties[name] === 'object' && properties[name] !== null && 'default' in properties[name]));
  }
  for (const value of Object.values(node)) defaultsOptional(value);
}

/** The JSON Schema (draft 2020-12) of `report.json`. */
export function reportJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(RunReportSchema, { target: 'draft-2020-12', io: 'output' });
  defaultsOptional(generated);
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: REPORT_SCHEMA_ID,
    title: 'holdup run report',
    description:
      'The report.json that `holdup run` writes into reports/<run-id>/: per connector, the ' +
      'resilience score, the categories with their checks, and the findings with their evidence ' +
      'and the command that replays them. Generated from RunReportSchema (src/core/report.ts) ' +
      'by `npm run docs`; do not edit by hand.',
    ...rest,
  };
}

/** The file's exact text: 2-space indented, ending with a newline. */
export function renderReportJsonSchema(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}
