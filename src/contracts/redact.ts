/**
 * Redaction applied before anything is written (recordings, reports, evidence): a report
 * can be pasted into a public issue. Values are replaced by `<redacted>`; the names stay.
 */
import { isFormMediaType, isJsonMediaType } from './media.js';

export const REDACTED = '<redacted>';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key']);
/** Evidence people need (did the retry reuse the key?), not a secret. */
const KEPT_HEADERS = new Set(['idempotency-key', 'x-idempotency-key']);

export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (KEPT_HEADERS.has(lower)) return false;
  if (SECRET_HEADERS.has(lower)) return true;
  return lower.includes('token') || lower.includes('secret') || lower.includes('key') || lower.includes('session');
}

/** `Bearer abc` → `Bearer <redacted>`; a value without a scheme → `<redacted>`. */
function redactCredentials(value: string): string {
  const m = /^([A-Za-z][\w.+-]*)\s+\S/.exec(value.trim());
  return m ? `${m[1]} ${REDACTED}` : REDACTED;
}

/** Replaces the values of credential-bearing headers; Authorization keeps its scheme. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') out[name] = redactCredentials(value);
    else out[name] = isSecretHeader(name) ? REDACTED : value;
  }
  return out;
}

const SECRET_QUERY = new Set([
  'api_key',
  'apikey',
  'api-key',
  'key',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'secret',
  'password',
  'passwd',
  'signature',
  'sig',
  'x-amz-signature',
  'x-amz-security-token',
  'code',
]);

export function isSecretQueryName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_QUERY.has(lower) || lower.endsWith('_token') || lower.endsWith('_secret') || lower.endsWith('password');
}

/** Replaces the values of secret-looking query parameters (every value of a repeated name). */
export function redactQuery(query: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(query)) out[name] = isSecretQueryName(name) ? values.map(() => REDACTED) : values;
  return out;
}

/** Body keys, compared lower-cased without `_` and `-`, so `accessToken` and `access_token` both count. */
const SECRET_BODY_KEYS = new Set([
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'clientsecret',
  'secret',
  'password',
  'apikey',
  'privatekey',
  'clientassertion',
  'assertion',
  'sessiontoken',
]);

export function isSecretBodyKey(key: string): boolean {
  return SECRET_BODY_KEYS.has(key.toLowerCase().replace(/[_-]/g, ''));
}

function redactJson(value: unknown): { value: unknown; changed: boolean } {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const r = redactJson(item);
      changed ||= r.changed;
      return r.value;
    });
    return { value: out, changed };
  }
  if (value && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (isSecretBodyKey(key) && item !== null && item !== '') {
        out[key] = REDACTED;
        changed = true;
      } else {
        const r = redactJson(item);
        changed ||= r.changed;
        out[key] = r.value;
      }
    }
    return { value: out, changed };
  }
  return { value, changed: false };
}

function indentationOf(text: string): string | number {
  const m = /\n([ \t]+)\S/.exec(text);
  return m ? m[1]! : 0;
}

/** For JSON that does not parse (a truncated body): replaces `"secret": "…"` pairs in the text. */
function redactJsonText(text: string): string {
  return text.replace(/("([^"\\]*)"\s*:\s*)("(?:[^"\\]|\\.)*"?|-?[\d.eE+-]+)/g, (whole, head: string, key: string) =>
    isSecretBodyKey(key) ? `${head}"${REDACTED}"` : whole,
  );
}

function redactFormText(text: string): string {
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // keep the raw name
      }
      return isSecretBodyKey(name) || isSecretQueryName(name) ? `${pair.slice(0, eq)}=${encodeURIComponent(REDACTED)}` : pair;
    })
    .join('&');
}

/**
 * Redacts secrets in a body: JSON (recursively) and form bodies. Other bodies are returned
 * as they are. The text is kept byte for byte when nothing is secret.
 */
export function redactBodyText(text: string, contentType: string | undefined): string {
  if (text === '') return text;
  if (isFormMediaType(contentType)) return redactFormText(text);
  const looksJson = contentType === undefined && /^\s*[{[]/.test(text);
  if (!isJsonMediaType(contentType) && !looksJson) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return redactJsonText(text);
  }
  const result = redactJson(parsed);
  if (!result.changed) return text;
  return JSON.stringify(result.value, null, indentationOf(text));
}
