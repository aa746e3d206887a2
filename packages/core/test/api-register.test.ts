import 'reflect-metadata';
import test from 'ava';
import { container } from 'tsyringe';
import type { StaticConfiguration } from '../src/config/static/types.js';
import type { InternalService } from '../src/internal/internal-service.js';
import { silentLogger } from '../src/logger.js';
import { createDashboardApp } from '../src/dashboard/dashboard-app.js';
import { registerObservability } from '../src/observability/index.js';
import { createPingService } from '../src/observability/ping.js';
import { RuntimeState } from '../src/runtime/runtime-state.js';
import type { RequestObserver } from '../src/server/request-observer.js';
import { Tokens } from '../src/tokens.js';
import { entryPoint, serve } from './api-fixtures.js';

function staticConfig(over: { api?: Partial<StaticConfiguration['api']>; ping?: boolean; metrics?: boolean; accessLog?: boolean } = {}): StaticConfiguration {
  return {
    workers: 1,
    entryPoints: { web: entryPoint(':80'), traefik: entryPoint(':8080') },
    providers: { providersThrottleDuration: 0, precedence: [], plugins: {} },
    log: { level: 'ERROR', format: 'common', noColor: false, filePath: '', maxSize: 0, maxAge: 0, maxBackups: 0, compress: false },
    core: { defaultRuleSyntax: 'v3' },
    global: { checkNewVersion: false, sendAnonymousUsage: false, notAppendXForwardedFor: false },
    api: { enabled: false, insecure: false, dashboard: true, basePath: '/', debug: false, dashboardName: '', disableDashboardAd: false, ...over.api },
    ping: { enabled: over.ping ?? false, entryPoint: 'traefik', manualRouting: false, terminatingStatusCode: 503 },
    metrics: { addInternals: false, prometheus: { enabled: over.metrics ?? false, entryPoint: 'traefik', manualRouting: false, buckets: [0.1], addEntryPointsLabels: true, addRoutersLabels: false, addServicesLabels: true, prefix: 'traefik' } },
    accessLog: { enabled: over.accessLog ?? false, addInternals: false, filePath: '', format: 'common', bufferingSize: 0, filters: { statusCodes: [], retryAttempts: false, minDuration: 0 }, fields: { defaultMode: 'keep', names: {}, headers: { defaultMode: 'drop', names: {} } } },
    serversTransport: { maxIdleConnsPerHost: 10, insecureSkipVerify: false, rootCAs: [], forwardingTimeouts: { dialTimeout: 1000, responseHeaderTimeout: 0, idleConnTimeout: 1000 } },
  };
}

function registered(config: StaticConfiguration): { services: InternalService[]; observers: RequestObserver[] } {
  const child = container.createChildContainer();
  const result = registerObservability(child, config, new RuntimeState(), silentLogger());
  result.accessLog?.close();
  const services = child.isRegistered(Tokens.InternalService) ? child.resolveAll<InternalService>(Tokens.InternalService) : [];
  const observers = child.isRegistered(Tokens.RequestObserver) ? child.resolveAll<RequestObserver>(Tokens.RequestObserver) : [];
  return { services, observers };
}

