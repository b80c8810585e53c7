/**
 * Secrets never leave `holdup record`, whatever their encoding: an upstream that echoes the token
 * it issued in base64, base64url, hex or percent-encoded (inside a base64 JSON blob, at each
 * alignment) leaves no trace of it in the contract, and a connector that logs the token or throws
 * with it in the message leaves none on the terminal.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { holdupCommand, interrupt, listenLocal, recordInProject, writeConnectorProject } from './test-helpers.js';

/** The token the upstream issues: with the characters encodings treat differently (/ + = . ~ _ -). */
const TOKEN = 'at-9k/Zq+Vb7.Lm~Xw_R2dT==';
const CLIENT_SECRET = 'echo-client-secret';
/** A signature the leaky connector prints before the request that sends it (as a secret query parameter). */
const SIGNATURE = 'sig-5c8f2e1a9b7d';

const bytes = (text: string) => Buffer.from(text, 'utf8');
/** The token in a JSON object, base64-encoded: it starts at byte 6, 10 and 8, so at offsets 0, 1 and 2 of a 3-byte group. */
const BLOBS = [JSON.stringify({ t: TOKEN }), JSON.stringify({ token: TOKEN }), JSON.stringify({ tok: TOKEN })];

/** What the upstream echoes, by the name of the endpoint that echoes it. */
const ECHOES: Record<string, string> = {
  base64: bytes(TOKEN).toString('base64'),
  'base64-unpadded': bytes(TOKEN).toString('base64').replace(/=+$/, ''),
  base64url: bytes(TOKEN).toString('base64url'),
  hex: bytes(TOKEN).toString('hex'),
  'hex-upper': bytes(TOKEN).toString('hex').toUpperCase(),
  percent: encodeURIComponent(TOKEN),
  'json-offset-0': bytes(BLOBS[0]!).toString('base64'),
  'json-offset-1': bytes(BLOBS[1]!).toString('base64'),
  'json-offset-2': bytes(BLOBS[2]!).toString('base64'),
  'json-offset-1-url': bytes(BLOBS[1]!).toString('base64url'),
};

/**
 * Every trace of a secret to look for: as it is, each of its encodings, and for the base64 of a
 * longer text, the characters that hold only its bits at each alignment (found by encoding it
 * after 0, 1 and 2 bytes and leaving out the four characters at either end, which may hold bits
 * of the neighbouring bytes).
 */
function traces(secret: string): string[] {
  const out = [secret, bytes(secret).toString('base64').replace(/=+$/, ''), bytes(secret).toString('base64url'), bytes(secret).toString('hex'), bytes(secret).toString('hex').toUpperCase()];
  if (encodeURIComponent(secret) !== secret) out.push(encodeURIComponent(secret));
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes(secret)]).toString('base64');
    const inner = encoded.slice(4, encoded.replace(/=+$/, '').length - 4);
    out.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'), encodeURIComponent(inner));
  }
  return out;
}

/** A connector on fetch: every operation obtains a token with client credentials first. */
function connector(name: string, operations: string): string {
  return `
const credentials = { clientId: 'demo', clientSecret: ${JSON.stringify(CLIENT_SECRET)} };
const echoes = ${JSON.stringify(Object.keys(ECHOES))};

async function token(baseUrl) {
  const response = await fetch(baseUrl + '/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=demo&client_secret=' + encodeURIComponent(credentials.clientSecret),
  });
  return (await response.json()).access_token;
}

/** An operation that obtains a token first, then runs with the client and the token. */
const withToken = (kind, run) => ({ kind, run: async (c) => run(c, await token(c.baseUrl)) });
/** A request that carries the token. */
const call = (c, t, path, init = {}) => fetch(c.baseUrl + path, { ...init, headers: { authorization: 'Bearer ' + t, ...init.headers } });

export default {
  name: ${JSON.stringify(name)},
  contract: 'contracts/${name}.json',
  credentials,
  create: ({ baseUrl, credentials, warn }) => ({ baseUrl, credentials, warn }),
  operations: ${operations},
};
`;
}

const ECHOER = connector(
  'echoer',
  `{
    // the token goes out encoded too: base64url in the query
    echoes: withToken('read', async (c, t) => {
      for (const name of echoes) await call(c, t, '/echo/' + name + '?state=' + Buffer.from(t).toString('base64url'));
    }),
    text: withToken('read', async (c, t) => (await call(c, t, '/echo-text')).text()),
    note: withToken('write', async (c, t) => {
      const body = JSON.stringify({ note: Buffer.from(t).toString('hex'), ref: encodeURIComponent(t) });
      return (await call(c, t, '/notes', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
    }),
  }`,
);

