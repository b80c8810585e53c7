import { existsSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { display, findConfig, loadConnectors } from '../config/index.js';
import { EXIT, HoldupError, type ExitCode } from '../core/index.js';
import { loadContract } from '../contracts/load.js';
import { renderVerifyReport } from '../report/verify.js';
import { assertVerifierInstalled, checkReachable, secretEnvName, verifyContracts, type VerifyTarget } from '../verify/verify.js';
import { parseCommand } from './commands.js';
import type { CliIo } from './io.js';

const EXAMPLE = 'holdup verify --provider-url https://sandbox.example.com contracts/billing-app-billing-api.json';

/** An http(s) URL, or USAGE naming the flag. */
function httpUrl(value: string, flag: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new HoldupError('USAGE', `${flag} takes an http:// or https:// URL`, {
      file: value,
      hint: `for example ${flag} http://127.0.0.1:4010`,
    });
  }
  return value.replace(/\/+$/, '');
}

/** `--secret NAME=VALUE` → [name lowercased, value]. The value is never echoed, even when malformed. */
function parseSecret(arg: string): [string, string] {
  const at = arg.indexOf('=');
  if (at === -1) {
    throw new HoldupError('USAGE', '--secret: expected NAME=VALUE, found no "=" (the value is not shown)', {
      hint: `for example --secret client_secret=… — NAME is the placeholder's name in <redacted:NAME>; or set ${secretEnvName('client_secret')}`,
    });
  }
  const name = arg.slice(0, at).trim().toLowerCase();
  if (!/^[a-z0-9_.-]+$/.test(name)) {
    throw new HoldupError('USAGE', `--secret: the NAME before "=" must be letters, digits, "_", "-" or ".", found ${name === '' ? 'nothing' : JSON.stringify(name)}`, {
      hint: 'for example --secret client_secret=… — NAME is the placeholder\'s name in <redacted:NAME>',
    });
  }
  return [name, arg.slice(at + 1)];
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `--header 'Name: value'`. The value is never echoed. */
function parseHeader(arg: string): [string, string] {
  const at = arg.indexOf(':');
  if (at === -1) {
    throw new HoldupError('USAGE', `--header: expected 'Name: value', found no ":" (the value is not shown)`, {
      hint: "for example --header 'Authorization: Bearer …'",
    });
  }
  const name = arg.slice(0, at).trim();
  if (!TOKEN.test(name)) {
    throw new HoldupError('USAGE', `--header: ${name === '' ? 'the header name is empty' : `${JSON.stringify(name)} is not a valid header name`}`, {
      hint: "for example --header 'Authorization: Bearer …' (a name is letters, digits and - without spaces)",
    });
  }
  return [name, arg.slice(at + 1).trim()];
}

/**
 * The contracts to verify: the files named; else those the config's connectors use; else, with
 * no config, every contracts/*.json in the current folder.
 */
async function contractFiles(positionals: string[], io: CliIo, config: string | undefined): Promise<{ absolute: string; display: string }[]> {
  if (positionals.length > 0) return positionals.map((file) => ({ absolute: path.resolve(io.cwd, file), display: file }));
  let found;
  try {
    found = await findConfig(io.cwd, config);
  } catch (error) {
    if (!(error instanceof HoldupError && error.code === 'CONFIG_NOT_FOUND' && config === undefined)) throw error;
  }
  if (found) {
    const connectors = await loadConnectors(found, io.cwd);
    const paths = [...new Set(connectors.map((connector) => connector.contractPath))];
    return paths.map((absolute) => ({ absolute, display: display(absolute, io.cwd) }));
  }
  const files = existsSync(path.join(io.cwd, 'contracts')) ? (await glob('contracts/*.json', { cwd: io.cwd, absolute: true })).sort() : [];
  if (files.length === 0) {
    throw new HoldupError('USAGE', 'no CONTRACT given, no holdup config and no contracts/*.json in the current folder', {
      hint: `name the contract files: ${EXAMPLE}`,
    });
  }
  return files.map((absolute) => ({ absolute, display: display(absolute, io.cwd) }));
}

/** `holdup verify --provider-url URL [CONTRACT…]`: does the real upstream still honour the contract? */
export async function verifyCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommand('verify', args);
  if (values['provider-url'] === undefined) {
    throw new HoldupError('USAGE', 'holdup verify needs --provider-url: the upstream (or its sandbox) to verify the contract against', {
      hint: EXAMPLE,
    });
  }
  const providerUrl = httpUrl(values['provider-url'], '--provider-url');
  const stateChangeUrl = values['state-change-url'] === undefined ? undefined : httpUrl(values['state-change-url'], '--state-change-url');
  const secrets = new Map((values.secret ?? []).map(parseSecret));
  const headers = (values.header ?? []).map(parseHeader);
  const targets: VerifyTarget[] = [];
  for (const file of await contractFiles(positionals, io, values.config)) {
    try {
      targets.push({ contract: await loadContract(file.absolute, file.display), absolute: file.absolute });
    } catch (error) {
      // the loader's hint speaks of a connector's `contract` field; a CONTRACT named here is a path from the current folder
      if (positionals.length > 0 && error instanceof HoldupError && error.code === 'CONTRACT_NOT_FOUND') {
        throw new HoldupError('CONTRACT_NOT_FOUND', error.message, {
          file: file.display,
          hint: `check the path: a CONTRACT is relative to the current folder (${io.cwd})`,
        });
      }
      throw error;
    }
  }
  assertVerifierInstalled();
  await checkReachable(providerUrl);
  const report = await verifyContracts({
    providerUrl,
    targets,
    secrets: { given: secrets, env: process.env },
    headers,
    ...(stateChangeUrl ? { stateChangeUrl } : {}),
  });
  io.out.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderVerifyReport(report));
  return report.passed ? EXIT.ok : EXIT.gateFailed;
}
