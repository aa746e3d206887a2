import { hostname } from 'node:os';
import type { IncomingHttpHeaders } from 'node:http';
import type { WharfRequest } from '../middlewares/middleware-factory.js';

const SERVER_NAME = hostname();

/** Hop-by-hop headers (RFC 9110 §7.6.1, plus the legacy ones Go's reverse proxy removes). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

const FORWARDED = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-server', 'x-real-ip'];

/**
 * Builds the headers sent upstream: the client's headers minus hop-by-hop ones (and those the
 * `Connection` header names), with `X-Forwarded-*` and `X-Real-Ip` set as Traefik does. Values
 * from an untrusted peer are dropped and rewritten; from a trusted one (`forwardedHeaders.trustedIPs`
 * or `insecure`) they are kept and `X-Forwarded-For` is appended to.
 */
export function upstreamHeaders(req: WharfRequest, passHostHeader: boolean, serverHost: string, keepUpgrade: boolean): Record<string, string | string[]> {
  const incoming: IncomingHttpHeaders = req.headers;
  const ctx = req.wharf;
  const out: Record<string, string | string[]> = {};
  const connection = incoming.connection;
  const named = connection && connection !== 'keep-alive' && connection !== 'close' ? new Set(connection.toLowerCase().split(',').map((s) => s.trim())) : undefined;
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
  const trusted = ctx.trustForwardedHeaders;
  if (!trusted) for (const name of FORWARDED) delete out[name];
  const clientIp = ctx.facts.clientIp;
  const priorFor = trusted ? incoming['x-forwarded-for'] : undefined;
  out['x-forwarded-for'] = priorFor ? `${Array.isArray(priorFor) ? priorFor.join(', ') : priorFor}, ${clientIp}` : clientIp;
  const host = incoming.host ?? '';
  if (!out['x-forwarded-proto']) out['x-forwarded-proto'] = ctx.scheme;
  if (!out['x-forwarded-host'] && host) out['x-forwarded-host'] = host;
  if (!out['x-forwarded-port']) out['x-forwarded-port'] = forwardedPort(host, ctx.scheme);
  if (!out['x-forwarded-server']) out['x-forwarded-server'] = SERVER_NAME;
  if (!out['x-real-ip']) out['x-real-ip'] = clientIp;
  if (!passHostHeader) out.host = serverHost;
  return out;
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
