import type { ServerResponse } from 'node:http';
import { ConfigError, errorMessage } from '../errors.js';
import type { LoadBalancerConfig } from '../config/dynamic/types.js';
import type { InternalService } from '../internal/internal-service.js';
import type { Logger } from '../logger.js';
import type { WharfRequest } from '../middlewares/middleware-factory.js';
import type { Forwarder } from '../proxy/forwarder.js';
import type { TransportSettings } from '../proxy/pool-registry.js';
import { addError, type RuntimeConfiguration, type ServiceInfo } from '../runtime/runtime-configuration.js';
import { parseHealthCheck } from './health-check/health-check-options.js';
import type { HealthCheckRegistry } from './health-check/health-check-registry.js';
import { PassiveHealth, parsePassiveHealthCheck } from './health-check/passive-health.js';
import { LoadBalancerService, parseServerUrl, ServerState } from './load-balancer.js';
import { toTransportSettings, unsupportedTransportOptions } from './servers-transport.js';
import type { ServiceHandler } from './service-handler.js';
import { WeightedService } from './weighted.js';

/** Wraps a service's own `middlewares` (Traefik 3.7) around it; supplied by the router factory. */
export type ServiceMiddlewareWrapper = (service: ServiceInfo, handler: ServiceHandler) => ServiceHandler;

/**
 * Builds service handlers from the runtime configuration, each once, recording errors on the
 * service (and disabling it) instead of failing the build. Recursive references are detected.
 */
export class ServiceBuilder {
  private readonly built = new Map<string, ServiceHandler | null>();
  private readonly building = new Set<string>();
  /** Built transports, or why one is disabled. */
  private readonly transports = new Map<string, TransportSettings | string>();

  constructor(
    private readonly runtime: RuntimeConfiguration,
    private readonly forwarder: Forwarder,
    private readonly health: HealthCheckRegistry,
    private readonly defaultTransport: TransportSettings,
    private readonly internal: ReadonlyMap<string, InternalService>,
    private readonly wrapMiddlewares: ServiceMiddlewareWrapper,
    private readonly logger: Logger,
  ) {}

  /** The handler of a qualified service name, or an error message saying why there is none. */
  get(name: string): ServiceHandler | string {
    const internal = this.internal.get(name);
    if (internal) return { handle: (req: WharfRequest, res: ServerResponse) => internal.handle(req, res), available: () => true };
    const info = this.runtime.services.get(name);
    if (!info) return `the service "${name}" does not exist`;
    if (this.building.has(name)) return `recursion detected in service "${name}"`;
    // Disabled before the build: its configuration failed to decode where it entered the kernel.
    if (info.status === 'disabled' && !this.built.has(name)) this.built.set(name, null);
    if (!this.built.has(name)) {
      this.building.add(name);
      try {
        const handler = this.build(info);
        this.built.set(name, this.wrapMiddlewares(info, handler));
        if (handler.serverStatus) liveServerStatus(info, handler);
      } catch (err) {
        addError(info, errorMessage(err), true);
        this.built.set(name, null);
        this.logger.error({ service: name, err: errorMessage(err) }, 'service disabled');
      } finally {
        this.building.delete(name);
      }
    }
    return this.built.get(name) ?? `the service "${name}" is disabled: ${(info.error ?? []).join('; ')}`;
  }

  /** Builds every transport and service, so that unused broken ones also show their errors. */
  buildAll(): void {
    for (const name of this.runtime.serversTransports.keys()) this.buildTransport(name);
    for (const name of this.runtime.services.keys()) this.get(name);
  }

