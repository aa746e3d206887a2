import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import { BlockList, isIPv6, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ConfigError } from '../errors.js';
import type { EntryPointConfig } from '../config/static/types.js';
import type { Logger } from '../logger.js';
import type { WharfRequest } from '../middlewares/middleware-factory.js';
import { refuse } from '../proxy/upgrade.js';
import { sendError } from '../proxy/send-error.js';
import { normalizePath, RequestFacts, routingPath, sanitizePath } from '../rules/index.js';
import { HostIndexedRouteMatcher } from '../routing/index.js';
import type { RequestObserver } from './request-observer.js';
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

/**
 * One entry point: a `node:http` server whose request listener is the current route table.
 * A new table is swapped in atomically; a request keeps the table it started with, so a reload
 * never drops an in-flight request. Shutdown stops accepting, then drains within `graceTimeOut`.
 */
export class EntryPoint {
  private table: RouteTable = new HostIndexedRouteMatcher([]);
  private readonly server: Server;
  private readonly trusted: BlockList | undefined;
  private readonly insecure: boolean;
  private readonly sanitize: boolean;
  private readonly writeTimeout: number;
  private inFlight = 0;
  private drained: (() => void) | undefined;
  private boundAddress: string | undefined;

  constructor(
    readonly name: string,
    private readonly config: EntryPointConfig,
    private readonly logger: Logger,
    private readonly observers: readonly RequestObserver[] = [],
  ) {
    this.trusted = buildBlockList(config.forwardedHeaders.trustedIPs, `entryPoints.${name}.forwardedHeaders.trustedIPs`);
    this.insecure = config.forwardedHeaders.insecure;
    this.sanitize = config.http.sanitizePath;
    this.writeTimeout = config.transport.respondingTimeouts.writeTimeout;
    const timeouts = config.transport.respondingTimeouts;
    this.server = createServer({
      requestTimeout: timeouts.readTimeout,
      headersTimeout: timeouts.readTimeout > 0 ? Math.min(timeouts.readTimeout, 60_000) : 60_000,
      keepAliveTimeout: timeouts.idleTimeout,
      connectionsCheckingInterval: 1_000,
    });
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    if (observers.length > 0) {
      this.server.on('connection', (socket: Socket) => {
        for (const o of observers) o.connectionOpened?.(name);
        socket.once('close', () => {
          for (const o of observers) o.connectionClosed?.(name);
        });
      });
    }
    this.server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
      if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Swaps in a new route table. */
  setTable(table: RouteTable): void {
    this.table = table;
  }

  async listen(): Promise<string> {
    const { host, port } = parseAddress(this.config.address, `entryPoints.${this.name}.address`);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port }, () => {
        this.server.removeListener('error', reject);
        resolve();
      });
    });
    const a = this.server.address();
    this.boundAddress = typeof a === 'object' && a ? (isIPv6(a.address) ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`) : String(a);
    this.logger.info({ entryPoint: this.name, address: this.boundAddress }, 'entry point listening');
    return this.boundAddress;
  }

  get address(): string | undefined {
    return this.boundAddress;
  }

  /**
   * Traefik's shutdown: keep accepting for `requestAcceptGraceTimeout` (ping already answers 503,
   * so a load balancer in front stops sending), then stop accepting and let in-flight requests
   * finish within `graceTimeOut`, then close everything.
   */
  async shutdown(): Promise<void> {
    const { graceTimeOut: grace, requestAcceptGraceTimeout: acceptGrace } = this.config.transport.lifeCycle;
    if (acceptGrace > 0) {
      this.logger.info({ entryPoint: this.name, ms: acceptGrace }, 'still accepting requests during requestAcceptGraceTimeout');
      await new Promise((resolve) => setTimeout(resolve, acceptGrace));
    }
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if (this.inFlight > 0) {
      const drained = new Promise<void>((resolve) => (this.drained = resolve));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, grace)));
      await Promise.race([drained, timedOut]);
      clearTimeout(timer);
      if (this.inFlight > 0) this.logger.warn({ entryPoint: this.name, inFlight: this.inFlight }, 'graceTimeOut reached, closing remaining connections');
    }
    this.server.closeAllConnections();
    await closed;
  }

  private context(req: IncomingMessage, upgrade?: { socket: Duplex; head: Buffer }): WharfRequest {
    const wreq = req as WharfRequest;
    let url = req.url ?? '/';
    if (url[0] !== '/') url = originForm(url);
    const q = url.indexOf('?');
    const raw = q === -1 ? url : url.slice(0, q);
    // Traefik ≥ 3.4.1: normalise percent-encoding, then (sanitizePath) resolve dot segments;
    // the cleaned path is both what routers see and what is forwarded.
    let path = normalizePath(raw);
    if (this.sanitize) path = sanitizePath(path);
    if (path !== raw) url = q === -1 ? path : path + url.slice(q);
    req.url = url;
    const peer = req.socket.remoteAddress ?? '';
    const encrypted = (req.socket as Socket & { encrypted?: boolean }).encrypted === true;
    wreq.wharf = {
      entryPoint: this.name,
      facts: new RequestFacts(req, routingPath(path)),
      scheme: upgrade ? (encrypted ? 'wss' : 'ws') : encrypted ? 'https' : 'http',
      peerAddress: peer,
      trustForwardedHeaders: this.insecure || (this.trusted !== undefined && checkBlockList(this.trusted, peer)),
      ...(upgrade ? { upgrade } : {}),
    };
    return wreq;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const table = this.table;
    this.inFlight++;
    const wreq = this.context(req);
    // One 'close' listener per request does all the bookkeeping: in-flight count, cancelling the
    // upstream request when the client left early, and observers.
    if (this.observers.length > 0) {
      const startedAt = performance.now();
      for (const o of this.observers) o.requestStarted?.(wreq, res);
      res.once('close', () => {
        this.closed(wreq, res);
        const outcome = { startedAt, durationMs: performance.now() - startedAt, aborted: !res.writableFinished };
        for (const o of this.observers) o.requestDone(wreq, res, outcome);
      });
    } else res.once('close', () => this.closed(wreq, res));
    // Go's WriteTimeout, as Traefik's writeTimeout: the whole response must be written in time.
    if (this.writeTimeout > 0) {
      const timer = setTimeout(() => res.destroy(), this.writeTimeout);
      res.once('close', () => clearTimeout(timer));
    }
    const route = table.match(wreq.wharf.facts);
    if (!route) {
      sendError(res, 404);
      return;
    }
    route.value(wreq, res);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const table = this.table;
    const wreq = this.context(req, { socket, head });
    const route = table.match(wreq.wharf.facts);
    if (!route) {
      refuse(socket, 404);
      return;
    }
    // Middlewares answer through a ServerResponse, so give them one bound to the raw socket.
    const res = new ServerResponse(req);
    res.assignSocket(socket as Socket);
    this.inFlight++;
    socket.once('close', () => this.done());
    route.value(wreq, res);
  }

  private closed(req: WharfRequest, res: ServerResponse): void {
    if (!res.writableFinished) req.wharf.upstream?.abort();
    this.done();
  }

  private done(): void {
    this.inFlight--;
    if (this.inFlight === 0 && this.drained) this.drained();
  }
}

/** Absolute-form request target (`GET http://host/path`): routing uses its path. */
function originForm(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return '/';
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
