import path from 'node:path';
import { diffContracts } from '../contracts/diff.js';
import { loadContract } from '../contracts/load.js';
import { EXIT, HoldupError, type Contract, type ExitCode } from '../core/index.js';
import { diffJson, diffText } from '../report/diff.js';
import { parseCommand, twoFiles } from './commands.js';
import type { CliIo } from './io.js';

/** Loads one of the two contracts; a missing file is named as the user typed it, against the current folder. */
async function load(file: string, io: CliIo): Promise<Contract> {
  try {
    return await loadContract(path.resolve(io.cwd, file), file);
  } catch (error) {
    if (error instanceof HoldupError && error.code === 'CONTRACT_NOT_FOUND') {
      throw new HoldupError('CONTRACT_NOT_FOUND', error.message, {
        file,
        hint: `check the path: holdup diff reads it from the current folder (${io.cwd})`,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * `holdup diff OLD.json NEW.json [--json]`: what changed between two contracts. Exits 1 when a
 * change breaks clients of OLD, 0 when none does, 2 for bad input.
 */
export async function diffCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommand('diff', args);
  const [oldFile, newFile] = twoFiles(positionals, 'holdup diff takes two contract files, OLD and NEW', 'holdup diff contracts/billing-app-billing-api.json new/billing-app-billing-api.json');
  const old = await load(oldFile, io);
  const next = await load(newFile, io);
  const changes = diffContracts(old, next);
  const view = { old: oldFile, next: newFile, changes };
  io.out.write(values.json ? diffJson(view) : diffText(view));
  return changes.some((change) => change.breaking) ? EXIT.gateFailed : EXIT.ok;
}
