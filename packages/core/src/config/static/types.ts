/**
 * The validated static configuration, as the kernel reads it at start. Durations are in
 * milliseconds here, whatever spelling the user gave (`10s`, `10`, `1m30s`). Nothing on the
 * request path reads this object: the kernel copies what it needs when it builds.
 *
 * @see spec/traefik-model.md §g
 */
export interface StaticConfiguration {
  /** `--workers`: serving processes, or `auto` (the CPUs the process may use). */
  workers: number | 'auto';
  entryPoints: Record<string, EntryPointConfig>;
  providers: ProvidersConfig;
  log: LogConfig;
  core: { defaultRuleSyntax: 'v2' | 'v3' };
  api: ApiConfig;
  ping: PingConfig;
  metrics: MetricsConfig;
  accessLog: AccessLogConfig;
  /** Traefik's `global` section, accepted so Traefik files load; Wharf ignores both. */
  global: { checkNewVersion: boolean; sendAnonymousUsage: boolean; notAppendXForwardedFor: boolean };
  /**
   * `experimental.plugins.<name>`: middleware plugin packages, used as `plugin.<name>` middlewares.
   * Absent when none is configured.
   */
  experimental?: { plugins: Record<string, MiddlewarePluginConfig> };
  /** The `serversTransport` static section (defaults of `default@internal`). */
  serversTransport: { maxIdleConnsPerHost: number; insecureSkipVerify: boolean; rootCAs: string[]; forwardingTimeouts: { dialTimeout: number; responseHeaderTimeout: number; idleConnTimeout: number } };
}

/** `experimental.plugins.<name>`: the npm package behind `plugin.<name>` middlewares. */
export interface MiddlewarePluginConfig {
  /** npm package name (Traefik's `moduleName` names a Go module; Wharf loads npm packages). */
  package: string;
  /** Which export of the package: `default`, or a named export. */
  export: string;
}

export interface EntryPointConfig {
  /** `[host]:port`, e.g. `:80`, `127.0.0.1:8000`, `[::1]:8443`. */
  address: string;
  asDefault: boolean;
  /** SO_REUSEPORT: several processes may listen on the address (Node.js 22.12 or later; a warning on older ones). */
  reusePort: boolean;
  /** `connection`: headers a `Connection` header names that still reach the middlewares (the others are removed at the entry point). */
  forwardedHeaders: { trustedIPs: string[]; insecure: boolean; notAppendXForwardedFor: boolean; connection: string[] };
  transport: {
    respondingTimeouts: { readTimeout: number; writeTimeout: number; idleTimeout: number };
    lifeCycle: { requestAcceptGraceTimeout: number; graceTimeOut: number };
    /** Requests one connection may carry before its response says `Connection: close` (0: no limit). */
    keepAliveMaxRequests: number;
    /** Milliseconds after which a connection's next response says `Connection: close` (0: no limit). */
    keepAliveMaxTime: number;
  };
  /** `maxHeaderBytes`: the largest request head accepted (431 beyond). */
  http: {
    sanitizePath: boolean;
    middlewares: string[];
    maxHeaderBytes: number;
    /** Traefik's `encodedCharacters`: which escapes a request path may hold (all by default); the others are answered 400. */
    encodedCharacters: {
      allowEncodedSlash: boolean;
      allowEncodedBackSlash: boolean;
      allowEncodedNullCharacter: boolean;
      allowEncodedSemicolon: boolean;
      allowEncodedPercent: boolean;
      allowEncodedQuestionMark: boolean;
      allowEncodedHash: boolean;
    };
  };
}

export interface ProvidersConfig {
  /** Milliseconds; Traefik's default is 2s. */
  providersThrottleDuration: number;
  /** Provider names, first wins ties of equal priority. */
  precedence: string[];
  /** Third-party plugins: `providers.plugins.<name>.package` plus the plugin's own options. */
  plugins: Record<string, { package: string; [option: string]: unknown }>;
  /** First-party providers by name (`ecs`, `file`), their validated options. */
  [provider: string]: unknown;
}

export interface LogConfig {
  level: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL' | 'PANIC';
  format: 'common' | 'json';
  /** Accepted for Traefik compatibility; Wharf's log has no colours. */
  noColor: boolean;
  filePath: string;
  /** Rotation of `filePath` (Traefik's lumberjack options): megabytes, days, files. */
  maxSize: number;
  maxAge: number;
  maxBackups: number;
  compress: boolean;
}

export interface ApiConfig {
  /** True when any `api.*` key was given or `--api` alone. */
  enabled: boolean;
  insecure: boolean;
  dashboard: boolean;
  basePath: string;
  debug: boolean;
  /** Shown in the dashboard's title and header when set. */
  dashboardName: string;
  /** Accepted for Traefik compatibility; the dashboard has no advertisement. */
  disableDashboardAd: boolean;
}

export interface PingConfig {
  enabled: boolean;
  entryPoint: string;
  manualRouting: boolean;
  terminatingStatusCode: number;
}

export interface MetricsConfig {
  /** Also count requests served by `*@internal` routers. */
  addInternals: boolean;
  prometheus: {
    enabled: boolean;
    entryPoint: string;
    manualRouting: boolean;
    buckets: number[];
    addEntryPointsLabels: boolean;
    addRoutersLabels: boolean;
    addServicesLabels: boolean;
    prefix: string;
  };
}

export interface AccessLogConfig {
  enabled: boolean;
  /** Also log requests served by `*@internal` routers. */
  addInternals: boolean;
  filePath: string;
  format: 'common' | 'genericCLF' | 'json';
  bufferingSize: number;
  filters: { statusCodes: string[]; retryAttempts: boolean; minDuration: number };
  fields: {
    defaultMode: 'keep' | 'drop';
    names: Record<string, 'keep' | 'drop'>;
    headers: { defaultMode: 'keep' | 'drop' | 'redact'; names: Record<string, 'keep' | 'drop' | 'redact'> };
  };
}
