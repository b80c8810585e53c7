import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { ConnectorWarning, StrayWarning } from '../core/index.js';

/**
 * Captures the warnings connector code emits — `console.warn`, `console.error`,
 * `process.emitWarning` and the connector's own `warn` hook — and files each under the execution
 * it came from. Nothing a connector emits while an execution is under way reaches the terminal.
 *
 * Which execution a warning belongs to:
 * 1. The `warn` hook holdup hands to `create` is the execution's own: always filed there.
 * 2. Otherwise the async context says (AsyncLocalStorage): promises, real timers, sockets and
 *    the virtual clock's timers (src/run/virtual-clock.ts binds them) keep the context of the
 *    execution that started them, so concurrent executions (network mode) each get their own.
 * 3. A warning with no execution in its context is filed under the execution under way when that
 *    execution runs alone by construction (`exclusive`: every in-process execution, whose clock is
 *    the process's, and every `holdup fuzz` execution). Never by timing: with several executions
 *    under way nothing says which one it was.
 * 4. Whatever is left is a *stray*: a warning that arrived after its execution had settled (its
 *    outcome was judged already), or one with no context while executions that do not run alone
 *    were under way. Strays are held, never printed while an execution runs; the runner takes
 *    them (`takeStrayWarnings`) when its run ends and hands them to the reporters, which list
 *    them in one labelled block, so they are neither lost nor mistaken for holdup's own output.
 * A warning emitted when no execution is under way is not the connector's (holdup's own, or the
 * user's): it goes where it would have gone.
 *
 * The window of an execution closes when its outcomes are settled (every invocation returned,
 * threw or hit the deadline): a warning is judged with the execution only if the operation
 * emitted it before it settled, in both modes, so the verdict does not depend on timing.
 */

type Source = ConnectorWarning['source'];

/** One execution's warnings, from `openExecutionWarnings` to `close`. */
export interface ExecutionWarnings {
  readonly executionId: string;
  /** The warnings filed so far, in order of arrival. */
  readonly warnings: ConnectorWarning[];
  /** Runs `fn` with this execution as the owner of the warnings its async context emits. */
  run<T>(fn: () => T): T;
  /** The `warn(message)` hook given to the connector's `create`. */
  warn(message: unknown): void;
  /** Closes the window: warnings that arrive later are strays. */
  close(): void;
}

interface Sink {
  readonly executionId: string;
  readonly exclusive: boolean;
  open: boolean;
  file(source: Source, message: string): void;
}

const storage = new AsyncLocalStorage<Sink>();
/** Executions whose window is open. */
const open = new Set<Sink>();
let installs = 0;
let originals: { warn: typeof console.warn; error: typeof console.error; emitWarning: typeof process.emitWarning } | undefined;
let strays: StrayWarning[] = [];

/** Strays kept until the run takes them, at most; more are only counted. */
const MAX_STRAYS = 1_000;
let dropped = 0;

function stray(warning: StrayWarning): void {
  if (strays.length < MAX_STRAYS) strays.push(warning);
  else dropped += 1;
}

/**
 * The strays held since the last call, oldest first (with how many more were only counted), and
 * forgets them: the runner hands them to the reporters when its run ends (a `stray-warnings`
 * event), `holdup fuzz` prints them.
 */
export function takeStrayWarnings(): { warnings: StrayWarning[]; more: number } {
  const taken = { warnings: strays, more: dropped };
  strays = [];
  dropped = 0;
  return taken;
}

/** Files a warning from `console.*` or `process.emitWarning`; false when it is not the connector's (no execution under way). */
function route(source: Source, message: string): boolean {
  const owner = storage.getStore();
  if (owner) {
    owner.file(source, message);
    return true;
  }
  if (open.size === 0) return false;
  const [only] = open;
  if (open.size === 1 && only?.exclusive) {
    only.file(source, message);
    return true;
  }
  stray({ source, message, reason: 'unattributed', underWay: open.size });
  return true;
}

/** Patches `console.warn`, `console.error` and `process.emitWarning` until the returned function is called. Nested installs share one patch. */
export function installWarningCapture(): () => void {
  installs++;
  if (installs === 1) {
    const saved = { warn: console.warn, error: console.error, emitWarning: process.emitWarning };
    originals = saved;
    console.warn = (...args: unknown[]) => {
      if (!route('console.warn', format(...args))) saved.warn.apply(console, args);
    };
    console.error = (...args: unknown[]) => {
      if (!route('console.error', format(...args))) saved.error.apply(console, args);
    };
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      if (!route('process.emitWarning', emittedText(warning, rest[0]))) (saved.emitWarning as (...a: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    installs--;
    if (installs > 0) return;
    if (originals) {
      console.warn = originals.warn;
      console.error = originals.error;
      process.emitWarning = originals.emitWarning;
      originals = undefined;
    }
  };
}

/**
 * Opens the warning window of one execution (and installs the capture for as long as it is
 * open). `elapsed` gives a warning's `atMs`; `exclusive` says the execution runs alone by
 * construction, so a warning with no async context while it is open is its own.
 */
export function openExecutionWarnings(options: { executionId: string; elapsed: () => number; exclusive: boolean }): ExecutionWarnings {
  const warnings: ConnectorWarning[] = [];
  const uninstall = installWarningCapture();
  const sink: Sink = {
    executionId: options.executionId,
    exclusive: options.exclusive,
    open: true,
    file(source, message) {
      if (sink.open) warnings.push({ source, message, atMs: options.elapsed() });
      else stray({ source, message, reason: 'late', executionId: options.executionId });
    },
  };
  open.add(sink);
  return {
    executionId: options.executionId,
    warnings,
    run: (fn) => storage.run(sink, fn),
    warn: (message) => sink.file('warn', String(message)),
    close() {
      if (!sink.open) return;
      sink.open = false;
      open.delete(sink);
      uninstall();
    },
  };
}

/**
 * A process.emitWarning as Node prints it, with its type: `DeprecationWarning: the v1 API …`
 * (the type is what says a warning is about a deprecation, when its text does not).
 */
function emittedText(warning: string | Error, second: unknown): string {
  if (typeof warning !== 'string') return `${warning.name}: ${warning.message}`;
  const type = typeof second === 'string' ? second : second !== null && typeof second === 'object' && 'type' in second ? (second as { type?: unknown }).type : undefined;
  return typeof type === 'string' && type !== '' ? `${type}: ${warning}` : warning;
}