const LEAKY = connector(
  'leaky',
  String.raw`{
    leak: withToken('read', async (c, t) => {
      // printed before the request that shows it is a secret: known once the operation has settled
      console.log('signing with', ${JSON.stringify(SIGNATURE)});
      await call(c, t, '/signed?signature=' + ${JSON.stringify(SIGNATURE)});
      console.log('got token', t);
      console.info(Buffer.from(t).toString('base64'));
      console.debug('hex', Buffer.from(t).toString('hex'));
      console.warn({ token: t });
      process.stdout.write('percent ' + encodeURIComponent(t) + '\n');
      process.stderr.write('base64url ' + Buffer.from(t).toString('base64url') + '\n');
      console.error('client secret', c.credentials.clientSecret, Buffer.from(c.credentials.clientSecret).toString('base64'));
      c.warn('this token is deprecated: ' + t);
      throw new Error('the upstream refused token ' + t + ' (' + Buffer.from(JSON.stringify({ token: t })).toString('base64') + ')');
    }),
  }`,
);

const BREAKER = connector('breaker', `{ broken: withToken('read', (c, t) => call(c, t, '/broken?state=' + Buffer.from(t).toString('base64url'))) }`);

/** An API key the upstream quotes in a body that is not JSON: where parsing stops, the parse error names it. */
const API_KEY = 'ak_live_4f9e2b7c1d';

/** Sends its API key; the upstream answers with a broken JSON body that quotes it. */
const QUOTER = `
export default {
  name: 'quoter',
  contract: 'contracts/quoter.json',
  credentials: { apiKey: ${JSON.stringify(API_KEY)} },
  create: ({ baseUrl, credentials }) => ({ baseUrl, credentials }),
  operations: { quote: { kind: 'read', run: (c) => fetch(c.baseUrl + '/quote', { headers: { 'x-api-key': c.credentials.apiKey } }) } },
};
`;

/** Sends cookies and prints their values: a session's and a nameless generated one are scrubbed, a preference is not. */
const COOKIE_PRINTER = `
export default {
  name: 'cookies',
  contract: 'contracts/cookies.json',
  create: ({ baseUrl }) => ({ baseUrl }),
  operations: {
    browse: {
      kind: 'read',
      run: async (c) => {
        await fetch(c.baseUrl + '/v1/invoices', { headers: { cookie: 'last_view=invoices; PHPSESSID=k3j4h5g6f7d8s9a0q1w2e3r4t5' } });
        await fetch(c.baseUrl + '/v1/invoices?page=2', { headers: { cookie: 'Xy7Qp2LmN8rT4vWz9kB3' } });
        console.log('view invoices, session k3j4h5g6f7d8s9a0q1w2e3r4t5, device Xy7Qp2LmN8rT4vWz9kB3');
      },
    },
  },
};
`;

/** Prints the token, then a timer of its throws with it while the operation still runs: nothing catches that but holdup's crash handler. */
const CRASHER = connector(
  'crasher',
  `{
    crash: withToken('read', async (c, t) => {
      console.log('got token', t);
      process.stderr.write('about to fail with ' + Buffer.from(t).toString('base64') + '\\n');
      await new Promise(() => setTimeout(() => { throw new Error('the timer refused token ' + t); }, 1));
    }),
  }`,
);

/** Prints the token, then waits on a request the upstream never answers: the test sends Ctrl-C meanwhile. */
const STUCK = connector(
  'stuck',
  `{
    hang: withToken('read', async (c, t) => {
      console.log('got token', t);
      console.error('waiting with', t);
      await call(c, t, '/hang');
    }),
  }`,
);

let upstream: { url: string; close: () => Promise<void> };
let project: string;
/** Called when the upstream gets `/hang` (which it never answers). */
let onHang: (() => void) | undefined;

