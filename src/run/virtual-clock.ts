import { AsyncResource } from 'node:async_hooks';
import { createRequire } from 'node:module';
import FakeTimers, { type InstalledClock } from '@sinonjs/fake-timers';
import { createRng } from '../core/index.js';

/** How many real turns of the event loop the driver lets pass before it moves virtual time on. */
const SETTLE_TURNS = 5;
/** Timers fired in a row without virtual time moving before the clock jumps to the deadline. */
const STUCK_STEPS = 1_000;
/** A driver that has fired this many timers without the work settling gives up (a bug: the deadline should have ended it). */
const MAX_STEPS = 100_000;

/**
 * A virtual clock for in-process executions: `setTimeout`, `setInterval` (and their clears),
 * `Date` and `AbortSignal.timeout` run on it, so a connector's Retry-After waits, backoff
 * sleeps and request timeouts cost no wall time while the times it sees stay true. `Math.random`
 * is seeded too, so a connector's jitter is the same each time an execution is replayed.
 * `setImmediate`, `process.nextTick` and `queueMicrotask` stay real (faking them hangs
 * `Response.json()`); `performance.now()` and `node:timers/promises` are not faked.
 * A virtual timer's callback runs in the async context that set the timer, as a real timer's
 * does (fake-timers alone would run it in the driver's): AsyncLocalStorage, and so the warning
 * capture of src/run/capture.ts, sees the execution that set it.
 */
export interface VirtualClock {
  /** Virtual epoch ms (`Date.now()` while installed). */
  now(): number;
  /**
   * Runs virtual time forward until `work` settles: real I/O first, then the next timer. When
   * timers keep firing without time moving (a 0 ms loop), the clock jumps to `deadlineAt`
   * (virtual epoch ms), where the execution's deadline fires.
   */
  drive(work: Promise<unknown>, deadlineAt: number): Promise<void>;
  uninstall(): void;
}

const realSetImmediate = setImmediate;
/** `node:timers` as CommonJS code sees it: fake-timers fakes its methods too. */
const timersModule = createRequire(import.meta.url)('node:timers') as Record<string, unknown>;
const BOUND = ['setTimeout', 'setInterval'] as const;

type TimerSetter = (callback: unknown, ...rest: unknown[]) => unknown;

/** `set` with its callback bound to the async context of the caller. */
function keepingContext(set: TimerSetter): TimerSetter {
  const wrapped = (callback: unknown, ...rest: unknown[]) =>
    set(typeof callback === 'function' ? AsyncResource.bind(callback as (...args: unknown[]) => unknown) : callback, ...rest);
  return Object.assign(wrapped, set);
}

/** Wraps the installed fakes so their callbacks keep their async context; returns the function that puts the fakes back (before fake-timers uninstalls them). */
function bindTimerContexts(): () => void {
  const targets = [globalThis as unknown as Record<string, unknown>, timersModule];
  const restore: (() => void)[] = [];
  for (const target of targets) {
    for (const name of BOUND) {
      const fake = target[name];
      // only the fakes this clock installed (node:timers keeps the real ones when fake-timers left it alone)
      if (typeof fake !== 'function' || !('clock' in fake)) continue;
      target[name] = keepingContext(fake as unknown as TimerSetter);
      restore.push(() => {
        target[name] = fake;
      });
    }
  }
  return () => {
    for (const undo of restore) undo();
  };
}
const realAbortTimeout = AbortSignal.timeout;
const realRandom = Math.random;

function realTurns(count: number): Promise<void> {
  let chain = Promise.resolve();
  for (let i = 0; i < count; i++) chain = chain.then(() => new Promise<void>((resolve) => realSetImmediate(resolve)));
  return chain;
}

/** Installs the virtual clock on this process's globals, starting at the real time (its last whole second), with `Math.random` seeded by `seed`. One at a time. */
export function installVirtualClock(seed: number): VirtualClock {
  const clock: InstalledClock = FakeTimers.withGlobal(globalThis).install({
    // on a whole second: HTTP-dates have second precision, so a Retry-After date means the same wait every time
    now: Math.floor(Date.now() / 1000) * 1000,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  const unbind = bindTimerContexts();
  Math.random = createRng(seed).next;
  // AbortSignal.timeout keeps real timers of its own: give it the virtual setTimeout
  AbortSignal.timeout = (ms: number): AbortSignal => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
    return controller.signal;
  };
  return {
    now: () => clock.now,
    async drive(work, deadlineAt) {
      let settled = false;
      void work.then(
        () => (settled = true),
        () => (settled = true),
      );
      let stuck = 0;
      for (let step = 0; step < MAX_STEPS; step++) {
        await realTurns(SETTLE_TURNS);
        if (settled) return;
        if (clock.countTimers() === 0) continue; // waiting on something real (a stream, a file)
        const before = clock.now;
        await clock.nextAsync();
        stuck = clock.now === before ? stuck + 1 : 0;
        if (stuck >= STUCK_STEPS && clock.now < deadlineAt) {
          clock.jump(deadlineAt - clock.now); // fires each due timer once, the deadline among them
          stuck = 0;
        }
      }
      throw new Error(`the virtual clock moved ${MAX_STEPS} times without the execution settling (a timer that re-arms itself forever?)`);
    },
    uninstall() {
      AbortSignal.timeout = realAbortTimeout;
      Math.random = realRandom;
      unbind(); // fake-timers restores what it installed: give it back its own fakes first
      clock.uninstall();
    },
  };
}
