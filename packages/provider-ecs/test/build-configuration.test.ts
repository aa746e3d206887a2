import test from 'ava';
import { normalizeName, instanceName, selectPort } from '../src/index.js';
import { build, task, urls } from './fixtures.js';

const NAME = 'service-whoami-whoami';

test('naming: normalize keeps case and joins letter/digit runs with dashes', (t) => {
  const table: Array<[string, string, string]> = [
    ['service:whoami', 'whoami', 'service-whoami-whoami'],
    ['service:my_api.v2', 'web_1', 'service-my-api-v2-web-1'],
    ['family:batch-jobs', 'Worker', 'family-batch-jobs-Worker'],
    ['service:café', 'ü', 'service-café-ü'],
  ];
  for (const [group, container, expected] of table) t.is(normalizeName(instanceName(group, container)), expected, `${group} + ${container}`);
});

test('a plain Fargate task gets the default service, router and rule', (t) => {
  const result = build([task({ ip: '10.0.0.7' })]);
  t.deepEqual(urls(result, NAME), ['http://10.0.0.7:80']);
  t.deepEqual(result.configuration.http?.routers?.[NAME], { rule: `Host(\`${NAME}\`)`, service: NAME });
  t.is(result.configuration.http?.services?.[NAME]?.loadBalancer?.passHostHeader, true);
});

test('exposure: traefik.enable always wins over exposedByDefault', (t) => {
  const table: Array<[boolean, Record<string, string>, boolean]> = [
    [true, {}, true],
    [false, {}, false],
    [false, { 'traefik.enable': 'true' }, true],
    [true, { 'traefik.enable': 'false' }, false],
    [false, { 'traefik.enable': 'TRUE' }, true],
    [true, { 'traefik.enable': 'yes' }, false],
    [true, { 'traefik.ecs.unknown': 'x' }, false],
    [true, { 'TRAEFIK.enable': 'true' }, false],
  ];
  for (const [exposedByDefault, labels, exposed] of table) {
    const result = build([task({ labels })], { exposedByDefault });
    t.is(result.instances.length === 1, exposed, `${exposedByDefault} ${JSON.stringify(labels)}`);
  }
});

test('constraints: Label, LabelRegex, &&, ||, !, parentheses over all labels', (t) => {
  const labels = { 'traefik.tags': 'public', team: 'edge' };
  const table: Array<[string, boolean]> = [
    ['', true],
    ['Label(`traefik.tags`, `public`)', true],
    ['Label("traefik.tags", "Public")', false],
    ['Label(`missing`, ``)', true],
    ['LabelRegex(`team`, `dg`)', true],
    ['LabelRegex(`team`, `^dg$`)', false],
    ['LabelRegex(`team`, `(?i)^EDGE$`)', true],
    ['!Label(`team`, `edge`)', false],
    ['Label(`team`, `x`) || Label(`team`, `edge`)', true],
    ['Label(`team`, `edge`) && !(Label(`traefik.tags`, `public`) || Label(`a`, `b`))', false],
  ];
  for (const [constraints, kept] of table) t.is(build([task({ labels })], { constraints }).instances.length === 1, kept, constraints);
});

test('constraints: syntax errors are start-up errors', (t) => {
  for (const bad of ['Label(`a`)', 'Tag(`a`, `b`)', 'Label(`a`, `b`) &&', '(Label(`a`,`b`)', 'LabelRegex(`a`, `(`)', 'Label(`a`, `b`) garbage']) {
    t.throws(() => build([task()], { constraints: bad }), { code: 'ECS_CONSTRAINTS' }, bad);
  }
});

