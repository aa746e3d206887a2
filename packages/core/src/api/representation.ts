import type { EntryPointConfig } from '../config/static/types.js';
import type { MiddlewareInfo, RouterInfo, RuntimeConfiguration, ServiceInfo } from '../runtime/runtime-configuration.js';
import { qualify } from '../runtime/merge.js';
import { redact } from './redact.js';

/** A router as `/api/http/routers` shows it: its configuration plus runtime fields. */
export interface RouterRepresentation extends Record<string, unknown> {
  name: string;
  provider: string;
  status: string;
  using: string[];
  priority: number;
  priorityStr: string;
  error?: string[];
  rule?: string;
  service?: string;
  entryPoints?: string[];
  middlewares?: string[];
  /** Multi-layer routing: the qualified names of this router's parents (absent on a root router). */
  parentRefs?: string[];
}

/** A service as `/api/http/services` shows it. */
export interface ServiceRepresentation extends Record<string, unknown> {
  name: string;
  provider: string;
  status: string;
  /** Absent for Wharf's own services (`api@internal` …), as in Traefik. */
  type?: string;
  usedBy: string[];
  serverStatus?: Record<string, 'UP' | 'DOWN'>;
  error?: string[];
}

/** A middleware as `/api/http/middlewares` shows it. */
export interface MiddlewareRepresentation extends Record<string, unknown> {
  name: string;
  provider: string;
  status: string;
  type: string;
  usedBy: string[];
  error?: string[];
}

function errorField(error: string[] | undefined): { error?: string[] } {
  return error && error.length > 0 ? { error: [...error] } : {};
}

/** What every element shows: its configuration (redacted) and its identity and status. */
function elementFields(info: RouterInfo | ServiceInfo | MiddlewareInfo): Record<string, unknown> & { name: string; provider: string; status: string } {
  return { ...(redact(info.config) as Record<string, unknown>), name: info.name, provider: info.provider, status: info.status };
}

export function routerRepresentation(info: RouterInfo): RouterRepresentation {
  // Traefik's API shows `parentRefs` qualified in the child's provider, as its aggregator rewrites them.
  const parentRefs = info.config.parentRefs ? { parentRefs: info.config.parentRefs.map((p) => qualify(p, info.provider)) } : {};
  return { ...elementFields(info), ...parentRefs, using: [...info.using], priority: info.priority, priorityStr: String(info.priority), ...errorField(info.error) };
}

export function serviceRepresentation(info: ServiceInfo): ServiceRepresentation {
  return {
    ...elementFields(info),
    // Wharf's own services have no type, as in Traefik's API.
    ...(info.type ? { type: info.type } : {}),
    usedBy: [...info.usedBy],
    ...(info.serverStatus ? { serverStatus: redact(info.serverStatus) as Record<string, 'UP' | 'DOWN'> } : {}),
    ...errorField(info.error),
  };
}

export function middlewareRepresentation(info: MiddlewareInfo): MiddlewareRepresentation {
  return { ...elementFields(info), type: info.type, usedBy: [...info.usedBy], ...errorField(info.error) };
}

interface Counts {
  total: number;
  warnings: number;
  errors: number;
}

function counts(elements: Iterable<{ status: string }>): Counts {
  const c: Counts = { total: 0, warnings: 0, errors: 0 };
  for (const e of elements) {
    c.total++;
    if (e.status === 'warning') c.warnings++;
    else if (e.status === 'disabled') c.errors++;
  }
  return c;
}

const EMPTY: Counts = { total: 0, warnings: 0, errors: 0 };

/** What the overview reports besides the runtime configuration. */
export interface OverviewFeatures {
  metrics: string;
  accessLog: boolean;
}

/** `/api/overview`: per-protocol totals (`errors` counts disabled elements), features, providers. */
export function overview(runtime: RuntimeConfiguration, features: OverviewFeatures): Record<string, unknown> {
  return {
    http: { routers: counts(runtime.routers.values()), services: counts(runtime.services.values()), middlewares: counts(runtime.middlewares.values()) },
    tcp: { routers: EMPTY, services: EMPTY, middlewares: EMPTY },
    udp: { routers: EMPTY, services: EMPTY },
    features: { tracing: '', metrics: features.metrics, accessLog: features.accessLog },
    // Traefik names providers capitalised (`File`, `Docker`) and leaves out its own.
    providers: runtime.providers.filter((p) => p !== 'internal').map((p) => p.charAt(0).toUpperCase() + p.slice(1)),
  };
}

/** `/api/entrypoints/{name}`: the static entry point with its name (and the bound address, when listening). */
export function entryPointRepresentation(name: string, config: EntryPointConfig, boundAddress: string | undefined): Record<string, unknown> {
  return { ...(redact(config) as Record<string, unknown>), ...(boundAddress ? { boundAddress } : {}), name };
}

/** `/api/rawdata`: every element keyed by qualified name; TCP/UDP maps stay empty. */
export function rawData(runtime: RuntimeConfiguration): Record<string, unknown> {
  const map = <T, R>(m: ReadonlyMap<string, T>, f: (v: T) => R): Record<string, R> => Object.fromEntries([...m].map(([k, v]) => [k, f(v)]));
  return {
    routers: map(runtime.routers, routerRepresentation),
    middlewares: map(runtime.middlewares, middlewareRepresentation),
    services: map(runtime.services, serviceRepresentation),
    tcpRouters: {},
    tcpMiddlewares: {},
    tcpServices: {},
    udpRouters: {},
    udpServices: {},
  };
}
