/**
 * Pact's own mock server (pact_mock_server_cli, `pact mock`, from the @pact-foundation/pact-cli
 * devDependency) with a contract file loaded into it: the proof that an imported contract is one
 * Pact reads. pact-core's Node binding builds pacts through its DSL and has no call that loads a
 * file; the mock server's `create -f FILE` does.
 */
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { main } from '../cli/main.js';
import { FakeOut } from '../report/test-helpers.js';

const run = promisify(execFile);

function pactBinary(): string {
  const require = createRequire(import.meta.url);
  const { standalone } = require('@pact-foundation/pact-cli/src/pact-standalone.js') as { standalone: () => { pactFullPath: string } };
  return standalone().pactFullPath;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts Pact's mock server on 127.0.0.1 with `file` loaded; `url` answers as the contract says, `close` stops it. */
export async function startPactMockServer(file: string): Promise<{ url: string; close: () => void }> {
  const pact = pactBinary();
  const port = await freePort();
  const master = spawn(pact, ['mock', '--port', String(port), '--host', '127.0.0.1', '--no-file-log', '--no-term-log', 'start'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const close = (): void => void master.kill();
  try {
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`pact mock did not start within 20 s:\n${seen}`)), 20_000);
      const onData = (chunk: Buffer): void => {
        seen += chunk.toString();
        if (/Master server started on port/.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      };
      master.stdout.on('data', onData);
      master.stderr.on('data', onData);
      master.once('exit', (code) => reject(new Error(`pact mock exited (${code}):\n${seen}`)));
    });
    const { stdout, stderr } = await run(pact, ['mock', '--port', String(port), '--host', '127.0.0.1', '--no-term-log', 'create', '-f', file]);
    const mock = /started on port (\d+)/.exec(stdout + stderr)?.[1];
    if (!mock) throw new Error(`pact mock create did not start a mock server:\n${stdout}${stderr}`);
    return { url: `http://127.0.0.1:${mock}`, close };
  } catch (error) {
    close();
    throw error;
  }
}

/** `holdup ARGS` in this process, in `cwd`: its exit code and what it printed, `cwd` shown as `<tmp>`. */
export async function holdupIn(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new FakeOut();
  const err = new FakeOut();
  const code = await main(args, { out, err, cwd });
  const clean = (text: string): string => text.split(cwd).join('<tmp>');
  return { code, stdout: clean(out.text), stderr: clean(err.text) };
}