beforeAll(async () => {
  upstream = await listenLocal((req, res) => {
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    const url = new URL(req.url ?? '/', 'http://upstream');
    if (req.method === 'POST' && url.pathname === '/oauth/token') return send(200, 'application/json', JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 }));
    if (url.pathname === '/quote') return send(200, 'application/json', `{"key": ${API_KEY}}`);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, 'application/json', '{"error":"invalid_token"}');
    const echo = /^\/echo\/(.+)$/.exec(url.pathname)?.[1];
    if (url.pathname === '/broken') return send(200, 'application/json', '<html>maintenance</html>');
    if (url.pathname === '/hang') return onHang?.();
    if (echo !== undefined && ECHOES[echo] !== undefined) return send(200, 'application/json', JSON.stringify({ encoding: echo, echo: ECHOES[echo] }), { 'x-echo': ECHOES[echo] });
    if (url.pathname === '/echo-text') return send(200, 'text/plain', `your token, every way: ${Object.values(ECHOES).join(' ')}\n`);
    if (req.method === 'POST' && url.pathname === '/notes') return send(201, 'application/json', JSON.stringify({ id: 'note_1', saved: bytes(TOKEN).toString('base64url') }));
    return send(404, 'application/json', '{"error":"not_found"}');
  });
  project = await mkdtemp(path.join(tmpdir(), 'holdup-record-secrets-'));
  await writeConnectorProject(project, { echoer: ECHOER, leaky: LEAKY, breaker: BREAKER, crasher: CRASHER, stuck: STUCK, quoter: QUOTER, cookies: COOKIE_PRINTER });
});

afterAll(async () => {
  await upstream.close();
  await rm(project, { recursive: true, force: true });
});

