/** Small helpers about media types and bodies, shared by loading, matching and redaction. */

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const base = contentType.split(';', 1)[0]?.trim().toLowerCase();
  return base ? base : undefined;
}

/** `application/json`, `application/problem+json`, `text/json`, `application/vnd.api+json`. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  if (type === undefined) return false;
  return type.endsWith('/json') || type.endsWith('+json');
}

/**
 * Whether a body of this type is text: `text/*`, JSON, XML, forms, JavaScript, and a body of no
 * stated type. Anything else (an image, a PDF, `application/octet-stream`, `multipart/*`, whose
 * parts may be bytes) is bytes.
 */
export function isTextMediaType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  if (type === undefined || type === '*/*') return true;
  if (type.startsWith('text/')) return true;
  if (isJsonMediaType(type) || type.endsWith('/xml') || type.endsWith('+xml')) return true;
  return type === 'application/x-www-form-urlencoded' || type === 'application/javascript' || type === 'application/graphql';
}

export function isFormMediaType(contentType: string | undefined): boolean {
  return mediaType(contentType) === 'application/x-www-form-urlencoded';
}

/**
 * Parses `a=1&b=2` into an object of strings. A name repeated keeps every value, as an array.
 */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const previous = out[name];
    if (previous === undefined) out[name] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else out[name] = [previous, value];
  }
  return out;
}

/** Percent-decodes a path, leaving it as it is when it is not valid percent-encoding. */
export function decodePath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
