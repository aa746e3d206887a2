import type { ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { WharfRequest } from '../../middlewares/middleware-factory.js';
import type { RequestOutcome } from '../../server/request-observer.js';
import { originalUrl, reportedStatus, requestBytes, responseBytes } from '../request-tracker.js';

/** One access-log record: Traefik's fields (JSON key names) and the headers of both sides. */
export interface AccessLogEntry {
  /** Traefik's field names → values (`StartUTC`, `Duration` in nanoseconds, `RouterName`, …). */
  readonly fields: Record<string, string | number>;
  /** Request headers, canonical names (`User-Agent`). */
  readonly requestHeaders: Record<string, string>;
  /** Response headers sent to the client. */
  readonly downstreamHeaders: Record<string, string>;
  /** Response headers the upstream server sent (empty when nothing was forwarded). */
  readonly originHeaders: Record<string, string>;
  /** When the request started. */
  readonly start: Date;
  readonly durationMs: number;
}

/** `x-forwarded-for` → `X-Forwarded-For`, the form Traefik's (Go's) header keys take. */
export function canonicalHeaderName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

function headerMap(raw: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[canonicalHeaderName(name)] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function splitHostPort(authority: string): { host: string; port: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(authority);
  return m ? { host: m[1] ?? authority, port: m[2] ?? '-' } : { host: authority, port: '-' };
}

function plainIp(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** ISO time with the local UTC offset (`2026-01-02T03:04:05.678+01:00`), as Traefik's `StartLocal`. */
function localIso(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, -1);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Builds the record of a finished request from what the entry point and the router left on
 * `req.wharf`. `requestCount` is the process-wide request number (Traefik's `RequestCount`).
 */
export function buildAccessLogEntry(req: WharfRequest, res: ServerResponse, outcome: RequestOutcome, requestCount: number, now = Date.now()): AccessLogEntry {
  const ctx = req.wharf;
  const start = new Date(now - outcome.durationMs);
  const clientIp = plainIp(ctx.peerAddress || req.socket?.remoteAddress || '');
  // Captured when the request started: the socket may be closed (and its port forgotten) by now.
  const clientPort = ctx.peerPort ?? req.socket?.remotePort;
  const authority = req.headers.host ?? '';
  const { host, port } = splitHostPort(authority);
  const status = reportedStatus(res, outcome.aborted);
  const size = responseBytes(res);
  const durationNs = Math.round(outcome.durationMs * 1e6);
  const socket = req.socket as TLSSocket | undefined;
  const fields: Record<string, string | number> = {
    StartUTC: start.toISOString(),
    StartLocal: localIso(start),
    Duration: durationNs,
    RouterName: ctx.router ?? '',
    ServiceName: ctx.service ?? '',
    ClientAddr: clientPort === undefined ? clientIp : clientIp.includes(':') ? `[${clientIp}]:${clientPort}` : `${clientIp}:${clientPort}`,
    ClientHost: clientIp,
    ClientPort: clientPort === undefined ? '-' : String(clientPort),
    ClientUsername: ctx.user ?? '-',
    RequestAddr: authority,
    RequestHost: host,
    RequestPort: port,
    RequestMethod: req.method ?? '',
    RequestPath: originalUrl(req),
    RequestProtocol: `HTTP/${req.httpVersion}`,
    RequestScheme: ctx.scheme,
    RequestContentSize: requestBytes(req),
    DownstreamStatus: status,
    DownstreamContentSize: size,
    RequestCount: requestCount,
    RetryAttempts: 0,
    entryPointName: ctx.entryPoint,
  };
  if (ctx.serverUrl) {
    fields.ServiceURL = ctx.serverUrl;
    try {
      fields.ServiceAddr = new URL(ctx.serverUrl).host;
    } catch {
      // A malformed URL never reaches a forwarder; nothing to add.
    }
    // The forwarder streams the origin's body through unchanged.
    const origin = ctx.origin;
    fields.OriginStatus = origin?.status ?? status;
    fields.OriginContentSize = size;
    if (origin?.durationMs !== undefined) {
      fields.OriginDuration = Math.round(origin.durationMs * 1e6);
      fields.Overhead = Math.max(0, durationNs - fields.OriginDuration);
    }
  }
  if (socket?.encrypted) {
    fields.TLSVersion = socket.getProtocol?.() ?? '';
    fields.TLSCipher = socket.getCipher?.()?.name ?? '';
  }
  return {
    fields,
    requestHeaders: headerMap(req.headers),
    // Headers relayed from the origin go out through writeHead, not setHeader: merge both.
    downstreamHeaders: { ...headerMap(ctx.origin?.relayed ?? {}), ...headerMap(res.getHeaders()) },
    originHeaders: ctx.origin?.headers ? headerMap(ctx.origin.headers) : {},
    start,
    durationMs: outcome.durationMs,
  };
}
