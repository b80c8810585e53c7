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
/** Secret-named fields in text that quotes JSON (broken JSON, or a message quoting a body). */
export function redactJsonText(text: string): string {
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

// ---------------------------------------------------------------------------------------------
// Recordings (`holdup record`): named placeholders

/**
 * The placeholder a recording holds in place of a secret: `<redacted:NAME>`, NAME being the
 * lower-cased header, field or parameter name. `holdup verify --secret NAME=VALUE` puts the
 * value back; keep this format.
 */
export function placeholder(name: string): string {
  return `<redacted:${name.toLowerCase()}>`;
}

/** A value is a placeholder written by `placeholder`. */
export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && /^<redacted:[^>]*>$/.test(value);
}

/** Every secret a redaction took out: where it was (for the count) and its value (to scrub copies of it). */
export interface RedactedSecret {
  name: string;
  value: string;
  /**
   * Learnt to scrub its copies, but not itself replaced where it was found (a cookie inside a
   * `Cookie` header replaced whole, a `Set-Cookie` left out): the count of redacted values leaves it out.
   */
  scrubOnly?: true;
  /**
   * Replaced where it was found (and counted), but its copies are not scrubbed: a whole `Cookie`
   * header, which holds data as well (`theme=dark; status=inactive`); its secret-looking cookies are
   * learnt one by one (`secretCookieValues`).
   */
  countOnly?: true;
}

/** `Bearer abc` → `Bearer <redacted:authorization>`; a value without a scheme → `<redacted:authorization>`. */
function credentialsPlaceholder(name: string, value: string): { text: string; secret: string; scheme: string | undefined } {
  const m = /^([A-Za-z][\w.+-]*)\s+(\S.*)$/.exec(value.trim());
  return m ? { text: `${m[1]} ${placeholder(name)}`, secret: m[2]!, scheme: m[1] } : { text: placeholder(name), secret: value, scheme: undefined };
}

/** Attributes of a `Set-Cookie`, not cookies. */
const COOKIE_ATTRIBUTES = new Set(['expires', 'max-age', 'domain', 'path', 'samesite', 'priority', 'partitioned']);

/**
 * Cookie names that say the value is a credential, matched in the lower-cased name: `sess`, `token`,
 * `auth`, `jwt`, `csrf`, `xsrf`, `secret`, `passw`, `credential`, `remember`, `login`, `logged`, `saml`
 * anywhere in it (`PHPSESSID`, `__Host-session`, `XSRF-TOKEN`, `wordpress_logged_in_…`), and `sid`,
 * `key` or `sig` as a part of it or at its end (`connect.sid`, `api_key`, `apikey`).
 */
const SECRET_COOKIE_NAME = /sess|token|auth|jwt|csrf|xsrf|secret|passw|credential|remember|login|logged|saml|(?:^|[^a-z])(?:sid|key|sig)(?:[^a-z]|$)|(?:sid|key)$/;

/** A part of a value that reads as a word: `dark`, `LAST`, `Invoices` (not `darkMode`, nor 16 letters or more). */
const WORD = /^(?:[a-z]{1,15}|[A-Z]{1,15}|[A-Z][a-z]{1,14})$/;
/** An HTTP date (`Thu, 01 Jan 1970 00:00:00 GMT`) and its older forms. */
const HTTP_DATE = /^[A-Za-z]{3,9},?\s+\d{1,2}[\s-][A-Za-z]{3}[\s-]\d{2,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*(?:GMT|UTC|[+-]\d{4}))?$/;

/**
 * A value that reads as data rather than as a credential: a number, a date or a time
 * (`1700000000`, `2026-01-02T10:00:00Z`, `Thu, 01 Jan 1970 00:00:00 GMT`), or words (`deleted`,
 * `invoices`, `dark_mode`, `en-US`). Such a value turns up in paths, keys and bodies for reasons of
 * its own: learnt as a secret, its copies would be scrubbed out of the contract.
 */
