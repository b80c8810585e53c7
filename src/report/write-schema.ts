/**
 * Writes the published JSON Schemas (`docs/report.schema.json` from `RunReportSchema`,
 * `docs/scenario.schema.json` from `ScenarioSchema`) and `docs/checks.md` from the check registry.
 * Run from the project root: `npm run schemas`.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CHECKS } from '../checks/index.js';
import { SCENARIO_SCHEMA_FILE, renderScenarioJsonSchema } from '../scenarios/json-schema.js';
import { CHECKS_DOC_FILE, builtinScenarios, renderChecksDoc } from './checks-doc.js';
import { writeFileAtomic } from './fs.js';
import { REPORT_SCHEMA_FILE, renderReportJsonSchema } from './schema.js';

for (const [name, text] of [
  [REPORT_SCHEMA_FILE, renderReportJsonSchema()],
  [SCENARIO_SCHEMA_FILE, renderScenarioJsonSchema()],
  [CHECKS_DOC_FILE, renderChecksDoc(CHECKS, await builtinScenarios())],
] as const) {
  const file = resolve(name);
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
