import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { ConnectorWarning } from '../core/index.js';

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
 *    were under way. Strays are held, never printed while an execution runs, and reported in one
 *    labelled block on stderr when the capture is removed (the end of the run), so they are
 *    neither lost nor mistaken for holdup's own output.
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

/** A warning no execution's judgement included. */
export interface StrayWarning {
  source: Source;
  message: string;
  /** `late`: its execution had settled already; `unattributed`: no execution in its async context, and none running alone. */
  reason: 'late' | 'unattributed';
  /** The execution it came from (`late`). */
  executionId?: string;
  /** Executions under way when it arrived (`unattributed`). */
  underWay?: number;
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

function stray(warning: StrayWarning): void {
  strays.push(warning);
  if (installs === 0) flushStrays();
}

/** Strays listed one by one at the end of a run (a hung connector may log on for ever). */
const STRAYS_SHOWN = 10;

/** `strays`, as one block for stderr. */
export function describeStrays(list: readonly StrayWarning[]): string {
  const count = list.length === 1 ? '1 warning' : `${list.length} warnings`;
  const lines = [`holdup: ${count} from connector code arrived outside the execution that emitted it, so no check judged ${list.length === 1 ? 'it' : 'them'}:`];
  for (const warning of list.slice(0, STRAYS_SHOWN)) {
    const why =
      warning.reason === 'late'
        ? `after ${warning.executionId ?? 'its execution'} had settled`
        : `with no execution in its async context, while ${warning.underWay === 1 ? '1 execution was' : `${warning.underWay ?? 0} executions were`} under way`;
    lines.push(`  ${warning.source}: ${warning.message.split('\n')[0] ?? ''} (${why})`);
  }
  if (list.length > STRAYS_SHOWN) lines.push(`  … and ${list.length - STRAYS_SHOWN} more`);
  return `${lines.join('\n')}\n`;
}

function flushStrays(): void {
  if (strays.length === 0) return;
  const text = describeStrays(strays);
  strays = [];
  process.stderr.write(text);
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
      if (!route('process.emitWarning', typeof warning === 'string' ? warning : warning.message)) (saved.emitWarning as (...a: unknown[]) => void).call(process, warning, ...rest);
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
    flushStrays();
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
