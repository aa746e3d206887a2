import test from 'ava';
import { decodeLabels } from '../src/labels/index.js';

interface LabelErrorCase {
  name: string;
  labels: Record<string, string>;
  /** The whole message: it must name the offending label key and value. */
  error: string;
}

const cases: LabelErrorCase[] = [
  {
    name: 'unknown field',
    labels: { 'traefik.http.routers.r.rulle': 'Path(`/`)' },
    error: 'label "traefik.http.routers.r.rulle=Path(`/`)": field not found, node: rulle',
  },
  {
    name: 'unknown field deeper, named by its first label',
    labels: { 'traefik.http.services.s.loadbalancer.bogus.x': '1' },
    error: 'label "traefik.http.services.s.loadbalancer.bogus.x=1": field not found, node: bogus',
  },
  {
    name: 'sub-key under a plain value',
    labels: { 'traefik.http.routers.r.rule.host': 'a' },
    error: 'label "traefik.http.routers.r.rule.host=a": field not found, node: host',
  },
  {
    name: 'file-only service kind',
    labels: { 'traefik.http.services.s.weighted.services[0].name': 'a' },
    error: 'label "traefik.http.services.s.weighted.services[0].name=a": field not found, node: weighted',
  },
  {
    name: 'plural servers is not the label spelling',
    labels: { 'traefik.http.services.s.loadbalancer.servers[0].url': 'http://a' },
    error: 'label "traefik.http.services.s.loadbalancer.servers[0].url=http://a": field not found, node: servers',
  },
  {
    name: 'list of structs without an index',
    labels: { 'traefik.http.routers.r.tls.domains.main': 'a.example' },
    error: 'label "traefik.http.routers.r.tls.domains.main=a.example": field not found, node: main (expected an index such as domains[0])',
  },
  { name: 'bad integer', labels: { 'traefik.http.routers.r.priority': '10.5' }, error: 'label "traefik.http.routers.r.priority=10.5": invalid integer "10.5"' },
  {
    name: 'bad integer in an int map',
    labels: { 'traefik.http.middlewares.m.errors.statusrewrites.418': 'teapot' },
    error: 'label "traefik.http.middlewares.m.errors.statusrewrites.418=teapot": invalid integer "teapot"',
  },
  {
    name: 'bad boolean',
    labels: { 'traefik.http.services.s.loadbalancer.passhostheader': 'yes' },
    error: 'label "traefik.http.services.s.loadbalancer.passhostheader=yes": invalid boolean "yes" (expected true, false, 1, 0, t or f)',
  },
  {
    name: 'bad duration',
    labels: { 'traefik.http.services.s.loadbalancer.healthcheck.interval': '10 s' },
    error: 'label "traefik.http.services.s.loadbalancer.healthcheck.interval=10 s": invalid duration "10 s" (expected whole seconds or Go syntax such as "1m30s")',
  },
  { name: 'empty segment', labels: { 'traefik.http.routers..rule': 'x' }, error: 'label "traefik.http.routers..rule=x": empty segment in the key' },
  { name: 'trailing dot', labels: { 'traefik.http.routers.r.': 'x' }, error: 'label "traefik.http.routers.r.=x": empty segment in the key' },
  {
    name: 'struct given a plain value',
    labels: { 'traefik.http.services.s.loadbalancer': 'true' },
    error: 'label "traefik.http.services.s.loadbalancer=true": loadbalancer cannot be a standalone element',
  },
  { name: 'element given a plain value', labels: { 'traefik.http.routers.r': 'x' }, error: 'label "traefik.http.routers.r=x": r cannot be a standalone element' },
  {
    name: 'map given a plain value',
    labels: { 'traefik.http.middlewares.m.headers.customrequestheaders': 'X-A:1' },
    error: 'label "traefik.http.middlewares.m.headers.customrequestheaders=X-A:1": customrequestheaders cannot be a standalone element',
  },
  {
    name: 'struct given a value besides its sub-keys',
    labels: { 'traefik.http.services.s.loadbalancer.healthcheck': 'on', 'traefik.http.services.s.loadbalancer.healthcheck.path': '/' },
    error: 'label "traefik.http.services.s.loadbalancer.healthcheck=on": healthcheck cannot be a standalone element',
  },
  { name: 'section given a plain value', labels: { 'traefik.http': 'x' }, error: 'label "traefik.http=x": http cannot be a standalone element' },
  {
    name: '@ in an element name',
    labels: { 'traefik.http.middlewares.auth@file.basicauth.users': 'a:b' },
    error: 'label "traefik.http.middlewares.auth@file.basicauth.users=a:b": element name "auth@file" must not contain "@" (it separates the provider name)',
  },
  {
    name: 'two middleware types',
    labels: { 'traefik.http.middlewares.m.addprefix.prefix': '/a', 'traefik.http.middlewares.m.stripprefix.prefixes': '/b' },
    error: 'label "traefik.http.middlewares.m.addprefix.prefix=/a": only one middleware type is allowed, got addPrefix, stripPrefix',
  },
  {
    name: 'prefix not spelled exactly',
    labels: { 'Traefik.http.routers.r.rule': 'x' },
    error: 'label "Traefik.http.routers.r.rule=x": the prefix must be written exactly "traefik"',
  },
];

for (const { name, labels, error } of cases) {
  test(`label error: ${name}`, (t) => {
    const { errors } = decodeLabels(labels);
    t.deepEqual(errors, [error]);
  });
}

test('every error of a label set is reported', (t) => {
  const { errors } = decodeLabels({
    'traefik.http.routers.a.priority': 'x',
    'traefik.http.routers.b.rulle': 'y',
    'traefik.http.routers.c.rule': 'Path(`/`)',
  });
  t.is(errors.length, 2);
  t.regex(errors[0], /routers\.a\.priority=x/);
  t.regex(errors[1], /routers\.b\.rulle=y/);
});
