import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  redactUrlSecrets,
  placeholder,
  redactBodyText,
  redactHeaders,
  redactQuery,
  redactRecordedForm,
  redactRecordedHeaders,
  redactRecordedJson,
  redactRecordedQuery,
  scrubSecretValues,
  secretCookieValues,
  MIN_ENCODED_SECRET_LENGTH,
  MIN_SECRET_LENGTH,
  type RedactedSecret,
} from './redact.js';

describe('redactHeaders', () => {
  it('replaces credentials, keeps the Authorization scheme and the Idempotency-Key', () => {
    expect(
      redactHeaders({
        authorization: 'Bearer eyJhbGciOi.abc.def',
        'proxy-authorization': 'Basic dXNlcjpwYXNz',
        cookie: 'sid=1',
        'set-cookie': 'sid=2; HttpOnly',
        'x-api-key': 'k',
        'api-key': 'k',
        'x-auth-token': 't',
        'x-client-secret': 's',
        'x-session-id': 's1',
        'idempotency-key': 'idem-1',
        'content-type': 'application/json',
        'retry-after': '3',
      }),
    ).toEqual({
      authorization: 'Bearer <redacted>',
      'proxy-authorization': 'Basic <redacted>',
      cookie: '<redacted>',
      'set-cookie': '<redacted>',
      'x-api-key': '<redacted>',
      'api-key': '<redacted>',
      'x-auth-token': '<redacted>',
      'x-client-secret': '<redacted>',
      'x-session-id': '<redacted>',
      'idempotency-key': 'idem-1',
      'content-type': 'application/json',
      'retry-after': '3',
    });
  });

  it('redacts a bare Authorization value entirely', () => {
    expect(redactHeaders({ Authorization: 'sk_live_123' })).toEqual({ Authorization: '<redacted>' });
  });
});

describe('redactQuery', () => {
  it('replaces secret-looking parameters, every value', () => {
    expect(
      redactQuery({ api_key: ['a'], token: ['t1', 't2'], access_token: ['x'], client_secret: ['s'], key: ['k'], password: ['p'], signature: ['s'], sig: ['s'], page: ['2'] }),
    ).toEqual({
      api_key: ['<redacted>'],
      token: ['<redacted>', '<redacted>'],
      access_token: ['<redacted>'],
      client_secret: ['<redacted>'],
      key: ['<redacted>'],
      password: ['<redacted>'],
      signature: ['<redacted>'],
      sig: ['<redacted>'],
      page: ['2'],
    });
  });
});

describe('redactBodyText', () => {
  it('redacts JSON bodies recursively and keeps non-secret fields', () => {
    const body = JSON.stringify({ access_token: 'at', refresh_token: 'rt', token_type: 'bearer', expires_in: 3600, nested: [{ password: 'p', user: 'u' }] });
    expect(JSON.parse(redactBodyText(body, 'application/json; charset=utf-8'))).toEqual({
      access_token: '<redacted>',
      refresh_token: '<redacted>',
      token_type: 'bearer',
      expires_in: 3600,
      nested: [{ password: '<redacted>', user: 'u' }],
    });
  });

  it('keeps the text as it is when nothing is secret, and keeps indentation when something is', () => {
    const body = '{ "id":  "in_1" }';
    expect(redactBodyText(body, 'application/json')).toBe(body);
    expect(redactBodyText('{\n  "id_token": "x",\n  "a": 1\n}', 'application/json')).toBe('{\n  "id_token": "<redacted>",\n  "a": 1\n}');
  });

  it('redacts a truncated JSON body by its text', () => {
    expect(redactBodyText('{"client_secret": "abc", "api_key": "k", "x": "y', 'application/json')).toBe(
      '{"client_secret": "<redacted>", "api_key": "<redacted>", "x": "y',
    );
  });

  it('redacts form bodies in place', () => {
    expect(redactBodyText('grant_type=client_credentials&client_id=demo&client_secret=demo-secret', 'application/x-www-form-urlencoded')).toBe(
      'grant_type=client_credentials&client_id=demo&client_secret=%3Credacted%3E',
    );
    expect(redactBodyText('grant_type=password&username=u&password=hunter2', 'application/x-www-form-urlencoded')).toBe(
      'grant_type=password&username=u&password=%3Credacted%3E',
    );
  });

  it('leaves other bodies alone', () => {
    expect(redactBodyText('token=abc', 'text/plain')).toBe('token=abc');
  });
});

