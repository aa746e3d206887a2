import test from 'ava';
import type { DynamicConfiguration } from '../src/config/dynamic/types.js';
import { silentLogger } from '../src/logger.js';
import { Forwarder } from '../src/proxy/forwarder.js';
import { PoolRegistry } from '../src/proxy/pool-registry.js';
import { builtinMiddlewareFactories } from '../src/register.js';
import { mergeSnapshots } from '../src/runtime/merge.js';
import { RouterFactory } from '../src/server/router-factory.js';
import { HealthCheckRegistry } from '../src/services/health-check/health-check-registry.js';

const transport = { name: 'default@internal', dialTimeout: 30_000, responseHeaderTimeout: 0, idleConnTimeout: 90_000, maxIdleConnsPerHost: 200 };

function build(http: NonNullable<DynamicConfiguration['http']>) {
  const pools = new PoolRegistry();
  const factory = new RouterFactory({ entryPoints: [{ name: 'web', asDefault: false, middlewares: [] }], defaultRuleSyntax: 'v3', precedence: ['file'], defaultTransport: transport }, builtinMiddlewareFactories as never, new Map(), new Forwarder(pools, silentLogger()), new HealthCheckRegistry(silentLogger()), silentLogger());
  const result = factory.build(mergeSnapshots(new Map([['file', { http }]])));
  void pools.close();
  return result.runtime;
}

test('usedBy lists every router that references the element, disabled routers too (as Traefik)', (t) => {
  const runtime = build({
    routers: {
      ok: { rule: 'Host(`a`)', service: 's', middlewares: ['m'] },
      badRule: { rule: 'Host(`b`', service: 's', middlewares: ['m'] },
      missingMiddleware: { rule: 'Host(`c`)', service: 's', middlewares: ['m', 'nope'] },
      noEntryPoint: { rule: 'Host(`d`)', service: 's', entryPoints: ['gone'] },
    },
    services: { s: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:9' }] } } },
    middlewares: { m: { addPrefix: { prefix: '/x' } } },
  });
  t.is(runtime.routers.get('badRule@file')?.status, 'disabled');
  t.is(runtime.routers.get('missingMiddleware@file')?.status, 'disabled');
  t.deepEqual([...runtime.services.get('s@file')!.usedBy].sort(), ['badRule@file', 'missingMiddleware@file', 'noEntryPoint@file', 'ok@file']);
  t.deepEqual([...runtime.middlewares.get('m@file')!.usedBy].sort(), ['badRule@file', 'missingMiddleware@file', 'ok@file']);
});
