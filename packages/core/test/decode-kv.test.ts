import test from 'ava';
import { decodeKeyValues, keyValuesToTree } from '../src/config/dynamic/decode-kv.js';

// Traefik's KV layout (routing-configuration/other-providers/kv in Traefik's docs): keys under a
// root key, lower-case field names, numbered list items, text values read by field type.

const LB_DEFAULTS = { passHostHeader: true, strategy: 'wrr', responseForwarding: { flushInterval: '100ms' } };

test('the getting-started pairs of Traefik docs: a router and its service', (t) => {
  const { configuration, errors } = decodeKeyValues({
    'traefik/http/routers/my-router/rule': 'Host(`example.com`)',
    'traefik/http/routers/my-router/service': 'my-service',
    'traefik/http/services/my-service/loadbalancer/servers/0/url': 'http://127.0.0.1:8080',
  });
  t.deepEqual(errors, []);
  t.deepEqual(configuration, {
    http: {
      routers: { 'my-router': { rule: 'Host(`example.com`)', service: 'my-service' } },
      services: { 'my-service': { loadBalancer: { ...LB_DEFAULTS, servers: [{ url: 'http://127.0.0.1:8080' }] } } },
    },
  });
});

test('every router key of the reference table decodes with its type', (t) => {
  const { configuration, errors } = decodeKeyValues([
    ['traefik/http/routers/r/rule', 'Host(`example.com`)'],
    ['traefik/http/routers/r/ruleSyntax', 'v3'],
    ['traefik/http/routers/r/entrypoints/1', 'websecure'],
    ['traefik/http/routers/r/entrypoints/0', 'web'],
    ['traefik/http/routers/r/middlewares/0', 'auth'],
    ['traefik/http/routers/r/middlewares/1', 'prefix'],
    ['traefik/http/routers/r/service', 'myservice'],
    ['traefik/http/routers/r/tls/certresolver', 'myresolver'],
    ['traefik/http/routers/r/tls/domains/0/main', 'example.org'],
    ['traefik/http/routers/r/tls/domains/0/sans/0', 'test.example.org'],
    ['traefik/http/routers/r/tls/domains/0/sans/1', 'dev.example.org'],
    ['traefik/http/routers/r/tls/options', 'foobar'],
    ['traefik/http/routers/r/observability/accesslogs', 'true'],
    ['traefik/http/routers/r/observability/metrics', 'false'],
    ['traefik/http/routers/r/priority', '42'],
    ['traefik/http/routers/t/rule', 'Path(`/`)'],
    ['traefik/http/routers/t/tls', 'true'],
  ]);
  t.deepEqual(errors, []);
  t.deepEqual(configuration.http?.routers, {
    r: {
      rule: 'Host(`example.com`)',
      ruleSyntax: 'v3',
      entryPoints: ['web', 'websecure'],
      middlewares: ['auth', 'prefix'],
      service: 'myservice',
      tls: { certResolver: 'myresolver', domains: [{ main: 'example.org', sans: ['test.example.org', 'dev.example.org'] }], options: 'foobar' },
      observability: { accessLogs: true, metrics: false, tracing: true, traceVerbosity: 'minimal' },
      priority: 42,
    },
    t: { rule: 'Path(`/`)', tls: {} },
  });
});

