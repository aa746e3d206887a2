import test from 'ava';
import { request } from 'undici';
import type { DynamicConfiguration, ServiceConfig } from '../src/config/dynamic/types.js';
import { silentLogger } from '../src/logger.js';
import { Forwarder } from '../src/proxy/forwarder.js';
import { PoolRegistry } from '../src/proxy/pool-registry.js';
import { mergeSnapshots } from '../src/runtime/merge.js';
import type { RuntimeConfiguration } from '../src/runtime/runtime-configuration.js';
import { HealthCheckRegistry } from '../src/services/health-check/health-check-registry.js';
import { PassiveHealth, parsePassiveHealthCheck } from '../src/services/health-check/passive-health.js';
import { ServiceBuilder } from '../src/services/service-builder.js';
import type { ServiceHandler } from '../src/services/service-handler.js';
import { eventually, flipBackend, recordingLogger, serveHandler, type FlipBackend } from './health-check-fixtures.js';

const transport = { name: 'default@internal', dialTimeout: 30_000, responseHeaderTimeout: 0, idleConnTimeout: 90_000, maxIdleConnsPerHost: 200 };

/** One kernel's worth of long-lived state: pools and health checkers that survive builds. */
function kernel(t: { teardown(fn: () => unknown): void }) {
  const pools = new PoolRegistry();
  const health = new HealthCheckRegistry(silentLogger());
  const forwarder = new Forwarder(pools, silentLogger());
  t.teardown(async () => {
    health.close();
    await pools.close();
  });
  return {
    health,
    build(services: Record<string, ServiceConfig>): { runtime: RuntimeConfiguration; get(name: string): ServiceHandler } {
      health.beginBuild();
      const runtime = mergeSnapshots(new Map<string, DynamicConfiguration>([['file', { http: { services } }]]));
      const builder = new ServiceBuilder(runtime, forwarder, health, transport, new Map(), (_info, h) => h, silentLogger());
      builder.buildAll();
      health.closeUnused();
      return {
        runtime,
        get: (name) => {
          const h = builder.get(name);
          if (typeof h === 'string') throw new Error(h);
          return h;
        },
      };
    },
  };
}

async function backends(t: { teardown(fn: () => unknown): void }, ...names: string[]): Promise<FlipBackend[]> {
  const all = await Promise.all(names.map((n) => flipBackend(n)));
  t.teardown(() => Promise.all(all.map((b) => b.close())));
  return all;
}

async function hit(url: string): Promise<{ status: number; body: string }> {
  const res = await request(url);
  return { status: res.statusCode, body: await res.body.text() };
}

const hc = { path: '/health', interval: '20ms', timeout: '200ms' };

test('a DOWN server is skipped, all DOWN answers 503, and serverStatus is live', async (t) => {
  const [a, b] = await backends(t, 'a', 'b');
  const k = kernel(t);
  const { runtime, get } = k.build({ s: { loadBalancer: { servers: [{ url: a!.url }, { url: b!.url }], healthCheck: hc } } });
  const server = await serveHandler(get('s@file'));
  t.teardown(() => server.close());
  const info = runtime.services.get('s@file')!;
  t.deepEqual(info.serverStatus, { [a!.url]: 'UP', [b!.url]: 'UP' });
  a!.status = 500;
  t.true(await eventually(() => info.serverStatus?.[a!.url] === 'DOWN'));
  t.deepEqual(JSON.parse(JSON.stringify(info)).serverStatus, { [a!.url]: 'DOWN', [b!.url]: 'UP' }, 'serialises current state');
  for (let i = 0; i < 4; i++) t.is((await hit(server.url)).body, 'b');
  b!.status = 500;
  t.true(await eventually(() => !get('s@file').available()));
  t.deepEqual(await hit(server.url), { status: 503, body: 'no available server\n' });
  a!.status = 200;
  t.true(await eventually(() => info.serverStatus?.[a!.url] === 'UP'));
  t.is((await hit(server.url)).body, 'a');
});

test('health state survives a rebuild with the same config and resets when the config changes', async (t) => {
  const [a, b] = await backends(t, 'a', 'b');
  const k = kernel(t);
  const slow = { path: '/health', interval: '10s', timeout: '200ms' };
  const servers = [{ url: a!.url }, { url: b!.url }];
  const first = k.build({ s: { loadBalancer: { servers, healthCheck: slow } } });
  a!.status = 500;
  // Drive one probe by hand: the 10s interval keeps the timer out of the way.
  const checkerA = [...(first.get('s@file') as unknown as { servers: Array<{ checker: { check(): Promise<unknown> } }> }).servers][0]!.checker;
  await checkerA.check();
  t.is(first.runtime.services.get('s@file')!.serverStatus![a!.url], 'DOWN');
  const same = k.build({ s: { loadBalancer: { servers, healthCheck: slow } } });
  t.is(same.runtime.services.get('s@file')!.serverStatus![a!.url], 'DOWN', 'same (service, server, options): state kept');
  t.is(k.health.size, 2);
  const changed = k.build({ s: { loadBalancer: { servers, healthCheck: { ...slow, timeout: '300ms' } } } });
  t.is(changed.runtime.services.get('s@file')!.serverStatus![a!.url], 'UP', 'new options: servers start UP again');
  t.is(k.health.size, 2, 'the old checkers were stopped');
  k.build({ s: { loadBalancer: { servers: [{ url: b!.url }] } } });
  t.is(k.health.size, 0, 'no health check, no checker');
});

