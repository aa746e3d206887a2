import type { DynamicConfiguration, RouterConfig, ServiceConfig } from '../config/dynamic/types.js';
import { SERVICE_KINDS } from '../config/dynamic/types.js';
import { ProviderSnapshots, type ElementIssue } from './provider-snapshot.js';
import { addError, RuntimeConfiguration, type ElementInfo } from './runtime-configuration.js';

/** `name` as seen from `provider`: unqualified references resolve in the referencing provider (spec §b.5). */
export function qualify(name: string, provider: string): string {
  return name.includes('@') ? name : `${name}@${provider}`;
}

/** Splits `name@provider`. */
export function splitQualified(name: string): { name: string; provider: string } {
  const at = name.lastIndexOf('@');
  return at === -1 ? { name, provider: '' } : { name: name.slice(0, at), provider: name.slice(at + 1) };
}

/**
 * Merges the latest snapshot of every provider into one runtime configuration: names get their
 * `@provider` suffix, and references inside routers and services are qualified so that later
 * steps never need to know who wrote what. Validation happens when handlers are built.
 *
 * Given the watcher's {@link ProviderSnapshots}, the boundary's findings are applied too: an
 * element that failed to decode is present and `disabled` with its error (the builders skip it,
 * so its dependents get the usual "is disabled" error), and each provider gets a status.
 */
export function mergeSnapshots(snapshots: ReadonlyMap<string, DynamicConfiguration>): RuntimeConfiguration {
  const runtime = new RuntimeConfiguration();
  for (const [provider, configuration] of snapshots) {
    runtime.providers.push(provider);
    const http = configuration.http ?? {};
    for (const [name, router] of Object.entries(http.routers ?? {})) {
      const qualified = qualify(name, provider);
      runtime.routers.set(qualified, { name: qualified, provider, status: 'enabled', config: qualifyRouter(router, provider), using: [], priority: 0 });
    }
    for (const [name, service] of Object.entries(http.services ?? {})) {
      const qualified = qualify(name, provider);
      runtime.services.set(qualified, { name: qualified, provider, status: 'enabled', config: qualifyService(service, provider), type: serviceType(service), usedBy: [] });
    }
    for (const [name, middleware] of Object.entries(http.middlewares ?? {})) {
      const qualified = qualify(name, provider);
      const types = Object.keys(middleware ?? {});
      runtime.middlewares.set(qualified, { name: qualified, provider, status: 'enabled', config: middleware, type: (types[0] ?? '').toLowerCase(), usedBy: [] });
    }
    for (const [name, transport] of Object.entries(http.serversTransports ?? {})) {
      const qualified = qualify(name, provider);
      runtime.serversTransports.set(qualified, { name: qualified, provider, status: 'enabled', config: transport });
    }
    // tcp/udp sections are reported as unsupported by the providers that read them.
    mergeTls(runtime, configuration);
  }
  if (snapshots instanceof ProviderSnapshots) applyReports(runtime, snapshots);
  return runtime;
}

function applyReports(runtime: RuntimeConfiguration, snapshots: ProviderSnapshots): void {
  for (const provider of [...snapshots.keys(), ...snapshots.reports.keys()]) runtime.providerStatus.set(provider, { name: provider, status: 'ok' });
  for (const [provider, report] of snapshots.reports) {
    if (report.errors.length > 0) runtime.providerStatus.set(provider, { name: provider, status: 'error', error: [...report.errors] });
    if (!snapshots.has(provider)) continue;
    for (const issue of report.elementIssues) addError(elementFor(runtime, provider, issue), issue.message, true);
    for (const issue of report.elementWarnings ?? []) addError(elementFor(runtime, provider, issue), issue.message, false);
  }
}

/** The runtime entry of a bad element; one that could not be decoded at all gets an empty configuration. */
function elementFor(runtime: RuntimeConfiguration, provider: string, issue: ElementIssue): ElementInfo {
  const base = { name: issue.qualified, provider, status: 'enabled' as const };
  switch (issue.section) {
    case 'routers':
      return runtime.routers.get(issue.qualified) ?? set(runtime.routers, { ...base, config: {}, using: [], priority: 0 });
    case 'services':
      return runtime.services.get(issue.qualified) ?? set(runtime.services, { ...base, config: {}, type: '', usedBy: [] });
    case 'middlewares':
      return runtime.middlewares.get(issue.qualified) ?? set(runtime.middlewares, { ...base, config: {}, type: '', usedBy: [] });
    case 'serversTransports':
      return runtime.serversTransports.get(issue.qualified) ?? set(runtime.serversTransports, { ...base, config: {} });
  }
}

function set<T extends { name: string }>(map: Map<string, T>, element: T): T {
  map.set(element.name, element);
  return element;
}

/** A reference `{ name }` qualified in `provider`; one without a name is left for the builder to report. */
function qualifyName<T extends { name?: string }>(ref: T, provider: string): T {
  return ref.name === undefined ? ref : { ...ref, name: qualify(ref.name, provider) };
}

function qualifyRouter(router: RouterConfig, provider: string): RouterConfig {
  const out: RouterConfig = { ...router };
  if (router.service !== undefined) out.service = qualify(router.service, provider);
  if (router.middlewares) out.middlewares = router.middlewares.map((m) => qualify(m, provider));
  return out;
}

function qualifyService(service: ServiceConfig, provider: string): ServiceConfig {
  const out: ServiceConfig = { ...service };
  if (service.middlewares) out.middlewares = service.middlewares.map((m) => qualify(m, provider));
  if (service.loadBalancer?.serversTransport) out.loadBalancer = { ...service.loadBalancer, serversTransport: qualify(service.loadBalancer.serversTransport, provider) };
  if (service.weighted?.services) out.weighted = { ...service.weighted, services: service.weighted.services.map((s) => qualifyName(s, provider)) };
  if (service.highestRandomWeight?.services) out.highestRandomWeight = { ...service.highestRandomWeight, services: service.highestRandomWeight.services.map((s) => qualifyName(s, provider)) };
  if (service.mirroring) {
    out.mirroring = { ...service.mirroring, ...(service.mirroring.service ? { service: qualify(service.mirroring.service, provider) } : {}), ...(service.mirroring.mirrors ? { mirrors: service.mirroring.mirrors.map((m) => qualifyName(m, provider)) } : {}) };
  }
  if (service.failover) {
    out.failover = { ...service.failover, ...(service.failover.service ? { service: qualify(service.failover.service, provider) } : {}), ...(service.failover.fallback ? { fallback: qualify(service.failover.fallback, provider) } : {}) };
  }
  return out;
}

/** Lower-case kind name as the API shows it; '' when none or several kinds are set. */
export function serviceType(service: ServiceConfig): string {
  const kinds = SERVICE_KINDS.filter((k) => service[k] !== undefined);
  return kinds.length === 1 ? kinds[0]!.toLowerCase() : '';
}

function mergeTls(runtime: RuntimeConfiguration, configuration: DynamicConfiguration): void {
  const tls = configuration.tls;
  if (!tls) return;
  if (tls.certificates) runtime.tls.certificates = [...(runtime.tls.certificates ?? []), ...tls.certificates];
  if (tls.options) runtime.tls.options = { ...(runtime.tls.options ?? {}), ...tls.options };
  if (tls.stores) runtime.tls.stores = { ...(runtime.tls.stores ?? {}), ...tls.stores };
}
