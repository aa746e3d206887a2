import type { MiddlewareConfig, RouterConfig, ServiceConfig, ServersTransportConfig, TlsConfiguration } from '../config/dynamic/types.js';

/** Traefik's element status: `warning` = serving with a non-critical error, `disabled` = not serving. */
export type ElementStatus = 'enabled' | 'warning' | 'disabled';

/** What every runtime element has: identity, status and errors. */
export interface ElementInfo {
  /** Qualified name, `name@provider`. */
  readonly name: string;
  readonly provider: string;
  status: ElementStatus;
  /** Error messages; absent when there are none. */
  error?: string[];
}

export interface RouterInfo extends ElementInfo {
  /** The router as configured, with `service` and `middlewares` qualified. */
  readonly config: RouterConfig;
  /** Effective entry points. */
  using: string[];
  /** Effective priority: explicit, else the rule's length in bytes. */
  priority: number;
}

export interface ServiceInfo extends ElementInfo {
  readonly config: ServiceConfig;
  /** `loadbalancer`, `weighted`, `mirroring`, `failover`, `highestrandomweight`. */
  type: string;
  usedBy: string[];
  serverStatus?: Record<string, 'UP' | 'DOWN'>;
}

export interface MiddlewareInfo extends ElementInfo {
  readonly config: MiddlewareConfig;
  /** The middleware type, lower-case as in Traefik's API. */
  type: string;
  usedBy: string[];
}

export interface ServersTransportInfo extends ElementInfo {
  readonly config: ServersTransportConfig;
}

/** A provider as the kernel sees it: `error` when its latest snapshot was rejected (the previous one still serves). */
export interface ProviderInfo {
  readonly name: string;
  status: 'ok' | 'error';
  /** Why the latest snapshot was rejected; absent when it was applied. */
  error?: string[];
}

/**
 * The merged, validated view of every provider's configuration, with a status and errors per
 * element. Built by the router factory on each reload; read by the API and the dashboard.
 */
export class RuntimeConfiguration {
  readonly routers = new Map<string, RouterInfo>();
  readonly services = new Map<string, ServiceInfo>();
  readonly middlewares = new Map<string, MiddlewareInfo>();
  readonly serversTransports = new Map<string, ServersTransportInfo>();
  /** Global TLS section, merged (carried for a later issue). */
  tls: TlsConfiguration = {};
  /** Provider names that contributed, in the order they first reported. */
  readonly providers: string[] = [];
  /** Every provider the watcher has heard from, with whether its latest snapshot was applied. */
  readonly providerStatus = new Map<string, ProviderInfo>();
  /** When this configuration was applied. */
  readonly createdAt = new Date();
}

/** Records an error on an element, downgrading its status (`disabled` wins over `warning`). */
export function addError(element: ElementInfo, message: string, critical: boolean): void {
  (element.error ??= []).push(message);
  if (critical) element.status = 'disabled';
  else if (element.status === 'enabled') element.status = 'warning';
}
