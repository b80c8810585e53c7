import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { ConnectorWarning } from '../core/index.js';

/**
 * Captures `console.warn` and `process.emitWarning` calls made by connector code and files
 * them under the execution they came from (executions run concurrently in one process, so the
 * execution is found through async context, not by time).
 */
export interface WarningSink {
  push(warning: Omit<ConnectorWarning, 'atMs'>): void;
}

const storage = new AsyncLocalStorage<WarningSink>();
let installed = 0;
let restore: (() => void) | undefined;

/** Installs the capture for the duration of a run; returns the function that removes it. */
export function installWarningCapture(): () => void {
  installed++;
  if (installed === 1) {
    const originalWarn = console.warn;
    const originalEmit = process.emitWarning;
    console.warn = (...args: unknown[]) => {
      const sink = storage.getStore();
      if (sink) sink.push({ source: 'console.warn', message: format(...args) });
      else originalWarn.apply(console, args);
    };
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      const sink = storage.getStore();
      if (sink) sink.push({ source: 'process.emitWarning', message: typeof warning === 'string' ? warning : warning.message });
      else (originalEmit as (...a: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    restore = () => {
      console.warn = originalWarn;
      process.emitWarning = originalEmit;
    };
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    installed--;
    if (installed === 0) restore?.();
  };
}

/** Runs `fn` with warnings filed under `sink`. */
export function withWarningSink<T>(sink: WarningSink, fn: () => T): T {
  return storage.run(sink, fn);
}
