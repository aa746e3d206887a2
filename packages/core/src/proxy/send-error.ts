import { STATUS_CODES, type ServerResponse } from 'node:http';

/**
 * Answers with Traefik's plain-text error bodies: the status text (`Bad Gateway`), or the
 * specific bodies Traefik uses for 404 and 503.
 */
export function sendError(res: ServerResponse, status: number, body?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = body ?? errorBody(status);
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Traefik's plain-text body for an error status. */
export function errorBody(status: number): string {
  if (status === 404) return '404 page not found\n';
  if (status === 503) return 'no available server\n';
  return STATUS_CODES[status] ?? `status ${status}`;
}
