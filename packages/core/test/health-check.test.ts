import { createServer } from 'node:http';
import test from 'ava';
import { ConfigError } from '../src/errors.js';
import type { HealthCheckConfig } from '../src/config/dynamic/types.js';
import { silentLogger } from '../src/logger.js';
import { parseServerUrl } from '../src/services/load-balancer.js';
import { parseHealthCheck, type HealthCheckOptions } from '../src/services/health-check/health-check-options.js';
import { HealthCheckRegistry } from '../src/services/health-check/health-check-registry.js';
import { ServerChecker } from '../src/services/health-check/server-checker.js';
import { close, eventually, flipBackend, listen, recordingLogger, type FlipBackend } from './health-check-fixtures.js';

const where = 's@file.loadBalancer.healthCheck';

function checker(backend: { url: string }, config: HealthCheckConfig, logger = silentLogger()): ServerChecker {
  return new ServerChecker('s@file', parseServerUrl(backend.url, false, 'url'), parseHealthCheck(config, where), logger);
}

async function withBackend(t: { teardown(fn: () => unknown): void }): Promise<FlipBackend> {
  const backend = await flipBackend('a');
  t.teardown(() => backend.close());
  return backend;
}

test('defaults follow Traefik: 30s interval, unhealthyInterval = interval, 5s timeout, GET, redirects followed', (t) => {
  const o = parseHealthCheck({ path: 'health' }, where);
  t.like(o, { path: '/health', method: 'GET', intervalMs: 30_000, unhealthyIntervalMs: 30_000, timeoutMs: 5_000, followRedirects: true, status: undefined, port: undefined, scheme: undefined });
  t.like(parseHealthCheck({ path: '/h', interval: '2s', unhealthyInterval: '500ms', timeout: 1, scheme: 'HTTPS', method: 'head' }, where), { intervalMs: 2_000, unhealthyIntervalMs: 500, timeoutMs: 1_000, scheme: 'https:', method: 'HEAD' });
  t.is(parseHealthCheck({ path: '/h', interval: '3s' }, where).unhealthyIntervalMs, 3_000);
});

const configErrors: Array<{ config: HealthCheckConfig; path: string; message: RegExp }> = [
  { config: {}, path: `${where}.path`, message: /needs a path/ },
  { config: { path: '/h', mode: 'grpc' }, path: `${where}.mode`, message: /gRPC health checks are not supported yet/ },
  { config: { path: '/h', mode: 'tcp' }, path: `${where}.mode`, message: /unknown health check mode/ },
  { config: { path: '/h', interval: 'often' }, path: `${where}.interval`, message: /often/ },
  { config: { path: '/h', unhealthyInterval: '5 parsecs' }, path: `${where}.unhealthyInterval`, message: /parsecs/ },
  { config: { path: '/h', timeout: 'x1s' }, path: `${where}.timeout`, message: /x1s/ },
  { config: { path: '/h', scheme: 'ftp' }, path: `${where}.scheme`, message: /unsupported health check scheme/ },
  { config: { path: '/h', port: 70_000 }, path: `${where}.port`, message: /invalid port/ },
];

for (const c of configErrors) {
  test(`config error at ${c.path}: ${String(c.message)}`, (t) => {
    const err = t.throws(() => parseHealthCheck(c.config, where), { instanceOf: ConfigError, message: c.message });
    t.is(err?.path, c.path);
  });
}

test('a server goes DOWN when its check fails and UP when it passes again, with transition logs', async (t) => {
  const backend = await withBackend(t);
  const logger = recordingLogger();
  const c = checker(backend, { path: '/health', interval: '20ms' }, logger);
  t.teardown(() => c.stop());
  t.true(c.up, 'servers start UP');
  c.start();
  backend.status = 500;
  t.true(await eventually(() => !c.up), 'DOWN after a failing check');
  t.like(logger.records.at(-1), { level: 'warn', fields: { service: 's@file', server: backend.url, reason: 'received status 500' } });
  backend.status = 204;
  t.true(await eventually(() => c.up), 'UP after a passing check');
  t.like(logger.records.at(-1), { level: 'info', fields: { service: 's@file', server: backend.url } });
  t.is(logger.records.length, 2, 'only transitions are logged');
});

const statusCases: Array<{ title: string; config: Partial<HealthCheckConfig>; answer: number; healthy: boolean }> = [
  { title: '2xx is healthy by default', config: {}, answer: 204, healthy: true },
  { title: '3xx is healthy by default', config: { followRedirects: false }, answer: 302, healthy: true },
  { title: '4xx is unhealthy by default', config: {}, answer: 404, healthy: false },
  { title: '5xx is unhealthy by default', config: {}, answer: 503, healthy: false },
  { title: 'with status, only that status is healthy', config: { status: 204 }, answer: 200, healthy: false },
  { title: 'with status, that status is healthy even if 4xx', config: { status: 418 }, answer: 418, healthy: true },
];

