import type { IncomingMessage, ServerResponse } from 'node:http';

const ORIGINAL_URL = Symbol('wharf.originalUrl');
const BYTES_OUT = Symbol('wharf.bytesOut');

type TrackedRequest = IncomingMessage & { [ORIGINAL_URL]?: string };
type TrackedResponse = ServerResponse & { [BYTES_OUT]?: number };

/**
 * Called when a request starts (when the entry point offers the hook): remembers the URL before
 * middlewares rewrite it, and counts the bytes the response body writes with a thin wrapper
 * around `write`/`end`. Only installed when metrics or the access log are on.
 */
export function trackRequest(req: IncomingMessage, res: ServerResponse): void {
  const treq = req as TrackedRequest;
  const tres = res as TrackedResponse;
  if (tres[BYTES_OUT] !== undefined) return;
  treq[ORIGINAL_URL] = req.url ?? '/';
  tres[BYTES_OUT] = 0;
  const write = res.write;
  const end = res.end;
  const count = (chunk: unknown, encoding: unknown): void => {
    if (typeof chunk === 'string') tres[BYTES_OUT]! += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) tres[BYTES_OUT]! += chunk.byteLength;
  };
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]): boolean {
    count(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]): ServerResponse {
    if (typeof chunk !== 'function') count(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}

/** The request URL as it arrived (falls back to the current `req.url` when untracked). */
export function originalUrl(req: IncomingMessage): string {
  return (req as TrackedRequest)[ORIGINAL_URL] ?? req.url ?? '/';
}

/** Response body bytes: counted when tracked, else the `content-length` header, else 0. */
export function responseBytes(res: ServerResponse): number {
  const counted = (res as TrackedResponse)[BYTES_OUT];
  if (counted !== undefined) return counted;
  const declared = res.getHeader('content-length');
  if (declared !== undefined) return headerNumber(declared);
  // Headers given to writeHead() never show in getHeader(); the head Node wrote still has them.
  const head = (res as ServerResponse & { _header?: string | null })._header;
  const m = typeof head === 'string' ? /\r\ncontent-length:[ \t]*(\d+)/i.exec(head) : null;
  return m ? Number(m[1]) : 0;
}

/** Request body bytes as announced by `content-length` (0 when absent or chunked). */
export function requestBytes(req: IncomingMessage): number {
  return headerNumber(req.headers['content-length']);
}

function headerNumber(value: unknown): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Status to report: 499 when the client left before any response was sent (nginx's and Traefik's convention). */
export function reportedStatus(res: ServerResponse, aborted: boolean): number {
  return aborted && !res.headersSent ? 499 : res.statusCode;
}

/** True for Wharf's own routers (`api@internal`, …): Traefik leaves them out of metrics and access logs by default. */
export function isInternalRouter(router: string | undefined): boolean {
  return router !== undefined && router.endsWith('@internal');
}
