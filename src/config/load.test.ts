import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatError, HoldupError } from '../core/index.js';
import { findConfig, loadConnectors } from './load.js';

const dirs: string[] = [];
async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'holdup-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}
async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HoldupError) return formatError(error);
    throw error;
  }
  throw new Error('expected an error');
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('config discovery', () => {
  it('reads the "holdup" key of package.json and fills every default', async () => {
    const dir = await project({ 'package.json': JSON.stringify({ name: 'x', holdup: { connectors: ['c/*.ts'] } }) });
    const found = await findConfig(dir);
    expect(found.file).toBe('package.json');
    expect(found.root).toBe(dir);
    expect(found.config).toEqual({
      connectors: ['c/*.ts'],
      scenarios: [],
      builtinScenarios: true,
      reportsDir: 'reports',
      reporters: ['console', 'json', 'junit', 'markdown', 'html'],
      concurrency: 16,
      networkEngine: 'auto',
      retryBudget: 2,
      onUnhandledRequest: 'error',
    });
  });

  it('names a misspelt key with its path inside package.json', async () => {
    const dir = await project({ 'package.json': JSON.stringify({ holdup: { connectors: ['c/*.ts'], concurency: 3 } }) });
    expect(await errorOf(findConfig(dir))).toBe(
      '[holdup] CONFIG_INVALID package.json: $.holdup: unknown key "concurency" (not allowed here)\n' +
        '  next: the "holdup" key takes the same settings as holdup.config.ts — docs/config.md lists them',
    );
  });

  it('says where it looked when there is no config', async () => {
    const dir = await project({});
    expect(await errorOf(findConfig(dir))).toBe(
      `[holdup] CONFIG_NOT_FOUND no holdup.config.ts and no "holdup" key in package.json in ${dir}\n` +
        "  next: create holdup.config.ts: export default defineConfig({ connectors: ['connectors/*.connector.ts'] }), or pass --config",
    );
  });

  it('refuses a connector glob that matches nothing', async () => {
    const dir = await project({ 'package.json': JSON.stringify({ holdup: { connectors: ['nowhere/*.connector.ts'] } }) });
    const found = await findConfig(dir);
    expect(await errorOf(loadConnectors(found, dir))).toBe(
      '[holdup] CONFIG_INVALID package.json: $.connectors[0]: "nowhere/*.connector.ts" matches no file (relative to ' +
        `${path.relative(process.cwd(), dir)})\n` +
        "  next: globs are relative to the config file's folder",
    );
  });

  it('refuses a connector without the parts holdup needs, naming the field', async () => {
    const dir = await project({
      'package.json': JSON.stringify({ holdup: { connectors: ['*.connector.mjs'] } }),
      'x.connector.mjs': "export default { name: 'x', contract: 'c.json', create: () => ({}), operations: { list: { kind: 'fetch', run: () => 1 } } };",
    });
    const found = await findConfig(dir);
    expect(await errorOf(loadConnectors(found, dir))).toBe(
      '[holdup] CONNECTOR_INVALID x.connector.mjs: $.operations.list.kind: expected one of "read", "write", found "fetch"\n' +
        '  next: see "The connector API" in docs/connectors.md',
    );
  });
});

describe('docs/config.md', () => {
  it('lists every option of ConfigSchema in its table, with its default', async () => {
    const { readFile } = await import('node:fs/promises');
    const { ConfigSchema } = await import('./schema.js');
    const doc = await readFile(new URL('../../docs/config.md', import.meta.url), 'utf8');
    for (const key of Object.keys(ConfigSchema.shape)) expect(doc, key).toMatch(new RegExp(`^\\| \`${key}(\\.[a-z]+)?\` \\|`, 'm'));
  });
});

