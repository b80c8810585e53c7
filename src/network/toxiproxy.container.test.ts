import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../config/index.js';
import { runPlan } from '../run/index.js';
import { holdupProcess, interrupt } from '../cli/test-helpers.js';
import { containerSocket } from './container.js';
import { startNetworkEngine } from './engine.js';
import { API_LINE, untilProxies } from './test-helpers.js';
import { ToxiproxyApi } from './toxiproxy.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Containers the engine knows that testcontainers labelled (every one holdup starts). */
function testcontainers(): Promise<unknown[]> {
  const where = containerSocket(process.env);
  if (where.socket === undefined) throw new Error(`${where.reason}: the container tests need one (.ci/run starts Podman)`);
  const filters = encodeURIComponent(JSON.stringify({ label: ['org.testcontainers=true'] }));
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: where.socket, path: `/containers/json?all=true&filters=${filters}` }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body) as unknown[]));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Toxiproxy started through testcontainers', () => {
  it('starts the image with its API on loopback, reports its version, and removes the container when stopped', async () => {
    expect(await testcontainers()).toEqual([]);
    const engine = await startNetworkEngine({ mode: 'container' });
    if (engine.kind === 'none') throw new Error(engine.reason);
    try {
      expect(engine.version).toBe('2.12.0');
      expect(engine.source).toMatch(/^container ghcr\.io\/shopify\/toxiproxy:2\.12\.0 [0-9a-f]{12} \(testcontainers via .+; API http:\/\/127\.0\.0\.1:\d+\)$/);
      expect(await testcontainers()).toHaveLength(1);
    } finally {
      await engine.stop();
    }
    expect(await testcontainers()).toEqual([]);
  });

  it('runs a network scenario through it: the fixture connectors get their verdicts, and nothing is left', async () => {
    const { plan } = await prepareRun({
      cwd: root,
      seed: 5,
      connectors: ['billing-robust', 'billing-naive'],
      scenarios: ['network-faults/truncated-body'],
      networkEngine: 'container',
    });
    const report = await runPlan(plan);
    expect(report.networkEngine).toMatchObject({ kind: 'toxiproxy', version: '2.12.0' });
    expect(report.networkEngine.kind === 'toxiproxy' && report.networkEngine.source).toMatch(/^container /);
    const verdict = (name: string) => report.connectors.find((c) => c.name === name)?.categories.find((c) => c.id === 'network-faults');
    expect(verdict('billing-robust')).toMatchObject({ status: 'pass', score: 100 });
    expect(verdict('billing-naive')?.status).toBe('fail');
    // a truncated body is never returned as data: naive throws, it does not return half an invoice
    expect(verdict('billing-naive')?.findings.map((f) => [f.code, f.operation, f.message])).toEqual([
      ['HU-RC-001', 'getInvoice', 'threw instead of recovering: TypeError: terminated'],
      ['HU-RC-001', 'listInvoices', 'threw instead of recovering: TypeError: terminated'],
    ]);
    expect(await testcontainers()).toEqual([]);
  });

  it('a SIGINT in the middle of a run through the container: exit 130, and the container is gone', async () => {
    const run = await holdupProcess(['--network-engine', 'container', '--connector', 'billing-naive', '--scenario', 'latency-timeout/black-hole'], {}, {
      ready: (stdout) => API_LINE.test(stdout),
      whenRunning: (child, stdout) => {
        void untilProxies(new ToxiproxyApi(API_LINE.exec(stdout)?.[1] as string)).then(() => interrupt(child));
      },
    });
    expect(run.stdout).toMatch(/network engine: toxiproxy 2\.12\.0\s+\(container/);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('[holdup] INTERRUPTED the run was interrupted');
    expect(await testcontainers()).toEqual([]);
  });
});