describe('redactUrlSecrets', () => {
  it('redacts secret query values in a URL quoted in free text, and only those', () => {
    expect(redactUrlSecrets('HTTPError: Request failed with status code 502: GET https://api.test/v1/x?api_key=K123456&limit=2')).toBe(
      'HTTPError: Request failed with status code 502: GET https://api.test/v1/x?api_key=<redacted>&limit=2',
    );
  });
});

describe('redaction for recordings', () => {
  it('names each placeholder after the lower-cased header and keeps the Authorization scheme', () => {
    const found: RedactedSecret[] = [];
    expect(
      redactRecordedHeaders(
        { Authorization: 'Bearer at_abc123', Cookie: 'sid=1', 'X-Api-Key': 'k_1', 'Idempotency-Key': 'idem-1', 'Content-Type': 'application/json' },
        found,
      ),
    ).toEqual({
      Authorization: 'Bearer <redacted:authorization>',
      Cookie: '<redacted:cookie>',
      'X-Api-Key': '<redacted:x-api-key>',
      'Idempotency-Key': '<redacted:idempotency-key>',
      'Content-Type': 'application/json',
    });
    expect(found).toEqual([
      { name: 'authorization', value: 'at_abc123' },
      // replaced and counted, but not scrubbed elsewhere: it holds data too; its secret cookies are
      // learnt one by one (secretCookieValues), and `1` is not one (too short)
      { name: 'cookie', value: 'sid=1', countOnly: true },
      { name: 'x-api-key', value: 'k_1' },
      { name: 'idempotency-key', value: 'idem-1' },
    ]);
  });

  describe('which cookie values are learnt as secrets (scrubbed wherever they are echoed)', () => {
    it.each([
      // data: never, whatever the name
      ['PHPSESSID=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/', []],
      ['last_view=invoices', []],
      ['status=inactive; theme=dark; lang=en-US', []],
      ['session_state=Pending_Review', []],
      ['visited=2026-01-02T10:00:00Z; count=12345678; seen=1,700,000,000', []],
      ['sid=Thu, 02 Jan 2026 10:00:00 GMT', []],
      // attributes are not cookies, and short values are never scrubbed
      ['a=b; Path=/v1/invoices; Domain=api.example.com; SameSite=Strict; Max-Age=31536000', []],
      ['sid=a1b2c', []],
      // a name that says credential, as a part of it
      ['PHPSESSID=k3j4h5g6f7d8s9a0q1w2e3r4t5', ['k3j4h5g6f7d8s9a0q1w2e3r4t5']],
      ['connect.sid=s%3Aj9Kx2.b7Yq; HttpOnly', ['s%3Aj9Kx2.b7Yq']],
      ['__Host-session=abc123456', ['abc123456']],
      ['XSRF-TOKEN=9f8e7d6c', ['9f8e7d6c']],
      ['remember_web_59ba36=eyJpdiI6Ik', ['eyJpdiI6Ik']],
      ['api_key="k_live_42abc"', ['k_live_42abc']],
      // a value that looks generated, whatever the name
      ['_cf_bm=Xy7Qp2LmN8rT4vWz9kB3; Path=/', ['Xy7Qp2LmN8rT4vWz9kB3']],
      ['device=0b8f5c1e-3d4a-4e2f-9a7b-6c5d4e3f2a1b', ['0b8f5c1e-3d4a-4e2f-9a7b-6c5d4e3f2a1b']],
      // a cookie without a name, beside attributes without a value
      ['3f9a8b7c6d5e4f3a2b1c; Path=/; HttpOnly; Secure', ['3f9a8b7c6d5e4f3a2b1c']],
      ['k3j4h5g6f7; HttpOnly', []],
      // not generated-looking enough under an innocent name: a camel-case word, one kind of character
      ['layout=compactView; pref=internationalization', []],
    ])('%s → %j', (header, learnt) => {
      expect(secretCookieValues(header)).toEqual(learnt);
    });
  });

  it('redacts secret query parameters, JSON fields at any depth and form fields, and says which', () => {
    const found: RedactedSecret[] = [];
    expect(redactRecordedQuery({ api_key: ['k1'], Code: ['c1'], page: ['2'] }, found)).toEqual({
      api_key: ['<redacted:api_key>'],
      Code: ['<redacted:code>'],
      page: ['2'],
    });
    expect(redactRecordedJson({ user: { password: 'hunter2', name: 'a' }, tokens: [{ refresh_token: 'rt_1' }], code: 'resource_missing' }, found)).toEqual({
      user: { password: '<redacted:password>', name: 'a' },
      tokens: [{ refresh_token: '<redacted:refresh_token>' }],
      code: 'resource_missing',
    });
    expect(redactRecordedForm('grant_type=authorization_code&code=abc&client_id=demo&client_secret=s%26cret', found)).toBe(
      'grant_type=authorization_code&code=<redacted:code>&client_id=demo&client_secret=<redacted:client_secret>',
    );
    expect(found.map((s) => `${s.name}=${s.value}`)).toEqual([
      'api_key=k1',
      'code=c1',
      'password=hunter2',
      'refresh_token=rt_1',
      'code=abc',
      'client_secret=s&cret',
    ]);
  });

  it('scrubs every copy of a known secret left in a text, raw, JSON-escaped or percent-encoded', () => {
    const secrets = [{ name: 'client_secret', value: 'demo/secret"x' }];
    const text = `{"echo":"demo/secret\\"x","url":"/cb?s=demo%2Fsecret%22x","again":"demo/secret"}`;
    expect(scrubSecretValues(text, secrets)).toEqual({
      text: `{"echo":"<redacted:client_secret>","url":"/cb?s=<redacted:client_secret>","again":"demo/secret"}`,
      replaced: 2,
    });
  });

  describe('encodings of a known secret', () => {
    // a token with the characters encodings treat differently: / + = . ~ _ -
    const token = 'at-9k/Zq+Vb7.Lm~Xw_R2dT==';
    const secrets = [{ name: 'access_token', value: token }];
    const bytes = (text: string) => Buffer.from(text, 'utf8');
    const scrub = (text: string) => scrubSecretValues(text, secrets);

    it.each([
      ['base64', bytes(token).toString('base64')],
      ['base64 without padding', bytes(token).toString('base64').replace(/=+$/, '')],
      ['base64url', bytes(token).toString('base64url')],
      ['base64url with padding', bytes(token).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')],
      ['base64, percent-encoded', encodeURIComponent(bytes(token).toString('base64'))],
      ['base64, slashes escaped', bytes(token).toString('base64').replace(/\//g, '\\/')],
      ['hex', bytes(token).toString('hex')],
      ['HEX', bytes(token).toString('hex').toUpperCase()],
      ['percent-encoded', encodeURIComponent(token)],
      ['percent-encoded, lower-case', encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
      ['percent-encoded twice', encodeURIComponent(encodeURIComponent(token))],
      ['every byte percent-encoded', bytes(token).toString('hex').replace(/../g, '%$&')],
      ['JSON-escaped with \\/', token.replace(/\//g, '\\/')],
    ])('replaces it %s, whole', (_encoding, encoded) => {
      expect(scrub(`{"echo":"${encoded}"}`)).toEqual({ text: '{"echo":"<redacted:access_token>"}', replaced: 1 });
    });

    it('replaces the base64 of a JSON object holding it, at each of the three alignments, and every character that holds its bits', () => {
      // the token starts at byte 6, 10 and 8 of these objects: offsets 0, 1 and 2 in a group of three bytes
      for (const object of [{ t: token }, { token }, { tok: token }]) {
        const json = JSON.stringify(object);
        for (const encoded of [bytes(json).toString('base64'), bytes(json).toString('base64url')]) {
          const result = scrub(`{"state":"${encoded}"}`);
          expect(result.replaced, json).toBe(1);
          const left = /"state":"(.*)"/.exec(result.text)![1]!.split('<redacted:access_token>');
          expect(left, json).toHaveLength(2);
          // what is left decodes to the bytes around the token only: none of its characters
          const start = json.indexOf(token);
          const before = bytes(json.slice(0, start)).length;
          const after = bytes(json.slice(start + token.length)).length;
          // 6 bits a character: only the characters made of the bytes before (after) it are left
          expect(left[0]!.length, json).toBeLessThanOrEqual(Math.floor((before * 8) / 6));
          expect(left[1]!.replace(/=+$/, '').length, json).toBeLessThanOrEqual(Math.ceil((after * 8) / 6));
          expect(encoded.startsWith(left[0]!) && encoded.endsWith(left[1]!), json).toBe(true);
        }
      }
    });

    it('replaces the characters on either side only when they hold bits of the secret: never a / or - next to the encoding (a regression)', () => {
      // every complete encoding, in a path: the separators stay, and no character with bits of the secret does
      fc.assert(
        fc.property(
          fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~/+='), minLength: 8, maxLength: 24 }),
          fc.uint8Array({ maxLength: 5 }),
          fc.uint8Array({ maxLength: 5 }),
          fc.constantFrom('base64' as const, 'base64url' as const),
          fc.constantFrom('/', '-'),
          (secret, before, after, alphabet, separator) => {
            const encoded = Buffer.concat([before, bytes(secret), after]).toString(alphabet).replace(/=+$/, '');
            const result = scrubSecretValues(`/files${separator}${encoded}${separator}x`, [{ name: 's', value: secret }]);
            const m = new RegExp(`^/files\\${separator}(.*)<redacted:s>(.*)\\${separator}x$`).exec(result.text);
            expect(m, result.text).not.toBeNull();
            const [, left, right] = m!;
            expect(encoded.startsWith(left!) && encoded.endsWith(right!), result.text).toBe(true);
            expect(left!.length).toBeLessThanOrEqual(Math.floor((before.length * 8) / 6));
            expect(right!.length).toBeLessThanOrEqual(Math.ceil((after.length * 8) / 6));
          },
        ),
      );
      // the encoding without the character that mixes the secret's last bits (a text cut short):
      // the separator after it is not taken for that character ('abcdefgh' leaves g, h, i or j there)
      const cut = bytes('abcdefgh').toString('base64url').slice(0, -1);
      const short = [{ name: 's', value: 'abcdefgh' }];
      expect(scrubSecretValues(`/files/${cut}/x`, short).text).toBe('/files/<redacted:s>/x');
      expect(scrubSecretValues(`/files/${cut}-x`, short).text).toBe('/files/<redacted:s>-x');
      // nor the one before it, that mixes the secret's first bits with the byte before
      const late = Buffer.concat([Buffer.from([0x00]), bytes('abcdefghi')]).toString('base64url').slice(2);
      expect(scrubSecretValues(`/files/${late}`, [{ name: 's', value: 'abcdefghi' }]).text).toBe('/files/<redacted:s>');
      expect(scrubSecretValues(`files-${late}`, [{ name: 's', value: 'abcdefghi' }]).text).toBe('files-<redacted:s>');
    });

    it('replaces each encoding inside longer text, where a response or a log line quotes it', () => {
      const text = `state=${bytes(`x${token}y`).toString('base64')}&sig=${bytes(token).toString('hex')} next`;
      const { text: out, replaced } = scrub(text);
      expect(replaced).toBe(2);
      expect(out).toMatch(/^state=[A-Za-z0-9+/]{1,2}<redacted:access_token>[A-Za-z0-9+/=]*&sig=<redacted:access_token> next$/);
    });

    it('leaves the encodings of a secret shorter than 8 characters alone, and its raw copies from 6 on', () => {
      const short = 'k9Zq+V7';
      const text = `${short} ${bytes(short).toString('base64')} ${bytes(short).toString('hex')} ${encodeURIComponent(short)}`;
      expect(scrubSecretValues(text, [{ name: 'key', value: short }]).text).toBe(
        `<redacted:key> ${bytes(short).toString('base64')} ${bytes(short).toString('hex')} <redacted:key>`,
      );
      expect(MIN_SECRET_LENGTH).toBe(6);
      expect(MIN_ENCODED_SECRET_LENGTH).toBe(8);
    });
  });

  it('leaves values shorter than 6 characters alone, so data is not mangled', () => {
    expect(scrubSecretValues('{"limit":"2","id":"demo"}', [{ name: 'x', value: 'demo' }])).toEqual({ text: '{"limit":"2","id":"demo"}', replaced: 0 });
  });

  it('writes placeholders as <redacted:name>, lower-cased', () => {
    expect(placeholder('Client_Secret')).toBe('<redacted:client_secret>');
  });
});
