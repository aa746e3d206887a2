/**
 * A runtime description of Traefik's dynamic configuration, shared by the strict decoder
 * (files and other structured sources) and the label decoder.
 *
 * Each struct lists its fields under their canonical camelCase names; lookups are
 * case-insensitive, as in Traefik. Defaults are applied when a struct is *created* (Traefik's
 * `SetDefaults`), so a configuration that never mentions `loadBalancer` gets none of them.
 *
 * @see spec/traefik-model.md §b.1, §c, §d, §e, §f
 */
import { HTTP_MIDDLEWARE } from './schema-middlewares.js';
import { TCP_SECTION, TLS_SECTION, UDP_SECTION } from './schema-sections.js';
import { bool, duration, int, list, named, singular, str, stringMap, strings, struct, sub } from './schema-builders.js';
import type { FieldSchema, StructSchema } from './schema-types.js';

export type { FieldKind, FieldSchema, StructSchema } from './schema-types.js';

export const DOMAIN = struct({ main: str, sans: strings });

export const ROUTER_TLS = struct({ options: str, certResolver: str, domains: list(DOMAIN) });

export const ROUTER = struct({
  entryPoints: strings,
  middlewares: strings,
  service: str,
  rule: str,
  ruleSyntax: str,
  priority: int,
  tls: sub(ROUTER_TLS, { allowEmpty: true }),
  observability: {
    ...sub(
      struct(
        { accessLogs: bool, metrics: bool, tracing: bool, traceVerbosity: str },
        { defaults: { accessLogs: true, metrics: true, tracing: true, traceVerbosity: 'minimal' } },
      ),
    ),
    ignored: 'observability is not applied yet: every router is in the access log and the metrics (ignored)',
  },
  parentRefs: { ...strings, noLabel: true },
});

export const COOKIE = struct(
  { name: str, secure: bool, httpOnly: bool, sameSite: str, maxAge: int, path: str, domain: str },
  { defaults: { path: '/' } },
);

export const STICKY = struct({ cookie: sub(COOKIE, { allowEmpty: true }) });

export const SERVER = struct({
  url: str,
  weight: int,
  preservePath: bool,
  // Filled in by label providers from the task address; never valid in files.
  port: { ...str, labelOnly: true },
  scheme: { ...str, labelOnly: true },
});

export const SERVER_HEALTH_CHECK = struct(
  {
    scheme: str,
    mode: str,
    path: str,
    method: str,
    status: int,
    port: int,
    interval: duration,
    unhealthyInterval: duration,
    timeout: duration,
    hostname: str,
    followRedirects: bool,
    headers: stringMap,
  },
  { defaults: { followRedirects: true, mode: 'http', interval: '30s', timeout: '5s' } },
);

export const LOAD_BALANCER = struct(
  {
    sticky: sub(STICKY, { allowEmpty: true }),
    servers: singular(list(SERVER), 'server'),
    strategy: str,
    healthCheck: sub(SERVER_HEALTH_CHECK),
    passiveHealthCheck: sub(
      struct({ failureWindow: duration, maxFailedAttempts: int }, { defaults: { failureWindow: '10s', maxFailedAttempts: 1 } }),
    ),
    passHostHeader: bool,
    responseForwarding: {
      ...sub(struct({ flushInterval: duration }, { defaults: { flushInterval: '100ms' } })),
      ignored: 'responseForwarding is not applied: Wharf forwards each chunk of the response as it arrives, with no flush interval (ignored)',
    },
    serversTransport: str,
  },
  { defaults: { passHostHeader: true, strategy: 'wrr', responseForwarding: { flushInterval: '100ms' } } },
);

/** `healthCheck: {}` on service kinds other than loadBalancer: an on/off switch. */
const PROPAGATE_HEALTH = {
  ...sub(struct({}), { allowEmpty: true }),
  ignored: "healthCheck on a service of services is not applied yet (ignored): the service does not follow its children's health",
};

export const WEIGHTED_REF = struct({ name: str, weight: int }, { defaults: { weight: 1 } });

export const WEIGHTED = struct({
  services: list(WEIGHTED_REF),
  sticky: { ...sub(STICKY), ignored: 'sticky sessions of weighted services are not supported yet (ignored): a client may reach another child service on each request' },
  healthCheck: PROPAGATE_HEALTH,
});

export const MIRRORING = struct(
  {
    service: str,
    mirrorBody: bool,
    maxBodySize: int,
    mirrors: list(struct({ name: str, percent: int })),
    healthCheck: PROPAGATE_HEALTH,
  },
  { defaults: { mirrorBody: true, maxBodySize: -1 } },
);

