import { hostname } from 'node:os';
import type { IncomingHttpHeaders } from 'node:http';
import type { WharfRequest } from '../middlewares/middleware-factory.js';

const SERVER_NAME = hostname();

/** Hop-by-hop headers (RFC 9110 §7.6.1, plus the legacy ones Go's reverse proxy removes). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * The X- headers Traefik manages (its forwarded-headers middleware), lowercase. From an untrusted
 * peer they are removed at the entry point, before any middleware, together with their
 * underscore spellings (`X_Forwarded_For`), which some backends read as the dash form; and a
 * `Connection` header cannot name them for removal.
 */
const MANAGED_X_HEADERS = new Set([
  'x-forwarded-proto',
  'x-forwarded-scheme',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-server',
  'x-forwarded-uri',
  'x-forwarded-method',
  'x-forwarded-prefix',
  'x-forwarded-tls-client-cert',
  'x-forwarded-tls-client-cert-info',
  'x-scheme',
  'x-real-ip',
]);

/** True for a managed X- header name (lowercase), in its dash or underscore spelling. */
export function isManagedXHeader(name: string): boolean {
  if (name.charCodeAt(0) !== 120 /* x */) return false;
  if (MANAGED_X_HEADERS.has(name)) return true;
  return name.includes('_') && MANAGED_X_HEADERS.has(name.replaceAll('_', '-'));
}

/** Removes every managed X- header sent by an untrusted peer (Traefik's `DeleteXForwardedHeaders`). */
export function stripForwardedHeaders(headers: IncomingHttpHeaders): void {
  for (const name in headers) if (isManagedXHeader(name)) delete headers[name];
}

/** Header names a `Connection` header may not remove: Host is never a connection option. */
function connectionMayRemove(name: string): boolean {
  return name !== 'host' && !isManagedXHeader(name);
}

/**
 * Builds the headers sent upstream: the client's headers minus hop-by-hop ones (and those the
 * `Connection` header names, except Host and the managed X- headers), with `X-Forwarded-*` and
 * `X-Real-Ip` set as Traefik does. Forwarded values from an untrusted peer were already removed
 * by the entry point ({@link stripForwardedHeaders}), so what remains was sent by a trusted peer
 * or set by a middleware: it is kept, and `X-Forwarded-For` is appended to.
 */
export function upstreamHeaders(req: WharfRequest, passHostHeader: boolean, serverHost: string, keepUpgrade: boolean): Record<string, string | string[]> {
  const incoming: IncomingHttpHeaders = req.headers;
  const ctx = req.wharf;
  const out: Record<string, string | string[]> = {};
  const connection = incoming.connection;
  const named = connection && connection !== 'keep-alive' && connection !== 'close' ? connectionOptions(connection) : undefined;
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined) continue;
    if (HOP_BY_HOP.has(name) || named?.has(name) || name === 'expect') continue;
    out[name] = value;
  }
  if (keepUpgrade && incoming.upgrade) {
    out.connection = 'Upgrade';
    out.upgrade = incoming.upgrade;
  }
  const clientIp = ctx.facts.clientIp;
  const priorFor = incoming['x-forwarded-for'];
  // notAppendXForwardedFor (Go's ReverseProxy without appending): the header goes as received, or not at all.
  if (!ctx.notAppendXForwardedFor) out['x-forwarded-for'] = priorFor ? `${Array.isArray(priorFor) ? priorFor.join(', ') : priorFor}, ${clientIp}` : clientIp;
  const host = incoming.host ?? '';
  if (!out['x-forwarded-proto']) out['x-forwarded-proto'] = ctx.scheme;
  if (!out['x-forwarded-host'] && host) out['x-forwarded-host'] = host;
  if (!out['x-forwarded-port']) out['x-forwarded-port'] = forwardedPort(host, ctx.scheme);
  if (!out['x-forwarded-server']) out['x-forwarded-server'] = SERVER_NAME;
  if (!out['x-real-ip']) out['x-real-ip'] = clientIp;
  if (!passHostHeader) out.host = serverHost;
  return out;
}

function connectionOptions(connection: string): Set<string> {
  const named = new Set<string>();
  for (const option of connection.toLowerCase().split(',')) {
    const name = option.trim();
    if (name && connectionMayRemove(name)) named.add(name);
  }
  return named;
}

/** Framing and routing headers Node has already read: removing them at the entry would change the request, not its options. */
const KEPT_AT_ENTRY = new Set(['content-length', 'transfer-encoding', 'connection', 'upgrade', 'keep-alive', 'close']);

/**
 * Traefik's forwarded-headers step: the headers a `Connection` header names are connection
 * options, removed at the entry point before any router or middleware sees them, except those
 * in `allowed` (`entryPoints.<ep>.forwardedHeaders.connection`, lower-case), which reach the
 * middlewares and are removed only when the request is forwarded. Host and the managed X- headers
 * cannot be named away.
 */
export function removeConnectionOptions(req: { headers: IncomingHttpHeaders; rawHeaders: string[] }, allowed: ReadonlySet<string>): void {
  const connection = req.headers.connection;
  if (!connection || connection === 'keep-alive' || connection === 'close') return;
  const removed = new Set<string>();
  for (const name of connectionOptions(connection)) {
    if (allowed.has(name) || KEPT_AT_ENTRY.has(name) || req.headers[name] === undefined) continue;
    delete req.headers[name];
    removed.add(name);
  }
  if (removed.size === 0) return;
  // Rules read the raw header lines (Header(), HeaderRegexp()): they must not see them either.
  const raw = req.rawHeaders;
  let kept = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if (removed.has(raw[i]!.toLowerCase())) continue;
    raw[kept++] = raw[i]!;
    raw[kept++] = raw[i + 1]!;
  }
  raw.length = kept;
}

function forwardedPort(host: string, scheme: string): string {
  const close = host.lastIndexOf(']');
  const colon = host.lastIndexOf(':');
  if (colon > close && colon !== -1) return host.slice(colon + 1);
  return scheme === 'https' || scheme === 'wss' ? '443' : '80';
}

/** Response headers safe to pass to the client (hop-by-hop removed). */
export function downstreamHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connection = headers.connection;
  const named = typeof connection === 'string' && connection !== 'keep-alive' && connection !== 'close' ? new Set(connection.toLowerCase().split(',').map((s) => s.trim())) : undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || named?.has(name)) continue;
    out[name] = value;
  }
  return out;
}
