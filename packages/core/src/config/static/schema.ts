import type { ConfigSchemaFragment } from '../../provider/provider.js';

/**
 * Names of Wharf's own convict formats, for `format` in schema fragments (plugin fragments may use
 * them too). `cli` registers their implementations with convict before building the schema.
 */
export const StaticFormat = {
  /** Go duration (`"10s"`, `"1m30s"`, `"100ms"`) or whole seconds in; milliseconds out. Write defaults as Go strings. */
  Duration: 'duration',
  /** `[host]:port`: `:80`, `127.0.0.1:8000`, `[::1]:8443`. */
  Address: 'address',
  /** A list of strings; a string is split on commas. */
  StringList: 'string-list',
  /** A list of numbers; a string is split on commas. */
  NumberList: 'number-list',
  /** A list of IP addresses or CIDR ranges; a string is split on commas. */
  IpList: 'ip-list',
  /** An HTTP status code, 100-599. */
  StatusCode: 'status-code',
  /** A map of access-log field name → `keep` | `drop`. */
  FieldModes: 'field-modes',
  /** A map of header name → `keep` | `drop` | `redact`. */
  HeaderModes: 'header-modes',
  /** `auto` or a whole number ≥ 1 (`--workers`). */
  Workers: 'workers',
} as const;

/** One of {@link StaticFormat}'s names. */
export type StaticFormatName = (typeof StaticFormat)[keyof typeof StaticFormat];

/**
 * One key of a convict schema fragment. Every key has `doc`, `format` and `default`;
 * `sensitive: true` keeps the value out of logs, the API and `wharf check`.
 *
 * `format` is a format name (Wharf's {@link StaticFormat} names or convict's `int`, `nat`, `port`),
 * a list of allowed values (matched case-insensitively), or `Boolean`, `Number`, `String`, `Object`.
 */
export interface StaticConfigProperty {
  doc: string;
  format: string | readonly unknown[] | BooleanConstructor | NumberConstructor | StringConstructor | ObjectConstructor;
  default: unknown;
  sensitive?: boolean;
}

function prop(doc: string, format: StaticConfigProperty['format'], value: unknown): StaticConfigProperty {
  return { doc, format, default: value };
}

const bool = (doc: string, value = false): StaticConfigProperty => prop(doc, Boolean, value);
const duration = (doc: string, value: string): StaticConfigProperty => prop(doc, StaticFormat.Duration, value);

/**
 * Convict fragment for one entry point (`entryPoints.<name>`). Durations come out in milliseconds.
 * Defaults follow Traefik's (spec/traefik-model.md §g).
 */
export function entryPointSchema(): ConfigSchemaFragment {
  return {
    address: prop('Listening address "[host]:port", e.g. ":80" or "127.0.0.1:8000" (required)', StaticFormat.Address, ''),
    asDefault: bool('Routers that name no entry point attach to the entry points marked asDefault'),
    reusePort: bool('Let other processes listen on the same address too (SO_REUSEPORT; needs Node.js 22.12 or later)'),
    forwardedHeaders: {
      trustedIPs: prop('IPs or CIDR ranges whose X-Forwarded-* headers are trusted', StaticFormat.IpList, []),
      insecure: bool('Trust X-Forwarded-* headers from any client'),
      notAppendXForwardedFor: bool('Forward X-Forwarded-For as received, without appending the client address'),
      connection: prop('Headers that a Connection header names and that still reach the middlewares (the others are removed at the entry point, as Traefik does)', StaticFormat.StringList, []),
    },
    transport: {
      respondingTimeouts: {
        readTimeout: duration('Maximum time to read a whole request, body included (0: none)', '60s'),
        writeTimeout: duration('Maximum time to write a response (0: none)', '0s'),
        idleTimeout: duration('Maximum time a keep-alive connection stays idle', '180s'),
      },
      lifeCycle: {
        requestAcceptGraceTimeout: duration('On shutdown, how long to keep accepting requests before draining', '0s'),
        graceTimeOut: duration('On shutdown, how long in-flight requests may take to finish', '10s'),
      },
      keepAliveMaxRequests: prop('Requests a connection may carry; the last response says "Connection: close" (0: no limit)', 'nat', 0),
      keepAliveMaxTime: duration('Age of a connection after which its next response says "Connection: close" (0: no limit)', '0s'),
    },
    http: {
      sanitizePath: bool('Clean request paths (".", "..", duplicate slashes) before routing', true),
      middlewares: prop('Middlewares (qualified names) prepended to every router on this entry point', StaticFormat.StringList, []),
      maxHeaderBytes: prop('Largest request head in bytes, answered 431 beyond (Node\'s 16 KiB by default; Traefik\'s is 1 MiB)', 'nat', 16384),
      encodedCharacters: {
        allowEncodedSlash: bool('Allow %2F in request paths (else 400)', true),
        allowEncodedBackSlash: bool('Allow %5C in request paths (else 400)', true),
        allowEncodedNullCharacter: bool('Allow %00 in request paths (else 400)', true),
        allowEncodedSemicolon: bool('Allow %3B in request paths (else 400)', true),
        allowEncodedPercent: bool('Allow %25 in request paths (else 400)', true),
        allowEncodedQuestionMark: bool('Allow %3F in request paths (else 400)', true),
        allowEncodedHash: bool('Allow %23 in request paths (else 400)', true),
      },
    },
  };
}

