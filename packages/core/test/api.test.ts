import test from 'ava';
import { createApiApp } from '../src/api/api-app.js';
import { entryPoint, sampleState, serve } from './api-fixtures.js';

const state = sampleState();
const app = createApiApp({ state, entryPoints: { web: entryPoint(':8000'), traefik: entryPoint(':8080') }, features: { metrics: 'Prometheus', accessLog: true } });
let base = '';
let close: () => Promise<void>;

test.before(async () => {
  const s = await serve(app as never);
  base = s.url;
  close = s.close;
});
test.after.always(() => close?.());

async function get(path: string): Promise<{ status: number; body: any; next: string | null; type: string }> {
  const res = await fetch(base + path);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, next: res.headers.get('x-next-page'), type: res.headers.get('content-type') ?? '' };
}

const names = (body: Array<{ name: string }>): string[] => body.map((x) => x.name);

test('overview counts per status, features and capitalised providers', async (t) => {
  const { status, body } = await get('/api/overview');
  t.is(status, 200);
  t.deepEqual(body.http.routers, { total: 5, warnings: 1, errors: 2 });
  t.deepEqual(body.http.services, { total: 3, warnings: 0, errors: 1 });
  t.deepEqual(body.http.middlewares, { total: 3, warnings: 0, errors: 0 });
  t.deepEqual(body.udp, { routers: { total: 0, warnings: 0, errors: 0 }, services: { total: 0, warnings: 0, errors: 0 } });
  t.deepEqual(body.features, { tracing: '', metrics: 'Prometheus', accessLog: true });
  t.deepEqual(body.providers, ['File', 'Ecs']);
});

test('entry points list and detail carry the name and the static settings', async (t) => {
  const list = await get('/api/entrypoints');
  t.deepEqual(names(list.body), ['traefik', 'web']);
  const web = await get('/api/entrypoints/web');
  t.is(web.body.name, 'web');
  t.is(web.body.address, ':8000');
  t.is(web.body.boundAddress, '127.0.0.1:8000');
  t.is((await get('/api/entrypoints/nope')).status, 404);
});

test('router detail has Traefik fields, accepts @ or %40, and shows a disabled router\'s error', async (t) => {
  for (const name of ['delta@ecs', 'delta%40ecs']) {
    const { status, body } = await get(`/api/http/routers/${name}`);
    t.is(status, 200);
    t.like(body, { name: 'delta@ecs', provider: 'ecs', status: 'disabled', service: 'whoami@ecs', rule: 'Host(`delta.test`', using: ['web'] });
    t.deepEqual(body.error, ['invalid rule: missing ")"']);
  }
  const alpha = (await get('/api/http/routers/alpha@file')).body;
  t.is(alpha.priority, 'Host(`alpha.test`)'.length);
  t.is(alpha.priorityStr, String(alpha.priority));
  t.deepEqual(alpha.middlewares, ['auth@file']);
  t.false('error' in alpha, 'no error key when there is none');
});

test('service and middleware details carry type, usedBy and serverStatus', async (t) => {
  const app = (await get('/api/http/services/app@file')).body;
  t.like(app, { name: 'app@file', provider: 'file', type: 'loadbalancer', status: 'enabled' });
  t.deepEqual(app.usedBy, ['alpha@file', 'beta@file']);
  t.deepEqual(app.serverStatus, { 'http://10.0.0.1:80': 'UP', 'http://10.0.0.2:80': 'DOWN' });
  t.deepEqual(app.loadBalancer.servers, [{ url: 'http://10.0.0.1:80' }, { url: 'http://10.0.0.2:80' }]);
  const strip = (await get('/api/http/middlewares/strip@file')).body;
  t.like(strip, { name: 'strip@file', type: 'stripprefix', status: 'enabled', stripPrefix: { prefixes: ['/api'] } });
  t.deepEqual(strip.usedBy, ['epsilon@file']);
});

