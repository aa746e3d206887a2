import test from 'ava';
import type { PrometheusOptions } from '../src/observability/prometheus-metrics.js';
import { PrometheusMetrics } from '../src/observability/prometheus-metrics.js';
import { RuntimeConfiguration } from '../src/runtime/runtime-configuration.js';
import { RuntimeState } from '../src/runtime/runtime-state.js';
import { service } from './api-fixtures.js';
import { observedServer, type Routed } from './metrics-fixtures.js';
import { sample } from './prometheus-text.js';

const defaults: PrometheusOptions = { enabled: true, entryPoint: 'traefik', manualRouting: false, buckets: [0.1, 0.3, 1.2, 5], addEntryPointsLabels: true, addRoutersLabels: true, addServicesLabels: true, prefix: 'traefik' };

async function traffic(metrics: PrometheusMetrics, routes: Record<string, Routed>, requests: Array<{ path: string; method?: string; body?: string }>): Promise<string> {
  const server = await observedServer([metrics], (req) => routes[new URL(req.url ?? '/', 'http://x').pathname] ?? { status: 404, body: '404 page not found\n' });
  try {
    for (const r of requests) await (await fetch(server.url + r.path, { method: r.method ?? 'GET', ...(r.body ? { body: r.body } : {}) })).text();
    // requestDone runs on 'close', just after the client has its response.
    await new Promise((resolve) => setTimeout(resolve, 30));
  } finally {
    await server.close();
  }
  return metrics.metrics();
}

const routes: Record<string, Routed> = {
  '/a': { router: 'a@file', service: 'svc@file', serverUrl: 'http://10.0.0.1', status: 200, body: 'hello' },
  '/b': { router: 'b@file', service: 'svc@file', serverUrl: 'http://10.0.0.1', status: 502, body: 'Bad Gateway', chunked: true },
  '/api/overview': { router: 'api@internal', service: 'api@internal', status: 200, body: '{}' },
};

test('requests are counted per entry point, router and service with Traefik labels', async (t) => {
  const metrics = new PrometheusMetrics(defaults, new RuntimeState());
  const text = await traffic(metrics, routes, [{ path: '/a' }, { path: '/a' }, { path: '/a', method: 'POST', body: '1234567' }, { path: '/b' }, { path: '/nowhere' }, { path: '/api/overview' }]);
  t.is(sample(text, 'traefik_entrypoint_requests_total', { code: '200', method: 'GET', protocol: 'http', entrypoint: 'web' }), 2);
  t.is(sample(text, 'traefik_entrypoint_requests_total', { code: '200', method: 'POST', entrypoint: 'web' }), 1);
  t.is(sample(text, 'traefik_entrypoint_requests_total', { code: '404', method: 'GET', entrypoint: 'web' }), 1, 'unrouted requests count on the entry point');
  t.is(sample(text, 'traefik_router_requests_total', { code: '200', method: 'GET', router: 'a@file', service: 'svc@file' }), 2);
  t.is(sample(text, 'traefik_router_requests_total', { code: '502', router: 'b@file' }), 1);
  t.is(sample(text, 'traefik_service_requests_total', { code: '200', method: 'GET', service: 'svc@file' }), 2);
  t.is(sample(text, 'traefik_service_request_duration_seconds_count', { code: '200', method: 'GET', service: 'svc@file' }), 2);
  t.is(sample(text, 'traefik_entrypoint_request_duration_seconds_bucket', { code: '200', method: 'GET', entrypoint: 'web', le: '+Inf' }), 2);
  t.is(sample(text, 'traefik_entrypoint_requests_bytes_total', { code: '200', method: 'POST', entrypoint: 'web' }), 7);
  t.is(sample(text, 'traefik_service_responses_bytes_total', { code: '200', method: 'GET', service: 'svc@file' }), 10);
  t.is(sample(text, 'traefik_service_responses_bytes_total', { code: '502', service: 'svc@file' }), 'Bad Gateway'.length, 'chunked bodies are counted by the write wrapper');
  t.false(text.includes('api@internal'), 'Wharf\'s own routers stay out of the metrics');
  t.is(sample(text, 'traefik_entrypoint_requests_total', { code: '200', method: 'GET', entrypoint: 'web' }), 2, 'the internal request was not counted on the entry point either');
});

