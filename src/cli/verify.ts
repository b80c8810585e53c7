import { HoldupError, type ExitCode } from '../core/index.js';
import type { CliIo } from './io.js';

/** `holdup verify`: verifying a contract against a real upstream. Being built (issue #4). */
export async function verifyCommand(_args: string[], _io: CliIo): Promise<ExitCode> {
  throw new HoldupError('NOT_BUILT', 'holdup verify (verifying a contract against a real upstream) is not built in this version', {
    hint: 'holdup run is; see README.md for what is planned',
  });
}
