import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { strayWarningsText } from '../report/format.js';
import { installWarningCapture, openExecutionWarnings, takeStrayWarnings, type ExecutionWarnings } from './capture.js';
import { installVirtualClock } from './virtual-clock.js';

/** What would have reached the terminal: the methods as they were before the capture was installed, and stderr itself. */
let terminal: { warn: MockInstance; error: MockInstance; emitWarning: MockInstance; stderr: MockInstance };

beforeEach(() => {
  terminal = {
    warn: vi.spyOn(console, 'warn').mockImplementation(() => {}),
    error: vi.spyOn(console, 'error').mockImplementation(() => {}),
    emitWarning: vi.spyOn(process, 'emitWarning').mockImplementation(() => {}),
    stderr: vi.spyOn(process.stderr, 'write').mockImplementation(() => true),
  };
  takeStrayWarnings();
});

/** The strays the run takes at its end, as the console reporter prints them. */
function strayText(): string {
  return strayWarningsText(takeStrayWarnings());
}
afterEach(() => {
  vi.restoreAllMocks();
});

/** What reached stderr through `process.stderr.write`. */
function stderrText(): string {
  return terminal.stderr.mock.calls.map((call) => String(call[0])).join('');
}

function nothingReachedTheTerminal(): void {
  expect(terminal.warn).not.toHaveBeenCalled();
  expect(terminal.error).not.toHaveBeenCalled();
  expect(terminal.emitWarning).not.toHaveBeenCalled();
  expect(stderrText()).toBe('');
}

function open(executionId: string, exclusive = false): ExecutionWarnings {
  let ms = 0;
  return openExecutionWarnings({ executionId, elapsed: () => (ms += 10), exclusive });
}

const realTimer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every way a connector warns, once each. */
function warnEveryWay(execution: ExecutionWarnings, tag: string): void {
  execution.warn(`${tag} hook`);
  console.warn('%s console.warn', tag);
  console.error(new Error(`${tag} console.error`).message);
  process.emitWarning(`${tag} emitWarning`, 'DeprecationWarning');
}

