import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpawnedToxiproxy } from '../network/process.js';
import { startTestToxiproxy, untilProxies } from '../network/test-helpers.js';
import { assertResilient, ResilienceError } from '../config/index.js';
import { holdupCommand, holdupProcess, reportOf, root } from './test-helpers.js';

let empty: string;
/** An environment with no Toxiproxy anywhere: no TOXIPROXY_URL, nothing on PATH or in the cache, no Go, no container engine. */
let nothing: NodeJS.ProcessEnv;

beforeAll(async () => {
  empty = await mkdtemp(path.join(tmpdir(), 'holdup-no-engine-'));
  nothing = { PATH: empty, HOLDUP_CACHE_DIR: empty, TOXIPROXY_URL: '', DOCKER_HOST: `unix://${empty}/docker.sock` };
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
});

describe('with no network engine', () => {
  it('network categories are not run, say why in the report, and the exit code says the gate could not be judged', async () => {
    const run = await holdupProcess(['--connector', 'billing-robust', '--category', 'network-faults,latency-timeout,silent-failure'], nothing);
    expect(run.code).toBe(3);
    const reason =
      `no network engine: no toxiproxy-server on PATH or in ${empty}/toxiproxy-2.12.0/toxiproxy-server; ` +
      `Go is not installed, so holdup cannot build Toxiproxy; ` +
      `the container engine at ${empty}/docker.sock does not answer (connect ENOENT ${empty}/docker.sock)`;
    const report = await reportOf(run);
    expect(report.networkEngine).toEqual({ kind: 'none', reason });
    const categories = Object.fromEntries(report.connectors[0]?.categories.map((c) => [c.id, c]) ?? []);
    expect(categories['network-faults']).toMatchObject({ status: 'not-run', reason: `needs the Toxiproxy network engine: ${reason}` });
    // slow-headers is an HTTP-level fault: latency-timeout is scored on it, and says what it left out
    expect(categories['latency-timeout']).toMatchObject({
      status: 'pass',
      reason: `latency-timeout/black-hole, latency-timeout/latency-above-deadline, latency-timeout/latency-below-timeout not run: needs the Toxiproxy network engine: ${reason}`,
    });
    expect(categories['silent-failure']?.status).toBe('pass');
    expect(report.gate).toEqual({ passed: false, judged: false, reasons: [], unjudged: [`network-faults, latency-timeout not run: ${reason}`] });
    expect(run.stderr).toBe(
      `[holdup] NETWORK_ENGINE the gate could not be judged: network-faults, latency-timeout not run: ${reason}\n` +
        '  next: install Toxiproxy (go install, a toxiproxy-server on PATH, TOXIPROXY_URL, or a container engine: `holdup doctor` says which), or leave those categories out with --category / networkEngine: "none"\n',
    );
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(`network engine: none (${reason})`);
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(
      'partly run: latency-timeout — latency-timeout/black-hole, latency-timeout/latency-above-deadline, latency-timeout/latency-below-timeout not run',
    );
  });

  it('a network category the connector cannot exercise is not applicable, not unjudged', async () => {
    const run = await holdupProcess(['--connector', 'billing-robust', '--category', 'network-faults', '--operation', 'createInvoice'], nothing);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const category = (await reportOf(run)).connectors[0]?.categories.find((c) => c.id === 'network-faults');
    expect(category).toMatchObject({ status: 'not-applicable', reason: 'the connector has no read operations' });
  });

  it('--network-engine none leaves the network scenarios out on purpose: the gate is judged on the rest', async () => {
    const run = await holdupProcess(['--connector', 'billing-robust', '--category', 'network-faults,silent-failure', '--network-engine', 'none'], nothing);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = await reportOf(run);
    expect(report.networkEngine).toEqual({ kind: 'none', reason: 'the network engine was turned off (network engine: none)' });
    expect(report.gate).toEqual({ passed: true, judged: true, reasons: [], unjudged: [] });
  });

  it('assertResilient throws ResilienceError saying the gate was not judged, and why', async () => {
    const error = await assertResilient({ cwd: root, connectors: ['billing-robust'], scenarios: ['network-faults/reset-peer-once'], env: nothing }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ResilienceError);
    expect((error as ResilienceError).message).toMatch(/^holdup gate not judged:\n {2}- network-faults not run: no network engine: no toxiproxy-server on PATH/);
  });

  it('holdup doctor says there is none, and why each candidate was skipped', async () => {
    const run = await holdupCommand(['doctor'], nothing);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(2).join('\n')).toBe(
      [
        'network engine: none: network-faults and latency-timeout scenarios will not run, and `holdup run` exits 3 (gate not judged)',
        'candidates, in the order holdup tries them:',
        '  skip      TOXIPROXY_URL not set',
        `  skip      binary        no toxiproxy-server on PATH or in ${empty}/toxiproxy-2.12.0/toxiproxy-server`,
        '  skip      go install    Go is not installed',
        `  skip      container     the container engine at ${empty}/docker.sock does not answer (connect ENOENT ${empty}/docker.sock)`,
        '',
      ].join('\n'),
    );
  });
});

