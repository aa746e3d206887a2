/**
 * Traefik's static options that Wharf does not implement yet, so that a Traefik configuration
 * loads: each one given is reported ("… is a Traefik option that Wharf does not support yet")
 * and ignored, where a name Traefik does not know either is an error with a did-you-mean.
 *
 * Built from Traefik's generated reference of install (static) options
 * (docs/content/reference/install-configuration/configuration-options.md, Traefik 3.7), minus the
 * options Wharf's schema accepts. Lower-case, as the reference writes them (names are matched
 * without case); `*` stands for a name the user chooses (an entry point, a resolver) or a list index.
 */
export const TRAEFIK_ONLY_OPTIONS: readonly string[] = [
  'accesslog.dualoutput', 'accesslog.fields.queryparameters.defaultmode', 'accesslog.otlp', 'accesslog.otlp.grpc',
  'accesslog.otlp.grpc.endpoint', 'accesslog.otlp.grpc.headers.*', 'accesslog.otlp.grpc.insecure',
  'accesslog.otlp.grpc.tls.ca', 'accesslog.otlp.grpc.tls.cert', 'accesslog.otlp.grpc.tls.insecureskipverify',
  'accesslog.otlp.grpc.tls.key', 'accesslog.otlp.http', 'accesslog.otlp.http.endpoint',
  'accesslog.otlp.http.headers.*', 'accesslog.otlp.http.tls.ca', 'accesslog.otlp.http.tls.cert',
  'accesslog.otlp.http.tls.insecureskipverify', 'accesslog.otlp.http.tls.key', 'accesslog.otlp.resourceattributes.*',
  'accesslog.otlp.servicename',
  'certificatesresolvers.*', 'certificatesresolvers.*.acme.cacertificates', 'certificatesresolvers.*.acme.caserver',
  'certificatesresolvers.*.acme.caservername', 'certificatesresolvers.*.acme.casystemcertpool',
  'certificatesresolvers.*.acme.certificatesduration', 'certificatesresolvers.*.acme.certificatetimeout',
  'certificatesresolvers.*.acme.clientresponseheadertimeout', 'certificatesresolvers.*.acme.clienttimeout',
  'certificatesresolvers.*.acme.disablecommonname', 'certificatesresolvers.*.acme.dnschallenge',
  'certificatesresolvers.*.acme.dnschallenge.delaybeforecheck',
  'certificatesresolvers.*.acme.dnschallenge.disablepropagationcheck',
  'certificatesresolvers.*.acme.dnschallenge.propagation',
  'certificatesresolvers.*.acme.dnschallenge.propagation.delaybeforechecks',
  'certificatesresolvers.*.acme.dnschallenge.propagation.disableanschecks',
  'certificatesresolvers.*.acme.dnschallenge.propagation.disablechecks',
  'certificatesresolvers.*.acme.dnschallenge.propagation.requireallrns',
  'certificatesresolvers.*.acme.dnschallenge.provider', 'certificatesresolvers.*.acme.dnschallenge.resolvers',
  'certificatesresolvers.*.acme.eab.hmacencoded', 'certificatesresolvers.*.acme.eab.kid',
  'certificatesresolvers.*.acme.email', 'certificatesresolvers.*.acme.emailaddresses',
  'certificatesresolvers.*.acme.httpchallenge', 'certificatesresolvers.*.acme.httpchallenge.delay',
  'certificatesresolvers.*.acme.httpchallenge.entrypoint', 'certificatesresolvers.*.acme.keytype',
  'certificatesresolvers.*.acme.preferredchain', 'certificatesresolvers.*.acme.profile',
  'certificatesresolvers.*.acme.storage', 'certificatesresolvers.*.acme.tlschallenge',
  'certificatesresolvers.*.acme.tlschallenge.delay', 'certificatesresolvers.*.tailscale',
  'entrypoints.*.allowacmebypass', 'entrypoints.*.forwardedheaders.addxforwardedschemeheaders',
  
  
  
  
  
  
  
  'entrypoints.*.http.encodequerysemicolons',
  'entrypoints.*.http.redirections.entrypoint.permanent',
  'entrypoints.*.http.redirections.entrypoint.priority', 'entrypoints.*.http.redirections.entrypoint.scheme',
  'entrypoints.*.http.redirections.entrypoint.to', 'entrypoints.*.http.tls', 'entrypoints.*.http.tls.certresolver',
  'entrypoints.*.http.tls.domains', 'entrypoints.*.http.tls.domains.*.main', 'entrypoints.*.http.tls.domains.*.sans',
  'entrypoints.*.http.tls.options', 'entrypoints.*.http.underscoreheadersstrategy',
  'entrypoints.*.http2.maxconcurrentstreams', 'entrypoints.*.http2.maxdecoderheadertablesize',
  'entrypoints.*.http2.maxencoderheadertablesize', 'entrypoints.*.http3', 'entrypoints.*.http3.advertisedport',
  'entrypoints.*.observability.accesslogs', 'entrypoints.*.observability.metrics',
  'entrypoints.*.observability.traceverbosity', 'entrypoints.*.observability.tracing', 'entrypoints.*.proxyprotocol',
  'entrypoints.*.proxyprotocol.insecure', 'entrypoints.*.proxyprotocol.trustedips', 
  
  'entrypoints.*.udp.timeout',
  'experimental.abortonpluginfailure', 'experimental.fastproxy', 'experimental.fastproxy.debug',
  'experimental.knative', 'experimental.kubernetesgateway', 'experimental.kubernetesingressnginx',
  'experimental.localplugins.*', 'experimental.localplugins.*.modulename', 'experimental.localplugins.*.settings',
  'experimental.localplugins.*.settings.envs', 'experimental.localplugins.*.settings.mounts',
  'experimental.localplugins.*.settings.useunsafe', 'experimental.otlplogs', 'experimental.plugins.*.hash',
  'experimental.plugins.*.modulename', 'experimental.plugins.*.settings', 'experimental.plugins.*.settings.envs',
  'experimental.plugins.*.settings.mounts', 'experimental.plugins.*.settings.useunsafe',
  'experimental.plugins.*.version',
  
  'hostresolver', 'hostresolver.cnameflattening', 'hostresolver.resolvconfig', 'hostresolver.resolvdepth',
  'log.otlp', 'log.otlp.grpc', 'log.otlp.grpc.endpoint', 'log.otlp.grpc.headers.*', 'log.otlp.grpc.insecure',
  'log.otlp.grpc.tls.ca', 'log.otlp.grpc.tls.cert', 'log.otlp.grpc.tls.insecureskipverify', 'log.otlp.grpc.tls.key',
  'log.otlp.http', 'log.otlp.http.endpoint', 'log.otlp.http.headers.*', 'log.otlp.http.tls.ca',
  'log.otlp.http.tls.cert', 'log.otlp.http.tls.insecureskipverify', 'log.otlp.http.tls.key',
  'log.otlp.resourceattributes.*', 'log.otlp.servicename',
  'metrics.datadog', 'metrics.datadog.addentrypointslabels', 'metrics.datadog.address',
  'metrics.datadog.addrouterslabels', 'metrics.datadog.addserviceslabels', 'metrics.datadog.prefix',
  'metrics.datadog.pushinterval', 'metrics.influxdb2', 'metrics.influxdb2.addentrypointslabels',
  'metrics.influxdb2.additionallabels.*', 'metrics.influxdb2.address', 'metrics.influxdb2.addrouterslabels',
  'metrics.influxdb2.addserviceslabels', 'metrics.influxdb2.bucket', 'metrics.influxdb2.org',
  'metrics.influxdb2.pushinterval', 'metrics.influxdb2.token', 'metrics.otlp', 'metrics.otlp.addentrypointslabels',
  'metrics.otlp.addrouterslabels', 'metrics.otlp.addserviceslabels', 'metrics.otlp.explicitboundaries',
  'metrics.otlp.grpc', 'metrics.otlp.grpc.endpoint', 'metrics.otlp.grpc.headers.*', 'metrics.otlp.grpc.insecure',
  'metrics.otlp.grpc.tls.ca', 'metrics.otlp.grpc.tls.cert', 'metrics.otlp.grpc.tls.insecureskipverify',
  'metrics.otlp.grpc.tls.key', 'metrics.otlp.http', 'metrics.otlp.http.endpoint', 'metrics.otlp.http.headers.*',
  'metrics.otlp.http.tls.ca', 'metrics.otlp.http.tls.cert', 'metrics.otlp.http.tls.insecureskipverify',
  'metrics.otlp.http.tls.key', 'metrics.otlp.pushinterval', 'metrics.otlp.resourceattributes.*',
  'metrics.otlp.servicename', 'metrics.prometheus.headerlabels.*', 'metrics.statsd',
  'metrics.statsd.addentrypointslabels', 'metrics.statsd.address', 'metrics.statsd.addrouterslabels',
  'metrics.statsd.addserviceslabels', 'metrics.statsd.prefix', 'metrics.statsd.pushinterval',
  'ocsp', 'ocsp.responderoverrides.*',
  'providers.consul', 'providers.consul.endpoints', 'providers.consul.namespaces', 'providers.consul.rootkey',
  'providers.consul.tls.ca', 'providers.consul.tls.cert', 'providers.consul.tls.insecureskipverify',
  'providers.consul.tls.key', 'providers.consul.token', 'providers.consulcatalog', 'providers.consulcatalog.cache',
  'providers.consulcatalog.connectaware', 'providers.consulcatalog.connectbydefault',
  'providers.consulcatalog.constraints', 'providers.consulcatalog.defaultrule',
  'providers.consulcatalog.endpoint.address', 'providers.consulcatalog.endpoint.datacenter',
  'providers.consulcatalog.endpoint.endpointwaittime', 'providers.consulcatalog.endpoint.httpauth.password',
  'providers.consulcatalog.endpoint.httpauth.username', 'providers.consulcatalog.endpoint.scheme',
  'providers.consulcatalog.endpoint.tls.ca', 'providers.consulcatalog.endpoint.tls.cert',
  'providers.consulcatalog.endpoint.tls.insecureskipverify', 'providers.consulcatalog.endpoint.tls.key',
  'providers.consulcatalog.endpoint.token', 'providers.consulcatalog.exposedbydefault',
  'providers.consulcatalog.namespaces', 'providers.consulcatalog.prefix', 'providers.consulcatalog.refreshinterval',
  'providers.consulcatalog.requireconsistent', 'providers.consulcatalog.servicename',
  'providers.consulcatalog.stale', 'providers.consulcatalog.strictchecks', 'providers.consulcatalog.watch',
  'providers.docker', 'providers.docker.allowemptyservices', 'providers.docker.constraints',
  'providers.docker.defaultrule', 'providers.docker.endpoint', 'providers.docker.exposedbydefault',
  'providers.docker.httpclienttimeout', 'providers.docker.network', 'providers.docker.password',
  'providers.docker.tls.ca', 'providers.docker.tls.cert', 'providers.docker.tls.insecureskipverify',
  'providers.docker.tls.key', 'providers.docker.usebindportip', 'providers.docker.username',
  'providers.docker.watch', 'providers.etcd', 'providers.etcd.endpoints', 'providers.etcd.password',
  'providers.etcd.rootkey', 'providers.etcd.tls.ca', 'providers.etcd.tls.cert',
  'providers.etcd.tls.insecureskipverify', 'providers.etcd.tls.key', 'providers.etcd.username', 'providers.http',
  'providers.http.endpoint', 'providers.http.headers.*', 'providers.http.maxresponsebodysize',
  'providers.http.pollinterval', 'providers.http.polltimeout', 'providers.http.tls.ca', 'providers.http.tls.cert',
  'providers.http.tls.insecureskipverify', 'providers.http.tls.key', 'providers.knative',
  'providers.knative.certauthfilepath', 'providers.knative.endpoint', 'providers.knative.labelselector',
  'providers.knative.namespaces', 'providers.knative.privateentrypoints', 'providers.knative.privateservice',
  'providers.knative.privateservice.name', 'providers.knative.privateservice.namespace',
  'providers.knative.publicentrypoints', 'providers.knative.publicservice', 'providers.knative.publicservice.name',
  'providers.knative.publicservice.namespace', 'providers.knative.throttleduration', 'providers.knative.token',
  'providers.kubernetescrd', 'providers.kubernetescrd.allowcrossnamespace',
  'providers.kubernetescrd.allowemptyservices', 'providers.kubernetescrd.allowexternalnameservices',
  'providers.kubernetescrd.certauthfilepath', 'providers.kubernetescrd.crossprovidernamespaces',
  'providers.kubernetescrd.disableclusterscoperesources', 'providers.kubernetescrd.endpoint',
  'providers.kubernetescrd.ingressclass', 'providers.kubernetescrd.labelselector',
  'providers.kubernetescrd.namespaces', 'providers.kubernetescrd.nativelbbydefault',
  'providers.kubernetescrd.throttleduration', 'providers.kubernetescrd.token', 'providers.kubernetesgateway',
  'providers.kubernetesgateway.burst', 'providers.kubernetesgateway.certauthfilepath',
  'providers.kubernetesgateway.crossprovidernamespaces', 'providers.kubernetesgateway.endpoint',
  'providers.kubernetesgateway.experimentalchannel', 'providers.kubernetesgateway.labelselector',
  'providers.kubernetesgateway.namespaces', 'providers.kubernetesgateway.nativelbbydefault',
  'providers.kubernetesgateway.qps', 'providers.kubernetesgateway.statusaddress.hostname',
  'providers.kubernetesgateway.statusaddress.ip', 'providers.kubernetesgateway.statusaddress.service',
  'providers.kubernetesgateway.statusaddress.service.name',
  'providers.kubernetesgateway.statusaddress.service.namespace', 'providers.kubernetesgateway.throttleduration',
  'providers.kubernetesgateway.token', 'providers.kubernetesingress',
  'providers.kubernetesingress.allowemptyservices', 'providers.kubernetesingress.allowexternalnameservices',
  'providers.kubernetesingress.certauthfilepath', 'providers.kubernetesingress.crossprovidernamespaces',
  'providers.kubernetesingress.disableclusterscoperesources',
  'providers.kubernetesingress.disableingressclasslookup', 'providers.kubernetesingress.endpoint',
  'providers.kubernetesingress.ingressclass', 'providers.kubernetesingress.ingressendpoint.hostname',
  'providers.kubernetesingress.ingressendpoint.ip', 'providers.kubernetesingress.ingressendpoint.publishedservice',
  'providers.kubernetesingress.labelselector', 'providers.kubernetesingress.namespaces',
  'providers.kubernetesingress.nativelbbydefault', 'providers.kubernetesingress.reportnodeinternalips',
  'providers.kubernetesingress.strictprefixmatching', 'providers.kubernetesingress.throttleduration',
  'providers.kubernetesingress.token', 'providers.kubernetesingressnginx',
  'providers.kubernetesingressnginx.allowcrossnamespaceresources',
  'providers.kubernetesingressnginx.allowsnippetannotations', 'providers.kubernetesingressnginx.certauthfilepath',
  'providers.kubernetesingressnginx.clientbodybuffersize', 'providers.kubernetesingressnginx.controllerclass',
  'providers.kubernetesingressnginx.customhttperrors', 'providers.kubernetesingressnginx.defaultbackendservice',
  'providers.kubernetesingressnginx.disablesvcexternalname', 'providers.kubernetesingressnginx.endpoint',
  'providers.kubernetesingressnginx.globalallowedresponseheaders', 'providers.kubernetesingressnginx.globalauthurl',
  'providers.kubernetesingressnginx.httpentrypoint', 'providers.kubernetesingressnginx.httpsentrypoint',
  'providers.kubernetesingressnginx.ingressclass', 'providers.kubernetesingressnginx.ingressclassbyname',
  'providers.kubernetesingressnginx.ipallowliststrategy.depth',
  'providers.kubernetesingressnginx.ipallowliststrategy.excludedips',
  'providers.kubernetesingressnginx.ipallowliststrategy.ipv6subnet',
  'providers.kubernetesingressnginx.proxybodysize', 'providers.kubernetesingressnginx.proxybuffering',
  'providers.kubernetesingressnginx.proxybuffersize', 'providers.kubernetesingressnginx.proxybuffersnumber',
  'providers.kubernetesingressnginx.proxyconnecttimeout', 'providers.kubernetesingressnginx.proxynextupstream',
  'providers.kubernetesingressnginx.proxynextupstreamtimeout',
  'providers.kubernetesingressnginx.proxynextupstreamtries', 'providers.kubernetesingressnginx.proxyreadtimeout',
  'providers.kubernetesingressnginx.proxyrequestbuffering', 'providers.kubernetesingressnginx.proxysendtimeout',
  'providers.kubernetesingressnginx.publishservice', 'providers.kubernetesingressnginx.publishstatusaddress',
  'providers.kubernetesingressnginx.strictvalidatepathtype', 'providers.kubernetesingressnginx.throttleduration',
  'providers.kubernetesingressnginx.token', 'providers.kubernetesingressnginx.upstreamkeepalivetimeout',
  'providers.kubernetesingressnginx.watchingresswithoutclass', 'providers.kubernetesingressnginx.watchnamespace',
  'providers.kubernetesingressnginx.watchnamespaceselector', 'providers.nomad', 'providers.nomad.allowemptyservices',
  'providers.nomad.constraints', 'providers.nomad.defaultrule', 'providers.nomad.endpoint.address',
  'providers.nomad.endpoint.endpointwaittime', 'providers.nomad.endpoint.region', 'providers.nomad.endpoint.tls.ca',
  'providers.nomad.endpoint.tls.cert', 'providers.nomad.endpoint.tls.insecureskipverify',
  'providers.nomad.endpoint.tls.key', 'providers.nomad.endpoint.token', 'providers.nomad.exposedbydefault',
  'providers.nomad.namespaces', 'providers.nomad.prefix', 'providers.nomad.refreshinterval', 'providers.nomad.stale',
  'providers.nomad.throttleduration', 'providers.nomad.watch', 'providers.plugin.*', 'providers.redis',
  'providers.redis.db', 'providers.redis.endpoints', 'providers.redis.password', 'providers.redis.rootkey',
  'providers.redis.sentinel.latencystrategy', 'providers.redis.sentinel.mastername',
  'providers.redis.sentinel.password', 'providers.redis.sentinel.randomstrategy',
  'providers.redis.sentinel.replicastrategy', 'providers.redis.sentinel.usedisconnectedreplicas',
  'providers.redis.sentinel.username', 'providers.redis.tls.ca', 'providers.redis.tls.cert',
  'providers.redis.tls.insecureskipverify', 'providers.redis.tls.key', 'providers.redis.username', 'providers.rest',
  'providers.rest.insecure', 'providers.swarm', 'providers.swarm.allowemptyservices', 'providers.swarm.constraints',
  'providers.swarm.defaultrule', 'providers.swarm.endpoint', 'providers.swarm.exposedbydefault',
  'providers.swarm.httpclienttimeout', 'providers.swarm.network', 'providers.swarm.password',
  'providers.swarm.refreshseconds', 'providers.swarm.tls.ca', 'providers.swarm.tls.cert',
  'providers.swarm.tls.insecureskipverify', 'providers.swarm.tls.key', 'providers.swarm.usebindportip',
  'providers.swarm.username', 'providers.swarm.watch', 'providers.zookeeper', 'providers.zookeeper.endpoints',
  'providers.zookeeper.password', 'providers.zookeeper.rootkey', 'providers.zookeeper.username',
  'serverstransport.spiffe', 'serverstransport.spiffe.ids', 'serverstransport.spiffe.trustdomain',
  'spiffe.workloadapiaddr',
  'tcpserverstransport.dialkeepalive', 'tcpserverstransport.dialtimeout', 'tcpserverstransport.terminationdelay',
  'tcpserverstransport.tls', 'tcpserverstransport.tls.insecureskipverify', 'tcpserverstransport.tls.rootcas',
  'tcpserverstransport.tls.spiffe', 'tcpserverstransport.tls.spiffe.ids',
  'tcpserverstransport.tls.spiffe.trustdomain',
  'tracing', 'tracing.addinternals', 'tracing.capturedrequestheaders', 'tracing.capturedresponseheaders',
  'tracing.globalattributes.*', 'tracing.otlp', 'tracing.otlp.grpc', 'tracing.otlp.grpc.endpoint',
  'tracing.otlp.grpc.headers.*', 'tracing.otlp.grpc.insecure', 'tracing.otlp.grpc.tls.ca',
  'tracing.otlp.grpc.tls.cert', 'tracing.otlp.grpc.tls.insecureskipverify', 'tracing.otlp.grpc.tls.key',
  'tracing.otlp.http', 'tracing.otlp.http.endpoint', 'tracing.otlp.http.headers.*', 'tracing.otlp.http.tls.ca',
  'tracing.otlp.http.tls.cert', 'tracing.otlp.http.tls.insecureskipverify', 'tracing.otlp.http.tls.key',
  'tracing.resourceattributes.*', 'tracing.safequeryparams', 'tracing.samplerate', 'tracing.servicename',
];