describe('holdup record leaves no trace of a secret, in any encoding', () => {
  it('the token at the alignments the test relies on', () => {
    expect(BLOBS.map((blob) => bytes(blob.slice(0, blob.indexOf(TOKEN))).length % 3)).toEqual([0, 1, 2]);
  });

  it('writes a contract without the token an upstream echoes base64, base64url, hex or percent-encoded, in headers, query and bodies', async () => {
    const contract = path.join(project, 'contracts/echoer.json');
    const { code, stdout, stderr } = await recordInProject(project, upstream.url, 'echoer', contract);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      'recording echoes … 11 requests\n' +
        'recording text … 2 requests\n' +
        'recording note … 2 requests\n' +
        'wrote <project>/contracts/echoer.json: 13 interactions, 67 redacted values (2 repeated requests left out)\n' +
        'next: point the `contract` of echoer at it, then holdup run --connector echoer\n',
    );
    expect(code).toBe(0);

    const text = await readFile(contract, 'utf8');
    for (const trace of [...traces(TOKEN), ...traces(CLIENT_SECRET)]) expect(text, trace).not.toContain(trace);
    // every echo was recorded, with a placeholder where the token was
    const interactions = (JSON.parse(text) as { interactions: { description: string; response: { headers?: Record<string, string[]>; body?: { content: unknown } } }[] }).interactions;
    const echoes = interactions.filter((i) => i.description.startsWith('echoes: GET /echo/'));
    expect(echoes).toHaveLength(Object.keys(ECHOES).length);
    for (const echo of echoes) {
      expect(echo.description).toMatch(/\?state=<redacted:access_token> → 200$/);
      expect(echo.response.headers?.['X-Echo']?.[0], echo.description).toContain('<redacted:access_token>');
      expect(JSON.stringify(echo.response.body?.content), echo.description).toContain('<redacted:access_token>');
    }
  });

  it("prints no form of the token a connector logs, writes to stdout or stderr, warns with or throws with, nor of its credentials", async () => {
    const contract = path.join(project, 'contracts/leaky.json');
    const run = await holdupCommand(['record', '--upstream', upstream.url, '--connector', 'leaky', '--config', path.join(project, 'package.json'), '--out', contract], {});
    for (const trace of [...traces(TOKEN), ...traces(CLIENT_SECRET), SIGNATURE]) {
      expect(run.stdout, trace).not.toContain(trace);
      expect(run.stderr, trace).not.toContain(trace);
    }
    // what the connector printed is there, with placeholders: on the stream it wrote to, before its operation's line
    expect(run.stdout.split(project).join('<project>')).toBe(
      'signing with <redacted:signature>\n' +
        'got token <redacted:access_token>\n' +
        '<redacted:access_token>\n' +
        'hex <redacted:access_token>\n' +
        'percent <redacted:access_token>\n' +
        'recording leak … 2 requests (threw: Error: the upstream refused token <redacted:access_token> (eyJ0b2tlbiI6I<redacted:access_token>ifQ==); its requests are recorded anyway)\n' +
        '  warning: this token is deprecated: <redacted:access_token>\n' +
        'wrote <project>/contracts/leaky.json: 2 interactions, 4 redacted values\n' +
        'note: leak threw while recording; check that the contract holds what you expect before relying on it\n' +
        'next: point the `contract` of leaky at it, then holdup run --connector leaky\n',
    );
    expect(run.stderr).toBe("{ token: '<redacted:access_token>' }\nbase64url <redacted:access_token>\nclient secret <redacted:client_secret> <redacted:client_secret>\n");
    expect(run.code).toBe(0);
  });

  it('prints no form of the token in an error holdup itself raises about a request that carried it', async () => {
    const { code, stderr } = await recordInProject(project, upstream.url, 'breaker', path.join(project, 'contracts/breaker.json'));
    for (const trace of traces(TOKEN)) expect(stderr, trace).not.toContain(trace);
    expect(stderr).toBe(
      "[holdup] UPSTREAM_BODY <upstream>/broken: the 200 response to GET /broken?state=<redacted:access_token> (operation broken) says application/json but its body is not valid JSON at line 1, column 1: expected a JSON value, found '<'\n" +
        '  next: a recording keeps what the upstream really sends: fix the upstream (or its Content-Type), or record against one that answers JSON\n',
    );
    expect(code).toBe(2);
  });

  it("scrubs the values of the cookies a connector sent that are credentials from what it prints, and only those", async () => {
    const contract = path.join(project, 'contracts/cookies.json');
    const { code, stdout, stderr } = await recordInProject(project, upstream.url, 'cookies', contract);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toBe('view invoices, session <redacted:cookie>, device <redacted:cookie>');
    expect(code).toBe(0);
    // the contract keeps its paths: `invoices` is a cookie's value, not a secret
    const text = await readFile(contract, 'utf8');
    expect((JSON.parse(text) as { interactions: { request: { path: string } }[] }).interactions.map((i) => i.request.path)).toEqual(['/v1/invoices', '/v1/invoices']);
    for (const secret of ['k3j4h5g6f7d8s9a0q1w2e3r4t5', 'Xy7Qp2LmN8rT4vWz9kB3']) expect(text).not.toContain(secret);
  });

  it('prints no secret in the stack trace --debug adds to that error: its causes are redacted too (a regression)', async () => {
    const { code, stderr } = await recordInProject(project, upstream.url, 'quoter', path.join(project, 'contracts/quoter.json'), ['--debug']);
    expect(stderr).not.toContain(API_KEY);
    expect(stderr).toContain(`[holdup] UPSTREAM_BODY <upstream>/quote: the 200 response to GET /quote (operation quote) says application/json but its body is not valid JSON at line 1, column 9: expected a JSON value, found '<redacted:api_key>'`);
    // the stack trace of its cause, where parsing stopped
    expect(stderr).toMatch(/\n {2}next: .*\nHoldupError: not valid JSON at line 1, column 9: expected a JSON value, found '<redacted:api_key>'\n {4}at /);
    expect(code).toBe(2);
  });

  describe('when holdup record ends while an operation runs, what it held is printed, redacted (a regression: it was lost)', () => {
    const args = (name: string) => ['record', '--upstream', upstream.url, '--connector', name, '--config', path.join(project, 'package.json'), '--out', path.join(project, `contracts/${name}.json`)];

    it("a connector's timer that throws: the HARNESS line, after the connector's output, exit 3", async () => {
      const run = await holdupCommand(args('crasher'), {});
      for (const trace of traces(TOKEN)) {
        expect(run.stdout, trace).not.toContain(trace);
        expect(run.stderr, trace).not.toContain(trace);
      }
      expect(run.stdout).toBe('got token <redacted:access_token>\n');
      expect(run.stderr).toMatch(
        /^about to fail with <redacted:access_token>\n\[holdup\] HARNESS an error nothing caught stopped holdup: Error: the timer refused token <redacted:access_token>\n {2}next: if it comes from your connector/,
      );
      expect(run.code).toBe(3);
    });

    it('Ctrl-C: exit 130', async () => {
      let child: ChildProcess | undefined;
      onHang = () => interrupt(child!);
      try {
        const run = await holdupCommand(args('stuck'), {}, { onSpawn: (spawned) => (child = spawned) });
        expect(run.stdout).toBe('got token <redacted:access_token>\n');
        expect(run.stderr).toBe('waiting with <redacted:access_token>\n');
        expect(run.code).toBe(130);
      } finally {
        onHang = undefined;
      }
    });
  });
});
