/**
 * Instances → one dynamic configuration (spec/ecs-provider.md §7, §8). Pure: the provider
 * passes what discovery found and logs the returned issues.
 */
import { decodeLabels, labelServers, type DynamicConfiguration, type LabelServer, type RouterConfig, type ServerConfig, type ServiceConfig } from '@wharf/core';
import type { RuleTemplate } from './default-rule.js';
import type { EcsInstance } from './model.js';
import { mergeConfigurations } from './merge-configurations.js';
import { selectPort } from './instances.js';

/** Settings of {@link buildConfiguration}. */
export interface BuildSettings {
  readonly defaultRule: RuleTemplate;
  readonly labelPrefix: string;
}

/** A problem met while building: the element or container it affects was left out. */
export interface BuildIssue {
  readonly level: 'info' | 'warn';
  readonly message: string;
  /** `<serviceName>-<id>` of the container, when the issue is about one container. */
  readonly instance?: string;
}

/** The merged configuration, and the issues to log. */
export interface BuildResult {
  readonly configuration: DynamicConfiguration;
  readonly issues: BuildIssue[];
}

/** Builds the configuration of every instance and merges them in ascending `<serviceName>-<id>` order. */
export function buildConfiguration(instances: readonly EcsInstance[], settings: BuildSettings): BuildResult {
  const issues: BuildIssue[] = [];
  const parts: Array<{ key: string; configuration: DynamicConfiguration }> = [];
  for (const instance of instances) {
    const key = `${instance.serviceName}-${instance.id}`;
    const built = buildInstance(instance, settings, (level, message) => issues.push({ level, message, instance: key }));
    if (built) parts.push({ key, configuration: built });
  }
  parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const merged = mergeConfigurations(parts.map((p) => p.configuration));
  for (const message of merged.conflicts) issues.push({ level: 'warn', message });
  return { configuration: merged.configuration, issues };
}

type Report = (level: 'info' | 'warn', message: string) => void;

/** One container's configuration, or undefined when the container is skipped (the reason reported). */
export function buildInstance(instance: EcsInstance, settings: BuildSettings, report: Report): DynamicConfiguration | undefined {
  const { configuration, errors } = decodeLabels(instance.labels as Record<string, string>, { prefix: settings.labelPrefix });
  if (errors.length > 0) {
    report('warn', `labels rejected, container skipped: ${errors.join('; ')}`);
    return undefined;
  }
  const out: DynamicConfiguration = {};
  const streams = (['tcp', 'udp'] as const).filter((kind) => hasElements(configuration[kind]));
  for (const kind of streams) {
    const section = buildStreamSection(kind, configuration[kind] as StreamSection, instance, report);
    if (!section) return undefined;
    out[kind] = section;
    report('warn', `${kind} labels are decoded but Wharf does not serve ${kind.toUpperCase()} yet`);
  }
  const http = configuration.http ?? {};
  const hasHttp = hasElements(http.routers) || hasElements(http.services) || hasElements(http.middlewares);
  if (streams.length === 0 || hasHttp) {
    const built = buildHttp(http, instance, settings, report);
    if (!built) return undefined;
    out.http = built;
  }
  if (configuration.tls) out.tls = configuration.tls;
  return out;
}

type HttpSection = NonNullable<DynamicConfiguration['http']>;

