import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HOLDUP_VERSION, display } from '../config/index.js';
import { parseContract } from '../contracts/load.js';
import { EXIT, HoldupError, isHoldupError, type ExitCode } from '../core/index.js';
import { importNockText } from '../import/nock.js';
import { importOpenApi } from '../import/openapi.js';
import { readImportFile, type ImportedContract } from '../import/shared.js';
import { writeFileAtomic } from '../report/fs.js';
import { formatImportSummary } from '../report/import.js';
import { parseCommand } from './commands.js';
import type { CliIo } from './io.js';
import { fileSafe } from './record.js';

const KINDS = ['nock', 'openapi'] as const;
const EXAMPLE = 'holdup import nock test/fixtures/billing.json, or holdup import openapi openapi.yaml';

/** A path as the user should read it: relative to the current folder when it is inside it. */
function shownPath(absolute: string, cwd: string): string {
  const relative = display(absolute, cwd);
  return relative.startsWith('../') ? absolute : relative;
}

/**
 * `holdup import nock FILE | openapi SPEC`: a contract from what a team already has (docs/import.md).
 * Exits 0 once the contract is written, 2 for bad input (the file, its content, the flags).
 */
export async function importCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommand('import', args);
  const [kind, file, ...extra] = positionals;
  if (kind === undefined || !(KINDS as readonly string[]).includes(kind)) {
    const got = kind === undefined ? 'nothing' : `"${kind}"`;
    throw new HoldupError('USAGE', `holdup import takes nock or openapi first, got ${got}`, { hint: `for example ${EXAMPLE}` });
  }
  if (file === undefined || file === '' || extra.length > 0) {
    throw new HoldupError('USAGE', `holdup import ${kind} takes one file${extra.length > 0 ? `, got ${extra.length + 1}` : ''}`, { hint: `for example ${EXAMPLE}` });
  }
  if (kind === 'openapi' && values.scope !== undefined) {
    throw new HoldupError('USAGE', '--scope picks the origin of a nock recording; an OpenAPI document has none to pick', { path: '--scope', hint: 'leave --scope out' });
  }
  // an --out in a folder that does not exist is a typo more often than a wish: said before any work
  const chosenOut = values.out !== undefined ? path.resolve(io.cwd, values.out) : undefined;
  if (chosenOut !== undefined) {
    const folder = path.dirname(chosenOut);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new HoldupError('OUT_DIR_MISSING', `the folder of --out does not exist: ${shownPath(folder, io.cwd)}`, {
        path: '--out',
        hint: `create it first (mkdir -p ${shownPath(folder, io.cwd)}), or name a file in a folder that exists`,
      });
    }
  }

  const absolute = path.resolve(io.cwd, file);
  const names = { ...(values.consumer !== undefined ? { consumer: values.consumer } : {}), ...(values.provider !== undefined ? { provider: values.provider } : {}) };
  let imported: ImportedContract;
  if (kind === 'nock') {
    const text = await readImportFile(absolute, file, 'nock recording', 'nock');
    imported = importNockText(text, { shown: file, ...names, ...(values.scope !== undefined ? { scope: values.scope } : {}), holdupVersion: HOLDUP_VERSION });
  } else {
    imported = await importOpenApi(absolute, { shown: file, ...names, holdupVersion: HOLDUP_VERSION });
  }

  const out = chosenOut ?? path.resolve(io.cwd, 'contracts', `${fileSafe(imported.consumer)}-${fileSafe(imported.provider)}.json`);
  const shown = shownPath(out, io.cwd);
  if (existsSync(out) && !values.force) {
    throw new HoldupError('CONTRACT_EXISTS', `the file exists; holdup import does not overwrite a contract unless told to`, {
      file: shown,
      hint: 'pass --force to replace it, or --out to write elsewhere',
    });
  }
  // what is written must load back; a value of the input a contract cannot hold (a control character in
  // a header, a body over 10 MB) is said as the input's problem, before anything is written
  try {
    parseContract(imported.text, shown);
  } catch (error) {
    if (!isHoldupError(error)) throw error;
    // the interaction in words names the input's place (`$[3]: GET /x → 200`, `getPet: GET /v2/pet/1 → 200`)
    const index = /^\$\.interactions\[(\d+)\]/.exec(error.path ?? '')?.[1];
    const interactions = (JSON.parse(imported.text) as { interactions: { description: string }[] }).interactions;
    const which = index !== undefined ? ` (interaction "${interactions[Number(index)]?.description}")` : '';
    throw new HoldupError('IMPORT_SCHEMA', `the contract made of it would not load${which}: ${error.path ? `${error.path}: ` : ''}${error.message}`, {
      file,
      hint: 'the input holds a value a contract cannot (docs/contracts.md lists what a contract may hold): fix or leave out that request in the input',
      cause: error,
    });
  }
  if (chosenOut === undefined) await mkdir(path.dirname(out), { recursive: true });
  await writeFileAtomic(out, imported.text);
  io.out.write(formatImportSummary({ kind, input: file, file: shown, ...imported }));
  return EXIT.ok;
}