for (const c of statusCases) {
  test(`status: ${c.title}`, async (t) => {
    const backend = await withBackend(t);
    backend.status = c.answer;
    const k = checker(backend, { path: '/health', ...c.config });
    t.teardown(() => k.stop());
    t.is((await k.check()).healthy, c.healthy);
    t.is(k.up, c.healthy);
  });
}

test('method, headers, hostname and a query in path reach the server', async (t) => {
  const backend = await withBackend(t);
  const k = checker(backend, { path: '/health?deep=1', method: 'HEAD', hostname: 'svc.internal', headers: { 'X-Probe': 'wharf' } });
  t.teardown(() => k.stop());
  t.true((await k.check()).healthy);
  const probe = backend.probes.at(-1)!;
  t.is(probe.method, 'HEAD');
  t.is(probe.url, '/health?deep=1');
  t.is(probe.headers.host, 'svc.internal');
  t.is(probe.headers['x-probe'], 'wharf');
});

test('port overrides the server port', async (t) => {
  const health = await withBackend(t);
  const k = checker({ url: 'http://127.0.0.1:9' }, { path: '/health', port: health.port, timeout: '1s' });
  t.teardown(() => k.stop());
  t.true((await k.check()).healthy);
  t.is(health.probes.length, 1);
});

test('a check slower than timeout fails', async (t) => {
  const backend = await withBackend(t);
  backend.status = 0;
  const k = checker(backend, { path: '/health', timeout: '50ms' });
  t.teardown(() => k.stop());
  const started = Date.now();
  const result = await k.check();
  t.false(result.healthy);
  t.regex(result.reason, /timed out after 50ms/);
  t.true(Date.now() - started < 1_000);
});

test('a refused connection fails the check', async (t) => {
  const server = createServer();
  const { url } = await listen(server);
  await close(server);
  const k = checker({ url }, { path: '/health', timeout: '1s' });
  t.teardown(() => k.stop());
  t.false((await k.check()).healthy);
});

test('followRedirects follows to the final answer; false judges the 3xx itself', async (t) => {
  const backend = await withBackend(t);
  backend.extra = (req, res) => {
    if (req.url !== '/moved') return false;
    res.writeHead(302, { location: '/health' }).end();
    return true;
  };
  backend.status = 500;
  const follow = checker(backend, { path: '/moved' });
  const stay = checker(backend, { path: '/moved', followRedirects: false });
  t.teardown(() => (follow.stop(), stay.stop()));
  t.false((await follow.check()).healthy, 'the redirect target answers 500');
  t.true((await stay.check()).healthy, '302 is healthy when not followed');
});

test('the first check runs one interval after start; unhealthyInterval paces checks while DOWN', async (t) => {
  const backend = await withBackend(t);
  backend.status = 500;
  const k = checker(backend, { path: '/health', interval: '300ms', unhealthyInterval: '20ms' });
  t.teardown(() => k.stop());
  k.start();
  await new Promise((r) => setTimeout(r, 200));
  t.is(backend.probes.length, 0, 'no probe before one interval');
  t.true(await eventually(() => backend.probes.length >= 5, 1_500), 'fast probes while DOWN');
  backend.status = 200;
  t.true(await eventually(() => k.up));
  await new Promise((r) => setTimeout(r, 50));
  const seen = backend.probes.length;
  await new Promise((r) => setTimeout(r, 200));
  t.is(backend.probes.length, seen, 'back to the slow interval once UP');
});

test('stop() ends probing', async (t) => {
  const backend = await withBackend(t);
  const k = checker(backend, { path: '/health', interval: '20ms' });
  k.start();
  t.true(await eventually(() => backend.probes.length >= 1));
  k.stop();
  await new Promise((r) => setTimeout(r, 30));
  const seen = backend.probes.length;
  await new Promise((r) => setTimeout(r, 100));
  t.is(backend.probes.length, seen);
});

test('the registry reuses a checker for the same (service, server, options) and stops unused ones', (t) => {
  const registry = new HealthCheckRegistry(silentLogger());
  t.teardown(() => registry.close());
  const target = parseServerUrl('http://127.0.0.1:9', false, 'url');
  const options: HealthCheckOptions = parseHealthCheck({ path: '/h' }, where);
  registry.beginBuild();
  const a = registry.acquire('s@file', target, options);
  const b = registry.acquire('s@file', target, parseHealthCheck({ path: '/h', interval: '1s' }, where));
  const c = registry.acquire('other@file', target, options);
  t.not(a, b);
  t.not(a, c);
  registry.closeUnused();
  t.is(registry.size, 3);
  registry.beginBuild();
  t.is(registry.acquire('s@file', target, parseHealthCheck({ path: '/h', headers: {} }, where)), a, 'same options, same checker');
  registry.closeUnused();
  t.is(registry.size, 1);
});
