import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HOLDUP_VERSION, display, prepareRun } from '../config/index.js';
import { parseContract } from '../contracts/load.js';
import { redactUrlSecrets, scrubSecretValues, type RedactedSecret } from '../contracts/redact.js';
import { buildPactDocument } from '../contracts/write.js';
import { EXIT, HoldupError, type ExitCode } from '../core/index.js';
import { writeFileAtomic } from '../report/fs.js';
import { formatOperationRecorded, formatRecordSummary, formatRefusedRequests } from '../report/record.js';
import { publicUrl, recordConnector } from '../run/record.js';
import { parseCommand } from './commands.js';
import type { CliIo } from './io.js';

const EXAMPLE = 'holdup record --upstream http://127.0.0.1:4010 --connector billing-robust';

function upstreamUrl(value: string | undefined): URL {
  if (value === undefined || value === '') {
    throw new HoldupError('USAGE', 'holdup record needs --upstream URL (the real API to record)', { path: '--upstream', hint: `for example ${EXAMPLE}` });
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HoldupError('USAGE', `--upstream takes an http or https URL, got "${value}"`, { path: '--upstream', hint: `for example ${EXAMPLE}` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HoldupError('USAGE', `--upstream takes an http or https URL, got "${value}" (${url.protocol.slice(0, -1)})`, {
      path: '--upstream',
      hint: `for example ${EXAMPLE}`,
    });
  }
  return url;
}

/** A name that is safe in a file name: `billing api` → `billing-api`. */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'provider';
}

/**
 * Every credential of the connector (nested ones too), whatever its name says (`pat`, `bearer`,
 * `webhookUrl`): scrubbed wherever it appears. Values under 6 characters are not (`scrubSecretValues`).
 */
function credentialSecrets(credentials: unknown, prefix = ''): RedactedSecret[] {
  if (!credentials || typeof credentials !== 'object') return [];
  const out: RedactedSecret[] = [];
  for (const [key, value] of Object.entries(credentials)) {
    const name = `${prefix}${key.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}`;
    if (typeof value === 'string' && value !== '') out.push({ name, value });
    else if (value && typeof value === 'object') out.push(...credentialSecrets(value, `${name}.`));
  }
  return out;
}

/** `holdup record`: real traffic through a connector → a redacted Pact V4 contract (docs/record.md). */
export async function recordCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommand('record', args);
  const upstream = upstreamUrl(values.upstream);
  if (values.connector === undefined || values.connector === '') {
    throw new HoldupError('USAGE', 'holdup record needs --connector NAME (whose operations drive the recording)', { path: '--connector', hint: `for example ${EXAMPLE}` });
  }
  const { plan, config } = await prepareRun({
    cwd: io.cwd,
    connectors: [values.connector],
    ...(values.config ? { config: values.config } : {}),
  });
  const connector = plan.connectors[0]!;
  const consumer = connector.definition.name;
  const provider = values.provider ?? upstream.hostname;
  const out = values.out
    ? path.resolve(io.cwd, values.out)
    : path.resolve(config.root, 'contracts', `${fileSafe(consumer)}-${fileSafe(provider)}.json`);
  const relative = display(out, io.cwd);
  const shown = relative.startsWith('../') ? out : relative;
  if (existsSync(out) && !values.force) {
    throw new HoldupError('CONTRACT_EXISTS', 'the file exists; holdup record does not overwrite a contract unless told to', {
      file: shown,
      hint: 'pass --force to replace it, or --out to write elsewhere',
    });
  }

  const recording = await recordConnector({
    connector,
    upstream,
    // a connector's error or warning may quote a URL with its query, or a credential
    onOperation: (operation) => io.out.write(scrubSecretValues(redactUrlSecrets(formatOperationRecorded(operation)), credentialSecrets(connector.definition.credentials)).text),
  });
  if (recording.exchanges.length === 0) {
    io.out.write(scrubSecretValues(redactUrlSecrets(formatRefusedRequests(recording.refused)), credentialSecrets(connector.definition.credentials)).text);
    const refused = recording.refused.length > 0 ? ` the recorder forwards (${recording.refused.length} refused, listed above)` : '';
    throw new HoldupError(
      'RECORD_EMPTY',
      `no request reached the upstream: the operations of ${consumer} (${recording.operations.map((o) => o.operation).join(', ') || 'none'}) sent nothing${refused}`,
      {
        file: publicUrl(upstream),
        hint: refused
          ? 'check where the connector builds its URLs and headers: the recorder forwards only requests for the baseUrl it is given or the upstream (docs/record.md)'
          : "check that the connector's create() uses the baseUrl it is given, and that its operations call the API",
      },
    );
  }
  const document = buildPactDocument({
    consumer,
    provider,
    upstream: publicUrl(upstream),
    exchanges: recording.exchanges,
    knownSecrets: credentialSecrets(connector.definition.credentials),
    holdupVersion: HOLDUP_VERSION,
  });
  // what is written must load back: a recording holdup cannot read is a bug, said before writing
  parseContract(document.text, shown);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFileAtomic(out, document.text);
  io.out.write(
    scrubSecretValues(
      redactUrlSecrets(
        formatRecordSummary({
          file: shown,
          connector: consumer,
          interactions: document.interactions,
          redacted: document.redacted,
          duplicates: document.duplicates,
          failed: recording.operations.filter((o) => o.error !== undefined).map((o) => o.operation),
          refused: recording.refused,
        }),
      ),
      credentialSecrets(connector.definition.credentials),
    ).text,
  );
  return EXIT.ok;
}
