import test from 'ava';
import type { DynamicConfiguration } from '../src/config/dynamic/types.js';
import { silentLogger } from '../src/logger.js';
import { Forwarder } from '../src/proxy/forwarder.js';
import { HealthCheckRegistry } from '../src/services/health-check/health-check-registry.js';
import { PoolRegistry } from '../src/proxy/pool-registry.js';
import { builtinMiddlewareFactories } from '../src/register.js';
import { mergeSnapshots } from '../src/runtime/merge.js';
import type { ElementStatus } from '../src/runtime/runtime-configuration.js';
import { RouterFactory } from '../src/server/router-factory.js';

const transport = { name: 'default@internal', dialTimeout: 30_000, responseHeaderTimeout: 0, idleConnTimeout: 90_000, maxIdleConnsPerHost: 200 };

function build(configs: Record<string, DynamicConfiguration>, entryPoints = [{ name: 'web', asDefault: false, middlewares: [] as string[] }, { name: 'traefik', asDefault: false, middlewares: [] as string[] }]) {
  const pools = new PoolRegistry();
  const factory = new RouterFactory({ entryPoints, defaultRuleSyntax: 'v3', precedence: ['file'], defaultTransport: transport }, builtinMiddlewareFactories as never, new Map(), new Forwarder(pools, silentLogger()), new HealthCheckRegistry(silentLogger()), silentLogger());
  const result = factory.build(mergeSnapshots(new Map(Object.entries(configs))));
  void pools.close();
  return result;
}

const lb = { loadBalancer: { servers: [{ url: 'http://127.0.0.1:9' }] } };

const isolation: Array<{ title: string; http: NonNullable<DynamicConfiguration['http']>; element: 'routers' | 'services' | 'middlewares'; name: string; status: ElementStatus; error: RegExp }> = [
  { title: 'invalid rule disables the router', http: { routers: { r: { rule: 'Host(`a`', service: 's' } }, services: { s: lb } }, element: 'routers', name: 'r@file', status: 'disabled', error: /invalid rule/ },
  { title: 'missing service disables the router', http: { routers: { r: { rule: 'Host(`a`)', service: 'nope' } } }, element: 'routers', name: 'r@file', status: 'disabled', error: /the service "nope@file" does not exist/ },
  { title: 'missing middleware disables the router', http: { routers: { r: { rule: 'Host(`a`)', service: 's', middlewares: ['m'] } }, services: { s: lb } }, element: 'routers', name: 'r@file', status: 'disabled', error: /middleware "m@file" does not exist/ },
  { title: 'a service with two types is disabled', http: { services: { s: { ...lb, weighted: { services: [] } } } }, element: 'services', name: 's@file', status: 'disabled', error: /more than one type/ },
  { title: 'a bad server url disables the service', http: { services: { s: { loadBalancer: { servers: [{ url: 'not a url' }] } } } }, element: 'services', name: 's@file', status: 'disabled', error: /invalid server url/ },
  { title: 'a weighted reference without a name disables the service (the merge does not throw)', http: { services: { s: { weighted: { services: [{ weight: 1 }] } } } }, element: 'services', name: 's@file', status: 'disabled', error: /is required: the name of a service/ },
  { title: 'a recursive weighted service is disabled', http: { services: { s: { weighted: { services: [{ name: 's' }] } } } }, element: 'services', name: 's@file', status: 'disabled', error: /recursion/ },
  { title: 'a middleware with bad options is disabled', http: { middlewares: { m: { addPrefix: { prefix: '' } } } }, element: 'middlewares', name: 'm@file', status: 'disabled', error: /addPrefix needs a prefix/ },
  { title: 'an unknown middleware type is disabled', http: { middlewares: { m: { frobnicate: {} } } }, element: 'middlewares', name: 'm@file', status: 'disabled', error: /unknown middleware type "frobnicate"/ },
  { title: 'a recursive chain is disabled', http: { middlewares: { m: { chain: { middlewares: ['n'] } }, n: { chain: { middlewares: ['m'] } } } }, element: 'middlewares', name: 'm@file', status: 'disabled', error: /recursion/ },
  { title: 'an unknown entry point among valid ones is a warning', http: { routers: { r: { rule: 'Host(`a`)', service: 's', entryPoints: ['web', 'nope'] } }, services: { s: lb } }, element: 'routers', name: 'r@file', status: 'warning', error: /entryPoint "nope" doesn't exist/ },
  { title: 'no valid entry point disables the router', http: { routers: { r: { rule: 'Host(`a`)', service: 's', entryPoints: ['nope'] } }, services: { s: lb } }, element: 'routers', name: 'r@file', status: 'disabled', error: /no valid entryPoint/ },
];

for (const c of isolation) {
  test(c.title, (t) => {
    const { runtime, tables } = build({ file: { http: { ...c.http, routers: { ...c.http.routers, ok: { rule: 'Host(`ok`)', service: 'good' } }, services: { ...c.http.services, good: lb } } } });
    const element = runtime[c.element].get(c.name)!;
    t.is(element.status, c.status);
    t.regex((element.error ?? []).join('; '), c.error);
    t.is(runtime.routers.get('ok@file')!.status, 'enabled', 'the rest keeps serving');
    t.true(tables.get('web')!.size >= 1);
  });
}

test('routers using a disabled service or middleware are disabled too', (t) => {
  const { runtime } = build({ file: { http: { routers: { r1: { rule: 'Host(`a`)', service: 'bad' }, r2: { rule: 'Host(`b`)', service: 'good', middlewares: ['badmw'] } }, services: { bad: {}, good: lb }, middlewares: { badmw: { stripPrefix: {} } } } } });
  t.is(runtime.routers.get('r1@file')!.status, 'disabled');
  t.is(runtime.routers.get('r2@file')!.status, 'disabled');
  t.deepEqual(runtime.services.get('bad@file')!.usedBy, ['r1@file']);
  // Traefik lists every referencing router, the disabled ones too.
  t.deepEqual(runtime.middlewares.get('badmw@file')!.usedBy, ['r2@file']);
});

test('default entry points exclude traefik; asDefault wins; priority defaults to rule length', (t) => {
  const { runtime } = build({ file: { http: { routers: { r: { rule: 'Host(`example.org`)', service: 's' }, p: { rule: 'Host(`x`)', service: 's', priority: 7 } }, services: { s: lb } } } });
  t.deepEqual(runtime.routers.get('r@file')!.using, ['web']);
  t.is(runtime.routers.get('r@file')!.priority, 19);
  t.is(runtime.routers.get('p@file')!.priority, 7);
  const marked = build({ file: { http: { routers: { r: { rule: 'Host(`a`)', service: 's' } }, services: { s: lb } } } }, [
    { name: 'web', asDefault: false, middlewares: [] },
    { name: 'websecure', asDefault: true, middlewares: [] },
  ]);
  t.deepEqual(marked.runtime.routers.get('r@file')!.using, ['websecure']);
});

test('usedBy and serverStatus are filled for the API', (t) => {
  const { runtime } = build({ file: { http: { routers: { r: { rule: 'Host(`a`)', service: 's', middlewares: ['m'] } }, services: { s: lb }, middlewares: { m: { stripPrefix: { prefixes: ['/x'] } } } } } });
  t.deepEqual(runtime.services.get('s@file')!.usedBy, ['r@file']);
  t.deepEqual(runtime.middlewares.get('m@file')!.usedBy, ['r@file']);
  t.deepEqual(runtime.services.get('s@file')!.serverStatus, { 'http://127.0.0.1:9': 'UP' });
});
