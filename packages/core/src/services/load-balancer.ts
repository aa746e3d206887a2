import type { ServerResponse } from 'node:http';
import type { Pool } from 'undici';
import { ConfigError } from '../errors.js';
import type { LoadBalancerConfig } from '../config/dynamic/types.js';
import type { WharfRequest } from '../middlewares/middleware-factory.js';
import type { ForwardOptions, ForwardTarget, Forwarder } from '../proxy/forwarder.js';
import type { TransportSettings } from '../proxy/pool-registry.js';
import { sendError } from '../proxy/send-error.js';
import type { PassiveHealth } from './health-check/passive-health.js';
import type { ServerChecker } from './health-check/server-checker.js';
import type { ServiceHandler } from './service-handler.js';
import { SmoothWeightedRoundRobin, type WeightedItem } from './smooth-wrr.js';
import { StickyCookie, type StickyTarget } from './sticky/sticky-cookie.js';

/**
 * A server of a load balancer and its health: UP unless its active checker (shared across
 * reloads) last failed or passive health fenced it off.
 */
export class ServerState implements WeightedItem, StickyTarget {
  pool: Pool | undefined;
  checker: ServerChecker | undefined;
  passive: PassiveHealth | undefined;
  /** Forward options carrying this server's passive-health report, when passive checks are on. */
  options: ForwardOptions | undefined;
  constructor(
    readonly target: ForwardTarget,
    readonly weight: number,
  ) {}
  get key(): string {
    return this.target.url;
  }
  get up(): boolean {
    return (this.checker?.up ?? true) && !(this.passive?.down ?? false);
  }
  available(): boolean {
    return this.up;
  }
}

/** Parses `servers[].url` once; the path is kept only with `preservePath` (spec §c.1). */
export function parseServerUrl(raw: unknown, preservePath: boolean, where: string): ForwardTarget {
  if (typeof raw !== 'string' || raw === '') throw new ConfigError(where, 'server url is missing');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(where, `invalid server url "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'h2c:') throw new ConfigError(where, `unsupported scheme in server url "${raw}" (use http or https)`);
  if (url.protocol === 'h2c:') throw new ConfigError(where, `h2c servers are not supported yet ("${raw}")`);
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  const port = url.port ? Number(url.port) : defaultPort;
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const basePath = preservePath ? url.pathname.replace(/\/+$/, '') : '';
  return { url: raw, origin: `${url.protocol}//${url.host}`, hostPort: url.host, hostname, port, basePath };
}

/** Optional behaviours of a load balancer, validated by the service builder. */
export interface LoadBalancerExtras {
  /** Qualified service name, for the default sticky cookie name. */
  readonly service?: string;
  readonly passive?: (server: ServerState) => PassiveHealth;
}

/**
 * A `loadBalancer` service: smooth weighted round robin over its servers that are UP, with an
 * optional sticky cookie that pins a client to a server while that server is available.
 */
export class LoadBalancerService implements ServiceHandler {
  private readonly wrr: SmoothWeightedRoundRobin<ServerState>;
  private readonly options: ForwardOptions;
  private readonly sticky: StickyCookie<ServerState> | undefined;

  constructor(
    readonly servers: readonly ServerState[],
    config: LoadBalancerConfig,
    transport: TransportSettings,
    private readonly forwarder: Forwarder,
    extras: LoadBalancerExtras = {},
  ) {
    this.wrr = new SmoothWeightedRoundRobin(servers);
    this.options = { passHostHeader: config.passHostHeader !== false, transport };
    for (const server of servers) {
      server.pool = forwarder.poolFor(server.target, transport);
      if (extras.passive) {
        const passive = extras.passive(server);
        server.passive = passive;
        server.options = { ...this.options, onOutcome: (failed) => passive.record(failed) };
      }
    }
    if (config.sticky?.cookie) this.sticky = new StickyCookie(config.sticky.cookie, extras.service ?? '', servers);
  }

  handle(req: WharfRequest, res: ServerResponse): void {
    let server = this.sticky?.pick(req);
    if (!server) {
      server = this.wrr.next();
      if (!server) {
        sendError(res, 503);
        return;
      }
      this.sticky?.set(res, server);
    }
    this.forwarder.forward(req, res, server.target, server.pool!, server.options ?? this.options);
  }

  available(): boolean {
    return this.servers.some((s) => s.weight > 0 && s.up);
  }

  serverStatus(): Record<string, 'UP' | 'DOWN'> {
    const out: Record<string, 'UP' | 'DOWN'> = {};
    for (const s of this.servers) out[s.target.url] = s.up ? 'UP' : 'DOWN';
    return out;
  }
}
