import type { Logger } from '../../logger.js';
import type { ForwardTarget } from '../../proxy/forwarder.js';
import type { TransportSettings } from '../../proxy/pool-registry.js';
import { healthCheckKey, type HealthCheckOptions } from './health-check-options.js';
import { ServerChecker } from './server-checker.js';

/**
 * The active health checkers of every build, owned by the kernel so that they outlive a reload.
 * A checker is identified by (service, server URL, health check options): a reload that keeps
 * all three keeps the checker, its timer and its last known state (Wharf's choice; Traefik
 * restarts its checks with every server UP). After each reload the checkers the new build did
 * not ask for are stopped, like the keep-alive pools of `PoolRegistry`.
 */
export class HealthCheckRegistry {
  private readonly checkers = new Map<string, { checker: ServerChecker; generation: number }>();
  private generation = 0;

  constructor(private readonly logger: Logger) {}

  /** Starts a build: checkers acquired from now on belong to the new generation. */
  beginBuild(): void {
    this.generation++;
  }

  /** The running checker for this server of this service (probing with `transport`'s TLS settings), created (and started) if needed. */
  acquire(service: string, target: ForwardTarget, options: HealthCheckOptions, transport?: TransportSettings): ServerChecker {
    const tls = transport ? `${transport.name}|${transport.tls?.fingerprint ?? ''}` : '';
    const key = `${service}\n${target.url}\n${healthCheckKey(options)}\n${tls}`;
    let entry = this.checkers.get(key);
    if (!entry) {
      const checker = new ServerChecker(service, target, options, this.logger, transport);
      checker.start();
      entry = { checker, generation: this.generation };
      this.checkers.set(key, entry);
    }
    entry.generation = this.generation;
    return entry.checker;
  }

  /** Stops the checkers the latest build did not acquire. */
  closeUnused(): void {
    for (const [key, entry] of this.checkers) {
      if (entry.generation === this.generation) continue;
      entry.checker.stop();
      this.checkers.delete(key);
    }
  }

  /** Number of running checkers (tests, metrics). */
  get size(): number {
    return this.checkers.size;
  }

  /** Stops every checker (shutdown). */
  close(): void {
    for (const entry of this.checkers.values()) entry.checker.stop();
    this.checkers.clear();
  }
}
