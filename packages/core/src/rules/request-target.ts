import type { IncomingMessage } from 'node:http';
import { normalizePath, routingPath, sanitizePath } from './request-path.js';

const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)(.*)$/s;

/** How the entry point cleans request paths (`entryPoints.<ep>.http.sanitizePath`, true by default). */
export interface RequestTargetOptions {
  readonly sanitizePath?: boolean;
}

/**
 * The one place a request target is parsed, by the entry points and by the tests alike. It
 * rewrites the request in place, the way Go's `net/http` server (so Traefik) reads it:
 *
 * - an absolute-form target (`GET http://a.example/x`) becomes origin-form (`/x`), and its
 *   authority replaces the `Host` header (RFC 9112 §3.2.2: a server MUST ignore the received
 *   `Host` and use the target's host; a proxy MUST forward that host). An empty authority
 *   (`http:///x`) keeps the `Host` header, as Go does;
 * - the path is normalised (percent-encoding, RFC 3986 §6.2.2), then, unless disabled, its dot
 *   segments and repeated slashes are resolved (Traefik ≥ 3.4.1's `sanitizePath`); the cleaned
 *   path is both what routers see and what is forwarded.
 *
 * Returns the routing path (see {@link routingPath}) for {@link RequestFacts}.
 */
export function parseRequestTarget(req: IncomingMessage, options: RequestTargetOptions = {}): string {
  let url = req.url ?? '/';
  if (url[0] !== '/') {
    const m = ABSOLUTE_FORM.exec(url);
    if (m) {
      const authority = m[1]!.slice(m[1]!.lastIndexOf('@') + 1);
      if (authority !== '') req.headers.host = authority;
      const rest = m[2]!;
      url = rest[0] === '/' ? rest : `/${rest}`;
    } else url = '/';
  }
  const q = url.indexOf('?');
  const raw = q === -1 ? url : url.slice(0, q);
  let path = normalizePath(raw);
  if (options.sanitizePath !== false) path = sanitizePath(path);
  if (path !== raw) url = q === -1 ? path : path + url.slice(q);
  req.url = url;
  return routingPath(path);
}
