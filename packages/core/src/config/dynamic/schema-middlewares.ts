/**
 * HTTP middleware types and their options (Traefik v3.7, with v2 names still accepted).
 * @see spec/traefik-model.md §d
 */
import { bool, duration, freeform, int, intMap, str, stringMap, strings, struct, sub } from './schema-builders.js';
import type { Decoded, StructSchema } from './schema-types.js';

const IP_STRATEGY = sub(struct({ depth: int, excludedIPs: strings, ipv6Subnet: int }), { allowEmpty: true });

const SOURCE_CRITERION = sub(struct({ ipStrategy: IP_STRATEGY, requestHeaderName: str, requestHost: bool }));

const CLIENT_TLS = sub(struct({ ca: str, cert: str, key: str, insecureSkipVerify: bool, caOptional: bool }));

const IP_ALLOW_LIST = struct({ sourceRange: strings, ipStrategy: IP_STRATEGY, rejectStatusCode: int });

const AUTH_USERS = struct({ users: strings, usersFile: str, realm: str, removeHeader: bool, headerField: str });

const CERT_NAME_INFO = sub(
  struct({
    country: bool,
    province: bool,
    locality: bool,
    organization: bool,
    organizationalUnit: bool,
    commonName: bool,
    serialNumber: bool,
    domainComponent: bool,
  }),
);

const HEADERS = struct({
  customRequestHeaders: stringMap,
  customResponseHeaders: stringMap,
  accessControlAllowCredentials: bool,
  accessControlAllowHeaders: strings,
  accessControlAllowMethods: strings,
  accessControlAllowOriginList: strings,
  accessControlAllowOriginListRegex: strings,
  accessControlExposeHeaders: strings,
  accessControlMaxAge: int,
  addVaryHeader: bool,
  allowedHosts: strings,
  hostsProxyHeaders: strings,
  sslProxyHeaders: stringMap,
  stsSeconds: int,
  stsIncludeSubdomains: bool,
  stsPreload: bool,
  forceSTSHeader: bool,
  frameDeny: bool,
  customFrameOptionsValue: str,
  contentTypeNosniff: bool,
  browserXssFilter: bool,
  customBrowserXSSValue: str,
  contentSecurityPolicy: str,
  contentSecurityPolicyReportOnly: str,
  publicKey: str,
  referrerPolicy: str,
  permissionsPolicy: str,
  isDevelopment: bool,
  // Removed in v3 but still accepted without effect (spec §d).
  sslRedirect: bool,
  sslTemporaryRedirect: bool,
  sslHost: str,
  sslForceHost: bool,
  featurePolicy: str,
});

const REDIS = sub(
  struct({
    endpoints: strings,
    tls: CLIENT_TLS,
    username: str,
    password: str,
    db: int,
    poolSize: int,
    minIdleConns: int,
    maxActiveConns: int,
    readTimeout: duration,
    writeTimeout: duration,
    dialTimeout: duration,
  }),
);

