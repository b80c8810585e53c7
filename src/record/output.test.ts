import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOut } from '../report/test-helpers.js';
import { captureConnectorOutput } from './output.js';

const redact = (text: string) => text.split('SECRET-TOKEN').join('<redacted:token>');

describe("captureConnectorOutput: a connector's output while holdup record runs it", () => {
  // where the console and the process's stdout would have written, had nothing been captured
  let passed: string[];
  const saved = { write: process.stdout.write, log: console.log };
  beforeEach(() => {
    passed = [];
    process.stdout.write = ((chunk: string | Uint8Array) => passed.push(`stdout: ${String(chunk)}`) > 0) as typeof process.stdout.write;
    console.log = (...args: unknown[]) => void passed.push(`console.log: ${args.join(' ')}`);
  });
  afterEach(() => {
    process.stdout.write = saved.write;
    console.log = saved.log;
  });

  it("holds what an operation prints and releases it redacted, in order, to the command's streams", () => {
    const out = new FakeOut();
    const err = new FakeOut();
    const output = captureConnectorOutput({ out, err, redact });
    try {
      output.hold();
      console.log('token %s', 'SECRET-TOKEN');
      // a token written in two pieces is still one token
      process.stdout.write('SECRET-');
      process.stdout.write(Buffer.from('TOKEN\n'));
      console.error(new Error('refused SECRET-TOKEN').message);
      console.warn({ token: 'SECRET-TOKEN' });
      process.stderr.write('stderr SECRET-TOKEN\n');
      console.info('info SECRET-TOKEN');
      console.debug('debug SECRET-TOKEN');
      expect(out.text + err.text).toBe('');
      expect(passed).toEqual([]);
      output.release();
      expect(out.text).toBe('token <redacted:token>\n<redacted:token>\ninfo <redacted:token>\ndebug <redacted:token>\n');
      expect(err.text).toBe("refused <redacted:token>\n{ token: '<redacted:token>' }\nstderr <redacted:token>\n");
      expect(passed).toEqual([]);
    } finally {
      output.close();
    }
  });

  it('between operations (a late timer), redacts what is printed and lets it go where it would have gone', () => {
    const out = new FakeOut();
    const output = captureConnectorOutput({ out, err: new FakeOut(), redact });
    try {
      process.stdout.write('late SECRET-TOKEN\n');
      console.log('late', 'SECRET-TOKEN');
      expect(passed).toEqual(['stdout: late <redacted:token>\n', 'console.log: late <redacted:token>']);
      expect(out.text).toBe('');
    } finally {
      output.close();
    }
  });

  it('puts the console and the streams back on close, releasing what is still held', () => {
    const patched = { write: process.stdout.write, log: console.log, error: console.error };
    const out = new FakeOut();
    const output = captureConnectorOutput({ out, err: new FakeOut(), redact });
    expect(console.log).not.toBe(patched.log);
    output.hold();
    console.log('held SECRET-TOKEN');
    output.close();
    expect(out.text).toBe('held <redacted:token>\n');
    expect({ write: process.stdout.write, log: console.log, error: console.error }).toEqual(patched);
  });

  it('writes what is held when the process exits mid-operation, and holds nothing after, so the last line holdup writes is redacted and follows it', () => {
    const before = process.listeners('exit');
    const out = new FakeOut();
    const output = captureConnectorOutput({ out, err: new FakeOut(), redact });
    const added = process.listeners('exit').filter((listener) => !before.includes(listener));
    try {
      expect(added).toHaveLength(1);
      output.hold();
      console.log('held SECRET-TOKEN');
      // what process.exit does: the listeners run, synchronously
      added[0]!.call(process, 3);
      expect(out.text).toBe('held <redacted:token>\n');
      output.hold();
      process.stdout.write('[holdup] HARNESS … SECRET-TOKEN\n');
      expect(passed).toEqual(['stdout: [holdup] HARNESS … <redacted:token>\n']);
    } finally {
      output.close();
    }
    expect(process.listeners('exit')).toEqual(before);
  });
});
