/** `multipart/*` bodies (RFC 2046) read into their parts, so that they are compared part by part whatever the boundary. */
import { mediaType } from './media.js';

export interface MultipartPart {
  /** The `name` of its `Content-Disposition` (form-data), or its place (`0`, `1`, …) when it has none. */
  name: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Its bytes, one character per byte (latin1), as the whole body is held. */
  body: string;
}

export function isMultipartMediaType(contentType: string | undefined): boolean {
  return mediaType(contentType)?.startsWith('multipart/') ?? false;
}

/** The `boundary` parameter of a content type, or the one the body's first line opens with. */
export function boundaryOf(contentType: string | undefined, body: string): string | undefined {
  const param = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (param) return param[1] ?? param[2];
  const first = /^--([^\r\n]+?)[ \t]*\r?\n/.exec(body);
  return first?.[1];
}

/** The parts of a multipart body; undefined when it is not one (no boundary, no closing delimiter). */
export function parseMultipart(body: string, boundary: string | undefined): MultipartPart[] | undefined {
  if (boundary === undefined || boundary === '') return undefined;
  const delimiter = `--${boundary}`;
  const start = body.startsWith(delimiter) ? 0 : body.indexOf(`\r\n${delimiter}`);
  if (start < 0) return undefined;
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter, start) + delimiter.length;
  for (;;) {
    if (body.startsWith('--', at)) return parts; // the closing delimiter
    const next = body.indexOf(`\r\n${delimiter}`, at);
    if (next < 0) return undefined;
    const raw = body.slice(at, next).replace(/^[ \t]*\r?\n/, '');
    const split = raw.indexOf('\r\n\r\n');
    const head = split < 0 ? raw : raw.slice(0, split);
    const headers: Record<string, string> = {};
    for (const line of head.split(/\r\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const name = /\bname\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(headers['content-disposition'] ?? '');
    parts.push({ name: name ? (name[1] ?? name[2]!) : String(parts.length), headers, body: split < 0 ? '' : raw.slice(split + 4) });
    at = next + 2 + delimiter.length;
  }
}
