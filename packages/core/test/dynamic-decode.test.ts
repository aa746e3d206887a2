import test from 'ava';
import { decodeDynamicConfiguration, parseDuration } from '../src/config/dynamic/decode.js';
import { ConfigError } from '../src/errors.js';

interface DecodeCase {
  name: string;
  input: unknown;
  expected: unknown;
}

const LB_DEFAULTS = { passHostHeader: true, strategy: 'wrr', responseForwarding: { flushInterval: '100ms' } };

const routers = (value: unknown): unknown => ({ http: { routers: value } });
const services = (value: unknown): unknown => ({ http: { services: value } });
const middleware = (value: unknown): unknown => ({ http: { middlewares: { m: value } } });

const cases: DecodeCase[] = [
  { name: 'empty document', input: null, expected: {} },
  { name: 'empty http', input: { http: {} }, expected: { http: {} } },
  {
    name: 'router: every field, names case-insensitive, element name case kept',
    input: routers({
      MyApi: {
        EntryPoints: ['web', 'websecure'],
        RULE: 'Host(`a.example`)',
        rulesyntax: 'v2',
        priority: 42,
        middlewares: ['auth@file', 'strip'],
        service: 'api@internal',
        tls: { certresolver: 'le', options: 'modern', domains: [{ main: 'a.example', sans: ['b.example'] }] },
        parentRefs: ['parent'],
      },
    }),
    expected: routers({
      MyApi: {
        entryPoints: ['web', 'websecure'],
        rule: 'Host(`a.example`)',
        ruleSyntax: 'v2',
        priority: 42,
        middlewares: ['auth@file', 'strip'],
        service: 'api@internal',
        tls: { certResolver: 'le', options: 'modern', domains: [{ main: 'a.example', sans: ['b.example'] }] },
        parentRefs: ['parent'],
      },
    }),
  },
  { name: 'tls: {} is kept', input: routers({ r: { rule: 'x', tls: {} } }), expected: routers({ r: { rule: 'x', tls: {} } }) },
  { name: 'tls: null is dropped', input: routers({ r: { rule: 'x', tls: null } }), expected: routers({ r: { rule: 'x' } }) },
  {
    name: 'router observability defaults on creation',
    input: routers({ r: { observability: { metrics: false } } }),
    expected: routers({ r: { observability: { accessLogs: true, metrics: false, tracing: true, traceVerbosity: 'minimal' } } }),
  },
  {
    name: 'loadBalancer defaults, servers list',
    input: services({ s: { loadBalancer: { servers: [{ url: 'http://a:80', weight: 2, preservePath: true }] } } }),
    expected: services({ s: { loadBalancer: { ...LB_DEFAULTS, servers: [{ url: 'http://a:80', weight: 2, preservePath: true }] } } }),
  },
  {
    name: 'loadBalancer written values override defaults; sticky cookie and health check defaults',
    input: services({
      s: {
        loadBalancer: {
          passHostHeader: false,
          sticky: { cookie: { name: 'c', httpOnly: true, maxAge: 60 } },
          healthCheck: { path: '/health', interval: '10s', headers: { 'X-Check': 'yes' } },
          passiveHealthCheck: {},
          responseForwarding: { flushInterval: -1 },
          serversTransport: 'tr',
        },
        middlewares: ['svc-mw'],
      },
    }),
    expected: services({
      s: {
        loadBalancer: {
          passHostHeader: false,
          strategy: 'wrr',
          responseForwarding: { flushInterval: -1 },
          sticky: { cookie: { path: '/', name: 'c', httpOnly: true, maxAge: 60 } },
          healthCheck: { followRedirects: true, mode: 'http', interval: '10s', timeout: '5s', path: '/health', headers: { 'X-Check': 'yes' } },
          passiveHealthCheck: { failureWindow: '10s', maxFailedAttempts: 1 },
          serversTransport: 'tr',
        },
        middlewares: ['svc-mw'],
      },
    }),
  },
  {
    name: 'weighted, mirroring, failover, highestRandomWeight',
    input: services({
      w: { weighted: { services: [{ name: 'a' }, { name: 'b', weight: 3 }], healthCheck: {} } },
      m: { mirroring: { service: 'a', mirrors: [{ name: 'b', percent: 10 }] } },
      f: { failover: { service: 'a', fallback: 'b', errors: { status: ['500-504'] } } },
      h: { highestRandomWeight: { services: [{ name: 'a', weight: 1 }] } },
    }),
    expected: services({
      w: { weighted: { services: [{ weight: 1, name: 'a' }, { weight: 3, name: 'b' }], healthCheck: {} } },
      m: { mirroring: { mirrorBody: true, maxBodySize: -1, service: 'a', mirrors: [{ name: 'b', percent: 10 }] } },
      f: { failover: { service: 'a', fallback: 'b', errors: { maxRequestBodyBytes: -1, status: ['500-504'] } } },
      h: { highestRandomWeight: { services: [{ name: 'a', weight: 1 }] } },
    }),
  },
  {
    name: 'middleware: list option, number widened to text',
    input: middleware({ stripprefix: { prefixes: ['/a', '/b'] }, }),
    expected: middleware({ stripPrefix: { forceSlash: true, prefixes: ['/a', '/b'] } }),
  },
  {
    name: 'middleware: maps keep key case',
    input: middleware({ headers: { customRequestHeaders: { 'X-Foo': 'bar', 'x-empty': '' }, stsSeconds: 31536000 } }),
    expected: middleware({ headers: { customRequestHeaders: { 'X-Foo': 'bar', 'x-empty': '' }, stsSeconds: 31536000 } }),
  },
  {
    name: 'middleware: defaults (rateLimit, circuitBreaker)',
    input: { http: { middlewares: { rl: { rateLimit: { average: 10 } }, cb: { circuitBreaker: { expression: 'NetworkErrorRatio() > 0.5' } } } } },
    expected: {
      http: {
        middlewares: {
          rl: { rateLimit: { period: '1s', burst: 1, average: 10 } },
          cb: { circuitBreaker: { checkPeriod: '100ms', fallbackDuration: '10s', recoveryDuration: '10s', responseCode: 503, expression: 'NetworkErrorRatio() > 0.5' } },
        },
      },
    },
  },
  {
    name: 'middleware: nested structs and int maps',
    input: middleware({ errors: { status: ['500-599', 404], service: 'err', query: '/{status}.html', statusRewrites: { '418': 404 } } }),
    expected: middleware({ errors: { status: ['500-599', '404'], service: 'err', query: '/{status}.html', statusRewrites: { '418': 404 } } }),
  },
  {
    name: 'middleware: allow-empty types',
    input: { http: { middlewares: { c: { compress: {} }, t: { contentType: {} }, i: { ipAllowList: { sourceRange: ['10.0.0.0/8'], ipStrategy: {} } } } } },
    expected: { http: { middlewares: { c: { compress: {} }, t: { contentType: {} }, i: { ipAllowList: { sourceRange: ['10.0.0.0/8'], ipStrategy: {} } } } } },
  },
  {
    name: 'middleware: plugin and unknown types are free-form, nulls dropped',
    input: { http: { middlewares: { p: { plugin: { demo: { Key: 'v', list: [1, null, 'x'], nested: { a: null, b: true } } } }, u: { myType: { Opt: 1 } } } } },
    expected: { http: { middlewares: { p: { plugin: { demo: { Key: 'v', list: [1, 'x'], nested: { b: true } } } }, u: { myType: { Opt: 1 } } } } },
  },
  {
    name: 'serversTransports with timeouts defaults',
    input: { http: { serversTransports: { tr: { insecureSkipVerify: true, forwardingTimeouts: { responseHeaderTimeout: 5 }, certificates: [{ certFile: 'c', keyFile: 'k' }] } } } },
    expected: {
      http: {
        serversTransports: {
          tr: {
            insecureSkipVerify: true,
            forwardingTimeouts: { dialTimeout: '30s', idleConnTimeout: '90s', pingTimeout: '15s', responseHeaderTimeout: 5 },
            certificates: [{ certFile: 'c', keyFile: 'k' }],
          },
        },
      },
    },
  },
  {
    name: 'tls section',
    input: {
      tls: {
        certificates: [{ certFile: '/c.pem', keyFile: '/k.pem', stores: ['default'] }],
        options: { modern: { minVersion: 'VersionTLS13', sniStrict: true, clientAuth: { caFiles: ['ca.pem'], clientAuthType: 'RequireAndVerifyClientCert' } } },
        stores: { default: { defaultCertificate: { certFile: 'c', keyFile: 'k' } } },
      },
    },
    expected: {
      tls: {
        certificates: [{ certFile: '/c.pem', keyFile: '/k.pem', stores: ['default'] }],
        options: { modern: { minVersion: 'VersionTLS13', sniStrict: true, clientAuth: { caFiles: ['ca.pem'], clientAuthType: 'RequireAndVerifyClientCert' } } },
        stores: { default: { defaultCertificate: { certFile: 'c', keyFile: 'k' } } },
      },
    },
  },
  // Traefik decodes every source into text leaves parsed by their field's type (spec §e, §f).
  { name: 'text scalars are read by their field type', input: routers({ r: { rule: 'x', priority: '10', service: 443 } }), expected: routers({ r: { rule: 'x', priority: 10, service: '443' } }) },
  {
    name: "booleans in Go's spellings",
    input: services({ a: { loadBalancer: { passHostHeader: 'false' } }, b: { loadBalancer: { passHostHeader: 'T' } }, c: { loadBalancer: { passHostHeader: '0' } } }),
    expected: services({ a: { loadBalancer: { ...LB_DEFAULTS, passHostHeader: false } }, b: { loadBalancer: { ...LB_DEFAULTS, passHostHeader: true } }, c: { loadBalancer: { ...LB_DEFAULTS, passHostHeader: false } } }),
  },
  { name: 'a comma-separated string is a list', input: middleware({ stripPrefix: { prefixes: '/api, /v1' } }), expected: middleware({ stripPrefix: { prefixes: ['/api', '/v1'], forceSlash: true } }) },
  { name: 'a single value is a one-item list', input: routers({ r: { rule: 'x', entryPoints: 'web' } }), expected: routers({ r: { rule: 'x', entryPoints: ['web'] } }) },
  { name: '{} is an empty list (the catch-all 503 service of Traefik\'s FAQ)', input: services({ s: { loadBalancer: { servers: {} } } }), expected: services({ s: { loadBalancer: { ...LB_DEFAULTS, servers: [] } } }) },
  { name: 'true switches an allow-empty struct on, false leaves it off', input: routers({ a: { rule: 'x', tls: true }, b: { rule: 'x', tls: 'false' } }), expected: routers({ a: { rule: 'x', tls: {} }, b: { rule: 'x' } }) },
  {
    name: 'spellings of one field in different case merge',
    input: middleware({ stripPrefix: { prefixes: ['/a'] }, stripprefix: { forceSlash: 'false' } }),
    expected: middleware({ stripPrefix: { prefixes: ['/a'], forceSlash: false } }),
  },
  { name: 'equal values under two spellings collapse', input: routers({ r: { rule: 'x', Rule: 'x' } }), expected: routers({ r: { rule: 'x' } }) },
  { name: 'unknown top-level keys are ignored', input: { providers: { file: {} }, http: {} }, expected: { http: {} } },
  { name: 'null elements are dropped', input: routers({ a: null, b: { rule: 'x' } }), expected: routers({ b: { rule: 'x' } }) },
];