export function looksLikeData(value: string): boolean {
  const text = value.trim();
  if (/\d/.test(text) && /^[\d\s.,:/_+TZ-]+$/.test(text)) return true;
  if (HTTP_DATE.test(text)) return true;
  const parts = text.split(/[\s_.:-]+/).filter(Boolean);
  return parts.length > 0 && parts.every((part) => WORD.test(part));
}

/**
 * A value that looks generated: 16 characters or more, no space, with at least two of lower-case
 * letters, upper-case letters, digits and other characters (`Xy7Qp2LmN8rT4vWz9kB3`, a UUID), and
 * not data (`looksLikeData`).
 */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || /\s/.test(value) || looksLikeData(value)) return false;
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((kind) => kind.test(value)).length >= 2;
}

/**
 * The values of the cookies in a `Cookie` or `Set-Cookie` header that are credentials, to scrub an
 * echo of one on its own: a value of 6 characters or more that is not data (`looksLikeData`: never
 * `deleted`, `invoices`, a date or a number), whose name says it is one (`SECRET_COOKIE_NAME`:
 * `PHPSESSID`, `connect.sid`) or that looks generated (`looksRandom`, the only way for a cookie
 * without a name). Attributes are not cookies.
 */
export function secretCookieValues(header: string): string[] {
  const out: string[] = [];
  for (const pair of header.split(/[;,]/)) {
    // a cookie without a name (`Set-Cookie: 3f9a…`) is a value; `HttpOnly` and `Secure` read as words
    const eq = pair.indexOf('=');
    const name = eq < 0 ? '' : pair.slice(0, eq).trim().toLowerCase();
    const value = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (COOKIE_ATTRIBUTES.has(name) || value.length < MIN_SECRET_LENGTH || looksLikeData(value)) continue;
    if (SECRET_COOKIE_NAME.test(name) || looksRandom(value)) out.push(value);
  }
  return out;
}

/** `user:password` and the password, from Basic credentials (`dXNlcjpwYXNz`). */
function basicCredentials(encoded: string): string[] {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? [] : [decoded, decoded.slice(colon + 1)];
}

/**
 * Replaces the value of every credential-bearing header by its placeholder (Authorization keeps
 * its scheme). Unlike `redactHeaders`, `Idempotency-Key` counts as a secret here: a recording
 * should not keep it (and `holdup record` drops it as volatile anyway).
 */
export function redactRecordedHeaders(
  headers: Record<string, string>,
  found: RedactedSecret[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      const redacted = credentialsPlaceholder(lower, value);
      found.push({ name: lower, value: redacted.secret });
      if (redacted.scheme?.toLowerCase() === 'basic') found.push(...basicCredentials(redacted.secret).map((part) => ({ name: lower, value: part, scrubOnly: true as const })));
      out[name] = redacted.text;
    } else if (isSecretHeader(name) || KEPT_HEADERS.has(lower)) {
      if (lower === 'cookie' || lower === 'set-cookie') {
        // the header holds data too: only its secret-looking cookies are scrubbed elsewhere
        found.push({ name: lower, value, countOnly: true });
        found.push(...secretCookieValues(value).map((part) => ({ name: lower, value: part, scrubOnly: true as const })));
      } else {
        found.push({ name: lower, value });
      }
      out[name] = placeholder(lower);
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** Replaces secret-looking query parameters by their placeholder (every value of a repeated name). */
export function redactRecordedQuery(query: Record<string, string[]>, found: RedactedSecret[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(query)) {
    if (isSecretQueryName(name)) {
      for (const value of values) found.push({ name: name.toLowerCase(), value });
      out[name] = values.map(() => placeholder(name));
    } else {
      out[name] = values;
    }
  }
  return out;
}

/** Replaces secret-named fields of a parsed JSON body, at any depth, by their placeholder. */
export function redactRecordedJson(value: unknown, found: RedactedSecret[]): unknown {
  if (Array.isArray(value)) return value.map((item) => redactRecordedJson(item, found));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (isSecretBodyKey(key) && item !== null && item !== '' && (typeof item === 'string' || typeof item === 'number')) {
        found.push({ name: key.toLowerCase(), value: String(item) });
        out[key] = placeholder(key);
      } else {
        out[key] = redactRecordedJson(item, found);
      }
    }
    return out;
  }
  return value;
}

