import test from 'ava';
import { decodeLabels, isExposed, labelServers, labelsWithPrefix, parseLabelBool, readProviderOptions } from '../src/labels/index.js';

const LB_DEFAULTS = { passHostHeader: true, strategy: 'wrr', responseForwarding: { flushInterval: '100ms' } };
const HC_DEFAULTS = { followRedirects: true, mode: 'http', interval: '30s', timeout: '5s' };

interface LabelCase {
  name: string;
  labels: Record<string, string>;
  expected: unknown;
}

const cases: LabelCase[] = [
  {
    name: 'router fields, lists split and trimmed',
    labels: {
      'traefik.http.routers.api.rule': 'Host(`a.example`) && PathPrefix(`/api`)',
      'traefik.http.routers.api.entrypoints': 'web , websecure',
      'traefik.http.routers.api.middlewares': 'auth@file,strip',
      'traefik.http.routers.api.service': 'api',
      'traefik.http.routers.api.priority': '-5',
      'traefik.http.routers.api.rulesyntax': 'v2',
      'traefik.http.routers.api.observability.accesslogs': 'false',
    },
    expected: {
      http: {
        routers: {
          api: {
            rule: 'Host(`a.example`) && PathPrefix(`/api`)',
            entryPoints: ['web', 'websecure'],
            middlewares: ['auth@file', 'strip'],
            service: 'api',
            priority: -5,
            ruleSyntax: 'v2',
            observability: { accessLogs: false, metrics: true, tracing: true, traceVerbosity: 'minimal' },
          },
        },
      },
    },
  },
  {
    name: 'router tls with indexed domains',
    labels: {
      'traefik.http.routers.r.tls.certresolver': 'le',
      'traefik.http.routers.r.tls.domains[1].main': 'b.example',
      'traefik.http.routers.r.tls.domains[0].main': 'a.example',
      'traefik.http.routers.r.tls.domains[0].sans': 'www.a.example, api.a.example',
    },
    expected: {
      http: {
        routers: {
          r: { tls: { certResolver: 'le', domains: [{ main: 'a.example', sans: ['www.a.example', 'api.a.example'] }, { main: 'b.example' }] } },
        },
      },
    },
  },
  {
    name: 'singular server becomes a one-element servers list, defaults applied',
    labels: {
      'traefik.http.services.web.loadbalancer.server.port': '8080',
      'traefik.http.services.web.loadbalancer.server.scheme': 'https',
      'traefik.http.services.web.loadbalancer.server.weight': '3',
      'traefik.http.services.web.loadbalancer.server.preservepath': 'true',
      'traefik.http.services.web.loadbalancer.healthcheck.path': '/health',
      'traefik.http.services.web.loadbalancer.healthcheck.interval': '10',
      'traefik.http.services.web.loadbalancer.healthcheck.headers.X-Probe': 'wharf',
      'traefik.http.services.web.loadbalancer.responseforwarding.flushinterval': '1m30s',
    },
    expected: {
      http: {
        services: {
          web: {
            loadBalancer: {
              ...LB_DEFAULTS,
              responseForwarding: { flushInterval: '1m30s' },
              servers: [{ port: '8080', scheme: 'https', weight: 3, preservePath: true }],
              healthCheck: { ...HC_DEFAULTS, path: '/health', interval: '10', headers: { 'X-Probe': 'wharf' } },
            },
          },
        },
      },
    },
  },
  {
    name: 'sticky cookie: allow-empty structs enabled by true',
    labels: { 'traefik.http.services.s.loadbalancer.sticky.cookie': 'true', 'traefik.http.services.s.loadbalancer.passhostheader': 'f' },
    expected: { http: { services: { s: { loadBalancer: { ...LB_DEFAULTS, passHostHeader: false, sticky: { cookie: { path: '/' } } } } } } },
  },
  {
    name: 'allow-empty disabled by another value even with sub-keys',
    labels: {
      'traefik.http.services.s.loadbalancer.sticky': 'false',
      'traefik.http.services.s.loadbalancer.sticky.cookie.name': 'x',
      'traefik.http.routers.r.tls': 'no',
      'traefik.http.routers.r.tls.options': 'modern',
      'traefik.http.routers.r.rule': 'Path(`/`)',
    },
    expected: { http: { routers: { r: { rule: 'Path(`/`)' } }, services: { s: { loadBalancer: LB_DEFAULTS } } } },
  },
  {
    name: 'tls=true with sub-keys keeps both',
    labels: { 'traefik.http.routers.r.tls': 'TRUE', 'traefik.http.routers.r.tls.options': 'modern' },
    expected: { http: { routers: { r: { tls: { options: 'modern' } } } } },
  },
  {
    name: 'middlewares of several types',
    labels: {
      'traefik.http.middlewares.strip.stripprefix.prefixes': '/a,/b',
      'traefik.http.middlewares.hdr.headers.customrequestheaders.X-Foo': 'bar',
      'traefik.http.middlewares.hdr.headers.customresponseheaders.X-Removed': '',
      'traefik.http.middlewares.hdr.headers.stsseconds': '31536000',
      'traefik.http.middlewares.rl.ratelimit.average': '100',
      'traefik.http.middlewares.rl.ratelimit.sourcecriterion.ipstrategy': 'true',
      'traefik.http.middlewares.gz.compress': 'true',
      'traefik.http.middlewares.ct.contenttype': 'true',
      'traefik.http.middlewares.allow.ipallowlist.sourcerange': '10.0.0.0/8, 192.168.0.0/16',
      'traefik.http.middlewares.allow.ipallowlist.ipstrategy.depth': '2',
      'traefik.http.middlewares.cb.circuitbreaker.expression': 'NetworkErrorRatio() > 0.3',
      'traefik.http.middlewares.cb.circuitbreaker.checkperiod': '5s',
      'traefik.http.middlewares.err.errors.status': '500-599',
      'traefik.http.middlewares.err.errors.statusrewrites.418': '404',
    },
    expected: {
      http: {
        middlewares: {
          strip: { stripPrefix: { forceSlash: true, prefixes: ['/a', '/b'] } },
          hdr: { headers: { customRequestHeaders: { 'X-Foo': 'bar' }, customResponseHeaders: { 'X-Removed': '' }, stsSeconds: 31536000 } },
          rl: { rateLimit: { period: '1s', burst: 1, average: 100, sourceCriterion: { ipStrategy: {} } } },
          gz: { compress: {} },
          ct: { contentType: {} },
          allow: { ipAllowList: { sourceRange: ['10.0.0.0/8', '192.168.0.0/16'], ipStrategy: { depth: 2 } } },
          cb: { circuitBreaker: { checkPeriod: '5s', fallbackDuration: '10s', recoveryDuration: '10s', responseCode: 503, expression: 'NetworkErrorRatio() > 0.3' } },
          err: { errors: { status: ['500-599'], statusRewrites: { '418': 404 } } },
        },
      },
    },
  },
  {
    name: 'plugin and unknown types are free-form strings',
    labels: {
      'traefik.http.middlewares.p.plugin.demo.Header': 'X-Demo',
      'traefik.http.middlewares.p.plugin.demo.list[1]': 'b',
      'traefik.http.middlewares.p.plugin.demo.list[0]': 'a',
      'traefik.http.middlewares.q.myType.opt': '1',
    },
    expected: {
      http: {
        middlewares: {
          p: { plugin: { demo: { Header: 'X-Demo', list: ['a', 'b'] } } },
          q: { myType: { opt: '1' } },
        },
      },
    },
  },
  {
    name: 'element names merge case-insensitively into the first byte-sorted spelling',
    labels: {
      'traefik.http.routers.myRouter.rule': 'Path(`/`)',
      'traefik.http.routers.MyRouter.entrypoints': 'web',
      'traefik.http.routers.myrouter.priority': '7',
    },
    expected: { http: { routers: { MyRouter: { rule: 'Path(`/`)', entryPoints: ['web'], priority: 7 } } } },
  },
  {
    name: 'field names are case-insensitive; map keys keep the first spelling',
    labels: {
      'traefik.HTTP.Services.s.LoadBalancer.PassHostHeader': 'false',
      'traefik.http.middlewares.h.headers.customrequestheaders.x-foo': 'second',
      'traefik.http.middlewares.h.headers.customRequestHeaders.X-Foo': 'first',
    },
    expected: {
      http: {
        services: { s: { loadBalancer: { ...LB_DEFAULTS, passHostHeader: false } } },
        middlewares: { h: { headers: { customRequestHeaders: { 'X-Foo': 'first' } } } },
      },
    },
  },
  {
    name: 'tls default store and tcp/udp sections',
    labels: {
      'traefik.tls.stores.default.defaultgeneratedcert.resolver': 'le',
      'traefik.tls.stores.default.defaultgeneratedcert.domain.main': 'example.org',
      'traefik.tcp.routers.db.rule': 'HostSNI(`*`)',
      'traefik.tcp.services.db.loadbalancer.server.port': '5432',
      'traefik.udp.services.dns.loadbalancer.server.port': '53',
    },
    expected: {
      tls: { stores: { default: { defaultGeneratedCert: { resolver: 'le', domain: { main: 'example.org' } } } } },
      tcp: { routers: { db: { rule: 'HostSNI(`*`)' } }, services: { db: { loadBalancer: { servers: [{ port: '5432' }] } } } },
      udp: { services: { dns: { loadBalancer: { servers: [{ port: '53' }] } } } },
    },
  },
  {
    name: 'non-configuration labels are ignored',
    labels: {
      'traefik.enable': 'true',
      'traefik.docker.network': 'front',
      'traefik.tls.options.modern.minversion': 'VersionTLS13',
      'com.example.owner': 'me',
      'traefik.https.routers.x.rule': 'ignored',
    },
    expected: {},
  },
];