test('services: servers, health check with header map, sticky switched on by true, whole-second durations, weighted', (t) => {
  const { configuration, errors } = decodeKeyValues({
    'traefik/http/services/s/loadbalancer/servers/0/url': 'http://a:80/',
    'traefik/http/services/s/loadbalancer/servers/0/weight': '1',
    'traefik/http/services/s/loadbalancer/servers/1/url': 'http://b:80/',
    'traefik/http/services/s/loadbalancer/servers/1/preservePath': 'true',
    'traefik/http/services/s/loadbalancer/passhostheader': 'false',
    'traefik/http/services/s/loadbalancer/serverstransport': 'foobar@file',
    'traefik/http/services/s/loadbalancer/healthcheck/headers/X-Foo': 'foobar',
    'traefik/http/services/s/loadbalancer/healthcheck/interval': '10',
    'traefik/http/services/s/loadbalancer/healthcheck/path': '/foo',
    'traefik/http/services/s/loadbalancer/healthcheck/port': '42',
    'traefik/http/services/s/loadbalancer/sticky': 'true',
    'traefik/http/services/w/weighted/services/0/name': 'foobar',
    'traefik/http/services/w/weighted/services/0/weight': '42',
  });
  t.deepEqual(errors, []);
  const s = configuration.http!.services!.s!.loadBalancer!;
  t.deepEqual(s.servers, [{ url: 'http://a:80/', weight: 1 }, { url: 'http://b:80/', preservePath: true }]);
  t.false(s.passHostHeader);
  t.is(s.serversTransport, 'foobar@file');
  t.deepEqual(s.healthCheck?.headers, { 'X-Foo': 'foobar' }, 'map keys keep their case');
  t.is(s.healthCheck?.interval, '10');
  t.is(s.healthCheck?.port, 42);
  t.deepEqual(s.sticky, {});
  t.deepEqual(configuration.http!.services!.w!.weighted?.services, [{ name: 'foobar', weight: 42 }]);
});

test('middlewares: a map keeps numeric keys, a list reads numbered keys, another root key', (t) => {
  const { configuration, errors } = decodeKeyValues(
    new Map([
      ['/edge/http/middlewares/h/headers/customrequestheaders/X-Script-Name', 'test'],
      ['/edge/http/middlewares/h/headers/customrequestheaders/X-Custom', ''],
      ['/edge/http/middlewares/p/stripprefix/prefixes/0', '/foo'],
      ['/edge/http/middlewares/p/stripprefix/prefixes/1', '/bar'],
      ['/traefik/http/routers/ignored/rule', 'Path(`/`)'],
    ]),
    { rootKey: '/edge/' },
  );
  t.deepEqual(errors, []);
  t.deepEqual(configuration.http?.middlewares?.h, { headers: { customRequestHeaders: { 'X-Script-Name': 'test', 'X-Custom': '' } } });
  t.deepEqual(configuration.http?.middlewares?.p, { stripPrefix: { prefixes: ['/foo', '/bar'], forceSlash: true } });
  t.is(configuration.http?.routers, undefined, 'keys outside the root key are ignored');
});

test('errors name the key as written in the store', (t) => {
  const { errors } = decodeKeyValues({
    'traefik/http/routers/r/rule': 'Path(`/`)',
    'traefik/http/routers/r/Priority': 'high',
    'traefik/http/routers/r/entrypoint/0': 'web',
    'traefik/http/services/s/loadbalancer/servers/0/url': 'http://a',
    'traefik/http/services/s/loadbalancer/servers/0/url/extra': 'x',
    'traefik/http/services/s//x': 'y',
  });
  t.true(errors.includes('traefik/http/routers/r/Priority: expected an integer, got the string "high"'), errors.join('\n'));
  t.true(errors.some((e) => e.startsWith('traefik/http/routers/r/entrypoint: unknown field "entrypoint"') && e.includes('did you mean "entryPoints"')), errors.join('\n'));
  t.true(errors.some((e) => e.startsWith('traefik/http/services/s/loadbalancer/servers/0/url/extra: traefik/http/services/s/loadbalancer/servers/0/url has a value')), errors.join('\n'));
  t.true(errors.some((e) => e.startsWith('traefik/http/services/s//x: empty path segment')), errors.join('\n'));
});

test('folder keys with an empty value (as Consul lists them) are ignored', (t) => {
  const { configuration } = keyValuesToTree({ 'traefik/': '', 'traefik/http/': '', 'traefik/http/routers/r/rule': 'Path(`/`)' });
  t.deepEqual(configuration, { http: { routers: { r: { rule: 'Path(`/`)' } } } });
});
