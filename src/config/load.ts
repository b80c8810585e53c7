import { lstatSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { z } from 'zod';
import { HoldupError, inputProblem, parseJsonText, parseWithSchema, quoted, readInputFile, type CommandConnectorDefinition, type ConnectorDefinition, type LoadedConnector } from '../core/index.js';
import { BUILTIN_SCENARIOS_DIR, loadScenarioFile } from '../scenarios/load.js';
import type { LoadedScenario } from '../scenarios/schema.js';
import { commandConnector } from '../command/index.js';
import { importUserModule } from './import-module.js';
import { CommandConnectorSchema, ConfigSchema, ConnectorDefinitionSchema, type Config } from './schema.js';

const CONFIG_NAMES = ['holdup.config.ts', 'holdup.config.mts', 'holdup.config.cts', 'holdup.config.js', 'holdup.config.mjs', 'holdup.config.cjs'];

export interface FoundConfig {
  /** The config file, relative to `cwd` (for messages). */
  file: string;
  /** The folder paths in the config are relative to. */
  root: string;
  config: Config;
}

/** Shown relative to the working folder, with forward slashes. */
export function display(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute) || '.';
  return relative.split(path.sep).join('/');
}

/** The first line of an error; when it only announces what follows (esbuild's "Transform failed with 1 error:"), the next one too. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const [first = text, second] = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return first.endsWith(':') && second ? `${first} ${second}` : first;
}

/**
 * parseWithSchema for a module's export: an export can be anything code makes, and a getter or a
 * Proxy that throws when read is said so with the file, not a stack trace.
 */
function parseExport<S extends z.ZodType>(schema: S, value: unknown, options: { file: string; code: 'CONFIG_INVALID' | 'CONNECTOR_INVALID'; hint: string }): z.output<S> {
  try {
    return parseWithSchema(schema, value, options);
  } catch (error) {
    if (error instanceof HoldupError) throw error;
    throw new HoldupError(options.code, `reading its default export threw: ${firstLine(error)}`, { file: options.file, hint: `export plain values: ${options.hint}`, cause: error });
  }
}

