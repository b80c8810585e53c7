/**
 * Which requests the recording proxy of `holdup record` forwards: only requests for the upstream.
 * The connector is given the proxy's URL (`http://127.0.0.1:PORT`); a request whose target, `Host`
 * or forwarded host names anything else — an absolute-URI target for another origin, a foreign
 * `Host`, a `//other-host/…` path, `X-Forwarded-Host: evil` — is refused, never forwarded and never
 * recorded: a contract holds what the upstream answered, to the requests the upstream was meant to get.
 * Pure: the recorder (record.ts) answers the refusal and lists it.
 */

/** The origins a request may name: the recorder's own and the upstream's. */
export interface RecordOrigins {
  /** `http://127.0.0.1:PORT`, where the recording proxy listens. */
  recorder: URL;
  upstream: URL;
}

/** What the connector sent, as node:http parsed it. */
export interface ProxiedRequest {
  method: string;
  /** The request target as sent (`/v1/x?a=1`, `http://host/x`, `//host/x`, `*`). */
  url: string;
  /** Name, value, name, value…: every header as sent, a repeated `Host` included. */
  rawHeaders: readonly string[];
}

export interface TargetRefusal {
  ok: false;
  /** 421 Misdirected Request when it names another host; 400 when it is malformed or rewrites the target; 405 for CONNECT. */
  status: 400 | 405 | 421;
  /** Why, in a few words (`its Host names evil.example`). */
  reason: string;
  /** The request as people should read it: method, target, and the header that was refused. */
  request: string;
}

export type TargetVerdict = { ok: true; path: string; search: string } | TargetRefusal;

/** Headers that name the host a request is for, besides `Host`: an upstream behind a proxy may believe them. */
const HOST_HEADERS = ['x-forwarded-host', 'x-host', 'x-original-host'];
/** Headers that name the scheme the client used: an upstream may build links, redirects or its HTTPS checks on them. */
const SCHEME_HEADERS = ['x-forwarded-proto', 'x-forwarded-scheme', 'x-scheme'];
/** Headers that replace the path an upstream routes on (IIS, Symfony and others honour them): the contract would name one path and record another's answer. */
const PATH_HEADERS = ['x-original-url', 'x-rewrite-url'];

/** The longest target or header value shown; the rest is cut. */
const SHOWN_MAX = 120;

/** A value as it may be printed: control characters (a terminal escape sequence) shown as `\xNN`, cut to a line. */
function printable(value: string): string {
  const cut = value.length > SHOWN_MAX ? `${value.slice(0, SHOWN_MAX)}…` : value;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A host as compared, once a URL has read it (lower-cased, an IP address in its one spelling): without the final dot of a fully qualified name. */
function hostKey(hostname: string): string {
  return hostname.replace(/\.$/, '');
}

/**
 * Does `url` name this origin: the same scheme, host (`hosts`, the origin's own by default) and port
 * (a default port is left out by URL, whether it was written or not)?
 */
function namesOrigin(url: URL, origin: URL, hosts: readonly string[] = [hostKey(origin.hostname)]): boolean {
  return url.protocol === origin.protocol && hosts.includes(hostKey(url.hostname)) && url.port === origin.port;
}

/** The recorder answers to `127.0.0.1:PORT` (the URL the connector was given) and `localhost:PORT`. */
function namesRecorder(origins: RecordOrigins, url: URL): boolean {
  return namesOrigin(url, origins.recorder, [hostKey(origins.recorder.hostname), 'localhost']);
}

function namesUpstream(origins: RecordOrigins, url: URL): boolean {
  return namesOrigin(url, origins.upstream);
}

/**
 * A `Host`-like value (`host[:port]`) read as the authority of a URL of `protocol`, as an
 * absolute-URI target is read: `API.test.:443`, `[0:0:0:0:0:0:0:1]` and `127.0.0.1:04000` are
 * `api.test`, `[::1]` and port 4000 in both. Anything besides a host and a port (a user name, a
 * path, a query) is not an authority.
 */
function authorityUrl(value: string, protocol: string): URL | undefined {
  if (/[/?#@\\\s]/.test(value)) return undefined;
  try {
    return new URL(`${protocol}//${value}`);
  } catch {
    return undefined;
  }
}

/**
 * Does a `Host`-like value name the recorder or the upstream? A value without a port names the
 * default port of the scheme it is compared under: `127.0.0.1` is not the recorder on port 43521,
 * `api.test` is an `https` upstream on 443. An empty value names no host: there is nothing to refuse
 * (the upstream is sent its own `Host`).
 */
function authorityVerdict(value: string, origins: RecordOrigins): 'ours' | 'foreign' | 'malformed' {
  const text = value.trim();
  if (text === '') return 'ours';
  const asRecorder = authorityUrl(text, origins.recorder.protocol);
  const asUpstream = authorityUrl(text, origins.upstream.protocol);
  if (!asRecorder || !asUpstream) return 'malformed';
  return namesRecorder(origins, asRecorder) || namesUpstream(origins, asUpstream) ? 'ours' : 'foreign';
}

function headerValues(rawHeaders: readonly string[], names: readonly string[]): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (names.includes(rawHeaders[i]!.toLowerCase())) out.push({ name: rawHeaders[i]!, value: rawHeaders[i + 1]! });
  }
  return out;
}

/** `Forwarded: for=1.2.3.4;host=evil;proto=https, host=…` → its host= and proto= values (RFC 7239). */
function forwardedParams(value: string): { host: string[]; proto: string[] } {
  const out = { host: [] as string[], proto: [] as string[] };
  for (const element of value.split(',')) {
    for (const pair of element.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const key = pair.slice(0, eq).trim().toLowerCase();
      const param = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'host' || key === 'proto') out[key].push(param);
    }
  }
  return out;
}

