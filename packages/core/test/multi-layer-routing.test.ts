import test from 'ava';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamicConfiguration, HttpConfiguration, RouterConfig } from '../src/config/dynamic/types.js';
import type { InternalService } from '../src/internal/internal-service.js';
import { silentLogger } from '../src/logger.js';
import type { WharfRequest } from '../src/middlewares/middleware-factory.js';
import { Forwarder } from '../src/proxy/forwarder.js';
import { PoolRegistry } from '../src/proxy/pool-registry.js';
import { HealthCheckRegistry } from '../src/services/health-check/health-check-registry.js';
import { builtinMiddlewareFactories } from '../src/register.js';
import { currentHeaderLines } from '../src/routing/current-request-facts.js';
import { RequestFacts } from '../src/rules/index.js';
import { mergeSnapshots } from '../src/runtime/merge.js';
import type { ElementStatus } from '../src/runtime/runtime-configuration.js';
import { RouterFactory, type Build } from '../src/server/router-factory.js';

const transport = { name: 'default@internal', dialTimeout: 30_000, responseHeaderTimeout: 0, idleConnTimeout: 90_000, maxIdleConnsPerHost: 200 };
const SERVICES = ['a', 'b', 'c', 'd'];

/** Internal services that answer 200 with their name, the router path and the URL they received. */
function echoServices(): Map<string, InternalService> {
  return new Map(SERVICES.map((s) => [`${s}@internal`, { name: `${s}@internal`, handle: (req: WharfRequest, res: ServerResponse) => res.end(`${s} ${req.wharf.router} ${req.url}`) }]));
}

function build(configs: Record<string, DynamicConfiguration>): Build {
  const pools = new PoolRegistry();
  const entryPoints = [{ name: 'web', asDefault: false, middlewares: [] as string[] }];
  const factory = new RouterFactory({ entryPoints, defaultRuleSyntax: 'v3', precedence: ['file'], defaultTransport: transport }, builtinMiddlewareFactories as never, echoServices(), new Forwarder(pools, silentLogger()), new HealthCheckRegistry(silentLogger()), silentLogger());
  const result = factory.build(mergeSnapshots(new Map(Object.entries(configs))));
  void pools.close();
  return result;
}

// Fixture builders: a parent has a rule and no service, a child names its parents.
const parent = (rule: string, extra: RouterConfig = {}): RouterConfig => ({ rule, ...extra });
const child = (rule: string, service: string, parents: string[], extra: RouterConfig = {}): RouterConfig => ({ rule, service: `${service}@internal`, parentRefs: parents, ...extra });

