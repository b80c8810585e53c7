/**
 * Writing reports without ever leaving half of one: every file goes to a temporary file in
 * the same folder and is renamed over its final name; a run's folder is created by one run only;
 * `latest` is a link replaced in one rename (a folder of copies where links cannot be made).
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HoldupError } from '../core/errors.js';

function tempName(final: string): string {
  return join(dirname(final), `.${basename(final)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

function writeError(file: string, cause: unknown): HoldupError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new HoldupError('REPORT_WRITE', `could not write the report: ${reason}`, {
    file,
    hint: 'check that the reports folder is writable and the disk is not full',
    cause,
  });
}

/** Writes `content` to `file` through a temporary file in the same folder and a rename. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temp = tempName(file);
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw writeError(file, error);
  }
}

/** How many names `claimFolder` tries after the one it was given. */
const CLAIM_ATTEMPTS = 100;

/**
 * Creates the folder `name` in `parent` for this run alone: another run that got there first
 * (the same run id) keeps its folder, and this one gets `name-2`, `name-3`… Returns the name.
 */
export async function claimFolder(parent: string, name: string): Promise<string> {
  for (let n = 1; n <= CLAIM_ATTEMPTS; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    try {
      await mkdir(join(parent, candidate));
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(join(parent, candidate), error);
    }
  }
  throw writeError(join(parent, name), new Error(`${name} and ${CLAIM_ATTEMPTS - 1} names after it exist already`));
}

/** What a link cannot be made on (Windows without the privilege, FAT and some network file systems). */
const NO_LINKS = new Set(['EPERM', 'EACCES', 'ENOSYS', 'EOPNOTSUPP', 'EINVAL']);
/** What renaming a link over a folder says (a `latest/` folder from an earlier holdup). */
const IS_A_FOLDER = new Set(['EISDIR', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR', 'EPERM']);

/**
 * Points `link` (`reports/latest`) at the folder `folder`, a sibling: a relative symbolic link
 * made under a temporary name and renamed over `link`, so a reader never finds it missing or half
 * made, and of runs that finish together the last rename wins, each pointing at a complete folder.
 * Where no link can be made, `link` becomes a folder of copies of `files`.
 */
export async function pointLinkAt(link: string, folder: string, files: readonly string[]): Promise<void> {
  const temp = tempName(link);
  try {
    await symlink(folder, temp, 'dir');
  } catch (error) {
    if (NO_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) {
      await replaceDirWithCopies(link, files);
      return;
    }
    throw writeError(link, error);
  }
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await rename(temp, link);
        return;
      } catch (error) {
        // a folder cannot be replaced by a rename: remove it (rm removes a link, never what it points at)
        if (attempt > 3 || !IS_A_FOLDER.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        await rm(link, { recursive: true, force: true });
      }
    }
  } catch (error) {
    await rm(temp, { force: true });
    throw writeError(link, error);
  }
}

/**
 * Makes `target` a folder holding copies of `files` (and nothing else): the copies are made in
 * a temporary sibling folder, then the old `target` is moved aside and the new one renamed in.
 */
export async function replaceDirWithCopies(target: string, files: readonly string[]): Promise<string[]> {
  const temp = tempName(target);
  const old = `${temp}.old`;
  let moved = false;
  try {
    await mkdir(temp, { recursive: true });
    for (const file of files) await copyFile(file, join(temp, basename(file)));
    try {
      await rename(target, old);
      moved = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await rename(temp, target);
    if (moved) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (moved) await rename(old, target).catch(() => undefined);
    throw writeError(target, error);
  }
  return files.map((file) => join(target, basename(file)));
}