/**
 * Replaces secret fields of a form body (`client_secret`, `refresh_token`, `code`, `password`…)
 * by their placeholder, written as it is (not percent-encoded) so people and `holdup verify`
 * can find it. The other pairs keep their text.
 */
export function redactRecordedForm(text: string, found: RedactedSecret[]): string {
  if (text === '') return text;
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const [[name, value] = ['', '']] = [...new URLSearchParams(pair)];
      if (!(isSecretBodyKey(name) || isSecretQueryName(name)) || value === '') return pair;
      found.push({ name: name.toLowerCase(), value });
      return `${pair.slice(0, eq)}=${placeholder(name)}`;
    })
    .join('&');
}

/** The shortest secret scrubbed wherever it is left as it is (raw, JSON-escaped or percent-encoded). */
export const MIN_SECRET_LENGTH = 6;
/**
 * The shortest secret whose other encodings are scrubbed too (base64, base64url, hex, other
 * percent-encodings): the encodings of a shorter value are short enough to turn up in ordinary data.
 */
export const MIN_ENCODED_SECRET_LENGTH = 8;

/** `"` and `\` escaped as JSON writes them inside a string. */
function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** Texts that stand for the secret, found as they are: raw, JSON-escaped, percent-encoded, hex. */
function literalForms(value: string): string[] {
  const forms = [value, jsonEscaped(value), encodeURIComponent(value)];
  if (value.length >= MIN_ENCODED_SECRET_LENGTH) {
    const hex = Buffer.from(value, 'utf8').toString('hex');
    const percent = encodeURIComponent(value);
    forms.push(
      jsonEscaped(value).replace(/\//g, '\\/'), // `\/`, as PHP's json_encode writes a slash
      percent.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
      new URLSearchParams([['', value]]).toString().slice(1), // a form body: a space is `+`
      encodeURIComponent(percent), // a URL holding it, itself in a query
      hex.replace(/../g, '%$&'), // every byte percent-encoded
      hex.replace(/../g, '%$&').toUpperCase(),
      hex,
      hex.toUpperCase(),
    );
  }
  return forms;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** One base64 character as a text may hold it: `+` and `/` also percent-encoded, `/` also slash-escaped (`\/`). */
function base64CharSource(char: string): string {
  if (char === '+') return String.raw`(?:\+|%2[Bb])`;
  if (char === '/') return String.raw`(?:\\?/|%2[Ff])`;
  return char;
}

function base64Source(core: string): string {
  return [...core].map(base64CharSource).join('');
}

/**
 * The characters of `alphabets` whose 6 bits hold `bits` under `mask` (the bits of the secret a
 * character at the edge of its encoding holds; the other bits belong to the bytes beside it).
 */
function edgeSource(alphabets: readonly string[], mask: number, bits: number): string {
  const chars = new Set(alphabets.flatMap((alphabet) => [...alphabet].filter((_, index) => (index & mask) === (bits & mask))));
  return `(?:${[...chars].map(base64CharSource).join('|')})`;
}

/**
 * The secret's base64 and base64url, wherever it starts inside a longer base64 text (an echoed
 * JSON object holding it): encoded after 0, 1 and 2 bytes of something else, the characters that
 * hold only its bits are the same whatever those bytes were. The character on either side that
 * holds some of its bits with some of the bytes beside it is replaced too, with the padding after
 * it: taken when it is there (a text cut short lacks it) and holds the secret's bits, in the
 * encoding's alphabet (either, when the characters between tell nothing of it), so a `/` or `-`
 * that only stands next to the encoding is left, unless its bits happen to be the secret's. Padded
 * or not, slash-escaped or percent-encoded.
 */
function base64Patterns(value: string): RegExp[] {
  const bytes = Buffer.from(value, 'utf8');
  const patterns: RegExp[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
    // the characters that hold bits of the bytes before it: none, 1 and a mixed one, 2 and a mixed one
    const lead = offset === 0 ? 0 : offset + 1;
    const tail = (offset + bytes.length) % 3;
    const core = encoded.slice(lead, tail !== 0 ? -1 : undefined);
    const urlCore = core.replace(/\+/g, '-').replace(/\//g, '_');
    // a core without + or / is the same in both alphabets: one pattern, whose edges may be of either
    const variants = urlCore === core ? [{ core, alphabets: [BASE64_ALPHABET, BASE64URL_ALPHABET] }] : [{ core, alphabets: [BASE64_ALPHABET] }, { core: urlCore, alphabets: [BASE64URL_ALPHABET] }];
    const index = (char: string): number => BASE64_ALPHABET.indexOf(char);
    for (const variant of variants) {
      // the mixed character before it holds the secret's first 4 (offset 1) or 2 (offset 2) bits as its lowest ones,
      // the one after it the secret's last 2 or 4 bits as its highest ones (the bytes beside it are zeros here)
      const before = lead > 0 ? `${edgeSource(variant.alphabets, (1 << (6 - 2 * offset)) - 1, index(encoded[lead - 1]!))}?` : '';
      const after = tail !== 0 ? `${edgeSource(variant.alphabets, 0x3f & ~((1 << (6 - 2 * tail)) - 1), index(encoded.at(-1)!))}?(?:=|%3[Dd]){0,2}` : '';
      patterns.push(new RegExp(`${before}${base64Source(variant.core)}${after}`, 'g'));
    }
  }
  return patterns;
}

/**
 * Replaces every copy of a known secret value left in a text (an access token echoed in a
 * field with an innocent name, a secret in a URL) by the placeholder of where it was first
 * found: as it is, JSON-escaped and percent-encoded (values of 6 characters or more), and in
 * base64, base64url (at any alignment inside a longer base64 text, with or without padding),
 * hex and the other percent-encodings (values of 8 characters or more). Shorter values are left
 * alone: replacing them would mangle data. Returns the text and how many copies were replaced.
 */
export function scrubSecretValues(text: string, secrets: readonly RedactedSecret[]): { text: string; replaced: number } {
  let replaced = 0;
  let out = text;
  const seen = new Set<string>();
  const ordered = [...secrets].sort((a, b) => b.value.length - a.value.length);
  for (const secret of ordered) {
    if (secret.countOnly || secret.value.length < MIN_SECRET_LENGTH || seen.has(secret.value) || isPlaceholder(secret.value)) continue;
    seen.add(secret.value);
    const substitute = placeholder(secret.name);
    for (const form of new Set(literalForms(secret.value))) {
      const parts = out.split(form);
      if (parts.length > 1) {
        replaced += parts.length - 1;
        out = parts.join(substitute);
      }
    }
    if (secret.value.length < MIN_ENCODED_SECRET_LENGTH) continue;
    for (const pattern of base64Patterns(secret.value)) {
      out = out.replace(pattern, () => {
        replaced++;
        return substitute;
      });
    }
  }
  return { text: out, replaced };
}

/** Secret query values inside free text (an error message quoting a URL): `?api_key=K` → `?api_key=<redacted>`. */
export function redactUrlSecrets(text: string): string {
  return text.replace(/([?&])([^=&\s#?]+)=([^&\s#"']*)/g, (whole, sep: string, name: string) =>
    isSecretQueryName(decodeURIComponent(name)) ? `${sep}${name}=${REDACTED}` : whole,
  );
}

/**
 * Every credential of the connector (nested ones too), whatever its name says (`pat`, `bearer`,
 * `webhookUrl`): scrubbed wherever it appears, in its encodings too (`scrubSecretValues`, which
 * leaves short values alone).
 */
export function credentialSecrets(credentials: unknown, prefix = ''): RedactedSecret[] {
  if (!credentials || typeof credentials !== 'object') return [];
  const out: RedactedSecret[] = [];
  for (const [key, value] of Object.entries(credentials)) {
    const name = `${prefix}${key.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}`;
    if (typeof value === 'string' && value !== '') out.push({ name, value });
    else if (value && typeof value === 'object') out.push(...credentialSecrets(value, `${name}.`));
  }
  return out;
}