test('default rule: the template subset users write', (t) => {
  const labels = { customLabel: 'example.com', 'traefik.enable': 'true' };
  const table: Array<[string, string]> = [
    ['Host(`{{ normalize .Name }}`)', `Host(\`${NAME}\`)`],
    ['Host(`{{ .Name }}.{{ index .Labels "customLabel"}}`)', `Host(\`${NAME}.example.com\`)`],
    ['Host(`{{ .Name | lower | trimPrefix "service-" }}.local`)', 'Host(`whoami-whoami.local`)'],
    ['Host(`{{- index .Labels "nope" | default "fallback" -}}`)', 'Host(`fallback`)'],
    ['PathPrefix(`/{{ replace "-" "/" .Name }}`)', 'PathPrefix(`/service/whoami/whoami`)'],
  ];
  for (const [defaultRule, rule] of table) t.is(build([task({ labels })], { defaultRule }).configuration.http?.routers?.[NAME]?.rule, rule, defaultRule);
});

test('default rule: unsupported syntax is a start-up error naming the problem', (t) => {
  for (const bad of ['Host(`{{ .Toto }}`)', 'Host(`{{ if .Name }}x{{ end }}`)', 'Host(`{{ upper }}`)', 'Host(`{{ .Name`)', 'Host(`{{ $x := 1 }}`)']) {
    t.throws(() => build([task()], { defaultRule: bad }), { code: 'ECS_DEFAULT_RULE' }, bad);
  }
});

test('default rule: an empty result removes the router and keeps the service', (t) => {
  const result = build([task()], { defaultRule: '' });
  t.deepEqual(result.configuration.http?.routers, {});
  t.truthy(result.configuration.http?.services?.[NAME]);
});

test('ports: label names a container port → host port, else literal, else lowest host port', (t) => {
  const bindings = [{ containerPort: 80, hostPort: 32770 }, { containerPort: 8080, hostPort: 32769 }];
  const table: Array<[string | undefined, number | string]> = [
    [undefined, 32769],
    ['80', 32770],
    ['8080', 32769],
    ['9000', 9000],
    ['http', 'port label "http" is not a port number'],
  ];
  for (const [label, expected] of table) t.is(selectPort(bindings, label), expected, String(label));
  t.is(selectPort([], undefined), 'port is missing');
  t.is(selectPort([{ containerPort: 443 }], undefined), 443, 'awsvpc mapping without hostPort uses the container port');
});

test('ports: the port label on a bridge task reaches the dynamic host port', (t) => {
  const result = build([task({ mode: 'bridge', ports: [{ containerPort: 80, hostPort: 32770 }, { containerPort: 8080, hostPort: 32769 }], labels: { 'traefik.http.services.web.loadbalancer.server.port': '80' } })]);
  t.deepEqual(urls(result, 'web'), ['http://10.1.0.1:32770']);
});

test('network modes: awsvpc through the ENI, bridge/host through the EC2 instance, IPv6 fallback', (t) => {
  const table: Array<[ReturnType<typeof task>, string | undefined]> = [
    [task({ ip: '10.0.0.9' }), 'http://10.0.0.9:80'],
    [task({ ip: '', ipv6: 'fd00::5' }), 'http://[fd00::5]:80'],
    [task({ mode: 'bridge', ports: [{ containerPort: 80, hostPort: 32768 }] }), 'http://10.1.0.1:32768'],
    [task({ mode: 'host', ports: [{ containerPort: 80, hostPort: 80 }], host: { kind: 'ec2', instanceId: 'i-2', privateIp: '10.1.0.2', state: 'running' } }), 'http://10.1.0.2:80'],
    [task({ mode: 'bridge', ports: [{ containerPort: 80, hostPort: 32768 }], host: { kind: 'ec2', instanceId: 'i-2', privateIp: '10.1.0.2', state: 'stopping' } }), undefined],
    [task({ mode: 'bridge', ports: [{ containerPort: 80, hostPort: 32768 }], host: null }), undefined],
    [task({ noInterfaces: true }), undefined],
    [task({ ip: '' }), undefined],
  ];
  for (const [input, url] of table) t.deepEqual(urls(build([input]), NAME), url === undefined ? undefined : [url], JSON.stringify(input.containers));
});

