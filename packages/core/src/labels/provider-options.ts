/** What a label-based provider reads besides the dynamic configuration. */
import type { ServiceConfig } from '../config/dynamic/types.js';
import { isDynamicKey, quoteLabel } from './label-tree.js';
import { parseLabelBool } from './values.js';

/**
 * A load-balancer server as labels describe it (`…loadbalancer.server.*`). The provider turns
 * it into a `ServerConfig`: `url` wins when set (and may not be combined with `port` or
 * `scheme`); otherwise the URL is `<scheme|http>://<task address>:<port|first exposed port>`.
 */
export interface LabelServer {
  url?: string;
  /** A container port (the provider maps it to the host port) or a literal port. */
  port?: string;
  /** Default `http`; left unset here so the provider can tell it was not written. */
  scheme?: string;
  weight?: number;
  preservePath?: boolean;
}

/** The servers of a service decoded from labels (empty when it has no load balancer). */
export function labelServers(service: ServiceConfig | undefined): LabelServer[] {
  return (service?.loadBalancer?.servers ?? []) as LabelServer[];
}

/** Labels whose key starts with `<prefix>.` (case-insensitively), e.g. to hash or log them. */
export function labelsWithPrefix(labels: Record<string, string>, prefix = 'traefik'): Record<string, string> {
  const start = `${prefix.toLowerCase()}.`;
  return Object.fromEntries(Object.entries(labels).filter(([key]) => key.toLowerCase().startsWith(start)));
}

/** Provider-level settings found in labels. */
export interface LabelProviderOptions {
  /** `<prefix>.enable`, when written. */
  enable?: boolean;
  /**
   * The other non-configuration labels under the prefix (`docker.network`, `ecs.anywhere`),
   * keyed by the lower-cased path after `<prefix>.`; each provider reads the ones it knows.
   */
  others: Record<string, string>;
}

/** Reads `<prefix>.enable` (a strict boolean) and collects the other provider labels. */
export function readProviderOptions(
  labels: Record<string, string>,
  options: { prefix?: string } = {},
): { options: LabelProviderOptions; errors: string[] } {
  const prefix = options.prefix ?? 'traefik';
  const result: LabelProviderOptions = { others: {} };
  const errors: string[] = [];
  for (const [key, value] of Object.entries(labelsWithPrefix(labels, prefix))) {
    if (isDynamicKey(key, prefix)) continue;
    const path = key.slice(prefix.length + 1).toLowerCase();
    if (path !== 'enable') {
      result.others[path] = value;
      continue;
    }
    const parsed = parseLabelBool(value.trim());
    if (parsed.ok) result.enable = parsed.value;
    else errors.push(`${quoteLabel(key, value)}: ${parsed.reason}`);
  }
  return { options: result, errors };
}

/**
 * Whether a container or task is exposed: `<prefix>.enable` when written, else the provider's
 * `exposedByDefault`. An unreadable `enable` label exposes nothing.
 */
export function isExposed(labels: Record<string, string>, exposedByDefault: boolean, options: { prefix?: string } = {}): boolean {
  const { options: read, errors } = readProviderOptions(labels, options);
  if (errors.length > 0) return false;
  return read.enable ?? exposedByDefault;
}
