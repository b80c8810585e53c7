import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HOLDUP_VERSION, display, prepareRun } from '../config/index.js';
import { parseContract } from '../contracts/load.js';
import { credentialSecrets, redactUrlSecrets, scrubSecretValues, type RedactedSecret } from '../contracts/redact.js';
import { buildPactDocument } from '../contracts/write.js';
import { EXIT, HoldupError, isHoldupError, type ExitCode } from '../core/index.js';
import { writeFileAtomic } from '../report/fs.js';
import { formatOperationRecorded, formatRecordSummary, formatRefusedRequests } from '../report/record.js';
import { captureConnectorOutput } from '../record/output.js';
import { publicUrl, recordConnector } from '../record/record.js';
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
export function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'provider';
}


/**
 * The same error with every known secret scrubbed from what is printed of it (an upstream's path or
 * query, a connector's message), its causes too: `--debug` prints a cause's stack, whose first line
 * is its message (a parse error quoting a body).
 */
function redactError(error: unknown, redact: (text: string) => string, depth = 0): unknown {
  // a cause chain is short; a cycle (an error that is its own cause) ends here
  const cause = (of: unknown): unknown => (depth < 8 ? redactError(of, redact, depth + 1) : undefined);
  if (isHoldupError(error)) {
    const copy = new HoldupError(error.code, redact(error.message), {
      ...(error.file !== undefined ? { file: redact(error.file) } : {}),
      ...(error.path !== undefined ? { path: error.path } : {}),
      hint: redact(error.hint),
      cause: cause(error.cause),
    });
    if (error.stack !== undefined) copy.stack = redact(error.stack);
    return copy;
  }
  if (error instanceof Error) {
    error.message = redact(error.message);
    if (error.stack !== undefined) error.stack = redact(error.stack);
    if (error.cause !== undefined) error.cause = cause(error.cause);
    return error;
  }
  return typeof error === 'string' ? redact(error) : error;
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

  // every secret known so far (the credentials, then what each request and response shows): scrubbed
  // from all the command prints, the connector's own output and errors included
  const secrets = credentialSecrets(connector.definition.credentials);
  const known = new Set(secrets.map((secret) => secret.value));
  const learn = (found: RedactedSecret[]): void => {
    for (const secret of found) {
      // a whole Cookie header is counted, not scrubbed: knowing it would keep the same value from being learnt later
      if (secret.countOnly || known.has(secret.value)) continue;
      known.add(secret.value);
      secrets.push(secret);
    }
  };
  // a connector's error or warning may quote a URL with its query, or a credential
  const redact = (text: string): string => scrubSecretValues(redactUrlSecrets(text), secrets).text;
  const output = captureConnectorOutput({ out: io.out, err: io.err, redact });
  try {
    const recording = await recordConnector({
      connector,
      upstream,
      output,
      onSecrets: learn,
      onOperation: (operation) => io.out.write(redact(formatOperationRecorded(operation))),
    });
    if (recording.exchanges.length === 0) {
      io.out.write(redact(formatRefusedRequests(recording.refused)));
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
      knownSecrets: secrets,
      holdupVersion: HOLDUP_VERSION,
    });
    // what is written must load back: a recording holdup cannot read is a bug, said before writing
    parseContract(document.text, shown);
    await mkdir(path.dirname(out), { recursive: true });
    await writeFileAtomic(out, document.text);
    io.out.write(
      redact(
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
    );
  } catch (error) {
    throw redactError(error, redact);
  } finally {
    output.close();
  }
  return EXIT.ok;
}
