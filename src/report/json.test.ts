import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HoldupError } from '../core/errors.js';
import { RunReportSchema, type RunReport } from '../core/report.js';
import { writeReport } from './index.js';
import { createJsonReporter, renderJson } from './json.js';
import { fixtureReport } from './test-fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'holdup-json-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('json reporter', () => {
  it('writes report.json: exactly the report, 2-space indented', async () => {
    const { files } = await writeReport(fixtureReport(), dir, [createJsonReporter()]);
    dir = join(dir, fixtureReport().runId);
    expect(files).toEqual([join(dir, 'report.json')]);
    const text = await readFile(join(dir, 'report.json'), 'utf8');
    expect(text).toBe(`${JSON.stringify(fixtureReport(), null, 2)}\n`);
    expect(RunReportSchema.parse(JSON.parse(text))).toEqual(fixtureReport());
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('refuses a report that does not match the schema, and writes nothing', async () => {
    const report = fixtureReport();
    (report.connectors[0] as { grade: string }).grade = 'Z';
    (report as Partial<RunReport>).seed = 4.2;
    let error: unknown;
    try {
      await writeReport(report, dir, [createJsonReporter()]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HoldupError);
    expect((error as HoldupError).code).toBe('REPORT_WRITE');
    expect((error as HoldupError).message).toMatchInlineSnapshot(`
      "the run report does not match its schema:
      ✖ Invalid input: expected int, received number
        → at seed
      ✖ Invalid option: expected one of "A"|"B"|"C"|"D"|"F"
        → at connectors[0].grade"
    `);
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes what the schema describes: keys in schema order, unknown keys dropped', () => {
    const report = { debug: { internal: true }, ...fixtureReport() } as RunReport;
    expect(renderJson(report)).toBe(`${JSON.stringify(fixtureReport(), null, 2)}\n`);
  });

  it('renders the same text as it writes', () => {
    expect(renderJson(fixtureReport()).startsWith('{\n  "schemaVersion": 1,\n  "runId": "2025-03-14T09-26-53Z-7f3a",\n')).toBe(true);
  });
});