/** Finds and parses the config: `--config`, else `holdup.config.*` in `cwd`, else the `holdup` key of `cwd/package.json`. */
export async function findConfig(cwd: string, explicit?: string): Promise<FoundConfig> {
  let absolute: string | undefined;
  if (explicit) {
    absolute = path.resolve(cwd, explicit);
    const problem = await inputProblem(absolute, explicit, {
      what: 'config file',
      notFound: 'CONFIG_NOT_FOUND',
      notFoundHint: 'check the --config path (it is relative to the current folder)',
    });
    if (problem) throw problem;
  } else {
    // a name that is there but cannot be read (a link that loops, no permission) is said so, not skipped
    absolute = CONFIG_NAMES.map((name) => path.join(cwd, name)).find((candidate) => lstatExists(candidate));
    if (absolute) {
      const problem = await inputProblem(absolute, display(absolute, cwd), { what: 'config file', notFound: 'CONFIG_NOT_FOUND', notFoundHint: 'fix or remove the broken link' });
      if (problem) throw problem;
    }
  }
  if (absolute && !absolute.endsWith('.json')) {
    const file = display(absolute, cwd);
    let module: { default?: unknown };
    try {
      module = await importUserModule(absolute);
    } catch (error) {
      throw new HoldupError('CONFIG_IMPORT', `threw while loading: ${firstLine(error)}`, {
        file,
        hint: 'fix the error in the config file; it should only export its settings',
        cause: error,
      });
    }
    const config = parseExport(ConfigSchema, module.default, {
      file,
      code: 'CONFIG_INVALID',
      hint: 'export default defineConfig({ connectors: [...] }) — docs/config.md lists every option',
    });
    return { file, root: path.dirname(absolute), config };
  }
  const packageFile = absolute ?? path.join(cwd, 'package.json');
  if (lstatExists(packageFile)) {
    const file = display(packageFile, cwd);
    const text = await readInputFile(packageFile, file, { what: 'package.json', notFound: 'CONFIG_NOT_FOUND', notFoundHint: 'fix or remove the broken link' });
    const parsed = parseJsonText(text, file, 'CONFIG_INVALID', { hint: 'fix the JSON syntax of package.json' });
    const pkg = (parsed !== null && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
    if (pkg['holdup'] !== undefined) {
      try {
        const config = parseWithSchema(ConfigSchema, pkg['holdup'], {
          file,
          code: 'CONFIG_INVALID',
          hint: 'the "holdup" key takes the same settings as holdup.config.ts — docs/config.md lists them',
        });
        return { file, root: path.dirname(packageFile), config };
      } catch (error) {
        // the path inside package.json starts at its "holdup" key
        if (error instanceof HoldupError && error.path?.startsWith('$')) {
          throw new HoldupError(error.code, error.message, { file, path: `$.holdup${error.path.slice(1)}`, hint: error.hint });
        }
        throw error;
      }
    }
  }
  throw new HoldupError('CONFIG_NOT_FOUND', `no holdup.config.ts and no "holdup" key in package.json in ${cwd}`, {
    hint: "create holdup.config.ts: export default defineConfig({ connectors: ['connectors/*.connector.ts'] }), or pass --config",
  });
}

/** Whether a directory entry exists, even when it is a link that leads nowhere. */
function lstatExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The most files the connector or scenario globs may match: beyond any real project, short of loading a whole disk. */
const MAX_FILES = 2_000;

async function expand(patterns: readonly string[], root: string, key: string, file: string): Promise<string[]> {
  const found: string[] = [];
  for (const [index, pattern] of patterns.entries()) {
    // a broad glob ("**/*.ts") must not wander into dependencies, unless it names them
    const ignore = pattern.includes('node_modules') ? [] : ['**/node_modules/**', '**/.git/**'];
    const matches = await glob(pattern, { cwd: root, absolute: true, onlyFiles: true, ignore });
    if (matches.length === 0) {
      throw new HoldupError('CONFIG_INVALID', `${quoted(pattern)} matches no file (relative to ${display(root, process.cwd())})`, {
        file,
        path: `$.${key}[${index}]`,
        hint: "globs are relative to the config file's folder",
      });
    }
    found.push(...matches.sort());
    if (found.length > MAX_FILES) {
      throw new HoldupError('CONFIG_INVALID', `the ${key} globs match more than ${MAX_FILES.toLocaleString('en-US')} files`, {
        file,
        path: `$.${key}[${index}]`,
        hint: `narrow "${pattern.slice(0, 80)}": holdup loads every file the ${key} globs match`,
      });
    }
  }
  return [...new Set(found)];
}

/** Whether a connector file's export declares a `command` (a connector in another language); reading it may throw (a Proxy). */
function hasCommand(value: unknown): boolean {
  try {
    return value !== null && typeof value === 'object' && 'command' in value;
  } catch {
    return false; // the schema below reads it again and says what threw
  }
}

export async function loadConnectorFile(absolute: string, root: string, cwd: string): Promise<LoadedConnector> {
  const file = display(absolute, cwd);
  let module: { default?: unknown };
  try {
    module = await importUserModule(absolute);
  } catch (error) {
    throw new HoldupError('CONNECTOR_IMPORT', `threw while loading: ${firstLine(error)}`, {
      file,
      hint: 'fix the error above; a connector module should not need secrets or a network at import time — read them in create()',
      cause: error,
    });
  }
  if (module.default === undefined) {
    throw new HoldupError('CONNECTOR_INVALID', 'has no default export', {
      file,
      hint: "export default defineConnector({ name, contract, create, operations }) (import { defineConnector } from 'holdup')",
    });
  }
  if (hasCommand(module.default)) {
    const command = parseExport(CommandConnectorSchema, module.default, {
      file,
      code: 'CONNECTOR_INVALID',
      hint: 'a command connector gives command: { run: [program, ...args], cwd?, env? } and operations of { kind, input? } (docs/command-connectors.md)',
    }) as unknown as CommandConnectorDefinition<Record<string, unknown>>;
    return commandConnector(command, { file, folder: path.dirname(absolute), contractPath: path.resolve(root, command.contract) });
  }
  const definition = parseExport(ConnectorDefinitionSchema, module.default, {
    file,
    code: 'CONNECTOR_INVALID',
    hint: 'see "The connector API" in docs/connectors.md',
  }) as unknown as ConnectorDefinition;
  return { definition: module.default as ConnectorDefinition, file, contractPath: path.resolve(root, definition.contract) };
}

export async function loadConnectors(found: FoundConfig, cwd: string): Promise<LoadedConnector[]> {
  const files = await expand(found.config.connectors, found.root, 'connectors', found.file);
  const connectors: LoadedConnector[] = [];
  for (const absolute of files) connectors.push(await loadConnectorFile(absolute, found.root, cwd));
  const seen = new Map<string, string>();
  for (const connector of connectors) {
    const other = seen.get(connector.definition.name);
    if (other) {
      throw new HoldupError('CONNECTOR_INVALID', `connector name "${connector.definition.name}" is also used by ${other}`, {
        file: connector.file,
        path: '$.name',
        hint: 'give every connector its own name',
      });
    }
    seen.set(connector.definition.name, connector.file);
  }
  return connectors;
}

export async function loadScenarios(found: FoundConfig, cwd: string): Promise<LoadedScenario[]> {
  const builtin = found.config.builtinScenarios
    ? (await glob('**/*.json', { cwd: BUILTIN_SCENARIOS_DIR, absolute: true, ignore: ['repro/**'] })).sort()
    : [];
  const user = await expand(found.config.scenarios, found.root, 'scenarios', found.file);
  const scenarios: LoadedScenario[] = [];
  const byId = new Map<string, LoadedScenario>();
  for (const absolute of [...new Set([...builtin, ...user])]) {
    const loaded = await loadScenarioFile(absolute, display(absolute, cwd), builtin.includes(absolute));
    const other = byId.get(loaded.scenario.id);
    if (other) {
      throw new HoldupError('SCENARIO_SCHEMA', `scenario id "${loaded.scenario.id}" is also used by ${other.file}`, {
        file: loaded.file,
        path: '$.id',
        hint: 'give every scenario its own id',
      });
    }
    byId.set(loaded.scenario.id, loaded);
    scenarios.push(loaded);
  }
  return scenarios;
}
