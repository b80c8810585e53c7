import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { commandEnvironment } from './connector.js';
import { CommandConnectorError, startCommandProcess, type CommandProcess } from './process.js';

const folder = fileURLToPath(new URL('../../fixtures/command-connectors/misbehaving/', import.meta.url));
const SECRET = 'sk_live_abcdef123456';

interface Started {
  process: CommandProcess;
  warnings: string[];
  stderr: string[];
  stdout: string[];
}

const started: CommandProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.close()));
});

function start(mode: string, run: string[] = [process.execPath, 'connector.mjs', mode]): Started {
  const warnings: string[] = [];
  const stderr: string[] = [];
  const stdout: string[] = [];
  const child = startCommandProcess({
    run,
    cwd: folder,
    env: { ...process.env, ...commandEnvironment('http://127.0.0.1:9/', { apiKey: SECRET }) },
    warn: (m) => warnings.push(m),
    stderr: (line) => stderr.push(line),
    stdout: (line) => stdout.push(line),
    scrub: (text) => text.split(SECRET).join('<redacted:apiKey>'),
  });
  started.push(child);
  return { process: child, warnings, stderr, stdout };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** Whether the process runs (a zombie nobody reaped, where no init reaps them, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe('a command connector process', () => {
  it('answers calls sent at once by id, whatever order the answers come in', async () => {
    const { process: child } = start('echo');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => child.call(`op${i}`, { n: i })));
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => ({ operation: `op${i}`, input: { n: i } })));
  });

  it('gets the base URL and credentials in its environment; its warnings, stderr and plain stdout reach holdup, with secrets scrubbed', async () => {
    const { process: child, warnings, stderr, stdout } = start('talk');
    expect(await child.call('list', undefined)).toEqual({ env: { base: 'http://127.0.0.1:9/', key: SECRET } });
    expect(warnings).toEqual(['GET /v1/things is deprecated']);
    expect(stdout).toEqual(['plain output, not a message']);
    await child.close();
    expect(stderr).toEqual(['using key <redacted:apiKey>']);
  });

  it("reports the operation's own error as the call's error, with its name", async () => {
    const error = await failure(start('error').process.call('pay', undefined));
    expect(error).not.toBeInstanceOf(CommandConnectorError);
    expect(error.name).toBe('BillingError');
    expect(error.message).toBe('402 for <redacted:apiKey>');
  });

  it('a line that starts like a message but is not JSON fails the call, quoting the line and its number', async () => {
    const error = await failure(start('malformed').process.call('list', undefined));
    expect(error).toBeInstanceOf(CommandConnectorError);
    expect(error.message).toMatch(/^stdout line 1 of `.*connector\.mjs malformed` is not JSON \(.*\): "\{\\"id\\": 1, \\"type\\": \\"result\\", \\"value\\": "$/);
  });

  it('a message the protocol does not know fails the call, saying where and what', async () => {
    const error = await failure(start('bad-message').process.call('list', undefined));
    expect(error.message).toMatch(/stdout line 1 of .* is not a protocol message: at \$\.value: expected a "value" \(null when the operation returns nothing\), found nothing \(and 1 more problem\): "\{\\"id\\":1,\\"type\\":\\"result\\",\\"vaule\\":1\}"$/);
  });

  it('an answer to a call holdup never sent fails the calls under way', async () => {
    const error = await failure(start('unknown-id').process.call('list', undefined));
    expect(error.message).toMatch(/answers call 101, which holdup did not send or was answered already \(the calls under way are 1\)/);
  });

  it('a process that exits before answering fails the call with its exit code and the end of its stderr, scrubbed', async () => {
    const error = await failure(start('crash').process.call('list', undefined));
    expect(error.message).toMatch(/exited with code 3 before answering call 1 \(list\); its last stderr: Traceback: boom with <redacted:apiKey>$/);
    // one that exits before any call (whether the call is sent before its exit is seen or after)
    const early = start('exit-at-once');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await failure(early.process.call('list', undefined))).message).toMatch(/exited with code 4 (while its execution was under way|before answering call 1 \(list\))/);
  });

  it('a line longer than the cap fails the call instead of filling memory', async () => {
    const error = await failure(start('huge').process.call('list', undefined));
    expect(error.message).toMatch(/stdout line 1 of .* is longer than 16 MiB/);
  }, 20_000);

  it('a program that is not there, or not executable, fails every call with what to do', async () => {
    const missing = await failure(start('echo', ['./no-such-program']).process.call('list', undefined));
    expect(missing.message).toMatch(/could not be started: "\.\/no-such-program" was not found/);
    const dir = await mkdtemp(path.join(tmpdir(), 'holdup-command-'));
    try {
      await writeFile(path.join(dir, 'script'), '#!/bin/sh\n');
      await chmod(path.join(dir, 'script'), 0o644);
      const denied = await failure(start('echo', [path.join(dir, 'script')]).process.call('list', undefined));
      expect(denied.message).toMatch(/is not executable/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a call that is never answered stays pending (the deadline is the execution’s); close ends it and the process', async () => {
    const { process: child } = start('never');
    const call = child.call('list', undefined);
    const settled = await Promise.race([call.then(() => 'settled', () => 'settled'), new Promise((resolve) => setTimeout(() => resolve('pending'), 300))]);
    expect(settled).toBe('pending');
    await child.close();
    expect((await failure(call)).message).toMatch(/was closed before answering/);
  });

  it('close returns even when something the process started outside its group holds its stdout open', async () => {
    const { process: child, stdout } = start('escaped-grandchild');
    for (let i = 0; i < 50 && stdout.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const pid = Number(/^grandchild (\d+)$/.exec(stdout[0] ?? '')?.[1]);
    try {
      const begun = Date.now();
      await child.close();
      expect(Date.now() - begun).toBeLessThan(10_000);
    } finally {
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 20_000);

  it('close ends what the process started, too', async () => {
    const { process: child, stdout } = start('grandchild');
    for (let i = 0; i < 50 && stdout.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const pid = Number(/^grandchild (\d+)$/.exec(stdout[0] ?? '')?.[1]);
    expect(alive(pid)).toBe(true);
    await child.close();
    for (let i = 0; i < 20 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(pid)).toBe(false);
  });
});
