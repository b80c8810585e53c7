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
      clock.uninstall();
    },
  };
}
