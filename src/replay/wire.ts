/** What the replay server and the in-process transport both do to requests and responses on the wire. */
import { newRecord } from '../core/index.js';

/** `?a=1&a=2&b=` as `{ a: ['1', '2'], b: [''] }`. */
export function parseQuery(raw: string): Record<string, string[]> {
  const query = newRecord<string[]>();
  if (raw === '') return query;
  for (const [name, value] of new URLSearchParams(raw)) (query[name] ??= []).push(value);
  return query;
}

/** A request path with its percent-escapes decoded (left as sent when they are malformed): the contracts' own decoding. */
export { decodePath } from '../contracts/media.js';

/**
 * The headers with the body's `Content-Length`, as most JSON APIs send it (without it, headers
 * written before the body make Node fall back to chunked encoding). A recorded length is replaced.
 */
export function withLength(headers: Record<string, string>, body: string): Record<string, string> {
  const out = newRecord<string>();
  for (const name in headers) if (name.toLowerCase() !== 'content-length') out[name] = headers[name] as string;
  out['content-length'] = String(Buffer.byteLength(body));
  return out;
}
