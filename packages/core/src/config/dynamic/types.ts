/**
 * Traefik's dynamic configuration, as providers produce it and files spell it, **derived from the
 * schema** (`schema.ts`, `schema-middlewares.ts`, `schema-sections.ts`): the decoder, the label
 * and KV decoders and these types read one description, so they cannot drift. To add a field, add
 * it to the schema; its type follows.
 *
 * Field names follow Traefik's documented camelCase spelling. Every element map is keyed by the
 * element's name *as the provider knows it* (unqualified); the watcher qualifies names with
 * `@<provider>` when it merges snapshots. Values are plain, JSON-serialisable data: a provider
 * never puts functions or class instances in here. Every field is optional, as in Traefik.
 *
 * Durations are kept as Traefik writes them (`"10s"`, `"100ms"`, or a number of seconds) and
 * parsed once, when the kernel builds handlers; see {@link parseDuration}.
 *
 * @see spec/traefik-model.md §b, §c, §d, §f
 */
import type { HTTP_MIDDLEWARE } from './schema-middlewares.js';
import type { TLS_SECTION } from './schema-sections.js';
import type {
  COOKIE,
  DYNAMIC_CONFIGURATION,
  FAILOVER,
  FORWARDING_TIMEOUTS,
  HTTP_SECTION,
  LOAD_BALANCER,
  MIRRORING,
  ROUTER,
  ROUTER_TLS,
  SERVER,
  SERVER_HEALTH_CHECK,
  SERVERS_TRANSPORT,
  SERVICE,
  STICKY,
  WEIGHTED,
  WEIGHTED_REF,
} from './schema.js';
import type { Decoded } from './schema-types.js';

export type { Duration } from './schema-types.js';

/** The whole dynamic configuration one provider publishes (`tcp`/`udp` are decoded and reported as not supported yet). */
export type DynamicConfiguration = Decoded<typeof DYNAMIC_CONFIGURATION>;

/** The `http` section. */
export type HttpConfiguration = Decoded<typeof HTTP_SECTION>;

/** `http.routers.<name>`. A `priority` of 0 or none is the rule's length; a `ruleSyntax` other than `v2` parses as v3. */
export type RouterConfig = Decoded<typeof ROUTER>;
export type RouterTlsConfig = Decoded<typeof ROUTER_TLS>;
export type RouterObservabilityConfig = NonNullable<RouterConfig['observability']>;

/** `http.services.<name>`: exactly one of the kinds must be set; `middlewares` run after the router's (Traefik 3.7). */
export type ServiceConfig = Decoded<typeof SERVICE>;

/** The service kinds, in the order Traefik names them. */
export const SERVICE_KINDS = ['loadBalancer', 'weighted', 'mirroring', 'failover', 'highestRandomWeight'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** A load-balancer server: `weight` defaults to 1 (0 or less: never selected). */
export type ServerConfig = Decoded<typeof SERVER>;
/** `passHostHeader` defaults to true, `strategy` to `wrr`. */
export type LoadBalancerConfig = Decoded<typeof LOAD_BALANCER>;
export type StickyConfig = Decoded<typeof STICKY>;
export type StickyCookieConfig = Decoded<typeof COOKIE>;
export type HealthCheckConfig = Decoded<typeof SERVER_HEALTH_CHECK>;
export type WeightedServiceRef = Decoded<typeof WEIGHTED_REF>;
export type WeightedConfig = Decoded<typeof WEIGHTED>;
export type MirroringConfig = Decoded<typeof MIRRORING>;
export type FailoverConfig = Decoded<typeof FAILOVER>;

/**
 * `http.middlewares.<name>`: exactly one key, the middleware type (`stripPrefix`, `headers`, …),
 * whose value is that type's options. Types are open: a plugin may register new ones, and
 * `plugin.<name>` holds a middleware plugin's options.
 */
export type MiddlewareConfig = Decoded<typeof HTTP_MIDDLEWARE>;

export type ServersTransportConfig = Decoded<typeof SERVERS_TRANSPORT>;
export type ForwardingTimeoutsConfig = Decoded<typeof FORWARDING_TIMEOUTS>;

/** The `tls` section. Served by a later issue; carried through so that nothing is lost. */
export type TlsConfiguration = Decoded<typeof TLS_SECTION>;

/** What a provider emits: one full snapshot of its configuration. */
export interface ConfigMessage {
  providerName: string;
  configuration: DynamicConfiguration;
}
