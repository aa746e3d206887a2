import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import { BlockList, isIPv6, Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ConfigError } from '../errors.js';
import type { EntryPointConfig } from '../config/static/types.js';
import type { Logger } from '../logger.js';
import type { WharfRequest } from '../middlewares/middleware-factory.js';
import { removeConnectionOptions, stripForwardedHeaders } from '../proxy/forwarded-headers.js';
import { refuse } from '../proxy/upgrade.js';
import { sendError } from '../proxy/send-error.js';
import { parseRequestTarget, RequestFacts } from '../rules/index.js';
import { HostIndexedRouteMatcher } from '../routing/index.js';
import { ClientConnection, type Exchange } from './client-connection.js';
import type { RequestObserver } from './request-observer.js';
import { PARSER_HEADER_LINES, screenRequest, statusForClientError } from './request-screen.js';
import { deniedEscapes, hasDeniedEscape } from './encoded-characters.js';
import type { RouteTable } from './router-factory.js';

/** Parses `[host]:port` (`:80`, `127.0.0.1:8000`, `[::1]:8443`, optional `/tcp`). */
export function parseAddress(address: string, where: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:/[\]]*)):(\d{1,5})(?:\/(tcp|TCP))?$/.exec(address.trim());
  if (!m) throw new ConfigError(where, `invalid address "${address}": expected [host]:port, e.g. ":80" or "127.0.0.1:8000"`);
  const port = Number(m[3]);
  if (port > 65535) throw new ConfigError(where, `invalid port in address "${address}"`);
  const host = m[1] ?? (m[2] === '' ? undefined : m[2]);
  return { host, port };
}

/** What an entry point did during shutdown, for the final `stopped` log line. */
export interface ShutdownReport {
  /** Connections open when shutdown began. */
  readonly connections: number;
  /** Requests answered after shutdown began. */
  readonly served: number;
  /** Connections closed at `graceTimeOut` with a request still in progress. */
  readonly cut: number;
  /** WebSocket (and other upgraded) tunnels closed at the end. */
  readonly tunnels: number;
}

const kConnection = Symbol('wharf.connection');
/** `listen({ reusePort })` exists from Node.js 22.12 and 23.1 on; older versions ignore it. */
const REUSE_PORT_SUPPORTED = ((major, minor) => major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12))(
  ...(process.versions.node.split('.').map(Number) as [number, number]),
);

const kRequests = Symbol('wharf.requests');
const kOpenedAt = Symbol('wharf.openedAt');
type TrackedSocket = Socket & { [kConnection]?: ClientConnection; [kRequests]?: number; [kOpenedAt]?: number };

/**
 * One entry point: a `node:http` server whose request listener is the current route table.
 * A new table is swapped in atomically; a request keeps the table it started with, so a reload
 * never drops an in-flight request. Each client connection is a {@link ClientConnection}: one
 * exchange at a time, pipelined requests wait unforwarded, and everything a connection started
 * is cancelled when it closes. Shutdown is Go's `Server.Shutdown` (so Traefik's): stop accepting,
 * finish what is in progress with `Connection: close`, close idle connections, within `graceTimeOut`.
 */
export class EntryPoint {
  private table: RouteTable = new HostIndexedRouteMatcher([]);
  private readonly server: Server;
  private readonly trusted: BlockList | undefined;
  private readonly insecure: boolean;
  private readonly sanitize: boolean;
  private readonly writeTimeout: number;
  private readonly connections = new Set<ClientConnection>();
  private closing = false;
  private servedWhileClosing = 0;
  private settled: (() => void) | undefined;
  private boundAddress: string | undefined;
  private readonly connectionAllowed: ReadonlySet<string>;
  private readonly deniedEscapes: ReadonlySet<string>;
  /** Requests whose target held an escape `http.encodedCharacters` refuses (read before the URL is normalised). */
  private readonly badEscapes = new WeakSet<IncomingMessage>();