for (const { name, labels, expected } of cases) {
  test(`labels: ${name}`, (t) => {
    const result = decodeLabels(labels);
    t.deepEqual(result.errors, []);
    t.deepEqual(result.configuration, expected as never);
  });
}

test('a custom prefix replaces traefik', (t) => {
  const result = decodeLabels({ 'wharf.http.routers.a.rule': 'Path(`/`)', 'traefik.http.routers.b.rule': 'Path(`/b`)' }, { prefix: 'wharf' });
  t.deepEqual(result, { configuration: { http: { routers: { a: { rule: 'Path(`/`)' } } } }, errors: [] });
});

const bools: Array<[string, boolean | undefined]> = [
  ['true', true], ['TRUE', true], ['True', true], ['t', true], ['T', true], ['1', true],
  ['false', false], ['FALSE', false], ['False', false], ['f', false], ['F', false], ['0', false],
  ['yes', undefined], ['tRUE', undefined], [' true', undefined], ['', undefined],
];
for (const [text, expected] of bools) {
  test(`strict boolean ${JSON.stringify(text)}`, (t) => {
    const parsed = parseLabelBool(text);
    t.deepEqual(parsed.ok ? parsed.value : undefined, expected);
  });
}

test('labelServers reads decoded servers as LabelServer', (t) => {
  const { configuration } = decodeLabels({ 'traefik.http.services.s.loadbalancer.server.port': '80' });
  t.deepEqual(labelServers(configuration.http?.services?.s), [{ port: '80' }]);
  t.deepEqual(labelServers(undefined), []);
});

