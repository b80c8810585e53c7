import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_ID, reportJsonSchema } from './schema.js';

describe('report JSON Schema', () => {
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
