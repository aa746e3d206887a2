import type { DynamicConfiguration, RouterConfig } from '../config/dynamic/types.js';
import type { EmitConfiguration, Provider } from '../provider/provider.js';
import type { InternalService } from './internal-service.js';

/**
 * Publishes the routers of Wharf's own services (`api@internal` on the `traefik` entry point
 * with `api.insecure`, `ping@internal`, …) as a provider named `internal`, so they show in the
 * API like any other router and follow the same rules.
 */
export class InternalProvider implements Provider {
  readonly name = 'internal';

  constructor(private readonly services: readonly InternalService[]) {}

  async init(): Promise<void> {}

  async provide(emit: EmitConfiguration, signal: AbortSignal): Promise<void> {
    emit({ providerName: this.name, configuration: this.configuration() });
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  configuration(): DynamicConfiguration {
    const routers: Record<string, RouterConfig> = {};
    for (const service of this.services) {
      for (const route of service.routes ?? []) {
        routers[route.name] = { entryPoints: [route.entryPoint], rule: route.rule, priority: route.priority, service: service.name };
      }
    }
    return { http: { routers, services: {}, middlewares: {} } };
  }
}