const MAX = Number.MAX_SAFE_INTEGER;
const cases: Array<{ title: string; config: StaticConfiguration; services: Record<string, unknown>; observers: number }> = [
  { title: 'nothing enabled registers nothing', config: staticConfig(), services: {}, observers: 0 },
  {
    title: 'api.insecure routes the API and the dashboard on the traefik entry point',
    config: staticConfig({ api: { enabled: true, insecure: true } }),
    services: {
      'api@internal': [{ name: 'api', entryPoint: 'traefik', rule: 'PathPrefix(`/api`)', priority: MAX - 1 }],
      'dashboard@internal': [{ name: 'dashboard', entryPoint: 'traefik', rule: 'PathPrefix(`/`)', priority: MAX - 2 }],
    },
    observers: 0,
  },
  { title: 'a secure API is only reachable through user routers', config: staticConfig({ api: { enabled: true } }), services: { 'api@internal': undefined, 'dashboard@internal': undefined }, observers: 0 },
  { title: 'api.dashboard=false leaves the dashboard out', config: staticConfig({ api: { enabled: true, insecure: true, dashboard: false } }), services: { 'api@internal': [{ name: 'api', entryPoint: 'traefik', rule: 'PathPrefix(`/api`)', priority: MAX - 1 }] }, observers: 0 },
  {
    title: 'basePath prefixes the routes',
    config: staticConfig({ api: { enabled: true, insecure: true, basePath: '/traefik' } }),
    services: {
      'api@internal': [{ name: 'api', entryPoint: 'traefik', rule: 'PathPrefix(`/traefik/api`)', priority: MAX - 1 }],
      'dashboard@internal': [{ name: 'dashboard', entryPoint: 'traefik', rule: 'PathPrefix(`/traefik/`)', priority: MAX - 2 }],
    },
    observers: 0,
  },
  { title: 'ping, metrics and access log', config: staticConfig({ ping: true, metrics: true, accessLog: true }), services: { 'ping@internal': [{ name: 'ping', entryPoint: 'traefik', rule: 'Path(`/ping`)', priority: MAX - 1 }], 'prometheus@internal': [{ name: 'prometheus', entryPoint: 'traefik', rule: 'PathPrefix(`/metrics`)', priority: MAX - 1 }] }, observers: 2 },
];
for (const c of cases) {
  test(`registerObservability: ${c.title}`, (t) => {
    const { services, observers } = registered(c.config);
    t.deepEqual(services.filter((s) => s.name === 'noop@internal').length, 1, 'noop@internal is always there');
    t.deepEqual(Object.fromEntries(services.filter((s) => s.name !== 'noop@internal').map((s) => [s.name, s.routes])), c.services);
    t.is(observers.length, c.observers);
  });
}

test('ping answers OK, then the terminating status while shutting down', async (t) => {
  const state = new RuntimeState();
  const ping = createPingService({ enabled: true, entryPoint: 'traefik', manualRouting: true, terminatingStatusCode: 503 }, state);
  t.is(ping.routes, undefined, 'manualRouting publishes no router');
  const s = await serve((req, res) => ping.handle(req as never, res));
  try {
    const ok = await fetch(s.url + '/ping');
    t.is(ok.status, 200);
    t.is(await ok.text(), 'OK');
    state.shuttingDown = true;
    const down = await fetch(s.url + '/ping');
    t.is(down.status, 503);
    await down.text();
  } finally {
    await s.close();
  }
});

test('the dashboard page, its assets and the redirects are served from the package', async (t) => {
  const s = await serve(createDashboardApp('/') as never);
  try {
    const root = await fetch(s.url + '/', { redirect: 'manual' });
    t.is(root.status, 302);
    t.is(root.headers.get('location'), '/dashboard/');
    t.is((await fetch(s.url + '/dashboard', { redirect: 'manual' })).headers.get('location'), '/dashboard/');
    const page = await fetch(s.url + '/dashboard/');
    t.regex(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    t.regex(html, /<script src="app.js"/);
    t.false(/https?:\/\//.test(html.replace(/http:\/\/www\.w3\.org[^"]*/g, '')), 'no external URL in the page');
    for (const [asset, type] of [['app.js', /javascript/], ['style.css', /text\/css/]] as const) {
      const res = await fetch(`${s.url}/dashboard/${asset}`);
      t.is(res.status, 200);
      t.regex(res.headers.get('content-type') ?? '', type);
      t.false(/https?:\/\/(?!x\b)/.test(await res.text()), `${asset} loads nothing from elsewhere`);
    }
    t.is((await fetch(s.url + '/dashboard/nope.js')).status, 404);
  } finally {
    await s.close();
  }
});
