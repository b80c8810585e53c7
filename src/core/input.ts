/**
 * Reading the files users give holdup (contracts, scenarios, repro files, package.json, saved
 * reports): every way a read can fail — missing, a folder, no permission, a symbolic link that
 * loops, too large to be a sensible input — becomes a coded error naming the file and the next
 * step, never an `EACCES` stack trace or a "not found" that is not true.
 */
import { lstat, readFile, readlink, stat } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { HoldupError, type ErrorCode } from './errors.js';

/** The largest file holdup reads: far above any real contract, far below what would exhaust memory. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface InputFile {
  /** What the file is, for messages: "contract", "scenario file". */
  what: string;
  /** The code for a file that does not exist. */
  notFound: ErrorCode;
  /** The next step when it does not exist. */
  notFoundHint: string;
  maxBytes?: number;
}

/** Why `absolute` cannot be read, as a coded error; undefined when it exists and is a readable-looking file. */
export async function inputProblem(absolute: string, shown: string, input: InputFile): Promise<HoldupError | undefined> {
  let size: number;
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) {
      return new HoldupError('FILE_UNREADABLE', `the ${input.what} is a folder, not a file`, { file: shown, hint: `name the ${input.what} file itself` });
    }
    size = info.size;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const dangling = code === 'ENOENT' || code === 'ENOTDIR' ? await danglingLink(absolute) : undefined;
    return dangling ? danglingError(dangling, absolute, shown, input, cause) : readError(cause, shown, input);
  }
  const max = input.maxBytes ?? MAX_INPUT_BYTES;
  if (size > max) {
    return new HoldupError('FILE_TOO_LARGE', `the ${input.what} is ${megabytes(size)}; holdup reads files of at most ${megabytes(max)}`, {
      file: shown,
      hint: `check that this is the ${input.what} you meant; split a very large one into several files`,
    });
  }
  return undefined;
}

/** Reads a UTF-8 input file (a leading byte-order mark removed), or throws a coded error saying why it cannot. */
export async function readInputFile(absolute: string, shown: string, input: InputFile): Promise<string> {
  const problem = await inputProblem(absolute, shown, input);
  if (problem) throw problem;
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (cause) {
    throw readError(cause, shown, input);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The coded error for a failed `stat` or read (exported for tests: root reads files whatever their mode). */
export function readError(cause: unknown, shown: string, input: InputFile): HoldupError {
  const code = (cause as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new HoldupError(input.notFound, `${input.what} not found`, { file: shown, hint: input.notFoundHint, cause });
    case 'EACCES':
    case 'EPERM':
      return new HoldupError('FILE_UNREADABLE', `the ${input.what} cannot be read: permission denied (${code})`, {
        file: shown,
        hint: `let the user running holdup read it (chmod a+r ${shown}), or run holdup as its owner`,
        cause,
      });
    case 'ELOOP':
      return new HoldupError('FILE_UNREADABLE', `the ${input.what} is a symbolic link that leads back to itself (ELOOP)`, {
        file: shown,
        hint: `point the link at a real file (ls -l ${shown} shows where it leads)`,
        cause,
      });
    case 'EISDIR':
      return new HoldupError('FILE_UNREADABLE', `the ${input.what} is a folder, not a file`, { file: shown, hint: `name the ${input.what} file itself`, cause });
    default:
      return new HoldupError('FILE_UNREADABLE', `the ${input.what} could not be read (${code ?? String(cause)})`, {
        file: shown,
        hint: 'check that the file is a regular, readable file on a working disk, then run again',
        cause,
      });
  }
}

/**
 * The symbolic link on the way to `absolute` that leads nowhere, if that is why it is missing:
 * `base` in `base/report.json` after `cp -r reports/latest base` (GNU cp copies the link
 * `latest -> <run-id>` as a link, and beside `base` there is no `<run-id>`).
 */
async function danglingLink(absolute: string): Promise<{ link: string; target: string } | undefined> {
  for (let at = absolute; ; at = dirname(at)) {
    try {
      if (!(await lstat(at)).isSymbolicLink()) return undefined;
      try {
        await stat(at);
        return undefined;
      } catch {
        return { link: at, target: await readlink(at) };
      }
    } catch {
      // not there either: look at the folder it would be in
    }
    if (dirname(at) === at) return undefined;
  }
}

function danglingError({ link, target }: { link: string; target: string }, absolute: string, shown: string, input: InputFile, cause: unknown): HoldupError {
  // the link as the user would name it: the part of `shown` before what lies past the link
  const rest = relative(link, absolute);
  const named = rest === '' ? shown : shown.endsWith(`${sep}${rest}`) ? shown.slice(0, -(rest.length + 1)) : link;
  return new HoldupError(input.notFound, `${input.what} not found: ${named} is a symbolic link to ${target}, which does not exist`, {
    file: shown,
    hint:
      `a link copied with cp -r stays a link, and reports/latest is one: copy what it leads to with cp -rL (or copy the file itself), ` +
      `or point ${named} at what exists (ls -l ${named} shows where it leads); ${input.notFoundHint}`,
    cause,
  });
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
