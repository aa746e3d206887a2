import { request as httpRequest, STATUS_CODES, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.js';
import type { WharfRequest } from '../middlewares/middleware-factory.js';
import type { ForwardOptions, ForwardTarget } from './forwarder.js';
import { downstreamHeaders, upstreamHeaders } from './forwarded-headers.js';
import { errorBody, sendError } from './send-error.js';
import { tlsConnectOptions } from './transport-tls.js';

/**
 * Proxies an HTTP Upgrade (WebSocket) request over a fresh connection to the server. The
 * connection becomes a byte tunnel only when the server answers `101 Switching Protocols` with
 * the protocol the client asked for (RFC 9110 §7.8; Go's ReverseProxy, nginx and HAProxy do the
 * same). Any other answer is relayed as an ordinary response with `Connection: close`, and the
 * bytes the client sent after its request head are never forwarded: a refused upgrade cannot
 * smuggle requests past routing, middlewares and the access log.
 */
export function forwardUpgrade(req: WharfRequest, res: ServerResponse, target: ForwardTarget, options: ForwardOptions, logger: Logger): void {
  const upgrade = req.wharf.upgrade!;
  const client = upgrade.socket;
  const requested = String(req.headers.upgrade ?? '').toLowerCase();
  const https = target.origin.startsWith('https:');
  const transport = options.transport;
  const origin = { startedAt: performance.now() } as NonNullable<WharfRequest['wharf']['origin']>;
  req.wharf.origin = origin;
  const upstream: ClientRequest = (https ? httpsRequest : httpRequest)({
    ...(https ? tlsConnectOptions(transport, target.hostname) : {}),
    host: target.hostname,
    port: target.port,
    method: req.method ?? 'GET',
    path: target.basePath + (req.url ?? '/'),
    headers: upstreamHeaders(req, options.passHostHeader, target.hostPort, true),
    agent: false,
    setHost: false,
  });
  let settled = false;
  const fail = (status: number, reason: string, err?: Error & { code?: string }): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    upstream.destroy();
    options.onOutcome?.(true);
    logger.debug({ service: req.wharf.service, server: target.url, code: err?.code, err: err?.message ?? reason }, `WebSocket upgrade failed, answering ${status}`);
    if (client.destroyed) return;
    if (res.headersSent) client.destroy();
    else {
      res.shouldKeepAlive = false;
      sendError(res, status);
    }
  };
  // Dial timeout until connected, then responseHeaderTimeout until the server answers.
  let timer = setTimeout(() => fail(504, 'dial timeout'), transport.dialTimeout || 30_000);
  upstream.once('socket', (socket: Socket) => {
    socket.once(https ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      if (transport.responseHeaderTimeout > 0) timer = setTimeout(() => fail(504, 'response header timeout'), transport.responseHeaderTimeout);
    });
  });
  upstream.once('error', (err: Error & { code?: string }) => fail(statusForUpgradeError(err), err.message, err));
  client.once('close', () => {
    clearTimeout(timer);
    settled = true;
    upstream.destroy();
  });

  upstream.once('upgrade', (answer: IncomingMessage, socket: Socket, upstreamHead: Buffer) => {
    if (settled) {
      socket.destroy();
      return;
    }
    const switched = String(answer.headers.upgrade ?? '').toLowerCase();
    if (switched !== requested) {
      socket.destroy();
      fail(502, `the server switched to protocol "${switched}" when "${requested}" was requested`);
      return;
    }
    settled = true;
    clearTimeout(timer);
    origin.status = 101;
    origin.durationMs = performance.now() - origin.startedAt;
    origin.headers = answer.headers;
    options.onOutcome?.(false);
    upgrade.tunnel?.();
    tunnel(client, socket, answer, upstreamHead, upgrade.head);
  });

  upstream.once('response', (answer: IncomingMessage) => {
    if (settled) {
      answer.destroy();
      return;
    }
    settled = true;
    clearTimeout(timer);
    origin.status = answer.statusCode ?? 502;
    origin.durationMs = performance.now() - origin.startedAt;
    origin.headers = answer.headers;
    options.onOutcome?.(origin.status >= 500);
    const relayed = downstreamHeaders(answer.headers);
    origin.relayed = relayed;
    // Node no longer parses this client connection: it closes after this response.
    res.shouldKeepAlive = false;
    res.writeHead(origin.status, relayed);
    answer.pipe(res);
    answer.once('error', () => client.destroy());
  });
  upstream.end();
}

/** Writes the server's 101 head to the client, then pipes bytes both ways until either side closes. */
function tunnel(client: Duplex, server: Socket, answer: IncomingMessage, serverHead: Buffer, clientHead: Buffer): void {
  server.setNoDelay(true);
  let head = `HTTP/1.1 101 ${answer.statusMessage || STATUS_CODES[101]}\r\n`;
  const raw = answer.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  client.write(head + '\r\n');
  if (serverHead.length > 0) client.write(serverHead);
  if (clientHead.length > 0) server.write(clientHead);
  server.pipe(client);
  client.pipe(server);
  server.once('close', () => client.destroy());
  server.once('error', () => client.destroy());
  client.once('close', () => server.destroy());
  client.once('error', () => server.destroy());
}

/** Traefik's statuses for a failed upgrade: timeout 504, TLS failure 500, anything else 502. */
function statusForUpgradeError(err: Error & { code?: string }): number {
  if (err.code === 'ETIMEDOUT') return 504;
  if (err.code?.startsWith('ERR_TLS') || err.code?.includes('CERT') || err.code === 'ERR_SSL_WRONG_VERSION_NUMBER') return 500;
  return 502;
}

/** Writes a minimal HTTP error response on a raw socket and closes it. */
export function refuse(socket: Duplex, status: number): void {
  const body = errorBody(status);
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  else socket.destroy();
}