/** Traefik 3.7's default `providers.precedence` (spec §b.2). */
export const DEFAULT_PROVIDER_PRECEDENCE: readonly string[] = ['kubernetesgateway', 'kubernetescrd', 'kubernetes', 'kubernetesingressnginx', 'swarm', 'docker', 'file', 'redis', 'knative', 'consul', 'consulcatalog', 'nomad', 'etcd', 'ecs', 'http', 'zookeeper', 'rest'];

/**
 * Convict fragment for every static option except `entryPoints` (see {@link entryPointSchema})
 * and the provider sections, which `cli` joins from each provider plugin's `configSchema`.
 *
 * Sections that Traefik switches on by their mere presence (`api`, `ping`, `metrics.prometheus`,
 * `accessLog`) carry an `enabled` key; `cli` sets it when the section or any of its keys is given.
 */
export function coreStaticSchema(): ConfigSchemaFragment {
  return {
    workers: prop('Processes that serve traffic: a number, or "auto" for the CPUs this process may use (cgroup-aware). With more than 1, a primary process runs the providers and hands each configuration to the workers', StaticFormat.Workers, 'auto'),
    providers: {
      providersThrottleDuration: duration('Minimum time between two applied configurations of one provider', '2s'),
      precedence: prop('Provider names, first wins when routers of equal priority tie (Traefik 3.7 order by default; unlisted providers come last, then routers sort by name)', StaticFormat.StringList, [...DEFAULT_PROVIDER_PRECEDENCE]),
    },
    log: {
      level: prop('Log level: TRACE, DEBUG, INFO, WARN, ERROR, FATAL or PANIC (PANIC logs as FATAL)', ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'PANIC'], 'ERROR'),
      format: prop('Log format', ['common', 'json'], 'common'),
      noColor: bool('Accepted for Traefik compatibility: Wharf never colours its log'),
      filePath: prop('Log file (empty: standard output); rotated by size, reopened on SIGUSR1', String, ''),
      maxSize: prop('Megabytes the log file may reach before it is rotated (0: 100, as Traefik)', 'nat', 0),
      maxAge: prop('Days to keep rotated log files, by the time in their name (0: no limit)', 'nat', 0),
      maxBackups: prop('Rotated log files to keep (0: all)', 'nat', 0),
      compress: bool('Gzip rotated log files'),
    },
    core: {
      defaultRuleSyntax: prop('Rule syntax of routers that set no ruleSyntax', ['v2', 'v3'], 'v3'),
    },
    api: {
      enabled: bool('Enable the API (also set by --api or any api.* option)'),
      insecure: bool('Serve the API and dashboard on the "traefik" entry point (:8080)'),
      dashboard: bool('Serve the dashboard', true),
      basePath: prop('Path prefix of the API and dashboard', String, '/'),
      debug: bool('Enable the debug endpoints'),
      dashboardName: prop('Name shown in the dashboard\'s title and header', String, ''),
      disableDashboardAd: bool('Accepted for Traefik compatibility: the dashboard shows no advertisement'),
    },
    ping: {
      enabled: bool('Enable /ping (also set by --ping or any ping.* option)'),
      entryPoint: prop('Entry point that serves /ping', String, 'traefik'),
      manualRouting: bool('Do not route /ping automatically; a router must use ping@internal'),
      terminatingStatusCode: prop('Status /ping answers while shutting down', StaticFormat.StatusCode, 503),
    },
    metrics: {
      addInternals: bool('Count requests to Wharf\'s own services (API, dashboard, ping, metrics) too'),
      prometheus: {
        enabled: bool('Enable Prometheus metrics (also set by --metrics.prometheus or any of its options)'),
        entryPoint: prop('Entry point that serves /metrics', String, 'traefik'),
        manualRouting: bool('Do not route /metrics automatically; a router must use prometheus@internal'),
        buckets: prop('Histogram buckets, in seconds', StaticFormat.NumberList, [0.1, 0.3, 1.2, 5]),
        addEntryPointsLabels: bool('Add entry point metrics', true),
        addRoutersLabels: bool('Add router metrics'),
        addServicesLabels: bool('Add service metrics', true),
        prefix: prop('Prefix of metric names', String, 'traefik'),
      },
    },
    accessLog: {
      enabled: bool('Enable the access log (also set by --accessLog or any accessLog.* option)'),
      addInternals: bool('Log requests to Wharf\'s own services (API, dashboard, ping, metrics) too'),
      filePath: prop('Access log file (empty: standard output)', String, ''),
      format: prop('Access log format', ['common', 'genericCLF', 'json'], 'common'),
      bufferingSize: prop('Lines kept in memory before writing (0: write each line)', 'nat', 0),
      filters: {
        statusCodes: prop('Keep only these statuses or ranges, e.g. "200,300-302"', StaticFormat.StringList, []),
        retryAttempts: bool('Keep requests that were retried'),
        minDuration: duration('Keep only requests slower than this', '0s'),
      },
      fields: {
        defaultMode: prop('Whether fields are kept by default', ['keep', 'drop'], 'keep'),
        names: prop('Per-field mode, e.g. accessLog.fields.names.ClientUsername=drop', StaticFormat.FieldModes, {}),
        headers: {
          defaultMode: prop('Whether headers are kept by default', ['keep', 'drop', 'redact'], 'drop'),
          names: prop('Per-header mode, e.g. accessLog.fields.headers.names.User-Agent=redact', StaticFormat.HeaderModes, {}),
        },
      },
    },
    // Accepted so that a Traefik static file loads unchanged; Wharf never calls home either way.
    global: {
      checkNewVersion: bool('Accepted for Traefik compatibility; Wharf never checks for new versions'),
      sendAnonymousUsage: bool('Accepted for Traefik compatibility; Wharf never sends usage data'),
      notAppendXForwardedFor: bool('Every entry point forwards X-Forwarded-For as received (entryPoints.<name>.forwardedHeaders.notAppendXForwardedFor for one)'),
    },
    serversTransport: {
      maxIdleConnsPerHost: prop('Accepted for Traefik compatibility, not applied yet (a warning at start when set): idle connections close after idleConnTimeout', 'nat', 200),
      insecureSkipVerify: bool('Do not verify the certificates of https servers (services without serversTransport)'),
      rootCAs: prop('CA certificates (file paths or inline PEM) that replace the default trust store for https servers of services without serversTransport', StaticFormat.StringList, []),
      forwardingTimeouts: {
        dialTimeout: duration('Maximum time to connect to an upstream server', '30s'),
        responseHeaderTimeout: duration('Maximum time to wait for upstream response headers (0: none)', '0s'),
        idleConnTimeout: duration('Maximum time an idle upstream connection is kept', '90s'),
      },
    },
  };
}
