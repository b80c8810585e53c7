import { existsSync } from 'node:fs';
import path from 'node:path';
import { holdupPackage, type CategoryId, type FaultSchedule, type Finding } from '../core/index.js';
import { SCENARIO_SCHEMA_FILE } from './json-schema.js';
import type { ScenarioInput } from './schema.js';

export interface ReproInput {
  connector: string;
  operation: string;
  /** Invocations at once; omitted from the file when 1. */
  concurrency: number;
  schedule: FaultSchedule;
  words: string;
  checks: readonly string[];
  findings: readonly Finding[];
  seed: number;
  path: string;
  category: CategoryId;
  /** How it was found, so `holdup repro` replays it the same way. */
  mode: 'in-process' | 'network';
  /** Where the file is written: its `$schema` points from there to holdup's scenario schema. */
  file: string;
  /** The project's folder (the config's): where `node_modules/holdup` is looked for. */
  projectRoot: string;
}

/**
 * The `$schema` of a scenario file at `file`: the relative path to the schema holdup ships
 * (`docs/scenario.schema.json` of the installed package), so an editor finds it in any project
 * (`../../node_modules/holdup/docs/scenario.schema.json` from `scenarios/repro/`).
 */
export function scenarioSchemaRef(file: string, projectRoot: string): string {
  // the path a project sees holdup at (node_modules/holdup, whether linked, or pnpm's store behind it), else where it runs from
  const installed = path.join(projectRoot, 'node_modules', 'holdup', SCENARIO_SCHEMA_FILE);
  const schema = existsSync(installed) ? installed : path.join(holdupPackage().root, SCENARIO_SCHEMA_FILE);
  return path.relative(path.dirname(file), schema).split(path.sep).join('/');
}

/** `repro/billing-naive-0000002a`: the id of a repro file, from the connector and the seed. */
export function reproId(connector: string, seed: number): string {
  return `repro/${connector.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}-${(seed >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * The scenario file `holdup fuzz` writes for a failure: the shrunk schedule with every
 * parameter fixed, the checks that judged it, and how it was found. A person can read it,
 * it passes the scenario schema, and it holds no secret (parameters and ids only).
 */
export function reproScenario(input: ReproInput): ScenarioInput & { $schema: string } {
  const codes = [...new Set(input.findings.map((finding) => `${finding.code} ${finding.check}`))];
  return {
    $schema: scenarioSchemaRef(input.file, input.projectRoot),
    id: reproId(input.connector, input.seed),
    category: input.category,
    description: `Found by holdup fuzz on ${input.connector}.${input.operation}${input.concurrency > 1 ? ` (${input.concurrency} invocations at once)` : ''}: ${input.words}.`,
    operations: [input.operation],
    ...(input.concurrency > 1 ? { concurrency: input.concurrency } : {}),
    faults: input.schedule.steps.map((step) => ({ fault: step.fault, on: step.on, requests: step.request, params: step.params })),
    checks: [...input.checks],
    repro: { connector: input.connector, mode: input.mode, seed: input.seed, path: input.path, found: codes.join('; ') },
  };
}