type Expect = Record<string, { status: ElementStatus; error?: RegExp }>;
const cases: Array<{ title: string; routers: Record<string, RouterConfig>; expect: Expect; rootsInTable: number }> = [
  {
    title: 'a parent and two children: only the parent reaches the entry point',
    routers: { p: parent('PathPrefix(`/x`)'), c1: child('Header(`X-R`, `1`)', 'a', ['p']), c2: child('Header(`X-R`, `2`)', 'b', ['p']) },
    expect: { 'p@file': { status: 'enabled' }, 'c1@file': { status: 'enabled' }, 'c2@file': { status: 'enabled' } },
    rootsInTable: 1,
  },
  {
    title: 'a child whose parent does not exist is disabled, naming the parent',
    routers: { c: child('Path(`/c`)', 'a', ['ghost']) },
    expect: { 'c@file': { status: 'disabled', error: /parent router "ghost@file" does not exist/ } },
    rootsInTable: 0,
  },
  {
    title: 'one missing parent among several disables the child, as in Traefik',
    routers: { p: parent('Path(`/p`)'), c: child('Path(`/c`)', 'a', ['p', 'ghost']), other: child('Path(`/o`)', 'b', ['p']) },
    expect: { 'c@file': { status: 'disabled', error: /"ghost@file" does not exist/ }, 'p@file': { status: 'enabled' }, 'other@file': { status: 'enabled' } },
    rootsInTable: 1,
  },
  {
    title: 'a parent with no child and no service is disabled',
    routers: { p: parent('PathPrefix(`/x`)') },
    expect: { 'p@file': { status: 'disabled', error: /neither a service nor child routers/ } },
    rootsInTable: 0,
  },
  {
    title: 'a parent with a service and children is disabled, and so is its child',
    routers: { p: parent('PathPrefix(`/x`)', { service: 'a@internal' }), c: child('Path(`/x/c`)', 'b', ['p']) },
    expect: { 'p@file': { status: 'disabled', error: /has a service and is also the parent/ }, 'c@file': { status: 'disabled', error: /parent router "p@file" is disabled/ } },
    rootsInTable: 0,
  },
  {
    title: 'a parent whose rule is invalid disables its subtree, naming the parent at each level',
    routers: { p: parent('PathPrefix(`/x`'), m: parent('Path(`/x/m`)', { parentRefs: ['p'] }), leaf: child('Header(`X-L`, `1`)', 'a', ['m']) },
    expect: { 'p@file': { status: 'disabled', error: /invalid rule/ }, 'm@file': { status: 'disabled', error: /"p@file" is disabled/ }, 'leaf@file': { status: 'disabled', error: /"m@file" is disabled/ } },
    rootsInTable: 0,
  },
  {
    title: 'a parent none of whose children can be built is disabled',
    routers: { p: parent('PathPrefix(`/x`)'), c: { rule: 'Path(`/x/c`)', service: 'nope', parentRefs: ['p'] } },
    expect: { 'c@file': { status: 'disabled', error: /the service "nope@file" does not exist/ }, 'p@file': { status: 'disabled', error: /none of its 1 child router/ } },
    rootsInTable: 0,
  },
  {
    title: 'a child cannot carry entryPoints, tls or observability',
    routers: {
      p: parent('PathPrefix(`/x`)'),
      ok: child('Path(`/x/ok`)', 'a', ['p']),
      e: child('Path(`/x/e`)', 'a', ['p'], { entryPoints: ['web'] }),
      t: child('Path(`/x/t`)', 'a', ['p'], { tls: {} }),
      o: child('Path(`/x/o`)', 'a', ['p'], { observability: { accessLogs: false } }),
    },
    expect: {
      'ok@file': { status: 'enabled' },
      'e@file': { status: 'disabled', error: /child router cannot have entryPoints/ },
      't@file': { status: 'disabled', error: /child router cannot have a tls section/ },
      'o@file': { status: 'disabled', error: /child router cannot have an observability section/ },
    },
    rootsInTable: 1,
  },
  {
    title: 'routers that only reference each other are not reachable',
    routers: { x: parent('Path(`/x`)', { parentRefs: ['y'] }), y: parent('Path(`/y`)', { parentRefs: ['x'] }) },
    expect: { 'x@file': { status: 'disabled', error: /not reachable/ }, 'y@file': { status: 'disabled', error: /not reachable/ } },
    rootsInTable: 0,
  },
  {
    title: 'a cycle below a root: the closing link is dropped with a warning; a router left without children is disabled',
    routers: { a: parent('PathPrefix(`/`)'), b: parent('PathPrefix(`/b`)', { parentRefs: ['a', 'd'] }), c: parent('PathPrefix(`/b/c`)', { parentRefs: ['b'] }), d: parent('PathPrefix(`/b/c/d`)', { parentRefs: ['c'] }) },
    expect: { 'd@file': { status: 'disabled', error: /cyclic reference in the router tree: b@file -> c@file -> d@file -> b@file.*neither a service/ }, 'c@file': { status: 'disabled', error: /none of its 1 child/ } },
    rootsInTable: 0,
  },
  {
    title: 'a cycle below a root whose routers still lead to a service: warning only, and served',
    routers: { a: parent('PathPrefix(`/`)'), b: parent('PathPrefix(`/b`)', { parentRefs: ['a', 'd'] }), c: parent('PathPrefix(`/b/c`)', { parentRefs: ['b'] }), d: parent('PathPrefix(`/b/c/d`)', { parentRefs: ['c'] }), e: child('PathPrefix(`/b/c/d/e`)', 'a', ['d']) },
    expect: { 'a@file': { status: 'enabled' }, 'b@file': { status: 'enabled' }, 'c@file': { status: 'enabled' }, 'd@file': { status: 'warning', error: /cyclic reference/ }, 'e@file': { status: 'enabled' } },
    rootsInTable: 1,
  },
  {
    title: 'three levels: root, intermediate, leaves',
    routers: { root: parent('PathPrefix(`/api`)'), mid: parent('PathPrefix(`/api/v1`)', { parentRefs: ['root'] }), leaf: child('Method(`GET`)', 'a', ['mid']) },
    expect: { 'root@file': { status: 'enabled' }, 'mid@file': { status: 'enabled' }, 'leaf@file': { status: 'enabled' } },
    rootsInTable: 1,
  },
  {
    title: 'the priority ceiling applies to root routers only, as in Traefik',
    routers: { p: parent('PathPrefix(`/x`)'), c: child('Path(`/x/c`)', 'a', ['p'], { priority: Number.MAX_SAFE_INTEGER }) },
    expect: { 'p@file': { status: 'enabled' }, 'c@file': { status: 'enabled' } },
    rootsInTable: 1,
  },
];

for (const c of cases) {
  test(`tree: ${c.title}`, (t) => {
    const { runtime, tables } = build({ file: { http: { routers: c.routers } } });
    for (const [name, want] of Object.entries(c.expect)) {
      const router = runtime.routers.get(name)!;
      t.is(router.status, want.status, `${name}: ${JSON.stringify(router.error)}`);
      if (want.error) t.regex((router.error ?? []).join('; '), want.error, name);
      else if (want.status === 'enabled') t.is(router.error, undefined, name);
    }
    t.is(tables.get('web')!.size, c.rootsInTable);
  });
}