  private build(info: ServiceInfo): ServiceHandler {
    const config = info.config;
    const kinds = (['loadBalancer', 'weighted', 'mirroring', 'failover', 'highestRandomWeight'] as const).filter((k) => config[k] !== undefined);
    if (kinds.length === 0) throw new ConfigError(info.name, 'the service has no type (loadBalancer, weighted, mirroring, failover)');
    if (kinds.length > 1) throw new ConfigError(info.name, `the service has more than one type: ${kinds.join(', ')}`);
    if (config.loadBalancer) {
      const lb = config.loadBalancer;
      if (lb.strategy !== undefined && lb.strategy !== 'wrr') throw new ConfigError(`${info.name}.loadBalancer.strategy`, `strategy "${lb.strategy}" is not supported yet (supported: wrr)`);
      const servers = (lb.servers ?? []).map((s, i) => new ServerState(parseServerUrl(s.url, s.preservePath === true, `${info.name}.loadBalancer.servers[${i}].url`), s.weight ?? 1));
      return this.loadBalancer(info.name, servers, lb);
    }
    if (config.weighted) {
      const children = (config.weighted.services ?? []).map((child, i) => {
        if (child.name === undefined) throw new ConfigError(`${info.name}.weighted.services[${i}].name`, 'is required: the name of a service');
        const handler = this.get(child.name);
        if (typeof handler === 'string') throw new ConfigError(`${info.name}.weighted.services`, handler);
        return { handler, weight: child.weight ?? 1 };
      });
      return new WeightedService(children);
    }
    throw new ConfigError(info.name, `${kinds[0]} services are not supported yet`);
  }

  private loadBalancer(name: string, servers: ServerState[], lb: LoadBalancerConfig): LoadBalancerService {
    const transport = this.transport(lb.serversTransport);
    // Traefik's API shows no serversTransports, so their warnings also go on the services using them.
    const info = this.runtime.services.get(name);
    const warnings = lb.serversTransport === undefined ? undefined : this.runtime.serversTransports.get(lb.serversTransport)?.error;
    if (info && warnings) for (const warning of warnings) addError(info, `serversTransport "${lb.serversTransport}": ${warning}`, false);
    const passive = lb.passiveHealthCheck ? parsePassiveHealthCheck(lb.passiveHealthCheck, `${name}.loadBalancer.passiveHealthCheck`) : undefined;
    // Validated before any checker starts, so a bad option never leaves a checker behind.
    const active = lb.healthCheck ? parseHealthCheck(lb.healthCheck, `${name}.loadBalancer.healthCheck`) : undefined;
    if (active) for (const server of servers) server.checker = this.health.acquire(name, server.target, active, transport);
    return new LoadBalancerService(servers, lb, transport, this.forwarder, {
      service: name,
      ...(passive ? { passive: (server: ServerState) => new PassiveHealth(passive, this.logger, { service: name, server: server.target.url }) } : {}),
    });
  }

  private transport(name: string | undefined): TransportSettings {
    if (name === undefined || name === 'default@internal') return this.defaultTransport;
    const settings = this.buildTransport(name);
    if (typeof settings === 'string') throw new ConfigError('serversTransport', settings);
    return settings;
  }

  /** Builds a transport once per build, recording its errors and unsupported options on it. */
  private buildTransport(name: string): TransportSettings | string {
    let settings = this.transports.get(name);
    if (settings !== undefined) return settings;
    const info = this.runtime.serversTransports.get(name);
    if (!info) return `the serversTransport "${name}" does not exist`;
    if (info.status === 'disabled') {
      settings = `the serversTransport "${name}" is disabled: ${(info.error ?? []).join('; ')}`;
      this.transports.set(name, settings);
      return settings;
    }
    for (const message of unsupportedTransportOptions(info.config)) {
      addError(info, message, false);
      this.logger.warn({ serversTransport: name }, message);
    }
    try {
      settings = toTransportSettings(name, info.config, this.defaultTransport);
    } catch (err) {
      addError(info, errorMessage(err), true);
      this.logger.error({ serversTransport: name, err: errorMessage(err) }, 'serversTransport disabled');
      settings = `the serversTransport "${name}" is disabled: ${errorMessage(err)}`;
    }
    this.transports.set(name, settings);
    return settings;
  }
}

/** Makes `serverStatus` read the handler on every access, so the API and metrics show current health. */
function liveServerStatus(info: ServiceInfo, handler: ServiceHandler): void {
  Object.defineProperty(info, 'serverStatus', { get: () => handler.serverStatus!(), enumerable: true, configurable: true });
}
