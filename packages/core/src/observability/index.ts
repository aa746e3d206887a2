import type { DependencyContainer } from 'tsyringe';
import { createApiApp, normalizeBasePath } from '../api/api-app.js';
import type { StaticConfiguration } from '../config/static/types.js';
import { createDashboardApp, createDashboardRouter } from '../dashboard/dashboard-app.js';
import { fromExpress, type InternalService } from '../internal/internal-service.js';
import { noopService } from '../internal/noop-service.js';
import type { Logger } from '../logger.js';
import type { WharfRequest } from '../middlewares/middleware-factory.js';
import type { RuntimeState } from '../runtime/runtime-state.js';
import { Tokens } from '../tokens.js';
import { AccessLog } from './access-log/access-log.js';
import { createPingService } from './ping.js';
import { PrometheusMetrics } from './prometheus-metrics.js';

type ExpressLike = (req: WharfRequest, res: import('node:http').ServerResponse, next: (err?: unknown) => void) => void;

// Above every user router (whose priority is capped lower) so `/api` and `/` on the `traefik`
// entry point always reach the API and the dashboard, as in Traefik.
const API_PRIORITY = Number.MAX_SAFE_INTEGER - 1;
const DASHBOARD_PRIORITY = Number.MAX_SAFE_INTEGER - 2;

/** What {@link registerObservability} set up, for callers that need to flush or inspect it. */
export interface Observability {
  readonly services: readonly InternalService[];
  readonly metrics?: PrometheusMetrics;
  readonly accessLog?: AccessLog;
}

/**
 * Registers what the static configuration enables: `api@internal` and `dashboard@internal`
 * (routed on the `traefik` entry point with `api.insecure`, otherwise only through a router that
 * names them), `ping@internal`, `prometheus@internal` with its request observer, the access
 * log observer, and `noop@internal` (always).
 */
export function registerObservability(container: DependencyContainer, config: StaticConfiguration, state: RuntimeState, logger: Logger): Observability {
  const services: InternalService[] = [];
  let metrics: PrometheusMetrics | undefined;
  let accessLog: AccessLog | undefined;
  const prom = config.metrics.prometheus;
  if (prom.enabled) metrics = new PrometheusMetrics(prom, state, { addInternals: config.metrics.addInternals });
  if (config.accessLog.enabled) accessLog = new AccessLog(config.accessLog);

  if (config.api.enabled) {
    const base = normalizeBasePath(config.api.basePath);
    const prefix = base === '/' ? '' : base;
    const api = createApiApp({
      state,
      entryPoints: config.entryPoints,
      features: { metrics: metrics ? 'Prometheus' : '', accessLog: accessLog !== undefined },
      basePath: base,
      debug: config.api.debug,
      ...(config.api.dashboard ? { dashboard: createDashboardRouter(base, { name: config.api.dashboardName }) } : {}),
    });
    const apiRoutes = [{ name: 'api', entryPoint: 'traefik', rule: `PathPrefix(\`${prefix}/api\`)`, priority: API_PRIORITY }];
    if (config.api.debug) apiRoutes.push({ name: 'debug', entryPoint: 'traefik', rule: `PathPrefix(\`${prefix}/debug\`)`, priority: API_PRIORITY });
    services.push({ ...fromExpress('api@internal', api as unknown as ExpressLike), ...(config.api.insecure ? { routes: apiRoutes } : {}) });
    if (config.api.dashboard) {
      const dashboard = createDashboardApp(base, { name: config.api.dashboardName });
      const routes = [{ name: 'dashboard', entryPoint: 'traefik', rule: `PathPrefix(\`${prefix}/\`)`, priority: DASHBOARD_PRIORITY }];
      services.push({ ...fromExpress('dashboard@internal', dashboard as unknown as ExpressLike), ...(config.api.insecure ? { routes } : {}) });
    }
  }
  // Always there, as in Traefik: redirect-only routers name it as their service.
  services.push(noopService);
  if (config.ping.enabled) services.push(createPingService(config.ping, state));
  if (metrics) services.push(metrics.internalService(prom));

  for (const service of services) container.register(Tokens.InternalService, { useValue: service });
  if (metrics) container.register(Tokens.RequestObserver, { useValue: metrics });
  if (accessLog) container.register(Tokens.RequestObserver, { useValue: accessLog });
  logger.debug({ services: services.map((s) => s.name), metrics: metrics !== undefined, accessLog: accessLog !== undefined }, 'observability registered');
  return { services, ...(metrics ? { metrics } : {}), ...(accessLog ? { accessLog } : {}) };
}

export { createApiApp, normalizeBasePath, wharfVersion, type ApiAppOptions } from '../api/api-app.js';
export { redact, REDACTED } from '../api/redact.js';
export { createDashboardApp, createDashboardRouter } from '../dashboard/dashboard-app.js';
export { createPingService } from './ping.js';
export { PrometheusMetrics, type PrometheusOptions } from './prometheus-metrics.js';
export { AccessLog } from './access-log/access-log.js';
export { LineWriter } from './access-log/line-writer.js';
export { buildAccessLogEntry, type AccessLogEntry } from './access-log/entry.js';
export { formatCommon, formatJson } from './access-log/format.js';
export { compileFilters, parseStatusRanges } from './access-log/filters.js';