for (const { name, input, expected } of cases) {
  test(`decodes: ${name}`, (t) => {
    const result = decodeDynamicConfiguration(input);
    t.deepEqual(result.errors, []);
    t.deepEqual(result.configuration, expected as never);
  });
}

test('YAML-like (lower-case keys, nulls, prototype-less objects) and JSON-like inputs decode identically', (t) => {
  const json = {
    http: {
      routers: { web: { rule: 'Host(`a`)', entryPoints: ['web'], service: 'svc', middlewares: ['strip'] } },
      services: { svc: { loadBalancer: { servers: [{ url: 'http://10.0.0.1:80' }], healthCheck: { path: '/h', interval: 10 } } } },
      middlewares: { strip: { stripPrefix: { prefixes: ['/api'] } } },
    },
  };
  const yamlLike = Object.assign(Object.create(null) as object, {
    http: {
      routers: { web: { rule: 'Host(`a`)', entrypoints: ['web'], service: 'svc', middlewares: ['strip'], tls: null, priority: null } },
      services: { svc: { loadbalancer: { servers: [{ url: 'http://10.0.0.1:80' }], healthcheck: { path: '/h', interval: 10 } } } },
      middlewares: { strip: { stripprefix: { prefixes: ['/api'] } } },
      serversTransports: null,
    },
  });
  const a = decodeDynamicConfiguration(json);
  const b = decodeDynamicConfiguration(yamlLike);
  t.deepEqual(a.errors, []);
  t.deepEqual(b, a);
});

