/** What the replay server and the in-process transport both do to requests and responses on the wire. */
import { isTextMediaType } from '../contracts/media.js';
import { headerValue, newRecord, type HttpRequestData, type HttpResponseData } from '../core/index.js';

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
export function withLength(headers: Record<string, string>, body: string | Uint8Array): Record<string, string> {
  const out = newRecord<string>();
  for (const name in headers) if (name.toLowerCase() !== 'content-length') out[name] = headers[name] as string;
  out['content-length'] = String(Buffer.byteLength(body));
  return out;
}

/** The bytes a response's body is sent as: UTF-8 text, or a binary body's own bytes. */
export function responseBytes(response: HttpResponseData): Buffer {
  return Buffer.from(response.body, response.binary ? 'latin1' : 'utf8');
}

/** A request body as the replay reads it: UTF-8 text, or, for a type that is not text (an image, `multipart/*`), its bytes one character per byte. */
export function requestBody(bytes: Buffer, headers: Record<string, string>): Pick<HttpRequestData, 'body' | 'binary'> {
  if (bytes.length === 0 || isTextMediaType(headerValue(headers, 'content-type'))) return { body: bytes.toString('utf8') };
  return { body: bytes.toString('latin1'), binary: true };
}