test('buckets, prefix and label switches follow the options', async (t) => {
  const metrics = new PrometheusMetrics({ ...defaults, buckets: [0.05, 2], prefix: 'wharf', addRoutersLabels: false, addServicesLabels: false }, new RuntimeState());
  const text = await traffic(metrics, routes, [{ path: '/a' }]);
  t.is(sample(text, 'wharf_entrypoint_request_duration_seconds_bucket', { le: '0.05', entrypoint: 'web' }) !== undefined, true);
  t.is(sample(text, 'wharf_entrypoint_request_duration_seconds_bucket', { le: '2', entrypoint: 'web' }), 1);
  t.is(sample(text, 'wharf_entrypoint_request_duration_seconds_bucket', { le: '0.3' }), undefined);
  t.false(text.includes('traefik_'));
  t.false(/wharf_router_requests_total\{/.test(text));
  t.false(/wharf_service_requests_total\{/.test(text));
});

test('reloads, last reload success, retries and server up follow the runtime state', async (t) => {
  const state = new RuntimeState();
  const metrics = new PrometheusMetrics(defaults, state);
  const runtime = new RuntimeConfiguration();
  runtime.services.set('app@file', service('app@file', ['http://10.0.0.1:80', 'http://10.0.0.2:80'], { serverStatus: { 'http://10.0.0.1:80': 'UP', 'http://10.0.0.2:80': 'DOWN' } }));
  const before = Math.floor(Date.now() / 1000);
  state.publish(runtime, true);
  state.publish(runtime, false);
  const text = await metrics.metrics();
  t.is(sample(text, 'traefik_config_reloads_total'), 2);
  const last = sample(text, 'traefik_config_last_reload_success')!;
  t.true(last >= before && last <= before + 2, `timestamp ${last}`);
  t.is(sample(text, 'traefik_service_retries_total', { service: 'app@file' }), 0);
  t.is(sample(text, 'traefik_service_server_up', { service: 'app@file', url: 'http://10.0.0.1:80' }), 1);
  t.is(sample(text, 'traefik_service_server_up', { service: 'app@file', url: 'http://10.0.0.2:80' }), 0);
  // Server state is read at scrape time.
  runtime.services.get('app@file')!.serverStatus = { 'http://10.0.0.1:80': 'DOWN' };
  const later = await metrics.metrics();
  t.is(sample(later, 'traefik_service_server_up', { service: 'app@file', url: 'http://10.0.0.1:80' }), 0);
  t.is(sample(later, 'traefik_service_server_up', { url: 'http://10.0.0.2:80' }), undefined);
});

test('open connections go up and down per entry point', async (t) => {
  const metrics = new PrometheusMetrics(defaults, new RuntimeState());
  metrics.connectionOpened('web');
  metrics.connectionOpened('web');
  metrics.connectionOpened('websecure');
  metrics.connectionClosed('web');
  const text = await metrics.metrics();
  t.is(sample(text, 'traefik_open_connections', { entrypoint: 'web', protocol: 'TCP' }), 1);
  t.is(sample(text, 'traefik_open_connections', { entrypoint: 'websecure', protocol: 'TCP' }), 1);
});

test('two instances keep separate registries (no global state)', async (t) => {
  const a = new PrometheusMetrics(defaults, new RuntimeState());
  const b = new PrometheusMetrics(defaults, new RuntimeState());
  a.connectionOpened('web');
  t.is(sample(await a.metrics(), 'traefik_open_connections', { entrypoint: 'web' }), 1);
  t.is(sample(await b.metrics(), 'traefik_open_connections', { entrypoint: 'web' }), undefined);
});

test('prometheus@internal serves the exposition text on /metrics', async (t) => {
  const metrics = new PrometheusMetrics(defaults, new RuntimeState());
  const svc = metrics.internalService(defaults);
  t.deepEqual(svc.routes, [{ name: 'prometheus', entryPoint: 'traefik', rule: 'PathPrefix(`/metrics`)', priority: Number.MAX_SAFE_INTEGER - 1 }]);
  t.is(metrics.internalService({ ...defaults, manualRouting: true }).routes, undefined);
  const { serve } = await import('./api-fixtures.js');
  const s = await serve((req, res) => svc.handle(req as never, res));
  try {
    const res = await fetch(s.url + '/metrics');
    t.regex(res.headers.get('content-type') ?? '', /text\/plain/);
    t.regex(await res.text(), /# TYPE traefik_config_reloads_total counter/);
  } finally {
    await s.close();
  }
});
