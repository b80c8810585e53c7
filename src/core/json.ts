/** A JSON value, as parsed from a contract body or returned by a connector. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The JSON a text holds, or `undefined` when it is not JSON (a body may be anything). */
export function jsonOrUndefined(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}
