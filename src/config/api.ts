import { randomBytes, randomInt } from 'node:crypto';
import {
  HoldupError,
  closest,
  holdupPackage,
  isCategoryId,
  CATEGORY_IDS,
  type CategoryId,
  type RunListener,
  type RunReport,
} from '../core/index.js';
import type { EngineMode } from '../network/index.js';
import { runPlan, type RunMode, type RunPlan } from '../run/index.js';
import { findConfig, loadConnectors, loadScenarios, type FoundConfig } from './load.js';

export const HOLDUP_VERSION: string = holdupPackage().version;

export interface RunOptions {
  /** The config file; `holdup.config.*` or package.json's `holdup` key in `cwd` by default. */
  config?: string;
  /** The working folder; `process.cwd()` by default. */
  cwd?: string;
  /** Only these connectors (by name); all by default. */
  connectors?: string[];
  /** Only these categories; all by default. */
  categories?: string[];
  /** Only these scenario ids; all by default. */
  scenarios?: string[];
  /** Only these operations; all by default. */
  operations?: string[];
  /** The run seed; the config's, else a random one. */
  seed?: number;
  /** Executions at once; the config's (16 by default). */
  concurrency?: number;
  /** Where Toxiproxy comes from; the config's ('auto' by default). */
  networkEngine?: EngineMode;
  /** The environment the network engine is looked up in; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** `network` (default) or `in-process` (no sockets, a virtual clock, HTTP-level faults only). */
  mode?: RunMode;
  /** What a request no interaction matches does in a fault run; the config's (`error` by default). */
  onUnhandledRequest?: 'error' | 'warn' | 'bypass';
  /** Retries a connector is asked to make when its definition does not say; the config's (2 by default). */
  retryBudget?: number;
  onEvent?: RunListener;
  signal?: AbortSignal;
}

export interface PreparedRun {
  plan: RunPlan;
  config: FoundConfig;
}

/**
 * `20261127-101500Z-00000007-3fa2c1`: when (to the second), the seed, and a random part, so two
 * runs started together with the same seed (in one project, or two CI jobs) never share an id or a
 * report folder.
 */
export function newRunId(now: Date, seed: number): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
  return `${stamp}-${seed.toString(16).padStart(8, '0')}-${randomBytes(3).toString('hex')}`;
}

function select<T extends string>(wanted: readonly string[] | undefined, known: readonly T[], flag: string, code: 'UNKNOWN_CONNECTOR' | 'UNKNOWN_CATEGORY' | 'UNKNOWN_OPERATION' | 'UNKNOWN_SCENARIO', noun: string): T[] | undefined {
  if (!wanted || wanted.length === 0) return undefined;
  for (const name of wanted) {
    if (!known.includes(name as T)) {
      const near = closest(name, known);
      throw new HoldupError(code, `unknown ${noun} "${name}"`, {
        path: flag,
        hint: `${near ? `did you mean "${near}"? ` : ''}known: ${known.join(', ')}`,
      });
    }
  }
  return wanted as T[];
}

/** Resolves the config, loads connectors and scenarios, and fills every default: the plan a run follows. */
export async function prepareRun(options: RunOptions = {}): Promise<PreparedRun> {
  return prepareFromConfig(await findConfig(options.cwd ?? process.cwd(), options.config), options);
}

/** `prepareRun` once the config is found (the command line says what it knows of the run in between). */
export async function prepareFromConfig(found: FoundConfig, options: RunOptions = {}): Promise<PreparedRun> {
  const cwd = options.cwd ?? process.cwd();
  const all = await loadConnectors(found, cwd);
  const names = select(options.connectors, all.map((c) => c.definition.name), '--connector', 'UNKNOWN_CONNECTOR', 'connector');
  const connectors = names ? all.filter((c) => names.includes(c.definition.name)) : all;
  const categories = select(options.categories, CATEGORY_IDS, '--category', 'UNKNOWN_CATEGORY', 'category');
  if (categories && !categories.every(isCategoryId)) throw new Error('unreachable');
  const scenarios = await loadScenarios(found, cwd);
  const scenarioIds = select(options.scenarios, scenarios.map((s) => s.scenario.id), '--scenario', 'UNKNOWN_SCENARIO', 'scenario');
  const operations = select(
    options.operations,
    [...new Set(connectors.flatMap((c) => Object.keys(c.definition.operations)))],
    '--operation',
    'UNKNOWN_OPERATION',
    'operation',
  );
  const seed = options.seed ?? found.config.seed ?? randomInt(0, 2 ** 32 - 1);
  const command = `holdup run${options.config ? ` --config ${options.config}` : ''}${options.mode === 'in-process' ? ' --mode in-process' : ''}`;
  const plan: RunPlan = {
    runId: newRunId(new Date(), seed),
    seed,
    connectors,
    scenarios,
    ...(categories ? { categories: categories as CategoryId[] } : {}),
    ...(scenarioIds ? { scenarioIds } : {}),
    ...(operations ? { operations } : {}),
    concurrency: options.concurrency ?? found.config.concurrency,
    ...(found.config.thresholds ? { thresholds: found.config.thresholds } : {}),
    command,
    holdupVersion: HOLDUP_VERSION,
    ...(options.signal ? { signal: options.signal } : {}),
    networkEngine: options.networkEngine ?? found.config.networkEngine,
    retryBudget: options.retryBudget ?? found.config.retryBudget,
    onUnhandledRequest: options.onUnhandledRequest ?? found.config.onUnhandledRequest,
    ...(options.env ? { env: options.env } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
  };
  return { plan, config: found };
}

/** Runs the resilience suite and returns the report, whatever the verdict (fast-check's `check`). */
export async function runResilience(options: RunOptions = {}): Promise<RunReport> {
  const { plan } = await prepareRun(options);
  return runPlan(plan, options.onEvent);
}

export class ResilienceError extends Error {
  override readonly name = 'ResilienceError';
  constructor(readonly report: RunReport) {
    const reasons = [...report.gate.reasons, ...report.gate.unjudged];
    super(`holdup gate ${report.gate.reasons.length > 0 ? 'failed' : 'not judged'}:\n${reasons.map((r) => `  - ${r}`).join('\n')}`);
  }
}

/** Runs the suite and throws `ResilienceError` when a gate fails (fast-check's `assert`). */
export async function assertResilient(options: RunOptions = {}): Promise<RunReport> {
  const report = await runResilience(options);
  if (!report.gate.passed) throw new ResilienceError(report);
  return report;
}
