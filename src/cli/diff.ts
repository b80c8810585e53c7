import { HoldupError, type ExitCode } from '../core/index.js';
import type { CliIo } from './io.js';

/** `holdup diff`: diffing two contracts. Being built (issue #4). */
export async function diffCommand(_args: string[], _io: CliIo): Promise<ExitCode> {
  throw new HoldupError('NOT_BUILT', 'holdup diff (diffing two contracts) is not built in this version', {
    hint: 'holdup run is; see README.md for what is planned',
  });
}
