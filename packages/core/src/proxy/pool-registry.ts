import { Pool } from 'undici';

/** Connection settings of a servers transport, in milliseconds (0 = no limit). */
export interface TransportSettings {
  /** Registry key of the transport (`default@internal`, `slow@file`). */
  readonly name: string;
  readonly dialTimeout: number;
  readonly responseHeaderTimeout: number;
  readonly idleConnTimeout: number;
  /** Upper bound of keep-alive connections per server. */
  readonly maxIdleConnsPerHost: number;
}

/**
 * Keep-alive pools per (transport, server origin), shared across configuration reloads so that
 * a reload keeps warm connections to servers that did not change. After each reload the
 * pools nobody uses any more are closed gracefully (in-flight requests finish first).
 */
export class PoolRegistry {
  private readonly pools = new Map<string, Pool>();

  get(origin: string, transport: TransportSettings): Pool {
    // Every setting is part of the key: a transport whose timeouts change gets new pools.
    const key = `${transport.name}|${transport.dialTimeout}|${transport.responseHeaderTimeout}|${transport.idleConnTimeout}|${transport.maxIdleConnsPerHost}|${origin}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Pool(origin, {
        // Like Go's transport, the number of connections is not capped; maxIdleConnsPerHost only
        // bounds idle ones there, which undici's keep-alive timeout covers.
        connections: null,
        connectTimeout: transport.dialTimeout || 30_000,
        keepAliveTimeout: transport.idleConnTimeout || 90_000,
        keepAliveMaxTimeout: Math.max(transport.idleConnTimeout || 90_000, 1_000),
        headersTimeout: transport.responseHeaderTimeout,
        bodyTimeout: 0,
        pipelining: 1,
      });
      this.pools.set(key, pool);
    }
    (pool as PoolWithMark).wharfGeneration = this.generation;
    return pool;
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