test('tree: parentRefs resolve in the child provider unless qualified', (t) => {
  const { runtime } = build({
    file: { http: { routers: { p: parent('PathPrefix(`/x`)') } } },
    other: { http: { routers: { here: child('Path(`/x/a`)', 'a', ['p']), there: child('Path(`/x/b`)', 'b', ['p@file']) } } },
  });
  t.regex(runtime.routers.get('here@other')!.error!.join(), /"p@other" does not exist/);
  t.is(runtime.routers.get('there@other')!.status, 'enabled');
  t.is(runtime.routers.get('p@file')!.status, 'enabled');
});

test('tree: children get their default priority from their rule and no entry point of their own', (t) => {
  const { runtime } = build({ file: { http: { routers: { p: parent('PathPrefix(`/x`)'), c: child('Header(`X-User-Role`, `admin`)', 'a', ['p']) } } } });
  t.is(runtime.routers.get('c@file')!.priority, 30);
  t.deepEqual(runtime.routers.get('c@file')!.using, []);
  t.deepEqual(runtime.routers.get('p@file')!.using, ['web']);
});

// --- requests through a built table, on a loopback server -----------------------------------

async function serve(http: HttpConfiguration): Promise<{ get: (path: string, headers?: Record<string, string>) => Promise<{ status: number; body: string }>; close: () => void }> {
  const { tables } = build({ file: { http } });
  const table = tables.get('web')!;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const facts = RequestFacts.fromRequest(req);
    const wreq = Object.assign(req, { wharf: { entryPoint: 'web', facts, scheme: 'http', peerAddress: '127.0.0.1', trustForwardedHeaders: false } }) as unknown as WharfRequest;
    const route = table.match(facts);
    if (!route) return void res.writeHead(404).end('no root');
    route.value(wreq, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get: async (path, headers = {}) => {
      const res = await fetch(base + path, { headers });
      return { status: res.status, body: await res.text() };
    },
    close: () => server.close(),
  };
}

test('requests: the parent chain runs first, then the best matching child; none → 404', async (t) => {
  const server = await serve({
    routers: {
      p: parent('PathPrefix(`/api`)', { middlewares: ['role', 'strip'] }),
      mid: parent('PathPrefix(`/v1`)', { parentRefs: ['p'] }),
      admin: child('Header(`X-User-Role`, `admin`)', 'a', ['mid']),
      // Longer rule: higher default priority among the siblings.
      special: child('Header(`X-User-Role`, `admin`) && Path(`/v1/special`)', 'b', ['mid']),
      low: child('PathPrefix(`/v1`)', 'c', ['mid'], { priority: 1 }),
    },
    middlewares: { role: { headers: { customRequestHeaders: { 'X-User-Role': 'admin' } } }, strip: { stripPrefix: { prefixes: ['/api'] } } },
  });
  try {
    // The headers middleware sets X-User-Role, the stripPrefix removes /api: the children see both.
    t.deepEqual(await server.get('/api/v1/x'), { status: 200, body: 'a p@file -> mid@file -> admin@file /v1/x' });
    t.deepEqual(await server.get('/api/v1/special', { 'x-user-role': 'user' }), { status: 200, body: 'b p@file -> mid@file -> special@file /v1/special' });
    const notMid = await server.get('/api/v2');
    t.is(notMid.status, 404);
    t.is(notMid.body, '404 page not found\n');
    t.is((await server.get('/v1/x', { 'x-user-role': 'admin' })).body, 'no root', 'children are not attached to the entry point');
  } finally {
    server.close();
  }
});

test('requests: a low-priority catch-all child serves what the others leave', async (t) => {
  const server = await serve({
    routers: { p: parent('PathPrefix(`/`)'), admin: child('Header(`X-User-Role`, `admin`)', 'a', ['p']), rest: child('PathPrefix(`/`)', 'c', ['p'], { priority: 1 }) },
  });
  try {
    t.is((await server.get('/x', { 'x-user-role': 'admin' })).body, 'a p@file -> admin@file /x');
    t.is((await server.get('/x')).body, 'c p@file -> rest@file /x');
  } finally {
    server.close();
  }
});

test('current header lines keep received lines of unchanged headers and show changed ones', (t) => {
  const raw = ['Host', 'a', 'X-Role', 'user', 'X-Multi', '1', 'X-Multi', '2', 'X-Gone', 'g'];
  const headers = { host: 'a', 'x-role': 'admin', 'x-multi': '1, 2', 'x-added': 'new' };
  t.deepEqual(currentHeaderLines(raw, headers), ['Host', 'a', 'X-Role', 'admin', 'X-Multi', '1', 'X-Multi', '2', 'x-added', 'new']);
});
