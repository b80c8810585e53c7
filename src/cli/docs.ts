/**
 * Every generated file of the repository, rendered from the registries: the fault list
 * (`src/faults/index.ts`), the checks (`src/checks/index.ts`), the categories
 * (`src/core/categories.ts`), the reporters (`src/report/index.ts`), the commands
 * (`./commands.ts`) and the zod schemas of the report and scenario files. `npm run docs` writes
 * them (`./write-docs.ts`); `src/cli/docs.test.ts` fails when a committed one differs.
 *
 * Whole files are rendered outright. The README is written by hand around blocks marked
 * `<!-- generated:NAME -->…<!-- /generated:NAME -->` (inline or over several lines), whose
 * content comes from here: ids, counts and tables are never typed twice.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CHECKS } from '../checks/index.js';
import { CATEGORY_IDS, CATEGORY_WEIGHTS, type Check } from '../core/index.js';
import { FAULTS } from '../faults/index.js';
import { CHECKS_DOC_FILE, builtinScenarios, renderChecksDoc } from '../report/checks-doc.js';
import { FAULTS_DOC_FILE, renderFaultsDoc } from '../report/faults-doc.js';
import { REPORTER_DOCS, REPORTERS, type ReporterName } from '../report/index.js';
import { REPORT_SCHEMA_FILE, renderReportJsonSchema } from '../report/schema.js';
import { SCENARIO_SCHEMA_FILE, renderScenarioJsonSchema } from '../scenarios/json-schema.js';
import type { Scenario } from '../scenarios/schema.js';
import { COMMANDS, commandHelp, type CommandName, type CommandSpec } from './commands.js';

export const CLI_DOC_FILE = 'docs/cli.md';
export const README_FILE = 'README.md';

/** A generated file: where it goes (relative to the project root) and its whole text. */
export interface GeneratedFile {
  file: string;
  text: string;
}

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];

/** A count as prose writes it: words up to twenty, digits above. */
export function countInWords(n: number): string {
  return WORDS[n] ?? n.toLocaleString('en-US');
}

function checksOf(category: string, scenarios: readonly Scenario[]): Check[] {
  const named = new Set(scenarios.filter((s) => s.category === category).flatMap((s) => s.checks));
  return Object.values(CHECKS).filter((check) => (check.policy ? check.policy.category === category : named.has(check.id)));
}

/** The contents of each README block, by name. */
export function readmeBlocks(scenarios: readonly Scenario[]): Record<string, string> {
  const names = Object.keys(COMMANDS) as CommandName[];
  const usage: [string, string][] = names.map((name) => {
    const spec: CommandSpec = COMMANDS[name];
    return [`holdup ${name}${spec.args ? ` ${spec.args}` : ''}`, spec.summary];
  });
  usage.push(['holdup help COMMAND', 'a command\'s options (or holdup COMMAND --help); holdup --version']);
  const column = Math.max(...usage.map(([synopsis]) => synopsis.length)) + 2;
  const categories = [
    '| category | weight | faults | checks (**critical**) |',
    '|---|---:|---:|---|',
    ...CATEGORY_IDS.map((id) => {
      const faults = [...FAULTS.values()].filter((fault) => fault.category === id).length;
      const checks = checksOf(id, scenarios).map((check) => (check.critical ? `**\`${check.id}\`**` : `\`${check.id}\``));
      return `| \`${id}\` | ${CATEGORY_WEIGHTS[id]} | ${faults} | ${checks.join(', ')} |`;
    }),
  ];
  const reporters = (Object.keys(REPORTERS) as ReporterName[]).map((name) => `\`${name}\``);
  return {
    commands: ['```sh', ...usage.map(([synopsis, summary]) => `${synopsis.padEnd(column)}# ${summary}`), '```'].join('\n'),
    reporters: `${reporters.slice(0, -1).join(', ')} and ${reporters.at(-1)}`,
    categories: categories.join('\n'),
    'scenario-count': String(scenarios.length),
    'fault-count': String(FAULTS.size),
    'check-count': countInWords(Object.keys(CHECKS).length),
    'reporter-count': countInWords(Object.keys(REPORTERS).length),
  };
}

/** `text` with every marked block's content replaced; a block named here but absent, or unclosed, is an error. */
export function fillBlocks(text: string, blocks: Readonly<Record<string, string>>, file: string): string {
  let out = text;
  for (const [name, content] of Object.entries(blocks)) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close, start);
    if (start < 0 || end < 0) throw new Error(`${file} has no block "${open}…${close}": put it back where ${name} belongs`);
    const inner = out.slice(start + open.length, end);
    const multiline = inner.startsWith('\n');
    out = `${out.slice(0, start + open.length)}${multiline ? `\n${content}\n` : content}${out.slice(end)}`;
  }
  return out;
}

export function renderCliDoc(): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  return [
    '# Command line',
    '',
    '<!-- Generated from the command registry (src/cli/commands.ts) and the reporters (src/report/index.ts) by `npm run docs`; do not edit by hand. -->',
    '',
    'In a project that installed holdup the command is `npx holdup`; in holdup\'s own repository,',
    'which runs from its sources, `npm run holdup --`. Every command takes `--help`; `holdup --version`',
    'prints the version. Exit codes: 0 every gate passed, 1 a gate failed, 2 bad input or usage,',
    '3 holdup itself could not run, 130 interrupted (README.md, "Exit codes").',
    '',
    '| command | what it does |',
    '|---|---|',
    ...names.map((name) => `| [\`holdup ${name}\`](#holdup-${name}) | ${COMMANDS[name].summary} |`),
    '',
    '## Reporters',
    '',
    '`holdup run --reporter NAME[:FILE]` (repeatable) and the config\'s `reporters` take these names:',
    '',
    '| reporter | what it makes |',
    '|---|---|',
    ...(Object.keys(REPORTERS) as ReporterName[]).map((name) => `| \`${name}\` | ${REPORTER_DOCS[name]} |`),
    '',
    ...names.flatMap((name) => [`## holdup ${name}`, '', '```', commandHelp(name).trimEnd(), '```', '']),
  ]
    .join('\n')
    .replace(/\n+$/, '\n');
}

/** Every generated file, rendered now; the README from its committed text at `root`. */
export async function generatedFiles(root: string): Promise<GeneratedFile[]> {
  const scenarios = await builtinScenarios();
  const readme = await readFile(path.join(root, README_FILE), 'utf8');
  return [
    { file: REPORT_SCHEMA_FILE, text: renderReportJsonSchema() },
    { file: SCENARIO_SCHEMA_FILE, text: renderScenarioJsonSchema() },
    { file: CHECKS_DOC_FILE, text: renderChecksDoc(CHECKS, scenarios) },
    { file: FAULTS_DOC_FILE, text: renderFaultsDoc(FAULTS, scenarios) },
    { file: CLI_DOC_FILE, text: renderCliDoc() },
    { file: README_FILE, text: fillBlocks(readme, readmeBlocks(scenarios), README_FILE) },
  ];
}