describe('a network engine that fails', () => {
  it('TOXIPROXY_URL that does not answer: a coded error with the next step, exit 3', async () => {
    const run = await holdupProcess(['--connector', 'billing-robust', '--category', 'network-faults'], { ...nothing, TOXIPROXY_URL: 'http://127.0.0.1:9' });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^\[holdup\] NETWORK_ENGINE TOXIPROXY_URL=http:\/\/127\.0\.0\.1:9 does not answer: the Toxiproxy API at http:\/\/127\.0\.0\.1:9 did not answer within 3000 ms \(.+\)\n {2}next: start Toxiproxy there, or unset TOXIPROXY_URL to let holdup start its own\n$/,
    );
  });

  it('TOXIPROXY_URL that is not a URL: said at once', async () => {
    const run = await holdupProcess(['--connector', 'billing-robust', '--category', 'network-faults'], { ...nothing, TOXIPROXY_URL: 'localhost:8474' });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      '[holdup] NETWORK_ENGINE TOXIPROXY_URL=localhost:8474 is not an http:// URL\n  next: set it to the Toxiproxy API, e.g. TOXIPROXY_URL=http://127.0.0.1:8474\n',
    );
  });

  it('a bad --network-engine value is a usage error with a suggestion', async () => {
    const run = await holdupProcess(['--network-engine', 'procss'], nothing);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      '[holdup] USAGE --network-engine takes one of auto, url, process, container, none, got "procss"\n  next: did you mean --network-engine process?\n',
    );
  });

  describe('Toxiproxy that dies mid-run', () => {
    let toxiproxy: SpawnedToxiproxy;
    beforeAll(async () => {
      toxiproxy = await startTestToxiproxy();
    });
    afterAll(async () => {
      await toxiproxy?.stop();
    });

    it('stops the run with NETWORK_ENGINE, writes the report marked incomplete, exits 3', async () => {
      const run = await holdupProcess(['--connector', 'billing-naive', '--scenario', 'latency-timeout/black-hole'], { TOXIPROXY_URL: toxiproxy.api.url }, {
        ready: (stdout) => stdout.includes('billing-naive  contracts/'),
        whenRunning: () => {
          void untilProxies(toxiproxy.api).then(() => process.kill(toxiproxy.pid, 'SIGKILL'));
        },
      });
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^\[holdup\] NETWORK_ENGINE the Toxiproxy API failed during billing-naive\/latency-timeout\/black-hole\/\w+: /);
      expect(run.stderr).toContain(
        `  next: check the Toxiproxy at ${toxiproxy.api.url} (holdup doctor), then run again with --seed 3; the report holds what finished\n`,
      );
      const report = await reportOf(run);
      expect(report).toMatchObject({ complete: false, interrupted: false });
      expect(report.incompleteReason).toMatch(/^\[holdup\] NETWORK_ENGINE the Toxiproxy API failed during/);
      expect(report.gate.judged).toBe(false);
    });
  });
});
