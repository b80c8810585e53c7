/**
 * What both importers (`holdup import nock`, `holdup import openapi`) share: the result they
 * return, how they read their input file, and the names they choose. Nothing is written here:
 * the command writes the text once it has loaded it back as a contract.
 */
import path from 'node:path';
import { readInputFile } from '../core/input.js';

/** Something in the input that is not in the contract, and why. */
export interface SkippedItem {
  /** Where it is in the input: `$[3]` (a nock definition), `GET /pet/{petId} → default` (an OpenAPI response). */
  where: string;
  reason: string;
}

export interface ImportedContract {
  /** The Pact V4 file's text: JSON, two-space indented, a final newline. */
  text: string;
  consumer: string;
  provider: string;
  /** How each name was chosen, in words: `consumer "billing" (the file's name; --consumer sets it)`. */
  names: string[];
  interactions: number;
  /** Values replaced by a `<redacted:NAME>` placeholder. */
  redacted: number;
  /** Requests left out because an earlier one was the same (method, path, query and body). */
  duplicates: number;
  skipped: SkippedItem[];
  /** The OAuth2 token endpoint the contract holds (`POST /oauth/token`), if any: holdup's replay issues tokens there. */
  tokenEndpoint?: string;
  /** Anything else the user should know about what was made (the server an OpenAPI path prefix came from). */
  notes: string[];
}

export interface ImportNames {
  /** `--consumer`: the contract's consumer. */
  consumer?: string;
  /** `--provider`: the contract's provider. */
  provider?: string;
}

/** Reads the file an importer was given; a missing one is `IMPORT_NOT_FOUND` (other read failures as every input). */
export function readImportFile(absolute: string, shown: string, what: string, command: string): Promise<string> {
  return readInputFile(absolute, shown, {
    what,
    notFound: 'IMPORT_NOT_FOUND',
    notFoundHint: `check the path: holdup import ${command} reads it from the current folder`,
  });
}

/** `fixtures/nock/billing-app.json` → `billing-app`: the default consumer name. */
export function nameFromFile(file: string): string {
  const base = path.basename(file).replace(/\.(json|ya?ml|js|cjs|mjs|txt)$/i, '');
  return base === '' ? 'consumer' : base;
}

/** The name and how it was chosen, for `ImportedContract.names`. */
export function chosenName(role: 'consumer' | 'provider', given: string | undefined, fallback: string, from: string): { name: string; said: string } {
  if (given !== undefined && given !== '') return { name: given, said: `${role} "${given}" (--${role})` };
  return { name: fallback, said: `${role} "${fallback}" (${from}; --${role} sets it)` };
}

/**
 * The OAuth2 token endpoint of a built contract, as the replay server recognises one (a POST whose
 * response body has `access_token`): `POST /oauth/token`, or undefined.
 */
/** The result of an import, from the contract's text and the names chosen: its token endpoint read from the text. */
export function importedContract(
  text: string,
  names: { consumer: { name: string; said: string }; provider: { name: string; said: string } },
  made: Pick<ImportedContract, 'interactions' | 'redacted' | 'duplicates' | 'skipped' | 'notes'>,
): ImportedContract {
  const tokenEndpoint = tokenEndpointOf(text);
  return {
    text,
    consumer: names.consumer.name,
    provider: names.provider.name,
    names: [names.consumer.said, names.provider.said],
    ...made,
    ...(tokenEndpoint ? { tokenEndpoint } : {}),
  };
}

export function tokenEndpointOf(text: string): string | undefined {
  const document = JSON.parse(text) as { interactions: { request: { method: string; path: string }; response: { body?: { content?: unknown } } }[] };
  const found = document.interactions.find((interaction) => {
    const content = interaction.response.body?.content;
    return interaction.request.method === 'POST' && content !== null && typeof content === 'object' && typeof (content as Record<string, unknown>)['access_token'] === 'string';
  });
  return found ? `POST ${found.request.path}` : undefined;
}
