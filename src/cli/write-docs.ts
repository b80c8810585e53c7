/**
 * `npm run docs`: writes every generated file (`./docs.ts`) from the registries. With `--check`
 * it writes nothing and exits 1 naming the files that differ from what it would write.
 * Run from the project root.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../report/fs.js';
import { generatedFiles } from './docs.js';

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const { file, text } of await generatedFiles(process.cwd())) {
  const target = resolve(file);
  const committed = await readFile(target, 'utf8').catch(() => undefined);
  if (committed === text) continue;
  if (check) {
    stale.push(file);
    continue;
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, text);
  process.stdout.write(`wrote ${file}\n`);
}
if (stale.length > 0) {
  process.stderr.write(`out of date: ${stale.join(', ')}\nrun \`npm run docs\` and commit the result\n`);
  process.exitCode = 1;
} else if (check) {
  process.stdout.write('every generated file is up to date\n');
}
