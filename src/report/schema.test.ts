import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_FILE, REPORT_SCHEMA_ID, renderReportJsonSchema, reportJsonSchema } from './schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('report JSON Schema', () => {
  it('is committed exactly as the generator writes it now (run `npm run schemas` after changing report.ts)', async () => {
    const committed = await readFile(`${root}${REPORT_SCHEMA_FILE}`, 'utf8');
    expect(committed).toBe(renderReportJsonSchema());
  });

  it('carries an id, a title and a description, and requires the run fields', () => {
    const schema = reportJsonSchema();
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: REPORT_SCHEMA_ID,
      title: 'holdup run report',
      type: 'object',
    });
    expect(typeof schema.description).toBe('string');
    expect(schema.required).toEqual(
      expect.arrayContaining(['schemaVersion', 'runId', 'seed', 'networkEngine', 'gate', 'connectors']),
    );
  });

  it('does not require "interrupted", which has a default: reports written before it existed still validate', () => {
    const schema = reportJsonSchema() as { required: string[]; properties: Record<string, { default?: unknown }> };
    expect(schema.required).not.toContain('interrupted');
    expect(schema.properties['interrupted']?.default).toBe(false);
  });
});
