/**
 * Writing reports without ever leaving half of one: every file goes to a temporary file in
 * the same folder and is renamed over its final name; `latest/` is rebuilt in a temporary
 * folder and swapped in.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
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