describe('config and connector modules in any project (TypeScript compiled on the fly)', () => {
  const connector = (name: string, exported: 'esm' | 'cjs') =>
    `${exported === 'esm' ? 'export default' : 'module.exports ='} { name: '${name}', contract: 'c.json', create: () => ({}), operations: { get: { kind: 'read', run: () => 1 } } };\n`;
  // a TypeScript-only construct, so the file fails unless it is really compiled
  const typed = (text: string) => `type Settings = { connectors: string[] };\nconst connectors: Settings['connectors'] = ['*.connector.*'];\n${text}`;

  it.each([
    ['a CommonJS project (no "type")', {}],
    ['an ESM project ("type": "module")', { type: 'module' }],
  ])('loads a .ts config and .ts connectors with relative .ts imports in %s', async (_name, type) => {
    const dir = await project({
      'package.json': JSON.stringify({ name: 'user', ...type }),
      'holdup.config.ts': typed('export default { connectors };\n'),
      'names.ts': "export const NAME: string = 'from-a-module';\n",
      'a.connector.ts': `import { NAME } from './names.js';\n${connector('x', 'esm').replace("'x'", 'NAME')}`,
    });
    const found = await findConfig(dir);
    expect(found.config.connectors).toEqual(['*.connector.*']);
    const [loaded] = await loadConnectors(found, dir);
    expect(loaded?.definition.name).toBe('from-a-module');
  });

  it('loads .cts and .cjs modules that assign module.exports, and .mts ones', async () => {
    const dir = await project({
      'holdup.config.cts': typed('module.exports = { connectors };\n'),
      'a.connector.cts': connector('cts', 'cjs'),
      'b.connector.cjs': connector('cjs', 'cjs'),
      'c.connector.mts': connector('mts', 'esm'),
    });
    const found = await findConfig(dir);
    expect((await loadConnectors(found, dir)).map((c) => c.definition.name)).toEqual(['cts', 'cjs', 'mts']);
  });

  it('names the file and the place of the syntax error when a TypeScript module does not compile', async () => {
    const dir = await project({ 'holdup.config.ts': 'export default { connectors: [ };\n' });
    expect(await errorOf(findConfig(dir))).toMatch(/^\[holdup\] CONFIG_IMPORT holdup\.config\.ts: threw while loading: .*holdup\.config\.ts:1:\d+: ERROR: .+\n {2}next: /);
  });
});

describe('a config that cannot be read is said so, not "not found"', () => {
  it('holdup.config.ts as a symbolic link that loops', async () => {
    const dir = await project({});
    const { symlink } = await import('node:fs/promises');
    await symlink(path.join(dir, 'holdup.config.ts'), path.join(dir, 'holdup.config.ts'));
    expect(await errorOf(findConfig(dir))).toBe(
      '[holdup] FILE_UNREADABLE holdup.config.ts: the config file is a symbolic link that leads back to itself (ELOOP)\n' +
        '  next: point the link at a real file (ls -l holdup.config.ts shows where it leads)',
    );
  });

  it('a package.json that is JSON but not an object', async () => {
    const dir = await project({ 'package.json': 'null' });
    expect(await errorOf(findConfig(dir))).toMatch(/^\[holdup\] CONFIG_NOT_FOUND no holdup\.config\.ts and no "holdup" key in package\.json/);
  });
});

describe('modules that misbehave while holdup reads them', () => {
  it('a module whose top-level await never settles: rejected after the timeout, naming the cause', async () => {
    const { importUserModule } = await import('./import-module.js');
    const dir = await project({ 'stuck.mjs': 'await new Promise(() => {});\nexport default {};\n' });
    await expect(importUserModule(path.join(dir, 'stuck.mjs'), 300)).rejects.toThrow('did not finish loading within 0.3 s (a top-level await that never settles?)');
  });

  it('a connector whose export throws when read: CONNECTOR_INVALID with the file, not a stack trace', async () => {
    const { loadConnectorFile } = await import('./load.js');
    const dir = await project({
      'bad.connector.mjs': "export default { name: 'x', contract: 'c.json', get operations() { throw new Error('boom'); }, create() {} };\n",
    });
    expect(await errorOf(loadConnectorFile(path.join(dir, 'bad.connector.mjs'), dir, dir))).toBe(
      '[holdup] CONNECTOR_INVALID bad.connector.mjs: reading its default export threw: Error: boom\n' +
        '  next: export plain values: see "The connector API" in docs/connectors.md',
    );
  });

  it('a connectors glob that would wander into node_modules does not', async () => {
    const dir = await project({ 'package.json': JSON.stringify({ holdup: { connectors: ['**/*.connector.mjs'] } }) });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, 'node_modules', 'dep'), { recursive: true });
    await writeFile(path.join(dir, 'node_modules', 'dep', 'x.connector.mjs'), 'export default {};\n');
    expect(await errorOf(loadConnectors(await findConfig(dir), dir))).toMatch(/^\[holdup\] CONFIG_INVALID package\.json: \$\.connectors\[0\]: "\*\*\/\*\.connector\.mjs" matches no file/);
  });
});
