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

  it('missing behind a symbolic link that leads nowhere (cp -r of reports/latest): says so, and how to copy it', async () => {
    const reports = path.join(dir, 'reports');
    await mkdir(path.join(reports, '20261203-101500Z-00000007-3fa2c1'), { recursive: true });
    await symlink('20261203-101500Z-00000007-3fa2c1', path.join(reports, 'latest'));
    // what GNU `cp -r reports/latest base` makes: the link itself, relative, beside nothing it names
    await symlink('20261203-101500Z-00000007-3fa2c1', path.join(dir, 'base'));
    const baseline: InputFile = { what: 'report file', notFound: 'BASELINE_NOT_FOUND', notFoundHint: 'give the report.json of an earlier run' };
    const error = await errorOf(readInputFile(path.join(dir, 'base', 'report.json'), path.join('base', 'report.json'), baseline));
    expect(formatError(error)).toBe(
      '[holdup] BASELINE_NOT_FOUND base/report.json: report file not found: base is a symbolic link to 20261203-101500Z-00000007-3fa2c1, which does not exist\n' +
        '  next: a link copied with cp -r stays a link, and reports/latest is one: copy what it leads to with cp -rL (or copy the file itself), ' +
        'or point base at what exists (ls -l base shows where it leads); give the report.json of an earlier run',
    );
    // the link to a file, named itself
    await symlink(path.join(dir, 'gone.json'), path.join(dir, 'link.json'));
    expect((await errorOf(readInputFile(path.join(dir, 'link.json'), 'link.json', input))).message).toBe(
      `contract file not found: link.json is a symbolic link to ${path.join(dir, 'gone.json')}, which does not exist`,
    );
    // a link that leads somewhere, to a folder without the file: plainly not found
    expect((await errorOf(readInputFile(path.join(reports, 'latest', 'report.json'), 'reports/latest/report.json', input))).message).toBe('contract file not found');
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
