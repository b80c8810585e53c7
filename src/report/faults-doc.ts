/**
 * `docs/faults.md`, generated from the fault registry (`src/faults/index.ts`), the categories
 * (`src/core/categories.ts`) and the built-in scenario library: per category, each fault's
 * summary, the request stream it targets, its parameters (from its zod schema) and the scenarios
 * that use it. `npm run docs` writes it; a test fails when the committed file drifts.
 */
import { z } from 'zod';
import { CATEGORY_IDS, CATEGORY_WEIGHTS, type Fault, type FaultParams } from '../core/index.js';
import type { Scenario } from '../scenarios/schema.js';

/** Where the generated page is committed, relative to the project root. */
export const FAULTS_DOC_FILE = 'docs/faults.md';

interface ParamSchema {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  description?: string;
  anyOf?: ParamSchema[];
}

function typeOf(schema: ParamSchema): string {
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' or ');
  if (schema.enum) return `one of ${schema.enum.map((value) => JSON.stringify(value)).join(', ')}`;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['any JSON'];
  const range =
    schema.minimum !== undefined && schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER
      ? ` ${schema.minimum}–${schema.maximum}`
      : schema.minimum !== undefined
        ? ` ≥ ${schema.minimum}`
        : '';
  return `${types.join(' or ')}${range}`;
}

/** A fault's parameters in words: `seconds` (integer 0–86400), … — "none" when it takes none. */
export function describeParams(fault: Fault<FaultParams>): string {
  const schema = z.toJSONSchema(fault.params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, ParamSchema> };
  const entries = Object.entries(schema.properties ?? {});
  if (entries.length === 0) return 'none';
  return entries
    .map(([name, param]) => `\`${name}\` (${typeOf(param)}${param.description ? `: ${param.description}` : ''})`)
    .join('; ');
}

export function renderFaultsDoc(faults: ReadonlyMap<string, Fault<FaultParams>>, scenarios: readonly Scenario[]): string {
  const sorted = [...scenarios].sort((a, b) => a.id.localeCompare(b.id));
  const all = [...faults.values()];
  const lines = [
    '# Faults',
    '',
    '<!-- Generated from src/faults/ (each fault\'s id, summary and params) and scenarios/ by `npm run docs`; do not edit by hand. -->',
    '',
    `holdup injects ${all.length} faults in ${CATEGORY_IDS.length} categories. A scenario names them`,
    '(`faults[].fault`, [scenarios.md](scenarios.md)); parameters a scenario leaves open are drawn',
    'from the run\'s seed, so a seed replays them. `holdup faults` prints the same list.',
    '',
    '- **Stream**: which requests the fault counts by default: `api` (the operation\'s own requests)',
    '  or `token` (requests to the contract\'s OAuth2 token endpoint); a scenario may say otherwise.',
    '- **Needs Toxiproxy**: the fault is delivered by a Toxiproxy toxic on the execution\'s own',
    '  proxy; without Toxiproxy its scenarios are *not run*, said in every report ([network.md](network.md)).',
    '- **From the control run**: where in the body, or which page, is learnt from the operation\'s',
    '  fault-free control execution.',
    '',
  ];
  for (const category of CATEGORY_IDS) {
    const members = all.filter((fault) => fault.category === category);
    lines.push(`## ${category}`, '', `Weight ${CATEGORY_WEIGHTS[category]}. ${members.length} fault${members.length === 1 ? '' : 's'}.`, '');
    lines.push('| fault | what it does | stream | parameters | scenarios |', '|---|---|---|---|---|');
    for (const fault of members) {
      const named = sorted.filter((s) => s.faults.some((f) => f.fault === fault.id)).map((s) => `\`${s.id}\``);
      const notes = [fault.needs === 'network' ? '**needs Toxiproxy**' : '', fault.derived ? 'from the control run' : ''].filter(Boolean);
      lines.push(
        `| \`${fault.id}\` | ${fault.summary.replaceAll('|', '\\|')}${notes.length > 0 ? ` (${notes.join('; ')})` : ''} | ${fault.on} | ${describeParams(fault).replaceAll('|', '\\|')} | ${named.join(', ') || '—'} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
