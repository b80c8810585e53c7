import { HoldupError, type ExitCode } from '../core/index.js';
import type { CliIo } from './io.js';

/** `holdup record`: recording contracts from a real upstream. Being built (issue #4). */
export async function recordCommand(_args: string[], _io: CliIo): Promise<ExitCode> {
  throw new HoldupError('NOT_BUILT', 'holdup record (recording contracts from a real upstream) is not built in this version', {
    hint: 'holdup run is; see README.md for what is planned',
  });
}
