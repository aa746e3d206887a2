import { readFileSync } from 'node:fs';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { EntryPointConfig } from '../config/static/types.js';
import { HttpError } from '../errors.js';
import type { RuntimeState } from '../runtime/runtime-state.js';
import type { ProviderInfo } from '../runtime/runtime-configuration.js';
import { listPage, parseListCriteria, sameElement, type ListSpec } from './list-query.js';
import {
  entryPointRepresentation,
  middlewareRepresentation,
  overview,
  rawData,
  routerRepresentation,
  serviceRepresentation,
  type MiddlewareRepresentation,
  type OverviewFeatures,
  type RouterRepresentation,
  type ServiceRepresentation,
} from './representation.js';

/** What the API application reads. */
export interface ApiAppOptions {
  readonly state: RuntimeState;
  readonly entryPoints: Readonly<Record<string, EntryPointConfig>>;
  readonly features: OverviewFeatures;
  /** `api.basePath`, `/` by default. */
  readonly basePath?: string;
  /** `api.debug`: serve `/debug/vars`. */
  readonly debug?: boolean;
  /** Serves the dashboard too (a router may target `api@internal` for both, as in Traefik). */
  readonly dashboard?: express.RequestHandler;
}

const routerSpec: ListSpec<RouterRepresentation> = {
  searchable: (r) => [r.name, r.rule ?? ''],
  sortKeys: {
    name: (r) => r.name,
    provider: (r) => r.provider,
    priority: (r) => r.priority,
    status: (r) => r.status,
    rule: (r) => r.rule ?? '',
    service: (r) => r.service ?? '',
    entryPoints: (r) => r.using.join(','),
  },
  filter: (r, c) => (!c.serviceName || sameElement(r.service, c.serviceName)) && (!c.middlewareName || (r.middlewares ?? []).some((m) => sameElement(m, c.middlewareName))),
};

const serviceSpec: ListSpec<ServiceRepresentation> = {
  searchable: (s) => [s.name],
  sortKeys: {
    name: (s) => s.name,
    provider: (s) => s.provider,
    status: (s) => s.status,
    type: (s) => s.type ?? '',
    servers: (s) => ((s.loadBalancer as { servers?: unknown[] } | undefined)?.servers ?? []).length,
  },
};

const middlewareSpec: ListSpec<MiddlewareRepresentation> = {
  searchable: (m) => [m.name],
  sortKeys: { name: (m) => m.name, provider: (m) => m.provider, status: (m) => m.status, type: (m) => m.type },
};

/** The version `/api/version` reports: `@wharf/core`'s own. */
export const wharfVersion: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Normalises `api.basePath` to `/` or `/prefix` (no trailing slash). */
export function normalizeBasePath(basePath: string | undefined): string {
  const trimmed = (basePath ?? '/').trim().replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.startsWith('/') ? trimmed : '/' + trimmed;
}

/**
 * `api@internal`: Traefik's read-only API as an Express 5 application, reading the latest
 * runtime configuration on every request (so it is never stale after a reload).
 *
 * @see spec/traefik-model.md §h
 */
export function createApiApp(options: ApiAppOptions): Express {
  const { state } = options;
  const api = express.Router();
  const list = <T extends { name: string; status?: string }>(items: () => Iterable<T>, spec: ListSpec<T>) => (req: Request, res: Response): void => {
    const page = listPage(items(), parseListCriteria(req.query as Record<string, unknown>), spec);
    res.setHeader('X-Next-Page', String(page.nextPage));
    res.json(page.items);
  };
  const one = <T>(kind: string, find: (name: string) => T | undefined) => (req: Request, res: Response): void => {
    const name = String(req.params.name);
    const found = find(name);
    if (found === undefined) throw new HttpError(404, `${kind} not found: ${name}`);
    res.json(found);
  };
  const routers = (): RouterRepresentation[] => [...state.runtime.routers.values()].map(routerRepresentation);
  const services = (): ServiceRepresentation[] => [...state.runtime.services.values()].map(serviceRepresentation);
  const middlewares = (): MiddlewareRepresentation[] => [...state.runtime.middlewares.values()].map(middlewareRepresentation);
  const entryPoint = (name: string): Record<string, unknown> | undefined => {
    const config = options.entryPoints[name];
    return config && entryPointRepresentation(name, config, state.entryPointAddresses.get(name));
  };

  api.get('/overview', (_req, res) => void res.json(overview(state.runtime, options.features)));
  api.get('/entrypoints', list(() => Object.keys(options.entryPoints).map((n) => ({ ...entryPoint(n)!, name: n })), { searchable: (e) => [e.name], sortKeys: { name: (e) => e.name } }));
  api.get('/entrypoints/:name', one('entry point', entryPoint));
  api.get('/http/routers', list(routers, routerSpec));
  api.get('/http/routers/:name', one('router', (n) => maybe(state.runtime.routers.get(n), routerRepresentation)));
  api.get('/http/services', list(services, serviceSpec));
  api.get('/http/services/:name', one('service', (n) => maybe(state.runtime.services.get(n), serviceRepresentation)));
  api.get('/http/middlewares', list(middlewares, middlewareSpec));
  api.get('/http/middlewares/:name', one('middleware', (n) => maybe(state.runtime.middlewares.get(n), middlewareRepresentation)));
  for (const section of ['tcp/routers', 'tcp/services', 'tcp/middlewares', 'udp/routers', 'udp/services']) {
    api.get(`/${section}`, (_req, res) => void res.setHeader('X-Next-Page', '1').json([]));
    api.get(`/${section}/:name`, one(section.split('/')[1]!.replace(/s$/, ''), () => undefined));
  }
  // Wharf's own: each provider and whether its latest snapshot was applied (not in Traefik's API).
  const providers = (): ProviderInfo[] => [...state.runtime.providerStatus.values()].filter((p) => p.name !== 'internal');
  api.get('/providers', list(providers, { searchable: (p) => [p.name], sortKeys: { name: (p) => p.name, status: (p) => p.status } }));
  api.get('/providers/:name', one('provider', (n) => state.runtime.providerStatus.get(n)));
  api.get('/rawdata', (_req, res) => void res.json(rawData(state.runtime)));
  api.get('/version', (_req, res) => void res.json({ Version: wharfVersion, Codename: 'wharf', startDate: state.startDate.toISOString() }));
  api.use((req: Request) => {
    throw new HttpError(404, `not found: ${req.originalUrl}`);
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const base = normalizeBasePath(options.basePath);
  const prefix = base === '/' ? '' : base;
  app.use(`${prefix}/api`, api);
  if (options.debug) app.get(`${prefix}/debug/vars`, (_req, res) => void res.json({ memstats: process.memoryUsage(), uptime: process.uptime(), cmdline: process.argv.slice(0, 1) }));
  if (options.dashboard) app.use(options.dashboard);
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const status = err instanceof HttpError ? err.status : 500;
    res.status(status).json({ message: err instanceof HttpError ? err.message : 'internal error' });
  });
  return app;
}

function maybe<T, R>(value: T | undefined, f: (v: T) => R): R | undefined {
  return value === undefined ? undefined : f(value);
}