function buildHttp(http: HttpSection, instance: EcsInstance, settings: BuildSettings, report: Report): HttpSection | undefined {
  const services: Record<string, ServiceConfig> = { ...http.services };
  if (Object.keys(services).length === 0) services[instance.serviceName] = autoService(instance.serviceName, settings.labelPrefix);
  for (const [name, service] of Object.entries(services)) {
    if (!service.loadBalancer) continue;
    const server = serverOf(labelServers(service)[0], instance);
    if (typeof server === 'string') {
      report('warn', `service ${name}: ${server}; container skipped`);
      return undefined;
    }
    services[name] = { ...service, loadBalancer: { ...service.loadBalancer, servers: [server] } };
  }
  const routers: Record<string, RouterConfig> = { ...http.routers };
  const serviceNames = Object.keys(services);
  if (Object.keys(routers).length === 0) {
    if (serviceNames.length === 1) routers[instance.serviceName] = {};
    else report('info', `no router created: ${serviceNames.length} services and no router label`);
  }
  for (const [name, router] of Object.entries(routers)) {
    let rule = router.rule;
    if (rule === undefined) {
      try {
        rule = settings.defaultRule({ Name: instance.serviceName, Labels: instance.labels });
      } catch (err) {
        report('warn', `router ${name}: defaultRule failed (${(err as Error).message}); router removed`);
        delete routers[name];
        continue;
      }
      if (rule.trim() === '') {
        report('warn', `router ${name}: defaultRule rendered an empty rule; router removed`);
        delete routers[name];
        continue;
      }
    }
    let service = router.service;
    if (service === undefined) {
      if (serviceNames.length !== 1) {
        report('warn', `router ${name}: no service label and ${serviceNames.length} services to choose from; router removed`);
        delete routers[name];
        continue;
      }
      service = serviceNames[0];
    }
    routers[name] = { ...router, rule, service };
  }
  const out: HttpSection = { ...http, routers, services };
  return out;
}

/** Traefik's default load balancer, exactly as the label decoder creates it. */
function autoService(name: string, prefix: string): ServiceConfig {
  const decoded = decodeLabels({ [`${prefix}.http.services.${name}.loadbalancer.passhostheader`]: 'true' }, { prefix });
  return decoded.configuration.http!.services![name]!;
}

function serverOf(label: LabelServer | undefined, instance: EcsInstance): ServerConfig | string {
  const extras = { ...(label?.weight !== undefined ? { weight: label.weight } : {}), ...(label?.preservePath !== undefined ? { preservePath: label.preservePath } : {}) };
  if (label?.url !== undefined) {
    if (label.port !== undefined || label.scheme !== undefined) return 'server.url cannot be combined with server.port or server.scheme';
    return { url: label.url, ...extras };
  }
  const port = selectPort(instance.ports, label?.port);
  if (typeof port === 'string') return port;
  return { url: `${label?.scheme ?? 'http'}://${hostPort(instance.ip, port)}`, ...extras };
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

type StreamSection = { routers?: Record<string, Record<string, unknown>>; services?: Record<string, Record<string, unknown>> };

/** §8 steps 1–2: TCP and UDP get a default service, `ip:port` servers and single-service links. */
function buildStreamSection(kind: 'tcp' | 'udp', section: StreamSection, instance: EcsInstance, report: Report): StreamSection | undefined {
  const services: Record<string, Record<string, unknown>> = { ...section.services };
  if (Object.keys(services).length === 0) services[instance.serviceName] = { loadBalancer: {} };
  for (const [name, service] of Object.entries(services)) {
    const lb = service.loadBalancer as { servers?: Array<{ port?: string }> } | undefined;
    if (!lb) continue;
    const port = selectPort(instance.ports, lb.servers?.[0]?.port);
    if (typeof port === 'string') {
      report('warn', `${kind} service ${name}: ${port}; container skipped`);
      return undefined;
    }
    services[name] = { ...service, loadBalancer: { ...lb, servers: [{ address: hostPort(instance.ip, port) }] } };
  }
  const routers: Record<string, Record<string, unknown>> = { ...section.routers };
  const names = Object.keys(services);
  for (const [name, router] of Object.entries(routers)) {
    if (kind === 'tcp' && router.rule === undefined) {
      report('warn', `tcp router ${name}: no rule; router removed`);
      delete routers[name];
    } else if (router.service === undefined) {
      if (names.length === 1) routers[name] = { ...router, service: names[0] };
      else {
        report('warn', `${kind} router ${name}: no service label and ${names.length} services; router removed`);
        delete routers[name];
      }
    }
  }
  return { ...section, routers, services };
}

function hasElements(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  return Object.values(value as Record<string, unknown>).some((v) => v && typeof v === 'object' && Object.keys(v).length > 0);
}