describe('warning capture', () => {
  it('files the warnings of concurrent executions under each one through its async context, real timers included', async () => {
    const uninstall = installWarningCapture();
    const a = open('a');
    const b = open('b');
    await Promise.all([
      a.run(async () => {
        await realTimer(5);
        warnEveryWay(a, 'A');
      }),
      b.run(async () => {
        await new Promise<void>((resolve) =>
          setTimeout(() => {
            warnEveryWay(b, 'B');
            resolve();
          }, 1),
        );
      }),
    ]);
    a.close();
    b.close();
    uninstall();
    expect(a.warnings.map((w) => [w.source, w.message])).toEqual([
      ['warn', 'A hook'],
      ['console.warn', 'A console.warn'],
      ['console.error', 'A console.error'],
      ['process.emitWarning', 'DeprecationWarning: A emitWarning'],
    ]);
    expect(b.warnings.map((w) => w.message)).toEqual(['B hook', 'B console.warn', 'B console.error', 'DeprecationWarning: B emitWarning']);
    expect(a.warnings.map((w) => w.atMs)).toEqual([10, 20, 30, 40]);
    nothingReachedTheTerminal();
  });

  it('files a warning with no async context under the one execution under way when it runs alone (in-process, fuzz)', () => {
    const uninstall = installWarningCapture();
    const only = open('only', true);
    // the test body carries no execution: as a callback fake-timers fired would
    console.warn('lost its context');
    console.error('this too');
    only.close();
    uninstall();
    expect(only.warnings.map((w) => `${w.source}: ${w.message}`)).toEqual(['console.warn: lost its context', 'console.error: this too']);
    nothingReachedTheTerminal();
  });

  it('never guesses by timing: a warning with no context while executions that do not run alone are under way is held, then reported once, labelled', () => {
    const uninstall = installWarningCapture();
    const a = open('a');
    const b = open('b');
    console.warn('whose?');
    b.close();
    // one left under way, but it could be anyone's: still not attributed
    process.emitWarning('and whose?');
    a.close();
    expect(a.warnings).toEqual([]);
    expect(b.warnings).toEqual([]);
    // held while the run goes on
    nothingReachedTheTerminal();
    uninstall();
    nothingReachedTheTerminal();
    expect(strayText()).toBe(
      'holdup: 2 warnings from connector code arrived outside the execution that emitted them, so no check judged them:\n' +
        '  console.warn: whose? (with no execution in its async context, while 2 executions were under way)\n' +
        '  process.emitWarning: and whose? (with no execution in its async context, while 1 execution was under way)\n',
    );
    expect(terminal.warn).not.toHaveBeenCalled();
    expect(terminal.emitWarning).not.toHaveBeenCalled();
  });

  it('a warning that comes after its execution settled is not added to the judged execution: it is reported as late', async () => {
    const uninstall = installWarningCapture();
    const a = open('billing/rate-limit/x/getInvoice');
    let late: Promise<void> = Promise.resolve();
    a.run(() => {
      late = realTimer(5).then(() => console.warn('too late'));
    });
    a.close();
    const other = open('other');
    await late;
    a.warn('late hook');
    other.close();
    expect(a.warnings).toEqual([]);
    expect(other.warnings).toEqual([]);
    nothingReachedTheTerminal();
    uninstall();
    nothingReachedTheTerminal();
    expect(strayText()).toBe(
      'holdup: 2 warnings from connector code arrived outside the execution that emitted them, so no check judged them:\n' +
        '  console.warn: too late (after billing/rate-limit/x/getInvoice had settled)\n' +
        '  warn: late hook (after billing/rate-limit/x/getInvoice had settled)\n',
    );
  });

  it('lists ten strays at most', () => {
    const uninstall = installWarningCapture();
    const a = open('a');
    a.close();
    for (let i = 1; i <= 12; i++) a.warn(`retry ${i}`);
    uninstall();
    const lines = strayText().split('\n');
    expect(lines[0]).toBe('holdup: 12 warnings from connector code arrived outside the execution that emitted them, so no check judged them:');
    expect(lines.slice(10, 13)).toEqual(['  warn: retry 10 (after a had settled)', '  … and 2 more', '']);
  });

  it('leaves what is emitted while no execution is under way alone, and restores the console when the last install is removed', () => {
    const outer = installWarningCapture();
    const inner = installWarningCapture();
    const a = open('a', true);
    a.close();
    console.warn('holdup itself');
    process.emitWarning('a Node warning');
    inner();
    expect(console.warn).not.toBe(terminal.warn);
    outer();
    expect(console.warn).toBe(terminal.warn);
    expect(console.error).toBe(terminal.error);
    expect(process.emitWarning).toBe(terminal.emitWarning);
    expect(terminal.warn).toHaveBeenCalledWith('holdup itself');
    expect(terminal.emitWarning).toHaveBeenCalledWith('a Node warning');
    expect(a.warnings).toEqual([]);
  });

  it('an execution installs the capture itself while it is open', () => {
    const a = open('a', true);
    expect(console.warn).not.toBe(terminal.warn);
    console.warn('captured without a run around it');
    a.close();
    expect(console.warn).toBe(terminal.warn);
    expect(a.warnings.map((w) => w.message)).toEqual(['captured without a run around it']);
    nothingReachedTheTerminal();
  });

  it('on the virtual clock, a timer callback runs in the context of the execution that set the timer', async () => {
    const clock = installVirtualClock(1);
    const a = open('a');
    const b = open('b');
    try {
      const work = Promise.all([
        a.run(() => new Promise<void>((resolve) => setTimeout(() => (console.warn('from A, 10 s later'), resolve()), 10_000))),
        b.run(
          () =>
            new Promise<void>((resolve) => {
              const interval = setInterval(() => {
                console.error('from B, every second');
                clearInterval(interval);
                resolve();
              }, 1_000);
            }),
        ),
      ]);
      await clock.drive(work, clock.now() + 60_000);
      await work;
    } finally {
      a.close();
      b.close();
      clock.uninstall();
    }
    expect(a.warnings.map((w) => w.message)).toEqual(['from A, 10 s later']);
    expect(b.warnings.map((w) => w.message)).toEqual(['from B, every second']);
    nothingReachedTheTerminal();
  });
});