const TYPES = {
  addPrefix: sub(struct({ prefix: str })),
  basicAuth: sub(AUTH_USERS),
  buffering: sub(
    struct({
      maxRequestBodyBytes: int,
      memRequestBodyBytes: int,
      maxResponseBodyBytes: int,
      memResponseBodyBytes: int,
      retryExpression: str,
      disableRequestBuffer: bool,
      disableResponseBuffer: bool,
    }),
  ),
  chain: sub(struct({ middlewares: strings })),
  circuitBreaker: sub(
    struct(
      { expression: str, checkPeriod: duration, fallbackDuration: duration, recoveryDuration: duration, responseCode: int },
      { defaults: { checkPeriod: '100ms', fallbackDuration: '10s', recoveryDuration: '10s', responseCode: 503 } },
    ),
  ),
  compress: sub(
    struct({
      excludedContentTypes: strings,
      includedContentTypes: strings,
      minResponseBodyBytes: int,
      encodings: strings,
      defaultEncoding: str,
    }),
    { allowEmpty: true },
  ),
  // v3: the empty struct turns detection on; `autoDetect` is the v2 option, accepted for migration.
  contentType: sub(struct({ autoDetect: bool }), { allowEmpty: true }),
  digestAuth: sub(AUTH_USERS),
  encodedCharacters: sub(
    struct({
      allowEncodedSlash: bool,
      allowEncodedBackSlash: bool,
      allowEncodedNullCharacter: bool,
      allowEncodedSemicolon: bool,
      allowEncodedPercent: bool,
      allowEncodedQuestionMark: bool,
      allowEncodedHash: bool,
    }),
  ),
  errors: sub(struct({ status: strings, statusRewrites: intMap, service: str, query: str, errorRequestHeaders: strings })),
  forwardAuth: sub(
    struct(
      {
        address: str,
        tls: CLIENT_TLS,
        trustForwardHeader: bool,
        authResponseHeaders: strings,
        authResponseHeadersRegex: str,
        authRequestHeaders: strings,
        addAuthCookiesToResponse: strings,
        headerField: str,
        forwardBody: bool,
        maxBodySize: int,
        maxResponseBodySize: int,
        preserveLocationHeader: bool,
        preserveRequestMethod: bool,
        authSigninURL: str,
      },
      { defaults: { maxBodySize: -1 } },
    ),
  ),
  grpcWeb: sub(struct({ allowOrigins: strings })),
  headers: sub(HEADERS),
  ipAllowList: sub(IP_ALLOW_LIST),
  ipWhiteList: sub(struct({ sourceRange: strings, ipStrategy: IP_STRATEGY })),
  inFlightReq: sub(struct({ amount: int, sourceCriterion: SOURCE_CRITERION })),
  passTLSClientCert: sub(
    struct({
      pem: bool,
      info: sub(
        struct({ notAfter: bool, notBefore: bool, sans: bool, serialNumber: bool, subject: CERT_NAME_INFO, issuer: CERT_NAME_INFO }),
      ),
    }),
  ),
  rateLimit: sub(
    struct(
      { average: int, period: duration, burst: int, sourceCriterion: SOURCE_CRITERION, redis: REDIS },
      { defaults: { period: '1s', burst: 1 } },
    ),
  ),
  redirectRegex: sub(struct({ regex: str, replacement: str, permanent: bool })),
  redirectScheme: sub(struct({ scheme: str, port: str, permanent: bool })),
  replacePath: sub(struct({ path: str })),
  replacePathRegex: sub(struct({ regex: str, replacement: str })),
  retry: sub(
    struct({
      attempts: int,
      initialInterval: duration,
      timeout: duration,
      status: strings,
      disableRetryOnNetworkError: bool,
      retryNonIdempotentMethod: bool,
      maxRequestBodyBytes: int,
    }),
  ),
  stripPrefix: sub(
    struct(
      { prefixes: strings, forceSlash: { ...bool, ignored: 'forceSlash is deprecated in Traefik and not applied: the stripped path always keeps a leading / (ignored)' } },
      { defaults: { forceSlash: true } },
    ),
  ),
  stripPrefixRegex: sub(struct({ regex: strings })),
  plugin: freeform,
};

/**
 * `http.middlewares.<name>`: exactly one type. Unknown types are kept free-form under their
 * written name so that plugins can register them; the kernel validates them when it builds.
 */
const HTTP_MIDDLEWARE_TYPES = struct(TYPES, {
  exclusive: Object.keys(TYPES),
  exclusiveWhat: 'middleware type',
  openFields: true,
});

/** Its decoded type is open too: any other key is a plugin's type with its options. */
export const HTTP_MIDDLEWARE = HTTP_MIDDLEWARE_TYPES as StructSchema<Decoded<typeof HTTP_MIDDLEWARE_TYPES> & Record<string, unknown>>;
