/**
 * Traefik's HTTP dynamic configuration, as providers produce it and files spell it.
 *
 * Field names follow Traefik's documented camelCase spelling. Every element map is keyed by the
 * element's name *as the provider knows it* (unqualified); the watcher qualifies names with
 * `@<provider>` when it merges snapshots. Values are plain, JSON-serialisable data: a provider
 * never puts functions or class instances in here.
 *
 * Durations are kept as Traefik writes them (`"10s"`, `"100ms"`, or a number of seconds) and
 * parsed once, when the kernel builds handlers; see {@link parseDuration}.
 *
 * @see spec/traefik-model.md §b, §c, §d, §f
 */

/** A duration as written in configuration: Go syntax (`"1m30s"`) or integer seconds. */
export type Duration = string | number;

/** The whole dynamic configuration one provider publishes. */
export interface DynamicConfiguration {
  http?: HttpConfiguration;
  /** Accepted and reported as not supported yet. */
  tcp?: Record<string, unknown>;
  /** Accepted and reported as not supported yet. */
  udp?: Record<string, unknown>;
  tls?: TlsConfiguration;
}

/** The `http` section. */
export interface HttpConfiguration {
  routers?: Record<string, RouterConfig>;
  services?: Record<string, ServiceConfig>;
  middlewares?: Record<string, MiddlewareConfig>;
  serversTransports?: Record<string, ServersTransportConfig>;
}

/** `http.routers.<name>`. */
export interface RouterConfig {
  entryPoints?: string[];
  middlewares?: string[];
  service?: string;
  rule?: string;
  /** `v2` or `v3`; anything else parses as v3, as in Traefik. */
  ruleSyntax?: string;
  /** 0 or absent: the rule's length in bytes. */
  priority?: number;
  tls?: RouterTlsConfig;
  observability?: RouterObservabilityConfig;
  parentRefs?: string[];
}

export interface RouterTlsConfig {
  options?: string;
  certResolver?: string;
  domains?: Array<{ main?: string; sans?: string[] }>;
}

export interface RouterObservabilityConfig {
  accessLogs?: boolean;
  metrics?: boolean;
  tracing?: boolean;
  traceVerbosity?: string;
}

/** `http.services.<name>`: exactly one of the kinds must be set. */
export interface ServiceConfig {
  loadBalancer?: LoadBalancerConfig;
  weighted?: WeightedConfig;
  mirroring?: MirroringConfig;
  failover?: FailoverConfig;
  highestRandomWeight?: WeightedConfig;
  /** Service-level middlewares, run after the router's (Traefik 3.7). */
  middlewares?: string[];
}

/** The service kinds, in the order Traefik names them. */
export const SERVICE_KINDS = ['loadBalancer', 'weighted', 'mirroring', 'failover', 'highestRandomWeight'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export interface ServerConfig {
  url: string;
  /** Default 1; 0 or less: never selected. */
  weight?: number;
  preservePath?: boolean;
  fenced?: boolean;
}

export interface LoadBalancerConfig {
  servers?: ServerConfig[];
  strategy?: 'wrr' | 'p2c' | 'hrw' | 'leasttime' | string;
  sticky?: StickyConfig;
  healthCheck?: HealthCheckConfig;
  passiveHealthCheck?: { failureWindow?: Duration; maxFailedAttempts?: number };
  /** Default true. */
  passHostHeader?: boolean;
  responseForwarding?: { flushInterval?: Duration };
  serversTransport?: string;
}

export interface StickyConfig {
  cookie?: {
    name?: string;
    secure?: boolean;
    httpOnly?: boolean;
    sameSite?: string;
    maxAge?: number;
    path?: string;
    domain?: string;
  };
}

export interface HealthCheckConfig {
  scheme?: string;
  mode?: string;
  path?: string;
  method?: string;
  status?: number;
  port?: number;
  interval?: Duration;
  unhealthyInterval?: Duration;
  timeout?: Duration;
  hostname?: string;
  followRedirects?: boolean;
  headers?: Record<string, string>;
}

export interface WeightedServiceRef {
  name: string;
  weight?: number;
}

export interface WeightedConfig {
  services?: WeightedServiceRef[];
  sticky?: StickyConfig;
  healthCheck?: Record<string, never>;
}

export interface MirroringConfig {
  service?: string;
  mirrorBody?: boolean;
  maxBodySize?: number;
  mirrors?: Array<{ name: string; percent?: number }>;
  healthCheck?: Record<string, never>;
}

export interface FailoverConfig {
  service?: string;
  fallback?: string;
  healthCheck?: Record<string, never>;
  errors?: { status?: string[]; maxRequestBodyBytes?: number };
}

/**
 * `http.middlewares.<name>`: exactly one key, the middleware type (`stripPrefix`, `headers`, …),
 * whose value is that type's options. Types are open: a plugin may register new ones.
 */
export type MiddlewareConfig = Record<string, unknown>;

export interface ServersTransportConfig {
  serverName?: string;
  insecureSkipVerify?: boolean;
  rootCAs?: string[];
  certificates?: Array<{ certFile: string; keyFile: string }>;
  maxIdleConnsPerHost?: number;
  forwardingTimeouts?: ForwardingTimeoutsConfig;
  disableHTTP2?: boolean;
  peerCertURI?: string;
  spiffe?: { ids?: string[]; trustDomain?: string };
}

export interface ForwardingTimeoutsConfig {
  /** Default 30s. */
  dialTimeout?: Duration;
  /** Default 0: no timeout. */
  responseHeaderTimeout?: Duration;
  /** Default 90s. */
  idleConnTimeout?: Duration;
  readIdleTimeout?: Duration;
  pingTimeout?: Duration;
}

/** The `tls` section. Served by a later issue; carried through so that nothing is lost. */
export interface TlsConfiguration {
  certificates?: Array<{ certFile: string; keyFile: string; stores?: string[] }>;
  options?: Record<string, Record<string, unknown>>;
  stores?: Record<string, Record<string, unknown>>;
}

/** What a provider emits: one full snapshot of its configuration. */
export interface ConfigMessage {
  providerName: string;
  configuration: DynamicConfiguration;
}