test('ECS Anywhere: EXTERNAL tasks are reached through the SSM IP, and say why when not resolved', (t) => {
  const external = task({ mode: 'bridge', launchType: 'EXTERNAL', ports: [{ containerPort: 80, hostPort: 8080 }], host: { kind: 'external', instanceId: 'mi-1', ip: '192.168.1.20' } });
  t.deepEqual(urls(build([external]), NAME), ['http://192.168.1.20:8080']);
  const unresolved = build([task({ mode: 'bridge', launchType: 'EXTERNAL', ports: [{ containerPort: 80, hostPort: 8080 }], host: null })]);
  t.is(unresolved.instances.length, 0);
  t.regex(unresolved.skipped[0]!.reason, /ecsAnywhere/);
});

test('health and state filters', (t) => {
  const table: Array<[Parameters<typeof task>[0], boolean, boolean]> = [
    [{ lastStatus: 'RUNNING' }, false, true],
    [{ lastStatus: 'PENDING' }, false, false],
    [{ lastStatus: 'ACTIVATING' }, false, false],
    [{ healthStatus: 'UNHEALTHY' }, false, false],
    [{ healthStatus: 'UNKNOWN' }, false, true],
    [{ healthStatus: 'UNKNOWN' }, true, false],
    [{ healthStatus: 'HEALTHY' }, true, true],
    [{ mode: 'bridge', healthStatus: 'UNHEALTHY', ports: [{ containerPort: 80, hostPort: 32768 }] }, false, false],
    [{ mode: 'bridge', lastStatus: 'ACTIVATING', ports: [{ containerPort: 80, hostPort: 32768 }] }, false, false],
  ];
  for (const [spec, healthyTasksOnly, kept] of table) t.is(build([task(spec)], { healthyTasksOnly }).instances.length === 1, kept, `${JSON.stringify(spec)} healthyTasksOnly=${healthyTasksOnly}`);
});

test('merge: tasks of one service become one service with many servers, deduplicated', (t) => {
  const result = build([task({ ip: '10.0.0.3' }), task({ ip: '10.0.0.2' }), task({ ip: '10.0.0.2' })]);
  t.deepEqual(urls(result, NAME)?.sort(), ['http://10.0.0.2:80', 'http://10.0.0.3:80']);
  t.is(Object.keys(result.configuration.http?.routers ?? {}).length, 1);
});

test('merge: the same service in two clusters merges (the cluster is not part of the name)', (t) => {
  const result = build([task({ cluster: 'a', ip: '10.0.0.1' }), task({ cluster: 'b', ip: '10.0.0.2' })]);
  t.is(urls(result, NAME)?.length, 2);
});

test('conflicts: different settings or routers remove the element, not first-wins', (t) => {
  const a = task({ group: 'service:a', labels: { 'traefik.http.routers.r.rule': 'Host(`x`)', 'traefik.http.services.s.loadbalancer.passhostheader': 'true' } });
  const b = task({ group: 'service:b', labels: { 'traefik.http.routers.r.rule': 'Host(`y`)', 'traefik.http.services.s.loadbalancer.passhostheader': 'false' } });
  const c = task({ group: 'service:c', labels: { 'traefik.http.routers.r.rule': 'Host(`x`)', 'traefik.http.services.s.loadbalancer.passhostheader': 'true' } });
  const result = build([a, b, c]);
  t.is(result.configuration.http?.routers?.r, undefined);
  t.is(result.configuration.http?.services?.s, undefined);
  t.true(result.issues.some((i) => /router r is defined multiple times/.test(i.message)));
  t.true(result.issues.some((i) => /service s is defined multiple times/.test(i.message)));
});

