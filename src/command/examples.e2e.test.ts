import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runResilience } from '../config/index.js';
import type { ConnectorReport, RunReport } from '../core/index.js';

// The examples of docs/command-connectors.md, run over the replay server: a Python connector on
// requests + tenacity in two retry policies, and a Go one on net/http.
const repo = fileURLToPath(new URL('../../', import.meta.url));
const examples = path.join(repo, 'fixtures/command-connectors');
const requirements = path.join(examples, 'python/requirements.txt');

/** Installs requirements.txt with pip into a cache folder of its own (once per version of the file); returns the folder. */
function pythonPackages(): string {
  const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (python.error || python.status !== 0) {
    throw new Error('python3 is needed to run the Python command-connector examples: install it (apt-get install python3 python3-pip), then run the tests again');
  }
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex').slice(0, 12);
  const target = path.join(repo, 'node_modules/.cache/holdup-python', hash);
  if (existsSync(path.join(target, '.installed'))) return target;
  mkdirSync(target, { recursive: true });
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--target', target, '-r', requirements];
  const pip = spawnSync('python3', args, { encoding: 'utf8', timeout: 300_000 });
  if (pip.error || pip.status !== 0) {
    throw new Error(`could not install the Python examples' packages; run: python3 ${args.join(' ')}\n${pip.stderr ?? pip.error?.message ?? ''}`);
  }
  writeFileSync(path.join(target, '.installed'), '');
  return target;
}

/** Builds the Go example into a temporary folder; returns the program. */
function goProgram(folder: string): string {
  const output = path.join(folder, 'billing-connector');
  const go = spawnSync('go', ['build', '-o', output, '.'], { cwd: path.join(examples, 'go'), encoding: 'utf8', timeout: 300_000 });
  if (go.error || go.status !== 0) {
    throw new Error(`could not build the Go example (Go 1.22 or later is needed: https://go.dev/doc/install); run: cd fixtures/command-connectors/go && go build -o billing-connector .\n${go.stderr ?? go.error?.message ?? ''}`);
  }
  return output;
}

let report: RunReport;
let built: string;
const saved = { PYTHONPATH: process.env['PYTHONPATH'], BILLING_GO_CONNECTOR: process.env['BILLING_GO_CONNECTOR'] };

beforeAll(async () => {
  built = mkdtempSync(path.join(tmpdir(), 'holdup-go-'));
  const packages = pythonPackages();
  process.env['PYTHONPATH'] = [packages, saved.PYTHONPATH].filter(Boolean).join(path.delimiter);
  // read by fixtures/command-connectors/go/billing-go.connector.ts when it is loaded
  process.env['BILLING_GO_CONNECTOR'] = goProgram(built);
  report = await runResilience({ cwd: examples, seed: 7, categories: ['rate-limit', 'server-errors', 'auth-expiry', 'write-safety', 'deprecation'] });
}, 600_000);

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  if (built) rmSync(built, { recursive: true, force: true });
});

function connector(name: string): ConnectorReport {
  const found = report.connectors.find((c) => c.name === name);
  if (!found) throw new Error(`no connector ${name} in the report`);
  return found;
}

/** Whether `check` passed in `category` (undefined when it did not judge anything there). */
function passed(name: string, category: string, check: string): boolean | undefined {
  const result = connector(name).categories.find((c) => c.id === category)?.checks.find((c) => c.id === check);
  return result && result.executions > 0 ? result.passed : undefined;
}

const ALL = ['billing-python-backoff', 'billing-python-immediate', 'billing-go'];

describe('the command-connector examples', () => {
  it('are all valid and scored: their control runs answered over the protocol', () => {
    for (const name of ALL) {
      const c = connector(name);
      expect(c.valid, `${name}: ${c.invalidReason ?? ''}`).toBe(true);
      expect(c.score, name).not.toBeNull();
    }
  });

  it('honour Retry-After with tenacity and a wait, and fail it with tenacity retrying at once', () => {
    for (const category of ['rate-limit', 'server-errors']) {
      expect(passed('billing-python-backoff', category, 'honours-retry-after'), category).toBe(true);
      expect(passed('billing-go', category, 'honours-retry-after'), category).toBe(true);
      expect(passed('billing-python-immediate', category, 'honours-retry-after'), category).toBe(false);
    }
    expect(connector('billing-python-immediate').gateReasons).toContain('critical check honours-retry-after failed in rate-limit');
    expect(connector('billing-python-backoff').gateReasons.join('\n')).not.toMatch(/honours-retry-after/);
  });

  it('recover from server errors and rate limits in either retry policy', () => {
    for (const name of ALL) {
      expect(passed(name, 'server-errors', 'recovers'), name).toBe(true);
      expect(passed(name, 'rate-limit', 'recovers'), name).toBe(true);
    }
  });

  it('handle concurrent calls on one process: one token renewal per expiry, and one effect per retried write', () => {
    for (const name of ALL) {
      expect(passed(name, 'auth-expiry', 'single-refresh-per-expiry'), name).toBe(true);
      expect(passed(name, 'write-safety', 'one-effect-per-write'), name).toBe(true);
      expect(passed(name, 'write-safety', 'idempotency-key-per-write'), name).toBe(true);
    }
  });

  it("surface deprecations with protocol warnings, judged as a TypeScript connector's warn()", () => {
    for (const name of ALL) expect(passed(name, 'deprecation', 'surfaces-deprecation'), name).toBe(true);
  });
});
