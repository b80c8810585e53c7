import { describe, expect, it } from 'vitest';
import { parseContract } from '../contracts/load.js';
import { importNockText } from './nock.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.Zm9vYmFyYmF6cXV4';
const REFRESH = 'rt_Q2w3e4r5t6y7u8i9';

/** Two definitions as a Nock Back file holds them, with a bearer token in a header and tokens in bodies. */
const RECORDING = JSON.stringify([
  {
    scope: 'https://api.example.com:443',
    method: 'POST',
    path: '/oauth/token',
    body: { grant_type: 'refresh_token', refresh_token: REFRESH },
    status: 200,
    response: { access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 },
    rawHeaders: { 'content-type': 'application/json; charset=utf-8', date: 'Thu, 03 Dec 2026 10:00:00 GMT', 'x-request-id': 'req_1' },
    reqheaders: { 'content-type': 'application/json', 'user-agent': 'node' },
    responseIsBinary: false,
  },
  {
    scope: 'https://api.example.com:443',
    method: 'GET',
    path: '/v1/things?limit=2&access_token=' + TOKEN,
    body: '',
    status: 200,
    response: { data: [{ id: 'th_1', state: 'open', note: `issued with ${TOKEN}` }] },
    rawHeaders: ['Content-Type', 'application/json', 'Set-Cookie', 'session=s3ss10nS3cr3tV4lu3; HttpOnly'],
    reqheaders: { authorization: `Bearer ${TOKEN}`, accept: 'application/json' },
  },
]);

describe('importNockText', () => {
  it("redacts as holdup record does: the Authorization header, tokens in bodies and query, and every copy of them", () => {
    const imported = importNockText(RECORDING, { shown: 'fixtures/things-app.json' });
    expect(imported.text).not.toContain(TOKEN);
    expect(imported.text).not.toContain(REFRESH);
    expect(imported.text).not.toContain('s3ss10nS3cr3tV4lu3');
    expect([imported.consumer, imported.provider, imported.tokenEndpoint]).toEqual(['things-app', 'api.example.com', 'POST /oauth/token']);

    const contract = parseContract(imported.text, 'things-app.json');
    const [token, list] = contract.interactions;
    expect(token!.request.body?.json).toEqual({ grant_type: 'refresh_token', refresh_token: '<redacted:refresh_token>' });
    expect(token!.response.body?.json).toMatchObject({ access_token: '<redacted:access_token>' });
    // volatile response headers are left out, as in a recording
    expect(Object.keys(token!.response.headers)).toEqual(['content-type']);
    expect(list!.request.headers['authorization']).toEqual(['Bearer <redacted:authorization>']);
    expect(list!.request.query['access_token']).toEqual(['<redacted:access_token>']);
    expect(list!.response.headers['set-cookie']).toBeUndefined();
    // matchers inferred from the values, as holdup record infers them
    expect(list!.response.rules.body?.['$.data[*].id']).toEqual({ combine: 'AND', matchers: [{ match: 'regex', regex: '^th_[A-Za-z0-9]+$' }] });
    expect(imported.notes).toEqual([]);
  });

  it('says when the recording holds no request headers, and infers a form body from its text', () => {
    const imported = importNockText(
      JSON.stringify([{ scope: 'http://127.0.0.1:4010', method: 'POST', path: '/token', body: 'grant_type=client_credentials&client_secret=abcdef123456', status: 200, response: { ok: true } }]),
      { shown: 'r.json', consumer: 'me', provider: 'them' },
    );
    expect(imported.names).toEqual(['consumer "me" (--consumer)', 'provider "them" (--provider)']);
    expect(imported.notes).toEqual(['the recording holds no request headers (nock records them with enable_reqheaders_recording: true): the contract asks for none, Authorization included']);
    const [interaction] = parseContract(imported.text, 'r.json').interactions;
    expect(interaction!.request.body?.json).toEqual({ grant_type: 'client_credentials', client_secret: '<redacted:client_secret>' });
  });
});
