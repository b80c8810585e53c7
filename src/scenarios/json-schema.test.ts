import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCENARIO_SCHEMA_FILE, renderScenarioJsonSchema } from './json-schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('scenario JSON Schema', () => {
  it('is committed exactly as the generator writes it now (run `npm run schemas` after changing schema.ts)', async () => {
    expect(await readFile(`${root}${SCENARIO_SCHEMA_FILE}`, 'utf8')).toBe(renderScenarioJsonSchema());
  });
});