test('labelsWithPrefix keeps only keys under the prefix', (t) => {
  t.deepEqual(labelsWithPrefix({ 'traefik.enable': 'true', 'Traefik.http.x': 'y', traefik: 'z', 'other.a': 'b' }), {
    'traefik.enable': 'true',
    'Traefik.http.x': 'y',
  });
});

test('readProviderOptions reads enable and collects the other provider labels', (t) => {
  const { options, errors } = readProviderOptions({
    'traefik.enable': 'false',
    'traefik.ecs.anywhere': 'x',
    'traefik.http.routers.a.rule': 'y',
  });
  t.deepEqual(errors, []);
  t.deepEqual(options, { enable: false, others: { 'ecs.anywhere': 'x' } });
});

const exposure: Array<[Record<string, string>, boolean, boolean]> = [
  [{}, true, true],
  [{}, false, false],
  [{ 'traefik.enable': 'true' }, false, true],
  [{ 'traefik.enable': 'false' }, true, false],
  [{ 'traefik.enable': 'maybe' }, true, false],
];
for (const [labels, byDefault, expected] of exposure) {
  test(`isExposed(${JSON.stringify(labels)}, exposedByDefault=${byDefault}) = ${expected}`, (t) => {
    t.is(isExposed(labels, byDefault), expected);
  });
}

test('readProviderOptions reports a bad enable value with key and value', (t) => {
  const { errors } = readProviderOptions({ 'traefik.enable': 'maybe' });
  t.deepEqual(errors, ['label "traefik.enable=maybe": invalid boolean "maybe" (expected true, false, 1, 0, t or f)']);
});
