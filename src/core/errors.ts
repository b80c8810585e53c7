/**
 * Errors a user can cause. Each has a stable code, the file and the path inside it where
 * that applies, and the next step. `formatError` renders the one line format
 * `[holdup] CODE message` used everywhere.
 */
import { formatJsonPath } from './json-path.js';

/**
 * Exit codes of the command line (README.md, "Exit codes"). A crash or bad input never exits with
 * the code that means a gate failed.
 */
export const EXIT = {
  /** every gate passed */
  ok: 0,
  /** a gate failed: a critical check, a threshold, or an invalid connector */
  gateFailed: 1,
  /** bad input or usage */
  badInput: 2,
  /** the harness itself could not run (or judge the gate), or failed: an internal error */
  harness: 3,
  /** interrupted (Ctrl-C, SIGTERM): the report written so far says `"interrupted": true` (128 + SIGINT, as shells count) */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const ERROR_CODES = {
  CONFIG_NOT_FOUND: EXIT.badInput,
  CONFIG_INVALID: EXIT.badInput,
  CONFIG_IMPORT: EXIT.badInput,
  CONTRACT_NOT_FOUND: EXIT.badInput,
  CONTRACT_JSON: EXIT.badInput,
  CONTRACT_SCHEMA: EXIT.badInput,
  SCENARIO_NOT_FOUND: EXIT.badInput,
  SCENARIO_JSON: EXIT.badInput,
  SCENARIO_SCHEMA: EXIT.badInput,
  UNKNOWN_FAULT: EXIT.badInput,
  UNKNOWN_CHECK: EXIT.badInput,
  FAULT_PARAMS: EXIT.badInput,
  CONNECTOR_NOT_FOUND: EXIT.badInput,
  CONNECTOR_IMPORT: EXIT.badInput,
  CONNECTOR_INVALID: EXIT.badInput,
  UNKNOWN_CONNECTOR: EXIT.badInput,
  UNKNOWN_CATEGORY: EXIT.badInput,
  UNKNOWN_OPERATION: EXIT.badInput,
  UNKNOWN_SCENARIO: EXIT.badInput,
  INTERRUPTED: EXIT.interrupted,
  USAGE: EXIT.badInput,
  NOT_BUILT: EXIT.badInput,
  CONTROL_THREW: EXIT.gateFailed,
  CONTROL_HUNG: EXIT.gateFailed,
  NO_MATCH: EXIT.gateFailed,
  REPORT_WRITE: EXIT.harness,
  NETWORK_ENGINE: EXIT.harness,
  REPRO_INVALID: EXIT.badInput,
  NOT_REPRODUCIBLE: EXIT.gateFailed,
  UPSTREAM_UNREACHABLE: EXIT.badInput,
  UPSTREAM_BODY: EXIT.badInput,
  CONTRACT_EXISTS: EXIT.badInput,
  RECORD_EMPTY: EXIT.badInput,
  IMPORT_NOT_FOUND: EXIT.badInput,
  IMPORT_SYNTAX: EXIT.badInput,
  IMPORT_SCHEMA: EXIT.badInput,
  IMPORT_EMPTY: EXIT.badInput,
  NOCK_CODE: EXIT.badInput,
  OPENAPI_VERSION: EXIT.badInput,
  OPENAPI_REF: EXIT.badInput,
  OUT_DIR_MISSING: EXIT.badInput,
  VERIFY_ENGINE: EXIT.harness,
  MISSING_PACKAGE: EXIT.badInput,
  BASELINE_NOT_FOUND: EXIT.badInput,
  BASELINE_INVALID: EXIT.badInput,
  FILE_UNREADABLE: EXIT.badInput,
  FILE_TOO_LARGE: EXIT.badInput,
  HARNESS: EXIT.harness,
} as const satisfies Record<string, ExitCode>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface HoldupErrorDetails {
  /** The file the problem is in, relative to the project root when possible. */
  file?: string;
  /** Where inside the file: a JSON path (`$.interactions[2].request.method`) or a property path. */
  path?: string;
  /** What the user should do next. */
  hint: string;
  cause?: unknown;
}

export class HoldupError extends Error {
  override readonly name = 'HoldupError';
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly path: string | undefined;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, details: HoldupErrorDetails) {
    super(clip(message, MAX_MESSAGE), details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.file = details.file === undefined ? undefined : clip(details.file, MAX_PLACE);
    this.path = details.path === undefined ? undefined : clip(details.path, MAX_PLACE);
    this.hint = clip(details.hint, MAX_HINT);
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code];
  }
}

/**
 * How much of a message, a place and a hint an error keeps: values from a file are echoed in
 * messages, and a file can hold anything (an 8 MB "check id"); an error stays a few lines.
 */
const MAX_MESSAGE = 800;
const MAX_PLACE = 240;
const MAX_HINT = 1_200;

/** `text`, cut to `max` characters with an ellipsis when longer. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A value from a file, quoted for a message: `"rate-limit/x"`, or its start and its length when
 * it is long (`"aaaa…" (8,388,608 characters)`). Control characters are escaped by the quoting.
 */
export function quoted(value: string, max = 60): string {
  if (value.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, max))}… (${value.length.toLocaleString('en-US')} characters)`;
}

export function isHoldupError(error: unknown): error is HoldupError {
  return error instanceof HoldupError;
}

/**
 * Text from anywhere (a connector's exception, a file, a server's answer) made safe to print on a
 * terminal: escape sequences (colours, cursor moves, a screen clear) and control characters are
 * shown (`\x1b`, `\r`), never acted on; a line break stays one (CRLF too) and a tab becomes a
 * space; half of a surrogate pair becomes U+FFFD.
 */
export function printable(text: string): string {
  return (
    text
      .replace(/\r\n/g, '\n')
      .replace(/\t/g, ' ')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
      .replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
  );
}

/**
 * `[holdup] CODE file: path: message` and, on the next line, `  next: hint`. A stack trace only
 * when asked for (`--debug`): that of the error's cause, the one that says where it came from.
 */
export function formatError(error: HoldupError, options: { stack?: boolean } = {}): string {
  const where = [error.file, error.path].filter((part): part is string => Boolean(part)).join(': ');
  // a message of several lines (a connector's exception) is indented under the first
  const message = printable(error.message).split('\n').join('\n    ');
  const head = `[holdup] ${error.code} ${where ? `${printable(where)}: ` : ''}${message}`;
  const origin = error.cause instanceof Error ? error.cause : error;
  const stack = options.stack && origin.stack ? `\n${printable(origin.stack)}` : '';
  return `${head}\n  next: ${printable(error.hint)}${stack}`;
}

/**
 * An error nothing expected — a bug in holdup, or code it ran (a connector) that threw where no
 * one could catch it — as the `HARNESS` error people read (exit 3, never 1: it says nothing about
 * a gate). `what` says where it was caught.
 */
export function unexpectedError(error: unknown, what: string): HoldupError {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new HoldupError('HARNESS', `${what}: ${message.split('\n')[0] ?? ''}`, {
    hint: 'if it comes from your connector (a callback that throws, a promise nobody awaits), fix it there; otherwise it is a bug in holdup: please report it with the command you ran and what --debug prints',
    cause: error,
  });
}

/** A place inside a file, as Pact and JSONPath write it: `$.a[0]['b c']`; a very long key is cut short. */
export function jsonPath(segments: readonly (string | number)[]): string {
  return formatJsonPath(
    segments.map((segment) => (typeof segment === 'string' && segment.length > 60 ? `${segment.slice(0, 59)}…` : segment)),
    { wildcard: false },
  );
}
