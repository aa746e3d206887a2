import { STATUS_CODES } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.js';
import type { WharfRequest } from '../middlewares/middleware-factory.js';
import type { ForwardOptions, ForwardTarget } from './forwarder.js';
import { upstreamHeaders } from './forwarded-headers.js';
import { errorBody } from './send-error.js';

/**
 * Proxies an HTTP Upgrade (WebSocket) request: opens a TCP connection to the server, replays the
 * request head with forwarded headers, then pipes bytes both ways. The server's `101` (or its
 * refusal) reaches the client unchanged. Either side closing closes the other.
 */
export function forwardUpgrade(req: WharfRequest, target: ForwardTarget, options: ForwardOptions, logger: Logger): void {
  const upgrade = req.wharf.upgrade!;
  const client = upgrade.socket;
  const headers = upstreamHeaders(req, options.passHostHeader, target.hostPort, true);
  if (target.origin.startsWith('https:')) {
    refuse(client, 502);
    logger.warn({ service: req.wharf.service, server: target.url }, 'WebSocket to an https server is not supported yet');
    return;
  }
  const upstream: Socket = connect({ host: target.hostname, port: target.port, timeout: options.transport.dialTimeout || 30_000 });
  let connected = false;
  upstream.once('timeout', () => {
    if (!connected) upstream.destroy(Object.assign(new Error('dial timeout'), { code: 'ETIMEDOUT' }));
  });
  upstream.once('connect', () => {
    connected = true;
    upstream.setTimeout(0);
    upstream.setNoDelay(true);
    let head = `${req.method ?? 'GET'} ${target.basePath}${req.url ?? '/'} HTTP/1.1\r\n`;
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value]) head += `${name}: ${v}\r\n`;
    }
    upstream.write(head + '\r\n');
    if (upgrade.head.length > 0) upstream.write(upgrade.head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.once('error', (err: Error & { code?: string }) => {
    logger.debug({ service: req.wharf.service, server: target.url, err: err.message }, 'WebSocket upstream error');
    if (!connected) refuse(client, err.code === 'ETIMEDOUT' ? 504 : 502);
    else client.destroy();
  });
  upstream.once('close', () => client.destroy());
  client.once('close', () => upstream.destroy());
  client.once('error', () => upstream.destroy());
}

/** Writes a minimal HTTP error response on a raw socket and closes it. */
export function refuse(socket: Duplex, status: number): void {
  const body = errorBody(status);
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  else socket.destroy();
}
