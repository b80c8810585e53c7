import path from 'node:path';
import { z } from 'zod';
import { CHECKS } from '../checks/index.js';
import { HoldupError, closest, holdupPackage, jsonPath, parseJsonText, parseWithSchema, quoted, readInputFile, type Fault, type FaultParams } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { ScenarioSchema, type LoadedScenario, type Scenario } from './schema.js';

/** Where the built-in scenario library lives: the `scenarios/` folder of the holdup package. */
export const BUILTIN_SCENARIOS_DIR = path.join(holdupPackage().root, 'scenarios') + path.sep;

const HINT = 'fix the scenario file; docs/scenarios.md describes the format, and scenarios/ holds examples';

function suggestion(name: string, candidates: Iterable<string>): string {
  const near = closest(name, candidates);
  return near ? `did you mean "${near}"? ` : '';
}

/** Validates what the schema cannot: fault ids, their parameters, check ids. */
export function validateScenario(
  scenario: Scenario,
  file: string,
  faults: ReadonlyMap<string, Fault<FaultParams>> = FAULTS,
): Scenario {
  scenario.faults.forEach((entry, index) => {
    const fault = faults.get(entry.fault);
    if (!fault) {
      throw new HoldupError('UNKNOWN_FAULT', `unknown fault id ${quoted(entry.fault)}`, {
        file,
        path: jsonPath(['faults', index, 'fault']),
        hint: `${suggestion(entry.fault, faults.keys())}\`holdup faults\` lists every fault id`,
      });
    }
    if (fault.needs === 'network' && scenario.concurrency > 1) {
      throw new HoldupError('SCENARIO_SCHEMA', `${fault.id} needs Toxiproxy, whose toxics act on every connection of the proxy: it cannot single out one of ${scenario.concurrency} concurrent invocations`, {
        file,
        path: jsonPath(['concurrency']),
        hint: 'remove `concurrency` (1) from this scenario, or use an HTTP-level fault (`holdup faults` marks the ones that need Toxiproxy)',
      });
    }
    const schema = fault.params;
    const partial = schema instanceof z.ZodObject ? schema.partial().strict() : schema;
    try {
      parseWithSchema(partial, entry.params, {
        file,
        code: 'FAULT_PARAMS',
        hint: `see the parameters of ${fault.id} with \`holdup faults\``,
      });
    } catch (error) {
      // the schema saw only the params object: make the path absolute within the file
      if (!(error instanceof HoldupError)) throw error;
      throw new HoldupError('FAULT_PARAMS', error.message, {
        file,
        path: `${jsonPath(['faults', index, 'params'])}${(error.path ?? '$').slice(1)}`,
        hint: error.hint,
      });
    }
  });
  scenario.checks.forEach((id, index) => {
    if (!(id in CHECKS)) {
      throw new HoldupError('UNKNOWN_CHECK', `unknown check id ${quoted(id)}`, {
        file,
        path: jsonPath(['checks', index]),
        hint: `${suggestion(id, Object.keys(CHECKS))}valid checks: ${Object.keys(CHECKS).join(', ')}`,
      });
    }
  });
  return scenario;
}

/** Parses scenario text (a scenario file's content) into a validated scenario. */
export function parseScenario(text: string, file: string): Scenario {
  const raw = parseJsonText(text, file, 'SCENARIO_JSON', { hint: HINT, expected: 'a scenario' });
  const scenario = parseWithSchema(ScenarioSchema, raw, { file, code: 'SCENARIO_SCHEMA', hint: HINT });
  return validateScenario(scenario, file);
}

export async function loadScenarioFile(absolutePath: string, displayPath: string, builtin = false): Promise<LoadedScenario> {
  const text = await readInputFile(absolutePath, displayPath, {
    what: 'scenario file',
    notFound: 'SCENARIO_NOT_FOUND',
    notFoundHint: 'check the `scenarios` globs in your config',
  });
  return { scenario: parseScenario(text, displayPath), file: displayPath, builtin };
}