const notFound: Array<[string, string]> = [
  ['/api/http/routers/nope@file', 'router not found: nope@file'],
  ['/api/http/services/nope', 'service not found: nope'],
  ['/api/http/middlewares/nope@x', 'middleware not found: nope@x'],
  ['/api/entrypoints/nope', 'entry point not found: nope'],
];
for (const [path, message] of notFound) {
  test(`unknown name → 404 JSON: ${path}`, async (t) => {
    const res = await get(path);
    t.is(res.status, 404);
    t.regex(res.type, /application\/json/);
    t.deepEqual(res.body, { message });
  });
}

test('an unknown API path is a 404 with a JSON message', async (t) => {
  const res = await get('/api/nothing/here');
  t.is(res.status, 404);
  t.truthy(res.body.message);
});

const listCases: Array<{ title: string; path: string; names: string[]; next?: string }> = [
  { title: 'routers sorted by name by default', path: '/api/http/routers', names: ['alpha@file', 'beta@file', 'delta@ecs', 'epsilon@file', 'gamma@ecs'], next: '1' },
  { title: 'descending', path: '/api/http/routers?direction=desc', names: ['gamma@ecs', 'epsilon@file', 'delta@ecs', 'beta@file', 'alpha@file'] },
  { title: 'by priority ascending', path: '/api/http/routers?sortBy=priority', names: ['delta@ecs', 'alpha@file', 'gamma@ecs', 'epsilon@file', 'beta@file'] },
  { title: 'by priority descending', path: '/api/http/routers?sortBy=priority&direction=desc', names: ['beta@file', 'epsilon@file', 'gamma@ecs', 'alpha@file', 'delta@ecs'] },
  { title: 'by provider, ties by name', path: '/api/http/routers?sortBy=provider', names: ['delta@ecs', 'gamma@ecs', 'alpha@file', 'beta@file', 'epsilon@file'] },
  { title: 'by status', path: '/api/http/routers?sortBy=status', names: ['delta@ecs', 'epsilon@file', 'alpha@file', 'beta@file', 'gamma@ecs'] },
  { title: 'search in name, case-insensitive', path: '/api/http/routers?search=ALP', names: ['alpha@file'] },
  { title: 'search in rule', path: '/api/http/routers?search=PathPrefix', names: ['beta@file'] },
  { title: 'status filter', path: '/api/http/routers?status=disabled', names: ['delta@ecs', 'epsilon@file'] },
  { title: 'status warning', path: '/api/http/routers?status=warning', names: ['gamma@ecs'] },
  { title: 'serviceName, qualified', path: '/api/http/routers?serviceName=whoami@ecs', names: ['delta@ecs', 'gamma@ecs'] },
  { title: 'serviceName, bare', path: '/api/http/routers?serviceName=app', names: ['alpha@file', 'beta@file'] },
  { title: 'middlewareName', path: '/api/http/routers?middlewareName=auth@file', names: ['alpha@file', 'epsilon@file'] },
  { title: 'middlewareName and status together', path: '/api/http/routers?middlewareName=strip@file&status=disabled', names: ['epsilon@file'] },
  { title: 'first page of two', path: '/api/http/routers?per_page=2', names: ['alpha@file', 'beta@file'], next: '2' },
  { title: 'second page', path: '/api/http/routers?per_page=2&page=2', names: ['delta@ecs', 'epsilon@file'], next: '3' },
  { title: 'last page says 1', path: '/api/http/routers?per_page=2&page=3', names: ['gamma@ecs'], next: '1' },
  { title: 'services by type then name', path: '/api/http/services?sortBy=servers&direction=desc', names: ['app@file', 'whoami@ecs', 'broken@file'] },
  { title: 'services status filter', path: '/api/http/services?status=disabled', names: ['broken@file'] },
  { title: 'middlewares by type', path: '/api/http/middlewares?sortBy=type', names: ['auth@file', 'hdr@ecs', 'strip@file'] },
  { title: 'middlewares search', path: '/api/http/middlewares?search=STRIP', names: ['strip@file'] },
  { title: 'an empty result is a page, not an error', path: '/api/http/routers?search=zzz', names: [], next: '1' },
];
for (const c of listCases) {
  test(`list: ${c.title}`, async (t) => {
    const res = await get(c.path);
    t.is(res.status, 200);
    t.deepEqual(names(res.body), c.names);
    if (c.next) t.is(res.next, c.next);
  });
}

