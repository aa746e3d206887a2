import type { IncomingMessage } from 'node:http';
import { parseIp, type Ip16 } from './ip-match.js';
import { percentDecode } from './request-path.js';
import { parseRequestTarget } from './request-target.js';

/** Go's `net.SplitHostPort` host part, or the input when it does not split (bare IPv6, `a:b:c`). */
function stripPort(authority: string): string {
  if (!authority.includes(':')) return authority;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === authority.length - 1) return authority.slice(1, -1);
    return close > 0 && authority[close + 1] === ':' && authority.indexOf(':', close + 2) < 0 ? authority.slice(1, close) : authority;
  }
  const colon = authority.indexOf(':');
  return colon === authority.lastIndexOf(':') ? authority.slice(0, colon) : authority;
}

/**
 * The canonical request host every Host matcher compares with: port removed (`[v6]:p` → `v6`),
 * trimmed, lower-cased, one trailing dot removed. `''` when there is no host.
 */
export function canonicalHost(hostHeader: string | undefined): string {
  if (hostHeader === undefined || hostHeader === '') return '';
  const host = stripPort(hostHeader).trim().toLowerCase();
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/**
 * Go's `req.Host`. An absolute-form target's authority is already in the Host header:
 * {@link parseRequestTarget} put it there.
 */
function requestAuthority(req: IncomingMessage): string | undefined {
  const headers = req.headers as Record<string, string | string[] | undefined>;
  const host = headers.host ?? headers[':authority'];
  return Array.isArray(host) ? host[0] : host;
}

/**
 * Per-request facts the matchers read. Everything but the path is computed lazily, at most once,
 * so a request that only meets Host matchers never parses its headers or query.
 */
export class RequestFacts {
  /** The routing path (see {@link routingPath}). */
  readonly path: string;
  private readonly req: IncomingMessage;
  private hostValue: string | undefined;
  private ipBytes: Ip16 | null | undefined;
  private headerLines: Map<string, string[]> | undefined;
  private query: Map<string, string[]> | undefined;

  constructor(req: IncomingMessage, routingPath: string) {
    this.req = req;
    this.path = routingPath;
  }

  /**
   * Facts for a request as the entry point sees it: its target parsed (and the request rewritten)
   * by {@link parseRequestTarget}, the one request-parsing path of Wharf.
   */
  static fromRequest(req: IncomingMessage, options: { sanitizePath?: boolean } = {}): RequestFacts {
    return new RequestFacts(req, parseRequestTarget(req, options));
  }

  /** Canonical host, see {@link canonicalHost}. */
  get host(): string {
    return (this.hostValue ??= canonicalHost(requestAuthority(this.req)));
  }

  /** The method as received (not upper-cased). */
  get method(): string {
    return this.req.method ?? '';
  }

  /**
   * The TCP peer address, IPv4-mapped IPv6 shown as IPv4; `''` when unknown. Read lazily from the
   * socket, so read it while the connection is open (Node forgets the peer of a closed socket).
   */
  get clientIp(): string {
    const address = this.req.socket?.remoteAddress ?? '';
    return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  }

  /** The peer address as 16 bytes, undefined when it does not parse. */
  get clientIpBytes(): Ip16 | undefined {
    if (this.ipBytes === undefined) this.ipBytes = parseIp(this.clientIp) ?? null;
    return this.ipBytes ?? undefined;
  }

  /**
   * Field lines of a header (lower-case name), one entry per line as received; comma-joined
   * lines stay one value. `Host` and HTTP/2 pseudo-headers are not visible, as in Go.
   */
  headerValues(lowerCaseName: string): readonly string[] {
    if (this.headerLines === undefined) {
      this.headerLines = new Map();
      const raw = this.req.rawHeaders ?? [];
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = raw[i].toLowerCase();
        if (name === 'host' || name.startsWith(':')) continue;
        const lines = this.headerLines.get(name);
        if (lines) lines.push(raw[i + 1]);
        else this.headerLines.set(name, [raw[i + 1]]);
      }
    }
    return this.headerLines.get(lowerCaseName) ?? [];
  }

  /** The raw query string (after the first `?`), `''` when none. */
  get rawQuery(): string {
    const url = this.req.url ?? '';
    const q = url.indexOf('?');
    return q < 0 ? '' : url.slice(q + 1);
  }

  /**
   * Form-decoded values of a query key (`+` is a space), in order; undefined when absent.
   * `;` separates pairs like `&` (Traefik's default, `encodeQuerySemicolons: false`), and a pair
   * with a malformed escape is dropped, as Go's `url.ParseQuery` does.
   */
  queryValues(key: string): readonly string[] | undefined {
    this.query ??= parseQuery(this.rawQuery);
    return this.query.get(key);
  }
}

function parseQuery(raw: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (raw === '') return out;
  for (const pair of raw.split(/[&;]/)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = percentDecode(eq < 0 ? pair : pair.slice(0, eq), true);
    const value = percentDecode(eq < 0 ? '' : pair.slice(eq + 1), true);
    if (key === undefined || value === undefined) continue;
    const values = out.get(key);
    if (values) values.push(value);
    else out.set(key, [value]);
  }
  return out;
}
