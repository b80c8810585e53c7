import { describe, expect, it } from 'vitest';
import { judgeTarget, type RecordOrigins } from './target.js';

const recorder = new URL('http://127.0.0.1:43521');
const local: RecordOrigins = { recorder, upstream: new URL('http://127.0.0.1:4010') };
const remote: RecordOrigins = { recorder, upstream: new URL('https://api.test/v2') };

function judge(url: string, headers: Record<string, string | string[]> = {}, origins = local, method = 'GET') {
  const rawHeaders = Object.entries({ Host: '127.0.0.1:43521', ...headers }).flatMap(([name, value]) => (Array.isArray(value) ? value.flatMap((v) => [name, v]) : [name, value]));
  return judgeTarget({ method, url, rawHeaders }, origins);
}

describe('judgeTarget: which requests the recorder forwards', () => {
  it('forwards a path for the recorder, naming itself as the connector was told (127.0.0.1:PORT) or as localhost:PORT', () => {
    expect(judge('/v1/invoices?customer=cus_1')).toEqual({ ok: true, path: '/v1/invoices', search: '?customer=cus_1' });
    expect(judge('/v1/x', { Host: 'localhost:43521' })).toMatchObject({ ok: true, path: '/v1/x' });
  });

  it("forwards a Host that names the upstream's host and port (its scheme's default port when none is given)", () => {
    expect(judge('/v1/x', { Host: '127.0.0.1:4010' })).toMatchObject({ ok: true });
    expect(judge('/items', { Host: 'api.test' }, remote)).toMatchObject({ ok: true });
    expect(judge('/items', { Host: 'API.test:443' }, remote)).toMatchObject({ ok: true });
  });

  it('refuses a Host that names anything else, with 421', () => {
    expect(judge('/v1/x', { Host: 'evil.example' })).toEqual({ ok: false, status: 421, reason: 'its Host names evil.example', request: 'GET /v1/x (Host: evil.example)' });
    // no port is port 80: not the recorder on 43521
    expect(judge('/v1/x', { Host: '127.0.0.1' })).toMatchObject({ ok: false, status: 421 });
    expect(judge('/items', { Host: 'api.test:8443' }, remote)).toMatchObject({ ok: false, status: 421 });
    // node:http keeps the first of two Host headers; the second is judged too
    expect(judge('/v1/x', { Host: ['127.0.0.1:43521', 'evil.example'] })).toMatchObject({ ok: false, status: 421, reason: 'its Host names evil.example' });
  });

  it('refuses a Host that is not a host name, with 400', () => {
    expect(judge('/v1/x', { Host: 'user@evil.example' })).toMatchObject({ ok: false, status: 400, reason: 'its Host is not a host name' });
  });

  describe('a Host and an absolute-URI target for the same authority get the same answer: both read as URLs read hosts (a regression)', () => {
    const ipv6: RecordOrigins = { recorder, upstream: new URL('http://[::1]:8080') };
    const port4000: RecordOrigins = { recorder, upstream: new URL('http://127.0.0.1:4000') };
    const origins = { local, remote, ipv6, port4000 };
    it.each([
      // a final dot, case, a port given as the default, an IPv6 address spelled out, leading zeros in a port
      ['api.test.', 'remote', true],
      ['API.Test.:443', 'remote', true],
      ['[0:0:0:0:0:0:0:1]:8080', 'ipv6', true],
      ['[::1]:8080', 'ipv6', true],
      ['127.0.0.1:04000', 'port4000', true],
      ['localhost.:43521', 'local', true],
      ['0x7f.0.0.1:43521', 'local', true],
      // another port, another host
      ['api.test:80', 'remote', false],
      ['api.test.:8443', 'remote', false],
      ['127.0.0.1', 'local', false],
      ['[::2]:8080', 'ipv6', false],
      ['evil.example.', 'local', false],
    ] as const)('%s (%s upstream): forwarded %s', (authority, name, forwarded) => {
      const which = origins[name];
      const ours = /^(?:localhost|0x7f)/.test(authority) ? which.recorder : which.upstream;
      const base = ours === which.upstream ? which.upstream.pathname.replace(/\/+$/, '') : '';
      const viaHost = judge('/items', { Host: authority }, which);
      const viaTarget = judge(`${ours.protocol}//${authority}${base}/items`, {}, which);
      if (forwarded) {
        expect(viaHost).toEqual({ ok: true, path: '/items', search: '' });
        expect(viaTarget).toEqual({ ok: true, path: '/items', search: '' });
      } else {
        expect(viaHost).toMatchObject({ ok: false, status: 421 });
        expect(viaTarget).toMatchObject({ ok: false, status: 421 });
      }
    });

    it('forwards an empty Host (and empty forwarded hosts): it names no host, and the upstream is sent its own', () => {
      expect(judge('/v1/x', { Host: '' })).toEqual({ ok: true, path: '/v1/x', search: '' });
      expect(judge('http://127.0.0.1:4010/v1/x', { Host: '' })).toEqual({ ok: true, path: '/v1/x', search: '' });
      expect(judge('/v1/x', { 'X-Forwarded-Host': '127.0.0.1:4010, ' })).toMatchObject({ ok: true });
    });

    it.each(['user@evil.example', 'evil.example/x', 'evil.example?x', 'evil.example#x', 'evil\\x', 'a b', '[::1', '127.0.0.1:99999', '127.0.0.1:43521:1'])(
      'refuses a Host that is not an authority with 400: %s',
      (value) => {
        expect(judge('/v1/x', { Host: value })).toMatchObject({ ok: false, status: 400, reason: 'its Host is not a host name' });
      },
    );
  });

  it('forwards an absolute-URI target only when it names the recorder or the upstream origin exactly, below its base path', () => {
    expect(judge('http://127.0.0.1:43521/v1/x?a=1')).toEqual({ ok: true, path: '/v1/x', search: '?a=1' });
    expect(judge('https://api.test/v2/items?page=2', { Host: 'api.test' }, remote)).toEqual({ ok: true, path: '/items', search: '?page=2' });
    expect(judge('http://evil.example/x')).toEqual({
      ok: false,
      status: 421,
      reason: 'its target names http://evil.example, not the upstream',
      request: 'GET http://evil.example/x',
    });
    // the scheme and the port are part of the origin
    expect(judge('http://api.test/v2/items', { Host: 'api.test' }, remote)).toMatchObject({ ok: false, status: 421 });
    expect(judge('http://127.0.0.1:4011/x')).toMatchObject({ ok: false, status: 421 });
    expect(judge('https://api.test/admin', { Host: 'api.test' }, remote)).toMatchObject({ ok: false, status: 421, reason: "its target is outside the upstream's base path /v2" });
    expect(judge('http://user:pw@127.0.0.1:43521/x')).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a path that names another host: //other-host/… and what URL parsers read as one (/\\other-host/…)', () => {
    expect(judge('//other-host/path')).toEqual({ ok: false, status: 421, reason: 'a path that starts with // names another host', request: 'GET //other-host/path' });
    expect(judge('/\\other-host/path')).toMatchObject({ ok: false, status: 421, reason: 'its target names other-host' });
  });

  it('refuses a target that is neither a path nor an absolute URL, and CONNECT', () => {
    expect(judge('*', {}, local, 'OPTIONS')).toMatchObject({ ok: false, status: 400 });
    expect(judge('evil.example:443', {}, local, 'CONNECT')).toEqual({ ok: false, status: 405, reason: 'a tunnel (CONNECT) to another host', request: 'CONNECT evil.example:443' });
  });

  it('refuses a forwarded host that names anything else: X-Forwarded-Host (every host of its list), X-Host, Forwarded host=', () => {
    expect(judge('/v1/x', { 'X-Forwarded-Host': 'evil' })).toEqual({ ok: false, status: 421, reason: 'its X-Forwarded-Host names evil', request: 'GET /v1/x (X-Forwarded-Host: evil)' });
    expect(judge('/v1/x', { 'X-Forwarded-Host': '127.0.0.1:4010, evil' })).toMatchObject({ ok: false, status: 421 });
    expect(judge('/v1/x', { 'X-Host': 'evil' })).toMatchObject({ ok: false, status: 421 });
    expect(judge('/v1/x', { Forwarded: 'for=192.0.2.1;host=evil' })).toMatchObject({ ok: false, status: 421, reason: 'its Forwarded host= names evil' });
    expect(judge('/v1/x', { Forwarded: 'for=192.0.2.1, host="evil:80"' })).toMatchObject({ ok: false, status: 421 });
    expect(judge('/v1/x', { 'X-Forwarded-Host': '127.0.0.1:4010', Forwarded: 'for=192.0.2.1;host="localhost:43521"' })).toMatchObject({ ok: true });
  });

  it("refuses a forwarded scheme other than the upstream's, and headers that rewrite the path, with 400", () => {
    expect(judge('/items', { Host: 'api.test', 'X-Forwarded-Proto': 'https' }, remote)).toMatchObject({ ok: true });
    expect(judge('/items', { Host: 'api.test', 'X-Forwarded-Proto': 'http' }, remote)).toMatchObject({
      ok: false,
      status: 400,
      reason: "its X-Forwarded-Proto says http, not the upstream's https",
    });
    expect(judge('/items', { Host: 'api.test', Forwarded: 'proto=http' }, remote)).toMatchObject({ ok: false, status: 400 });
    expect(judge('/v1/x', { 'X-Original-URL': '/admin' })).toMatchObject({ ok: false, status: 400, reason: 'its X-Original-URL asks the upstream for another path than the one recorded' });
    expect(judge('/v1/x', { 'X-Rewrite-URL': '/admin' })).toMatchObject({ ok: false, status: 400 });
  });

  it('shows control characters a connector sent as escapes, so they cannot drive the terminal', () => {
    expect(judge('/v1/x', { 'X-Forwarded-Host': 'evil\u001b[2J' })).toMatchObject({ request: 'GET /v1/x (X-Forwarded-Host: evil\\x1b[2J)' });
  });
});
