import { ConfigError, errorMessage } from '../../errors.js';
import type { Duration, HealthCheckConfig } from '../../config/dynamic/types.js';
import { parseDuration } from '../../config/dynamic/decode.js';

/** A validated `loadBalancer.healthCheck`, durations in milliseconds (spec §c.1). */
export interface HealthCheckOptions {
  readonly path: string;
  /** `http:` or `https:` when overridden; undefined keeps the server's scheme. */
  readonly scheme: string | undefined;
  readonly hostname: string | undefined;
  readonly port: number | undefined;
  readonly method: string;
  /** The one healthy status; undefined means any 2xx or 3xx. */
  readonly status: number | undefined;
  readonly intervalMs: number;
  readonly unhealthyIntervalMs: number;
  readonly timeoutMs: number;
  readonly followRedirects: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Validates a load balancer's `healthCheck` and applies Traefik's defaults (interval 30s,
 * unhealthyInterval = interval, timeout 5s, GET, followRedirects true).
 *
 * @throws {ConfigError} when `path` is missing, `mode` is not `http`, or a duration/port is invalid;
 * the service is then disabled.
 */
export function parseHealthCheck(config: HealthCheckConfig, where: string): HealthCheckOptions {
  const mode = (config.mode ?? 'http').toLowerCase();
  if (mode === 'grpc') throw new ConfigError(`${where}.mode`, 'gRPC health checks are not supported yet (use mode "http")');
  if (mode !== 'http') throw new ConfigError(`${where}.mode`, `unknown health check mode "${config.mode}" (use "http")`);
  if (typeof config.path !== 'string' || config.path === '') throw new ConfigError(`${where}.path`, 'a health check needs a path');
  const intervalMs = positiveDuration(config.interval, 30_000, `${where}.interval`);
  const scheme = config.scheme === undefined || config.scheme === '' ? undefined : config.scheme.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') throw new ConfigError(`${where}.scheme`, `unsupported health check scheme "${config.scheme}" (use http or https)`);
  if (config.port !== undefined && (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535)) throw new ConfigError(`${where}.port`, `invalid port ${config.port}`);
  if (config.status !== undefined && (!Number.isInteger(config.status) || config.status < 100 || config.status > 599)) throw new ConfigError(`${where}.status`, `invalid status ${config.status}`);
  return {
    path: config.path.startsWith('/') ? config.path : `/${config.path}`,
    scheme: scheme === undefined ? undefined : `${scheme}:`,
    hostname: config.hostname || undefined,
    // Traefik treats port 0 as "not set".
    port: config.port ? config.port : undefined,
    method: (config.method || 'GET').toUpperCase(),
    status: config.status ? config.status : undefined,
    intervalMs,
    unhealthyIntervalMs: positiveDuration(config.unhealthyInterval, intervalMs, `${where}.unhealthyInterval`),
    timeoutMs: positiveDuration(config.timeout, 5_000, `${where}.timeout`),
    followRedirects: config.followRedirects !== false,
    headers: { ...(config.headers ?? {}) },
  };
}

/** A stable identity of the options: equal keys mean the checker (and its state) can be reused across a reload. */
export function healthCheckKey(options: HealthCheckOptions): string {
  return JSON.stringify({ ...options, headers: Object.entries(options.headers).sort(([a], [b]) => (a < b ? -1 : 1)) });
}

function positiveDuration(value: Duration | undefined, fallback: number, where: string): number {
  if (value === undefined || value === '') return fallback;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (err) {
    throw new ConfigError(where, errorMessage(err));
  }
  // Traefik falls back to the default for a zero or negative interval/timeout.
  return ms > 0 ? ms : fallback;
}