test('labels: routers, services and middlewares from labels, linked to the only service', (t) => {
  const result = build([task({
    ip: '10.0.0.4',
    labels: {
      'traefik.http.routers.Api.rule': 'Host(`api.example`)',
      'traefik.http.routers.Api.middlewares': 'strip, auth@file',
      'traefik.http.middlewares.strip.stripprefix.prefixes': '/api',
      'traefik.http.services.backend.loadbalancer.server.port': '80',
      'traefik.http.services.backend.loadbalancer.server.scheme': 'h2c',
    },
  })]);
  const http = result.configuration.http!;
  t.deepEqual(http.routers?.Api, { rule: 'Host(`api.example`)', middlewares: ['strip', 'auth@file'], service: 'backend' });
  t.deepEqual((http.middlewares?.strip as { stripPrefix?: { prefixes?: string[] } }).stripPrefix?.prefixes, ['/api']);
  t.deepEqual(urls(result, 'backend'), ['h2c://10.0.0.4:80']);
  t.is(http.services?.[NAME], undefined, 'no auto service when one is labelled');
});

test('labels: several services and no router → no router; a router without service is dropped', (t) => {
  const two = { 'traefik.http.services.a.loadbalancer.server.port': '80', 'traefik.http.services.b.loadbalancer.server.port': '80' };
  t.deepEqual(build([task({ labels: two })]).configuration.http?.routers, {});
  const result = build([task({ labels: { ...two, 'traefik.http.routers.r.rule': 'Path(`/`)' } })]);
  t.deepEqual(result.configuration.http?.routers, {});
});

test('labels: server.url is used verbatim, and cannot be combined with port', (t) => {
  t.deepEqual(urls(build([task({ labels: { 'traefik.http.services.s.loadbalancer.server.url': 'http://elsewhere:9000' } })]), 's'), ['http://elsewhere:9000']);
  const bad = build([task({ labels: { 'traefik.http.services.s.loadbalancer.server.url': 'http://x', 'traefik.http.services.s.loadbalancer.server.port': '80' } })]);
  t.deepEqual(bad.configuration.http?.services ?? {}, {});
});

test('a bad label set drops only that task', (t) => {
  const good = task({ group: 'service:good', ip: '10.0.0.5' });
  const bad = task({ group: 'service:bad', labels: { 'traefik.http.routers.r.unknownfield': 'x' } });
  const result = build([good, bad]);
  t.deepEqual(Object.keys(result.configuration.http?.services ?? {}), ['service-good-whoami']);
  t.true(result.issues.some((i) => /labels rejected/.test(i.message) && i.instance?.startsWith('service-bad-whoami')));
});

test('sidecars: every container is considered; a container without port is skipped alone', (t) => {
  const result = build([task({ containers: [{ name: 'app', ports: [{ containerPort: 80, hostPort: 80 }] }, { name: 'log', ports: [] }] })]);
  t.deepEqual(Object.keys(result.configuration.http?.services ?? {}), ['service-whoami-app']);
});

test('TCP labels build an ip:port service and suppress the automatic HTTP router', (t) => {
  const result = build([task({ ip: '10.0.0.8', ports: [{ containerPort: 5432, hostPort: 5432 }], labels: { 'traefik.tcp.routers.db.rule': 'HostSNI(`*`)' } })]);
  t.is(result.configuration.http, undefined);
  const tcp = result.configuration.tcp as { routers: Record<string, { service: string }>; services: Record<string, { loadBalancer: { servers: Array<{ address: string }> } }> };
  t.is(tcp.routers.db!.service, NAME);
  t.deepEqual(tcp.services[NAME]!.loadBalancer.servers, [{ address: '10.0.0.8:5432' }]);
});

test('labelPrefix: another prefix is read instead of traefik', (t) => {
  const result = build([task({ labels: { 'wharf.http.routers.w.rule': 'Host(`w`)', 'traefik.http.routers.t.rule': 'Host(`t`)' } })], { labelPrefix: 'wharf' });
  t.deepEqual(Object.keys(result.configuration.http?.routers ?? {}), ['w']);
});
