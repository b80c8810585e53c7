import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatError, HoldupError } from './errors.js';
import { readError, readInputFile, type InputFile } from './input.js';

const input: InputFile = { what: 'contract file', notFound: 'CONTRACT_NOT_FOUND', notFoundHint: 'check the path' };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'holdup-input-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<HoldupError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HoldupError) return error;
    throw error;
  }
  throw new Error('expected a HoldupError');
}

describe('reading a file a user named: every failure is a coded error', () => {
  it('reads a file, without its byte-order mark', async () => {
    await writeFile(path.join(dir, 'ok.json'), '\uFEFF{"a":1}');
    expect(await readInputFile(path.join(dir, 'ok.json'), 'ok.json', input)).toBe('{"a":1}');
  });

  it('missing: the caller’s not-found code and hint', async () => {
    const error = await errorOf(readInputFile(path.join(dir, 'nope.json'), 'nope.json', input));
    expect(formatError(error)).toBe('[holdup] CONTRACT_NOT_FOUND nope.json: contract file not found\n  next: check the path');
  });

  it('a symbolic link that loops is said to loop, not to be missing', async () => {
    await symlink(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
    await symlink(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
    const error = await errorOf(readInputFile(path.join(dir, 'loop-a'), 'loop-a', input));
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toBe('the contract file is a symbolic link that leads back to itself (ELOOP)');
  });

  it('a folder', async () => {
    await mkdir(path.join(dir, 'folder'));
    const error = await errorOf(readInputFile(path.join(dir, 'folder'), 'folder', input));
    expect([error.code, error.message]).toEqual(['FILE_UNREADABLE', 'the contract file is a folder, not a file']);
  });

  it('too large: refused before it is read', async () => {
    await writeFile(path.join(dir, 'big.json'), 'x'.repeat(2 * 1024 * 1024));
    const error = await errorOf(readInputFile(path.join(dir, 'big.json'), 'big.json', { ...input, maxBytes: 1024 * 1024 }));
    expect([error.code, error.message]).toEqual(['FILE_TOO_LARGE', 'the contract file is 2.0 MB; holdup reads files of at most 1.0 MB']);
  });

  it('permission denied names the cause and the fix', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const error = readError(denied, 'package.json', { ...input, what: 'package.json' });
    expect(formatError(error)).toBe(
      '[holdup] FILE_UNREADABLE package.json: the package.json cannot be read: permission denied (EACCES)\n' +
        '  next: let the user running holdup read it (chmod a+r package.json), or run holdup as its owner',
    );
  });
});