for (const path of ['/api/http/routers?per_page=2&page=4', '/api/http/services?page=9', '/api/http/routers?page=0', '/api/http/routers?per_page=abc']) {
  test(`bad paging → 400: ${path}`, async (t) => {
    const res = await get(path);
    t.is(res.status, 400);
    t.regex(res.body.message, /invalid request/);
  });
}

test('rawdata maps every element by qualified name, with runtime fields', async (t) => {
  const { body } = await get('/api/rawdata');
  t.deepEqual(Object.keys(body.routers).sort(), ['alpha@file', 'beta@file', 'delta@ecs', 'epsilon@file', 'gamma@ecs']);
  t.is(body.routers['epsilon@file'].status, 'disabled');
  t.deepEqual(body.services['app@file'].usedBy, ['alpha@file', 'beta@file']);
  t.is(body.services['app@file'].serverStatus['http://10.0.0.2:80'], 'DOWN');
  t.deepEqual(body.tcpRouters, {});
  t.deepEqual(body.udpServices, {});
});

test('version names the release and the start date', async (t) => {
  const { body } = await get('/api/version');
  t.regex(body.Version, /^\d+\.\d+\.\d+/);
  t.is(body.startDate, state.startDate.toISOString());
  t.truthy(body.Codename);
});

test('secrets never leave the API: password hashes, credential headers, URL passwords', async (t) => {
  for (const path of ['/api/rawdata', '/api/http/middlewares', '/api/http/middlewares/auth@file', '/api/http/services/whoami@ecs', '/api/http/services']) {
    const text = JSON.stringify((await get(path)).body);
    t.false(text.includes('$apr1$'), path);
    t.false(text.includes('s3cr3t'), path);
    t.false(text.includes('hunter2'), path);
  }
  const auth = (await get('/api/http/middlewares/auth@file')).body;
  t.deepEqual(auth.basicAuth.users, ['alice:REDACTED', 'bob:REDACTED']);
  const hdr = (await get('/api/http/middlewares/hdr@ecs')).body;
  t.deepEqual(hdr.headers.customRequestHeaders, { Authorization: 'REDACTED', 'X-Team': 'blue' });
  const whoami = (await get('/api/http/services/whoami@ecs')).body;
  t.is(whoami.loadBalancer.servers[0].url, 'http://admin:REDACTED@10.0.1.1:8080');
  t.deepEqual(Object.keys(whoami.serverStatus), ['http://admin:REDACTED@10.0.1.1:8080']);
});

test('a reload is visible on the next request', async (t) => {
  const local = sampleState();
  const s = await serve(createApiApp({ state: local, entryPoints: {}, features: { metrics: '', accessLog: false } }) as never);
  try {
    const before = (await (await fetch(`${s.url}/api/http/routers`)).json()) as unknown[];
    const next = sampleState().runtime;
    next.routers.delete('alpha@file');
    local.publish(next, true);
    const after = (await (await fetch(`${s.url}/api/http/routers`)).json()) as unknown[];
    t.is(after.length, before.length - 1);
  } finally {
    await s.close();
  }
});

test('basePath moves the API under a prefix', async (t) => {
  const s = await serve(createApiApp({ state, entryPoints: {}, features: { metrics: '', accessLog: false }, basePath: '/traefik/' }) as never);
  try {
    t.is((await fetch(`${s.url}/traefik/api/overview`)).status, 200);
    t.is((await fetch(`${s.url}/api/overview`)).status, 404);
  } finally {
    await s.close();
  }
});
