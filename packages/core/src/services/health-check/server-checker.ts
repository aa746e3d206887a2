import { Agent, interceptors, type Dispatcher } from 'undici';
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ForwardTarget } from '../../proxy/forwarder.js';
import type { TransportSettings } from '../../proxy/pool-registry.js';
import { tlsConnector } from '../../proxy/transport-tls.js';
import type { HealthCheckOptions } from './health-check-options.js';

/** The outcome of one probe: healthy or not, and why (for the transition log). */
export interface ProbeResult {
  readonly healthy: boolean;
  readonly reason: string;
}

/**
 * Actively checks one server of one service (Traefik's `healthCheck`). The server starts UP; the
 * first probe runs one `interval` after `start()`; a failed probe marks it DOWN and the next
 * probes come every `unhealthyInterval` until one passes. Timers are `unref`'d so a checker never
 * keeps the process alive.
 */
export class ServerChecker {
  private healthy = true;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly dispatcher: Dispatcher;
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(
    readonly service: string,
    readonly target: ForwardTarget,
    readonly options: HealthCheckOptions,
    private readonly logger: Logger,
    transport?: TransportSettings,
  ) {
    this.url = probeUrl(target, options);
    // As Traefik, an https probe uses the TLS settings of the service's transport.
    const hostname = this.url.hostname.startsWith('[') ? this.url.hostname.slice(1, -1) : this.url.hostname;
    const connect = transport && this.url.protocol === 'https:' ? { connect: tlsConnector(transport, hostname, options.timeoutMs) } : {};
    // A small dedicated agent: probes must not queue behind proxied traffic in the server's pool.
    this.agent = new Agent({ connections: 1, keepAliveTimeout: Math.max(options.intervalMs * 2, 1_000), connectTimeout: options.timeoutMs, ...connect });
    this.dispatcher = options.followRedirects ? this.agent.compose(interceptors.redirect({ maxRedirections: 10 })) : this.agent;
  }

  /** Whether the last probe passed (true until the first probe). */
  get up(): boolean {
    return this.healthy;
  }

  /** Schedules the first probe one interval from now; calling it again does nothing. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.schedule(this.options.intervalMs);
  }

  /** Stops probing for good and closes the checker's connections. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.agent.destroy().catch(() => undefined);
  }

  /** Runs one probe now and applies its result (exposed for tests and for `start`'s loop). */
  async check(): Promise<ProbeResult> {
    const result = await this.probe();
    if (!this.stopped) this.apply(result);
    return result;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      void this.check().then(() => {
        if (!this.stopped) this.schedule(this.healthy ? this.options.intervalMs : this.options.unhealthyIntervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async probe(): Promise<ProbeResult> {
    const { options } = this;
    const headers: Record<string, string> = { ...options.headers };
    if (options.hostname !== undefined) headers.host = options.hostname;
    try {
      const res = await this.dispatcher.request({
        origin: this.url.origin,
        path: this.url.pathname + this.url.search,
        method: options.method as Dispatcher.HttpMethod,
        headers,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await res.body.dump().catch(() => undefined);
      const status = res.statusCode;
      const healthy = options.status !== undefined ? status === options.status : status >= 200 && status < 400;
      return { healthy, reason: `received status ${status}` };
    } catch (err) {
      const name = (err as Error).name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError' || (err as { code?: string }).code === 'UND_ERR_CONNECT_TIMEOUT';
      return { healthy: false, reason: timedOut ? `timed out after ${options.timeoutMs}ms` : errorMessage(err) };
    }
  }

  private apply(result: ProbeResult): void {
    if (result.healthy === this.healthy) return;
    this.healthy = result.healthy;
    const fields = { service: this.service, server: this.target.url, healthCheck: this.url.href, reason: result.reason };
    if (result.healthy) this.logger.info(fields, 'health check passed: server is UP');
    else this.logger.warn(fields, 'health check failed: server is DOWN');
  }
}

/** The probe URL: the server's host with the check's scheme, port and path (path of the server URL ignored, as Traefik does). */
export function probeUrl(target: ForwardTarget, options: HealthCheckOptions): URL {
  const server = new URL(target.url);
  const url = new URL(options.path, `${options.scheme ?? server.protocol}//${server.host}`);
  if (options.port !== undefined) url.port = String(options.port);
  return url;
}
