import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HoldupError } from './errors.js';

let found: { root: string; version: string } | undefined;

/**
 * holdup's own folder (where its package.json, `scenarios/` and `docs/` are) and its version,
 * found once from this module: the nearest folder above it with a package.json that has a name
 * (`dist/cjs/package.json` only marks its folder as CommonJS). The same answer from the sources
 * (`src/…`), the compiled package (`dist/esm/…`) and the CommonJS bundle (`dist/cjs/index.js`).
 */
export function holdupPackage(): { root: string; version: string } {
  if (found) return found;
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(folder, 'package.json');
    const parsed = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown }) : undefined;
    if (parsed?.name !== undefined) {
      found = { root: folder, version: String(parsed.version) };
      return found;
    }
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`holdup's package.json not found above ${fileURLToPath(import.meta.url)}`);
    folder = parent;
  }
}

/** Packages holdup loads only when a run asks for them: what needs each, and the major version it works with. */
export const OPTIONAL_PACKAGES = {
  testcontainers: { major: 11, neededBy: 'the container network engine (Toxiproxy in a container)' },
  '@pact-foundation/pact-core': { major: 19, neededBy: "holdup verify (it runs Pact's own verifier)" },
  '@apidevtools/json-schema-ref-parser': { major: 15, neededBy: "holdup import openapi (it resolves the document's $refs)" },
} as const;

export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** Whether an optional package can be loaded from holdup's own modules (`moduleUrl`: one of them). */
export function isInstalled(name: string, moduleUrl: string): boolean {
  try {
    createRequire(moduleUrl).resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** The coded error for an optional package that is not installed, with the command that installs it. */
export function missingPackage(name: OptionalPackage): HoldupError {
  const { major, neededBy } = OPTIONAL_PACKAGES[name];
  return new HoldupError('MISSING_PACKAGE', `${name} is not installed; ${neededBy} needs it`, {
    hint: `install it beside holdup: npm install --save-dev ${name}@${major}`,
  });
}

/** Why an optional package is not there, for lists of what was skipped. */
export function missingReason(name: OptionalPackage): string {
  return `${name} is not installed (npm install --save-dev ${name}@${OPTIONAL_PACKAGES[name].major})`;
}
