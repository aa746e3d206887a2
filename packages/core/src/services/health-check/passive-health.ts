import { ConfigError, errorMessage } from '../../errors.js';
import type { LoadBalancerConfig } from '../../config/dynamic/types.js';
import { parseDuration } from '../../config/dynamic/decode.js';
import type { Logger } from '../../logger.js';

/** A validated `loadBalancer.passiveHealthCheck`. */
export interface PassiveHealthOptions {
  readonly failureWindowMs: number;
  readonly maxFailedAttempts: number;
}

/** Validates `passiveHealthCheck` with Traefik's defaults (failureWindow 10s, maxFailedAttempts 1). */
export function parsePassiveHealthCheck(config: NonNullable<LoadBalancerConfig['passiveHealthCheck']>, where: string): PassiveHealthOptions {
  let failureWindowMs = 10_000;
  if (config.failureWindow !== undefined && config.failureWindow !== '') {
    try {
      failureWindowMs = parseDuration(config.failureWindow);
    } catch (err) {
      throw new ConfigError(`${where}.failureWindow`, errorMessage(err));
    }
    if (failureWindowMs <= 0) throw new ConfigError(`${where}.failureWindow`, 'the failure window must be positive');
  }
  const max = config.maxFailedAttempts ?? 1;
  if (!Number.isInteger(max) || max < 1) throw new ConfigError(`${where}.maxFailedAttempts`, `maxFailedAttempts must be a positive integer, got ${String(max)}`);
  return { failureWindowMs, maxFailedAttempts: max };
}

/**
 * Passive health of one server: failed exchanges (5xx or transport error) are counted within a
 * sliding `failureWindow`; reaching `maxFailedAttempts` fences the server off until the window
 * has passed since that last failure, after which it serves again.
 */
export class PassiveHealth {
  private failures: number[] = [];
  private fencedUntil = 0;

  constructor(
    private readonly options: PassiveHealthOptions,
    private readonly logger: Logger,
    private readonly fields: { service: string; server: string },
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether the server is currently fenced off. */
  get down(): boolean {
    return this.fencedUntil > this.now();
  }

  /** Records the outcome of one forwarded exchange. */
  record(failed: boolean): void {
    if (!failed) return;
    const now = this.now();
    const since = now - this.options.failureWindowMs;
    this.failures = this.failures.filter((t) => t > since);
    this.failures.push(now);
    if (this.failures.length < this.options.maxFailedAttempts) return;
    const wasDown = this.down;
    this.fencedUntil = now + this.options.failureWindowMs;
    this.failures = [];
    if (!wasDown) this.logger.warn({ ...this.fields, failures: this.options.maxFailedAttempts, windowMs: this.options.failureWindowMs }, 'passive health check: server is DOWN for the failure window');
  }
}