  constructor(
    readonly name: string,
    private readonly config: EntryPointConfig,
    /** Already carries `entryPoint` (the kernel passes `logger.child({ entryPoint })`): lines do not repeat it. */
    private readonly logger: Logger,
    private readonly observers: readonly RequestObserver[] = [],
  ) {
    this.trusted = buildBlockList(config.forwardedHeaders.trustedIPs, `entryPoints.${name}.forwardedHeaders.trustedIPs`);
    this.insecure = config.forwardedHeaders.insecure;
    this.sanitize = config.http.sanitizePath;
    this.connectionAllowed = new Set(config.forwardedHeaders.connection.map((h) => h.toLowerCase()));
    this.deniedEscapes = deniedEscapes(config.http.encodedCharacters);
    this.writeTimeout = config.transport.respondingTimeouts.writeTimeout;
    const timeouts = config.transport.respondingTimeouts;
    this.server = createServer({
      requestTimeout: timeouts.readTimeout,
      headersTimeout: timeouts.readTimeout > 0 ? Math.min(timeouts.readTimeout, 60_000) : 60_000,
      keepAliveTimeout: timeouts.idleTimeout,
      connectionsCheckingInterval: 1_000,
      // Traefik's http.maxHeaderBytes (Go's MaxHeaderBytes): a larger head is answered 431.
      maxHeaderSize: config.http.maxHeaderBytes,
    });
    this.server.maxHeadersCount = PARSER_HEADER_LINES;
    this.server.on('connection', (socket: TrackedSocket) => this.onConnection(socket));
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket as TrackedSocket, head));
    // CONNECT would otherwise get no answer at all (Node destroys the socket): Wharf is no forward proxy.
    this.server.on('connect', (_req: IncomingMessage, socket: Duplex) => refuse(socket, 405));
    this.server.on('clientError', (err: Error & { code?: string }, socket: TrackedSocket) => this.onClientError(err, socket));
  }

  /** Swaps in a new route table. */
  setTable(table: RouteTable): void {
    this.table = table;
  }

  async listen(): Promise<string> {
    const { host, port } = parseAddress(this.config.address, `entryPoints.${this.name}.address`);
    const reusePort = this.config.reusePort && REUSE_PORT_SUPPORTED;
    if (this.config.reusePort && !reusePort) {
      this.logger.warn({ entryPoint: this.name, node: process.version }, 'reusePort needs Node.js 22.12 or later: not applied');
    }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port, ...(reusePort ? { reusePort: true } : {}) }, () => {
        this.server.removeListener('error', reject);
        resolve();
      });
    });
    const a = this.server.address();
    this.boundAddress = typeof a === 'object' && a ? (isIPv6(a.address) ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`) : String(a);
    this.logger.info({ address: this.boundAddress }, 'entry point listening');
    return this.boundAddress;
  }

  get address(): string | undefined {
    return this.boundAddress;
  }

  /**
   * Traefik's shutdown: keep accepting for `requestAcceptGraceTimeout` (ping already answers 503,
   * so a load balancer in front stops sending), then stop accepting; every response still in
   * progress says `Connection: close` and its connection closes after it; a connection with
   * nothing in progress closes after a short quiet period ({@link IDLE_GRACE_MS}); whatever is
   * still running at `graceTimeOut` is closed. Tunnels (WebSockets) close last, as in Traefik,
   * whose `Server.Shutdown` does not wait for hijacked connections.
   */
  async shutdown(): Promise<ShutdownReport> {
    const { graceTimeOut: grace, requestAcceptGraceTimeout: acceptGrace } = this.config.transport.lifeCycle;
    if (acceptGrace > 0) {
      this.logger.info({ ms: acceptGrace }, 'still accepting requests during requestAcceptGraceTimeout');
      await new Promise((resolve) => setTimeout(resolve, acceptGrace));
    }
    this.closing = true;
    const connections = this.connections.size;
    // net.Server's close, not http.Server's: the latter also destroys every connection it deems
    // idle, including one accepted a moment ago whose request is still on its way.
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(this.server, () => resolve()));
    const settled = new Promise<void>((resolve) => (this.settled = resolve));
    for (const conn of this.connections) conn.beginClosing();
    this.checkSettled();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, grace)));
    await Promise.race([settled, timedOut]);
    clearTimeout(timer);
    let cut = 0;
    let tunnels = 0;
    for (const conn of this.connections) {
      if (conn.tunnel) tunnels++;
      else if (!conn.idle) cut++;
      conn.socket.destroy();
    }
    if (cut > 0) this.logger.warn({ connections: cut }, 'graceTimeOut reached, closing connections with a request in progress');
    await closed;
    return { connections, served: this.servedWhileClosing, cut, tunnels };
  }

  private onConnection(socket: TrackedSocket): void {
    if (this.config.transport.keepAliveMaxTime > 0) socket[kOpenedAt] = performance.now();
    const conn = new ClientConnection(socket, this.runExchange, this.connectionSettled);
    socket[kConnection] = conn;
    this.connections.add(conn);
    if (this.closing) conn.beginClosing();
    for (const o of this.observers) o.connectionOpened?.(this.name);
  }

  private readonly connectionSettled = (conn: ClientConnection): void => {
    if (conn.closed) {
      this.connections.delete(conn);
      for (const o of this.observers) o.connectionClosed?.(this.name);
    }
    if (this.closing) this.checkSettled();
  };

  /** Resolves the shutdown wait once only tunnels (or nothing) remain. */
  private checkSettled(): void {
    if (!this.settled) return;
    for (const conn of this.connections) if (!conn.tunnel) return;
    this.settled();
  }

  private onClientError(err: Error & { code?: string }, socket: TrackedSocket): void {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = statusForClientError(err.code);
    this.logger.debug({ code: err.code, status }, 'malformed request');
    const conn = socket[kConnection];
    if (conn) conn.parseError(status);
    else refuse(socket, status);
  }

  private context(req: IncomingMessage, upgrade?: { socket: Duplex; head: Buffer; tunnel: () => void }): WharfRequest {
    const wreq = req as WharfRequest;
    const path = parseRequestTarget(req, { sanitizePath: this.sanitize });
    // Read now: Node forgets the peer of a closed socket, and the access log is written after.
    const socket = req.socket;
    const peer = socket.remoteAddress ?? '';
    const encrypted = (socket as Socket & { encrypted?: boolean }).encrypted === true;
    const trusted = this.insecure || (this.trusted !== undefined && checkBlockList(this.trusted, peer));
    // Traefik's forwarded-headers step runs before any middleware: an untrusted peer's X-Forwarded-*
    // (and X-Real-Ip, and their underscore spellings) never reach a middleware or a backend.
    if (!trusted) stripForwardedHeaders(req.headers);
    removeConnectionOptions(req, this.connectionAllowed);
    wreq.wharf = {
      entryPoint: this.name,
      facts: new RequestFacts(req, path),
      scheme: upgrade ? (encrypted ? 'wss' : 'ws') : encrypted ? 'https' : 'http',
      peerAddress: peer,
      peerPort: socket.remotePort,
      trustForwardedHeaders: trusted,
      ...(this.config.forwardedHeaders.notAppendXForwardedFor ? { notAppendXForwardedFor: true } : {}),
      logger: this.logger,
      ...(upgrade ? { upgrade } : {}),
    };
    return wreq;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket as TrackedSocket;
    const conn = socket[kConnection];
    if (!conn) {
      res.destroy();
      return;
    }
    // Traefik's transport.keepAliveMaxRequests: the nth response says `Connection: close` and the
    // connection ends after it, as Go's server does. (Node's maxRequestsPerSocket only sets the header.)
    const max = this.config.transport.keepAliveMaxRequests;
    if (max > 0 && (socket[kRequests] = (socket[kRequests] ?? 0) + 1) >= max) res.shouldKeepAlive = false;
    // transport.keepAliveMaxTime: the first response after the connection reached that age closes it.
    const maxTime = this.config.transport.keepAliveMaxTime;
    if (maxTime > 0 && performance.now() - (socket[kOpenedAt] ?? 0) >= maxTime) res.shouldKeepAlive = false;
    if (this.deniedEscapes.size > 0 && hasDeniedEscape(req.url ?? '/', this.deniedEscapes)) this.badEscapes.add(req);
    conn.submit({ req: req as WharfRequest, res });
  }

  private onUpgrade(req: IncomingMessage, socket: TrackedSocket, head: Buffer): void {
    const conn = socket[kConnection];
    if (this.deniedEscapes.size > 0 && hasDeniedEscape(req.url ?? '/', this.deniedEscapes)) this.badEscapes.add(req);
    if (!conn) {
      socket.destroy();
      return;
    }
    // Node's parser let go of this socket: whatever follows is not parsed as HTTP any more.
    conn.detached = true;
    // Middlewares answer through a ServerResponse, so give them one bound to the raw socket.
    const res = new ServerResponse(req);
    conn.submit({ req: req as WharfRequest, res, upgradeHead: head });
  }

  /** Runs one exchange of a connection, once the exchanges before it have finished. */
  private readonly runExchange = (conn: ClientConnection, exchange: Exchange): void => {
    const { req, res } = exchange;
    if (this.closing) this.servedWhileClosing++;
    if (exchange.upgradeHead) {
      this.runUpgrade(conn, exchange, exchange.upgradeHead);
      return;
    }
    const table = this.table;
    const wreq = this.context(req);
    // One 'close' listener per request does all the bookkeeping: cancelling the upstream request
    // when the client left early, the connection's next exchange, and observers.
    if (this.observers.length > 0) {
      const startedAt = performance.now();
      for (const o of this.observers) o.requestStarted?.(wreq, res);
      res.once('close', () => {
        this.closed(conn, exchange);
        const outcome = { startedAt, durationMs: performance.now() - startedAt, aborted: !res.writableFinished };
        for (const o of this.observers) o.requestDone(wreq, res, outcome);
      });
    } else res.once('close', () => this.closed(conn, exchange));
    // Go's WriteTimeout, as Traefik's writeTimeout: the whole response must be written in time.
    if (this.writeTimeout > 0) {
      const timer = setTimeout(() => res.destroy(), this.writeTimeout);
      res.once('close', () => clearTimeout(timer));
    }
    // http.encodedCharacters: a refused escape in the path is answered 400, as Traefik does.
    const refusal = this.badEscapes.has(req) ? 400 : screenRequest(req);
    if (refusal !== 0) {
      res.shouldKeepAlive = false;
      sendError(res, refusal);
      return;
    }
    const route = table.match(wreq.wharf.facts);
    if (!route) {
      sendError(res, 404);
      return;
    }
    route.value(wreq, res);
  };

  private runUpgrade(conn: ClientConnection, exchange: Exchange, head: Buffer): void {
    const { req, res } = exchange;
    const socket = conn.socket;
    res.assignSocket(socket);
    let tunneled = false;
    const wreq = this.context(req, {
      socket,
      head,
      tunnel: () => {
        tunneled = true;
        conn.becameTunnel();
      },
    });
    if (this.observers.length > 0) this.observeUpgrade(wreq, res, () => tunneled);
    // This response is not Node's: nothing else ends the connection once it is written.
    res.once('finish', () => conn.finished(exchange));
    res.once('close', () => {
      if (!res.writableFinished) req.wharf?.upstream?.abort();
      conn.finished(exchange);
    });
    // http.encodedCharacters: a refused escape in the path is answered 400, as Traefik does.
    const refusal = this.badEscapes.has(req) ? 400 : screenRequest(req);
    if (refusal !== 0) {
      res.shouldKeepAlive = false;
      sendError(res, refusal);
      return;
    }
    const route = this.table.match(wreq.wharf.facts);
    if (!route) {
      res.shouldKeepAlive = false;
      sendError(res, 404);
      return;
    }
    route.value(wreq, res);
  }

  /**
   * Upgrades reach the observers once, as Traefik's do (its handler returns when the tunnel
   * ends): a tunnel with status `101` and the tunnel's whole lifetime as duration, a refused
   * upgrade with the status it was answered, a client gone before any answer as `499`.
   */
  private observeUpgrade(wreq: WharfRequest, res: ServerResponse, tunneled: () => boolean): void {
    const startedAt = performance.now();
    for (const o of this.observers) o.requestStarted?.(wreq, res);
    let reported = false;
    const done = (): void => {
      if (reported) return;
      reported = true;
      const tunnel = tunneled();
      // The 101 head went out on the raw socket, not through this response.
      if (tunnel) res.statusCode = 101;
      const outcome = { startedAt, durationMs: performance.now() - startedAt, aborted: !tunnel && !res.writableFinished };
      for (const o of this.observers) o.requestDone(wreq, res, outcome);
    };
    res.once('finish', () => {
      if (!tunneled()) done();
    });
    res.once('close', done);
  }

  private closed(conn: ClientConnection, exchange: Exchange): void {
    if (!exchange.res.writableFinished) exchange.req.wharf.upstream?.abort();
    conn.finished(exchange);
  }
}

function buildBlockList(ranges: readonly string[], where: string): BlockList | undefined {
  if (ranges.length === 0) return undefined;
  const list = new BlockList();
  for (const range of ranges) {
    const [ip, bits] = range.split('/');
    const type = isIPv6(ip ?? '') ? 'ipv6' : 'ipv4';
    try {
      if (bits === undefined) list.addAddress(ip!, type);
      else list.addSubnet(ip!, Number(bits), type);
    } catch {
      throw new ConfigError(where, `invalid IP or CIDR "${range}"`);
    }
  }
  return list;
}

function checkBlockList(list: BlockList, peer: string): boolean {
  if (peer.startsWith('::ffff:')) return list.check(peer.slice(7), 'ipv4');
  return list.check(peer, isIPv6(peer) ? 'ipv6' : 'ipv4');
}
