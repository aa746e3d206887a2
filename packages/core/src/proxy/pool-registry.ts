import { buildConnector, Pool, type Dispatcher } from 'undici';
import type { Logger } from '../logger.js';
import { tlsConnectOptions, tlsConnector, type TransportTls } from './transport-tls.js';

/** Connection settings of a servers transport, in milliseconds (0 = no limit). */
export interface TransportSettings {
  /** Registry key of the transport (`default@internal`, `slow@file`). */
  readonly name: string;
  readonly dialTimeout: number;
  readonly responseHeaderTimeout: number;
  readonly idleConnTimeout: number;
  /** Upper bound of keep-alive connections per server. */
  readonly maxIdleConnsPerHost: number;
  /** TLS towards `https://` servers; unset: verify against Node's default trust store. */
  readonly tls?: TransportTls;
}

/**
 * Keep-alive pools per (transport, server origin), shared across configuration reloads so that
 * a reload keeps warm connections to servers that did not change. After each reload the
 * pools nobody uses any more are closed gracefully (in-flight requests finish first).
 */
export class PoolRegistry {
  private readonly pools = new Map<string, Pool>();

  /** `logger` receives one warning per failed TLS handshake with a server. */
  constructor(private readonly logger?: Logger) {}

  get(origin: string, transport: TransportSettings): Pool {
    // Every setting is part of the key: a transport whose timeouts or TLS material change gets new pools.
    const key = `${transport.name}|${transport.dialTimeout}|${transport.responseHeaderTimeout}|${transport.idleConnTimeout}|${transport.maxIdleConnsPerHost}|${transport.tls?.fingerprint ?? ''}|${origin}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = this.create(origin, transport);
      this.pools.set(key, pool);
    }
    (pool as PoolWithMark).wharfGeneration = this.generation;
    return pool;
  }

  private create(origin: string, transport: TransportSettings): Pool {
    const options: Pool.Options = {
      // Like Go's transport, the number of connections is not capped; maxIdleConnsPerHost only
      // bounds idle ones there, which undici's keep-alive timeout covers.
      connections: null,
      connectTimeout: transport.dialTimeout || 30_000,
      keepAliveTimeout: transport.idleConnTimeout || 90_000,
      keepAliveMaxTimeout: Math.max(transport.idleConnTimeout || 90_000, 1_000),
      headersTimeout: transport.responseHeaderTimeout,
      bodyTimeout: 0,
      pipelining: 1,
    };
    if (!origin.startsWith('https:')) return new Pool(origin, { ...options, connect: closeUnusedConnections(buildConnector({ timeout: transport.dialTimeout || 30_000 })) });
    const url = new URL(origin);
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const connect = closeUnusedConnections(tlsConnector(transport, hostname, transport.dialTimeout || 30_000, (err) => this.logHandshakeFailure(transport, origin, err)));
    // A constant servername per pool: undici closes a connection when it changes between requests.
    return new TlsPool(origin, { ...options, connect }, tlsConnectOptions(transport, hostname).servername || hostname);
  }

  private logHandshakeFailure(transport: TransportSettings, origin: string, err: Error & { code?: string }): void {
    if (err.code !== undefined && NETWORK_ERRORS.has(err.code)) return;
    this.logger?.warn({ serversTransport: transport.name, server: origin, code: err.code, err: err.message }, 'TLS connection to the server failed');
  }

  private generation = 0;

  /** Starts a build: pools requested from now on belong to the new generation. */
  beginBuild(): void {
    this.generation++;
  }

  /** Closes pools that the latest build did not ask for. */
  async closeUnused(): Promise<void> {
    const closing: Array<Promise<void>> = [];
    for (const [key, pool] of this.pools) {
      if ((pool as PoolWithMark).wharfGeneration === this.generation) continue;
      this.pools.delete(key);
      closing.push(pool.close().catch(() => undefined));
    }
    await Promise.all(closing);
  }

  /** Number of open pools (for tests and metrics). */
  get size(): number {
    return this.pools.size;
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.destroy().catch(() => undefined)));
  }
}

type PoolWithMark = Pool & { wharfGeneration?: number };

// Failures the forwarder already reports as 502/504; anything else while connecting is TLS.
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/** A pool that gives every request the same servername (see {@link PoolRegistry}). */
class TlsPool extends Pool {
  constructor(
    origin: string,
    options: Pool.Options,
    private readonly servername: string,
  ) {
    super(origin, options);
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return super.dispatch({ ...options, servername: this.servername } as Dispatcher.DispatchOptions, handler);
  }
}

/** How long a new upstream connection may stay without its first write. */
const UNUSED_CONNECTION_MS = 1_000;

/**
 * undici reconnects for a request that was aborted while it waited for its response (its
 * socket-close handler puts the aborted request back in the queue for a moment), and the new
 * connection then idles until the keep-alive timeout (90 s by default): 300 clients that leave
 * early would keep 300 upstream connections open. undici only connects to write a request at
 * once, so a connection that has written nothing after a second is closed.
 */
function closeUnusedConnections(connector: buildConnector.connector): buildConnector.connector {
  return (options, callback) => {
    connector(options, (err, socket) => {
      if (err || !socket) {
        callback(...((err ? [err, null] : [null, socket]) as Parameters<buildConnector.Callback>));
        return;
      }
      const write = socket.write;
      let used = false;
      socket.write = function firstWrite(this: typeof socket, ...args: Parameters<typeof write>): boolean {
        used = true;
        socket.write = write;
        return write.apply(this, args);
      } as typeof write;
      const timer = setTimeout(() => {
        if (!used) socket.destroy();
      }, UNUSED_CONNECTION_MS);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
      callback(null, socket);
    });
  };
}
