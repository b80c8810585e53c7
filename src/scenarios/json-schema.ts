/** The published JSON Schema of scenario files, generated from `ScenarioSchema`. */
import { z } from 'zod';
import { ScenarioSchema } from './schema.js';

/** Where the generated schema is committed, relative to the project root (scenario files point at it with `$schema`). */
export const SCENARIO_SCHEMA_FILE = 'docs/scenario.schema.json';

export function renderScenarioJsonSchema(): string {
  const { $schema, ...rest } = z.toJSONSchema(ScenarioSchema, { target: 'draft-2020-12', io: 'input' });
  const schema = {
    $schema,
    title: 'holdup scenario',
    description:
      'A fault schedule applied to operations, plus the checks that judge it: one file per scenario in scenarios/. ' +
      'Fault ids and check ids are listed by `holdup faults` and docs/scenarios.md. Generated from ScenarioSchema ' +
      '(src/scenarios/schema.ts) by `npm run docs`; do not edit by hand.',
    ...rest,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