/**
 * Judges one request: forwarded (with the path and query to forward) when everything in it names
 * the recorder or the upstream, else refused with why. An absolute-URI target must name the
 * recorder or the upstream's origin exactly (scheme, host and port); a target naming the upstream
 * is taken below the upstream's base path (`--upstream https://api.test/v2` and
 * `GET https://api.test/v2/items` → `/items`).
 */
export function judgeTarget(request: ProxiedRequest, origins: RecordOrigins): TargetVerdict {
  const shown = `${request.method} ${printable(request.url)}`;
  const refuse = (status: 400 | 405 | 421, reason: string, header?: { name: string; value: string }): TargetVerdict => ({
    ok: false,
    status,
    reason,
    request: header ? `${shown} (${header.name}: ${printable(header.value)})` : shown,
  });
  if (request.method === 'CONNECT') return refuse(405, 'a tunnel (CONNECT) to another host');

  let path: string;
  let search: string;
  const target = request.url;
  if (target.startsWith('//')) return refuse(421, 'a path that starts with // names another host');
  if (target.startsWith('/')) {
    // WHATWG URLs read `/\evil/x` as `//evil/x`: anything that parses to another host is refused
    const url = new URL(target, origins.recorder);
    if (url.origin !== origins.recorder.origin) return refuse(421, `its target names ${printable(url.host)}`);
    path = url.pathname;
    search = url.search;
  } else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return refuse(400, 'its target is not a URL');
    }
    if (url.username !== '' || url.password !== '') return refuse(400, 'its target holds a user name or password');
    const upstreamBase = origins.upstream.pathname.replace(/\/+$/, '');
    if (namesRecorder(origins, url)) {
      path = url.pathname;
    } else if (namesUpstream(origins, url) && (url.pathname === upstreamBase || url.pathname.startsWith(`${upstreamBase}/`))) {
      path = url.pathname.slice(upstreamBase.length) || '/';
    } else if (namesUpstream(origins, url)) {
      return refuse(421, `its target is outside the upstream's base path ${upstreamBase}`);
    } else {
      return refuse(421, `its target names ${printable(`${url.protocol}//${url.host}`)}, not the upstream`);
    }
    search = url.search;
  } else {
    return refuse(400, 'its target is neither a path nor an absolute URL');
  }

  for (const header of headerValues(request.rawHeaders, ['host', ...HOST_HEADERS])) {
    // X-Forwarded-Host may list the hosts of a chain of proxies: every one must be ours
    for (const value of header.name.toLowerCase() === 'host' ? [header.value] : header.value.split(',')) {
      const verdict = authorityVerdict(value, origins);
      if (verdict === 'malformed') return refuse(400, `its ${header.name} is not a host name`, header);
      if (verdict === 'foreign') return refuse(421, `its ${header.name} names ${printable(value.trim())}`, header);
    }
  }
  const scheme = origins.upstream.protocol.slice(0, -1);
  for (const header of headerValues(request.rawHeaders, ['forwarded'])) {
    const params = forwardedParams(header.value);
    for (const host of params.host) {
      if (authorityVerdict(host, origins) !== 'ours') return refuse(421, `its Forwarded host= names ${printable(host)}`, header);
    }
    for (const proto of params.proto) {
      if (proto.toLowerCase() !== scheme) return refuse(400, `its Forwarded proto= says ${printable(proto)}, not the upstream's ${scheme}`, header);
    }
  }
  for (const header of headerValues(request.rawHeaders, SCHEME_HEADERS)) {
    for (const value of header.value.split(',')) {
      if (value.trim().toLowerCase() !== scheme) return refuse(400, `its ${header.name} says ${printable(value.trim())}, not the upstream's ${scheme}`, header);
    }
  }
  const [rewrite] = headerValues(request.rawHeaders, PATH_HEADERS);
  if (rewrite) return refuse(400, `its ${rewrite.name} asks the upstream for another path than the one recorded`, rewrite);
  return { ok: true, path, search };
}
