import { ConfigError, errorMessage } from '../errors.js';
import type { ServersTransportConfig } from '../config/dynamic/types.js';
import { parseDuration } from '../config/dynamic/decode.js';
import type { TransportSettings } from '../proxy/pool-registry.js';
import { loadTransportTls } from '../proxy/transport-tls.js';

/**
 * Reads a dynamic servers transport; unset values fall back to Go's defaults as Traefik does.
 * Files (`rootCAs`, `certificates`) are read here, once per build: a file that cannot be read
 * throws a {@link ConfigError} naming the transport and the file.
 */
export function toTransportSettings(name: string, config: ServersTransportConfig, defaults: TransportSettings): TransportSettings {
  const t = config.forwardingTimeouts ?? {};
  const ms = (v: string | number | undefined, fallback: number, key: string): number => {
    if (v === undefined) return fallback;
    try {
      return parseDuration(v);
    } catch (err) {
      throw new ConfigError(`${name}.forwardingTimeouts.${key}`, `serversTransport "${name}": forwardingTimeouts.${key}: ${errorMessage(err)}`);
    }
  };
  return {
    name,
    dialTimeout: ms(t.dialTimeout, 30_000, 'dialTimeout'),
    responseHeaderTimeout: ms(t.responseHeaderTimeout, 0, 'responseHeaderTimeout'),
    idleConnTimeout: ms(t.idleConnTimeout, 90_000, 'idleConnTimeout'),
    maxIdleConnsPerHost: config.maxIdleConnsPerHost && config.maxIdleConnsPerHost > 0 ? config.maxIdleConnsPerHost : defaults.maxIdleConnsPerHost,
    tls: loadTransportTls(config, `serversTransport "${name}"`),
  };
}

// Traefik's default; the decoder fills it in, so only another value is the user's.
const DEFAULT_PING_TIMEOUT_MS = 15_000;

/**
 * Options of a servers transport that Wharf decodes but does not apply, one sentence each (the
 * caller logs them and records them as warnings). `disableHTTP2` is absent: Wharf always speaks
 * HTTP/1.1 to servers, which is what `disableHTTP2: true` asks for.
 */
export function unsupportedTransportOptions(config: ServersTransportConfig): string[] {
  const out: string[] = [];
  if (config.spiffe !== undefined) out.push('spiffe is not supported yet (ignored)');
  if ((config.certificates?.length ?? 0) > 1) out.push('only the first of certificates is presented to servers; more client certificates are not supported yet');
  if (config.maxIdleConnsPerHost !== undefined) out.push('maxIdleConnsPerHost is not supported yet (ignored: idle connections are closed after idleConnTimeout, their number is not capped)');
  const timeouts = config.forwardingTimeouts ?? {};
  const set = (v: string | number | undefined, unset: number): boolean => {
    if (v === undefined) return false;
    try {
      return parseDuration(v) !== unset;
    } catch {
      return true;
    }
  };
  if (set(timeouts.readIdleTimeout, 0)) out.push('forwardingTimeouts.readIdleTimeout is not supported yet (ignored: it applies to HTTP/2, and Wharf speaks HTTP/1.1 to servers)');
  if (set(timeouts.pingTimeout, DEFAULT_PING_TIMEOUT_MS)) out.push('forwardingTimeouts.pingTimeout is not supported yet (ignored: it applies to HTTP/2, and Wharf speaks HTTP/1.1 to servers)');
  return out;
}