export const FAILOVER = struct({
  service: str,
  fallback: str,
  healthCheck: PROPAGATE_HEALTH,
  errors: sub(struct({ status: strings, maxRequestBodyBytes: int }, { defaults: { maxRequestBodyBytes: -1 } })),
});

export const HIGHEST_RANDOM_WEIGHT = struct({ services: list(struct({ name: str, weight: int })), healthCheck: PROPAGATE_HEALTH });

export const SERVICE = struct(
  {
    loadBalancer: sub(LOAD_BALANCER),
    weighted: { ...sub(WEIGHTED), noLabel: true },
    mirroring: { ...sub(MIRRORING), noLabel: true },
    failover: { ...sub(FAILOVER), noLabel: true },
    highestRandomWeight: { ...sub(HIGHEST_RANDOM_WEIGHT), noLabel: true },
    middlewares: strings,
  },
  { exclusive: ['loadBalancer', 'weighted', 'mirroring', 'failover', 'highestRandomWeight'], exclusiveWhat: 'service kind' },
);

export const FORWARDING_TIMEOUTS = struct(
  {
    /** Default 30s. */
    dialTimeout: duration,
    /** Default 0: no timeout. */
    responseHeaderTimeout: duration,
    /** Default 90s. */
    idleConnTimeout: duration,
    readIdleTimeout: duration,
    pingTimeout: duration,
  },
  { defaults: { dialTimeout: '30s', idleConnTimeout: '90s', pingTimeout: '15s' } },
);

export const SERVERS_TRANSPORT = struct({
  serverName: str,
  insecureSkipVerify: bool,
  rootCAs: strings,
  certificates: list(struct({ certFile: str, keyFile: str })),
  maxIdleConnsPerHost: int,
  forwardingTimeouts: sub(FORWARDING_TIMEOUTS),
  disableHTTP2: { ...bool, ignored: 'disableHTTP2 has no effect: Wharf speaks HTTP/1.1 to servers (ignored)' },
  peerCertURI: str,
  minVersion: str,
  maxVersion: str,
  cipherSuites: { ...strings, ignored: 'cipherSuites is not applied yet: Node.js chooses among its default cipher suites (ignored)' },
  peerCertSANs: { ...strings, ignored: 'peerCertSANs is not applied yet: the certificate is checked against serverName or the server URL host (ignored)' },
  spiffe: sub(struct({ ids: strings, trustDomain: str }), { allowEmpty: true }),
});

export const HTTP_SECTION = struct({
  routers: named(ROUTER),
  services: named(SERVICE),
  middlewares: named(HTTP_MIDDLEWARE),
  serversTransports: { ...named(SERVERS_TRANSPORT), noLabel: true },
});

/**
 * The root of the dynamic configuration. Unknown top-level keys are ignored (as Traefik does);
 * `tcp` and `udp` are described but carry `unsupported`, which decoders report as a warning.
 */
export const DYNAMIC_CONFIGURATION = struct(
  {
    http: sub(HTTP_SECTION),
    tcp: { ...sub(TCP_SECTION), unsupported: 'TCP/UDP configuration is not supported yet' },
    udp: { ...sub(UDP_SECTION), unsupported: 'TCP/UDP configuration is not supported yet' },
    tls: { ...sub(TLS_SECTION), ignored: 'the tls section (certificates, options, stores) is not served yet: Wharf does not terminate TLS (ignored)' },
  },
  { ignoreUnknown: true },
);

/** The schema of one HTTP middleware (`http.middlewares.<name>`): one known type, or any other key for plugins. */
export const MIDDLEWARE_SCHEMA: StructSchema = HTTP_MIDDLEWARE;

/** Names of the HTTP middleware types Traefik defines (canonical spelling). */
export const KNOWN_MIDDLEWARE_TYPES: readonly string[] = Object.keys(HTTP_MIDDLEWARE.fields);

const lowerIndex = new WeakMap<StructSchema, Map<string, string>>();

/** Finds a field by name, case-insensitively; returns its canonical name and schema. */
export function findField(schema: StructSchema, name: string): { name: string; field: FieldSchema } | undefined {
  let index = lowerIndex.get(schema);
  if (index === undefined) {
    index = new Map(Object.keys(schema.fields).map((canonical) => [canonical.toLowerCase(), canonical]));
    lowerIndex.set(schema, index);
  }
  const canonical = index.get(name.toLowerCase());
  return canonical === undefined ? undefined : { name: canonical, field: schema.fields[canonical] };
}

/** A fresh copy of a struct's defaults, to start a newly created struct from. */
export function structDefaults(schema: StructSchema): Record<string, unknown> {
  return schema.defaults === undefined ? {} : (structuredClone(schema.defaults) as Record<string, unknown>);
}