/**
 * Traefik providers Wharf has no package for; `providers.<name>` asks for `@wharf/provider-<name>`
 * otherwise, and these would fail as "not installed" rather than as the Traefik options they are.
 */
export const TRAEFIK_ONLY_PROVIDERS: ReadonlySet<string> = new Set(
  TRAEFIK_ONLY_OPTIONS.filter((o) => /^providers\.[a-z]+$/.test(o)).map((o) => o.slice('providers.'.length)),
);

/** Keys below which Traefik takes free-form maps (plugin settings), so any deeper name is Traefik's. */
const FREE_FORM = new Set(['*', 'settings']);

const PATTERNS: ReadonlyArray<readonly string[]> = TRAEFIK_ONLY_OPTIONS.map((o) => o.split('.'));

const BY_LENGTH = [...PATTERNS].sort((a, b) => b.length - a.length);

function segmentMatches(pattern: string, segment: string): boolean {
  return pattern === '*' ? segment !== '' : pattern === segment.toLowerCase();
}

/**
 * Whether `path` (dotted segments, any case) names one of Traefik's options Wharf does not
 * support, or a section that holds some (`tracing`), or a key inside a free-form map of one.
 */
export function isTraefikOnlyOption(path: readonly string[]): boolean {
  return PATTERNS.some((pattern) => {
    const n = Math.min(pattern.length, path.length);
    for (let i = 0; i < n; i++) if (!segmentMatches(pattern[i]!, path[i]!)) return false;
    // A section must be named by a Traefik word: `entryPoints.web` alone says nothing of Traefik.
    if (path.length < pattern.length) return pattern[path.length - 1] !== '*';
    return path.length === pattern.length || FREE_FORM.has(pattern[pattern.length - 1]!);
  });
}

