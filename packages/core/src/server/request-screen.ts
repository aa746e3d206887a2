import type { IncomingMessage } from 'node:http';

/**
 * Header lines a request may carry. Node's parser keeps the first 1,000 and drops the rest
 * silently; Wharf lets it keep one more so that a longer head is seen, and refuses it with 431,
 * as nginx and HAProxy do (Traefik, through Go, only bounds the head's size).
 */
export const MAX_HEADER_LINES = 1000;

/** `server.maxHeadersCount`: one over the limit, so that an oversized head is detectable. */
export const PARSER_HEADER_LINES = MAX_HEADER_LINES + 1;

/**
 * Refusals a parsed request can still earn before it is routed: 431 for too many header lines,
 * 400 for two `Host` lines (RFC 9112 §3.2; Node keeps the first and drops the second). Returns
 * 0 when the request may go on.
 */
export function screenRequest(req: IncomingMessage): number {
  const raw = req.rawHeaders;
  if (raw.length > MAX_HEADER_LINES * 2) return 431;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host' && ++hosts > 1) return 400;
  }
  return 0;
}

/** Node's parser errors, mapped as Node's own default handler does (and nginx, HAProxy). */
export function statusForClientError(code: string | undefined): number {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    default:
      return 400;
  }
}