const builderErrors: Array<{ title: string; lb: Record<string, unknown>; error: RegExp }> = [
  { title: 'no path', lb: { healthCheck: { interval: '1s' } }, error: /needs a path/ },
  { title: 'grpc mode', lb: { healthCheck: { path: '/h', mode: 'grpc' } }, error: /gRPC health checks are not supported yet/ },
  { title: 'bad interval', lb: { healthCheck: { path: '/h', interval: 'soon' } }, error: /soon/ },
  { title: 'bad failureWindow', lb: { passiveHealthCheck: { failureWindow: 'later' } }, error: /later/ },
  { title: 'zero maxFailedAttempts', lb: { passiveHealthCheck: { maxFailedAttempts: 0 } }, error: /maxFailedAttempts/ },
];

for (const c of builderErrors) {
  test(`a health check config error disables the service: ${c.title}`, (t) => {
    const k = kernel(t);
    const { runtime } = k.build({ s: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:9' }], ...c.lb } } });
    const info = runtime.services.get('s@file')!;
    t.is(info.status, 'disabled');
    t.regex((info.error ?? []).join(';'), c.error);
    t.is(k.health.size, 0, 'no checker left behind');
  });
}

test('passive health: failures within the window fence the server until the window passes', (t) => {
  let now = 0;
  const logger = recordingLogger();
  const p = new PassiveHealth(parsePassiveHealthCheck({ failureWindow: '10s', maxFailedAttempts: 2 }, 'p'), logger, { service: 's', server: 'u' }, () => now);
  p.record(true);
  t.false(p.down, 'one failure of two allowed');
  now = 11_000;
  p.record(true);
  t.false(p.down, 'the first failure left the window');
  now = 12_000;
  p.record(false);
  t.false(p.down, 'successes do not count');
  p.record(true);
  t.true(p.down);
  t.is(logger.records.length, 1);
  t.like(logger.records[0], { level: 'warn', fields: { service: 's', server: 'u' } });
  now = 21_999;
  t.true(p.down);
  now = 22_001;
  t.false(p.down, 'UP again once the window has passed');
  t.deepEqual(parsePassiveHealthCheck({}, 'p'), { failureWindowMs: 10_000, maxFailedAttempts: 1 });
});

test('passive health through the load balancer: a 5xx or a refused connection fences the server', async (t) => {
  const [a, b] = await backends(t, 'a', 'b');
  const k = kernel(t);
  const { runtime, get } = k.build({
    bad: { loadBalancer: { servers: [{ url: a!.url }, { url: b!.url }], passiveHealthCheck: { failureWindow: '300ms' } } },
    gone: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:9' }, { url: b!.url }], passiveHealthCheck: { failureWindow: '10s' } } },
  });
  a!.appStatus = 502;
  const bad = await serveHandler(get('bad@file'));
  const gone = await serveHandler(get('gone@file'));
  t.teardown(() => Promise.all([bad.close(), gone.close()]));
  const first = await hit(bad.url);
  t.deepEqual(first, { status: 502, body: 'a' }, 'the 5xx itself is relayed');
  t.is(runtime.services.get('bad@file')!.serverStatus![a!.url], 'DOWN');
  for (let i = 0; i < 4; i++) t.is((await hit(bad.url)).body, 'b');
  a!.appStatus = 200;
  t.true(await eventually(() => runtime.services.get('bad@file')!.serverStatus![a!.url] === 'UP', 1_000));
  t.is((await hit(gone.url)).status, 502);
  t.is(runtime.services.get('gone@file')!.serverStatus!['http://127.0.0.1:9'], 'DOWN');
  for (let i = 0; i < 3; i++) t.is((await hit(gone.url)).body, 'b');
});

test('a weighted service skips a child whose servers are all DOWN and answers 503 when every child is', async (t) => {
  const [a, b] = await backends(t, 'a', 'b');
  const k = kernel(t);
  const { get } = k.build({
    one: { loadBalancer: { servers: [{ url: a!.url }], healthCheck: hc } },
    two: { loadBalancer: { servers: [{ url: b!.url }], healthCheck: hc } },
    w: { weighted: { services: [{ name: 'one' }, { name: 'two' }], healthCheck: {} } },
  });
  const server = await serveHandler(get('w@file'));
  t.teardown(() => server.close());
  a!.status = 500;
  t.true(await eventually(() => !get('one@file').available()));
  t.true(get('w@file').available());
  for (let i = 0; i < 4; i++) t.is((await hit(server.url)).body, 'b');
  b!.status = 500;
  t.true(await eventually(() => !get('w@file').available()));
  t.is((await hit(server.url)).status, 503);
});
