import { pathToFileURL } from 'node:url';

/** Files holdup compiles on the fly: connectors and configs may be written in TypeScript, in any project. */
const TYPESCRIPT = /\.[cm]?tsx?$/;

type ScopedImport = (specifier: string, parentURL: string) => Promise<unknown>;
let scoped: Promise<ScopedImport> | undefined;

/**
 * tsx's loader hooks, registered once and only for the files holdup imports (a namespace), so the
 * user's process keeps its own module loading. The ESM hook compiles a `.ts` file as the user's
 * project would run it (ESM under `"type": "module"`, CommonJS otherwise); the CommonJS hook
 * compiles the `.ts` files such a module `require`s.
 */
function typescriptImport(): Promise<ScopedImport> {
  scoped ??= (async () => {
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    cjs.register({ namespace: 'holdup' });
    const api = esm.register({ namespace: 'holdup' });
    return (specifier, parentURL) => api.import(specifier, parentURL) as Promise<unknown>;
  })();
  return scoped;
}

/**
 * The module's default export. A CommonJS module compiled from `export default …` (TypeScript in a
 * project without `"type": "module"`) is imported as `{ default: module.exports }`, whose own
 * `default` is the value; `module.exports = …` is the value itself.
 */
function defaultExport(namespace: { default?: unknown }): { default?: unknown } {
  const value = namespace.default;
  if (typeof value === 'object' && value !== null && (value as { __esModule?: unknown }).__esModule === true) {
    return { default: (value as { default?: unknown }).default };
  }
  return namespace;
}

/** How long a module may take to load: a top-level `await` that never settles must not hang holdup. */
export const IMPORT_TIMEOUT_MS = 30_000;

/**
 * Imports a user's config or connector module, JavaScript or TypeScript, from a CommonJS or an
 * ESM project. Rejects when it has not loaded within `timeoutMs` (the timer also keeps the
 * process alive meanwhile: without it, Node exits on an unsettled top-level await with code 13
 * and no word of which file).
 */
export async function importUserModule(absolute: string, timeoutMs = IMPORT_TIMEOUT_MS): Promise<{ default?: unknown }> {
  const url = pathToFileURL(absolute).href;
  const loading = TYPESCRIPT.test(absolute)
    ? typescriptImport().then((load) => load(url, import.meta.url))
    : import(url);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`did not finish loading within ${timeoutMs / 1000} s (a top-level await that never settles?)`)),
      timeoutMs,
    );
  });
  try {
    return defaultExport((await Promise.race([loading, late])) as { default?: unknown });
  } finally {
    clearTimeout(timer);
  }
}