/**
 * The same for an environment variable's words (`TRACING_OTLP_GRPC`), where an underscore may
 * separate two names or sit inside a user-chosen one: returns the dotted path it reads as, if any.
 */
export function traefikOnlyEnvPath(tokens: readonly string[]): string[] | undefined {
  const words = tokens.map((t) => t.toLowerCase());
  // Longest first: `certificatesresolvers.*.acme.email` before `certificatesresolvers.*`.
  for (const pattern of BY_LENGTH) {
    const path = matchWords(pattern, 0, words, 0);
    if (path) return path;
  }
  return undefined;
}

function matchWords(pattern: readonly string[], p: number, words: readonly string[], w: number): string[] | undefined {
  if (w === words.length) return p > 0 && (p === pattern.length || pattern[p - 1] !== '*') ? [] : undefined;
  if (p === pattern.length) return FREE_FORM.has(pattern[p - 1]!) ? [words.slice(w).join('_')] : undefined;
  const segment = pattern[p]!;
  // A user-chosen name may hold underscores: try every length, shortest first.
  for (let end = w + 1; end <= words.length; end++) {
    const name = words.slice(w, end).join('_');
    if (segment !== '*' && segment !== name && segment !== words.slice(w, end).join('')) continue;
    const rest = matchWords(pattern, p + 1, words, end);
    if (rest) return [segment === '*' ? name : segment, ...rest];
  }
  return undefined;
}
