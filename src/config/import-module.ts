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

/** Imports a user's config or connector module, JavaScript or TypeScript, from a CommonJS or an ESM project. */
export async function importUserModule(absolute: string): Promise<{ default?: unknown }> {
  const url = pathToFileURL(absolute).href;
  if (!TYPESCRIPT.test(absolute)) return defaultExport((await import(url)) as { default?: unknown });
  const load = await typescriptImport();
  return defaultExport((await load(url, import.meta.url)) as { default?: unknown });
}