test('the result is plain serialisable data with no undefined values', (t) => {
  const { configuration } = decodeDynamicConfiguration({
    http: { routers: { r: { rule: 'x', tls: {} } }, services: { s: { loadBalancer: { sticky: { cookie: {} } } } } },
  });
  t.deepEqual(JSON.parse(JSON.stringify(configuration)), configuration);
  const undefinedKeys: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (value === undefined) undefinedKeys.push(path);
    if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
  };
  walk(configuration, '');
  t.deepEqual(undefinedKeys, []);
});

test('defaults are fresh objects, not shared between elements', (t) => {
  const { configuration } = decodeDynamicConfiguration(services({ a: { loadBalancer: {} }, b: { loadBalancer: {} } }));
  const a = configuration.http!.services!.a.loadBalancer!;
  const b = configuration.http!.services!.b.loadBalancer!;
  t.not(a.responseForwarding, b.responseForwarding);
});

const durations: Array<[string | number, number]> = [
  ['10s', 10_000],
  ['1m30s', 90_000],
  ['100ms', 100],
  ['1h', 3_600_000],
  ['1.5h', 5_400_000],
  ['-1s', -1000],
  ['250us', 0.25],
  ['0', 0],
  ['10', 10_000],
  [10, 10_000],
  [0.5, 500],
];
for (const [input, ms] of durations) {
  test(`parseDuration(${JSON.stringify(input)}) = ${ms} ms`, (t) => {
    t.is(parseDuration(input), ms);
  });
}

for (const bad of ['', '10x', 's', '1.5', '1m 30s', 'ten', Number.NaN]) {
  test(`parseDuration rejects ${JSON.stringify(bad)}`, (t) => {
    const error = t.throws(() => parseDuration(bad), { instanceOf: ConfigError });
    t.is(error.code, 'DURATION_INVALID');
  });
}
