import { inject, injectable, injectAll } from 'tsyringe';
import type { DynamicConfiguration } from '../config/dynamic/types.js';
import type { StaticConfiguration } from '../config/static/types.js';
import { errorMessage } from '../errors.js';
import { InternalProvider } from '../internal/internal-provider.js';
import type { InternalService } from '../internal/internal-service.js';
import type { Logger } from '../logger.js';
import type { MiddlewareFactory } from '../middlewares/middleware-factory.js';
import type { Provider } from '../provider/provider.js';
import { Forwarder } from '../proxy/forwarder.js';
import { PoolRegistry, type TransportSettings } from '../proxy/pool-registry.js';
import { loadTransportTls } from '../proxy/transport-tls.js';
import { mergeSnapshots } from '../runtime/merge.js';
import type { RuntimeState } from '../runtime/runtime-state.js';
import { HealthCheckRegistry } from '../services/health-check/health-check-registry.js';
import type { ServiceHandler } from '../services/service-handler.js';
import { Tokens } from '../tokens.js';
import { ConfigurationWatcher } from '../watcher/configuration-watcher.js';
import { EntryPoint, type ShutdownReport } from './entry-point.js';
import type { RequestObserver } from './request-observer.js';
import { RouterFactory } from './router-factory.js';

// The static schema's default; another value is the user's, and it is not applied.
const STATIC_MAX_IDLE_DEFAULT = 200;

/**
 * The kernel: entry points, the configuration watcher and the build-and-swap loop.
 * `start()` opens every entry point (failing before any traffic if one cannot listen), then
 * starts the providers; every accepted configuration change is merged, built off to the side
 * and swapped into the entry points atomically.
 */
@injectable()
export class Wharf {
  private readonly pools: PoolRegistry;
  private readonly health: HealthCheckRegistry;
  private readonly entryPoints: EntryPoint[];
  private readonly factory: RouterFactory;
  private readonly watcher: ConfigurationWatcher;
  private liveServices: readonly ServiceHandler[] = [];
  private stopping: Promise<void> | undefined;
  /** A static `serversTransport` file that cannot be read stops `start()` before any port opens. */
  private readonly startError: Error | undefined;

  constructor(
    @inject(Tokens.StaticConfiguration) private readonly config: StaticConfiguration,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(Tokens.RuntimeState) private readonly state: RuntimeState,
    @injectAll(Tokens.Provider, { isOptional: true }) providers: Provider[],
    @injectAll(Tokens.MiddlewareFactory, { isOptional: true }) middlewareFactories: MiddlewareFactory<unknown>[],
    @injectAll(Tokens.InternalService, { isOptional: true }) internalServices: InternalService[],
    @injectAll(Tokens.RequestObserver, { isOptional: true }) observers: RequestObserver[],
  ) {
    this.health = new HealthCheckRegistry(logger);
    this.pools = new PoolRegistry(logger);
    this.entryPoints = Object.entries(config.entryPoints).map(([name, ep]) => new EntryPoint(name, ep, logger.child({ entryPoint: name }), observers ?? []));
    let defaultTransport: TransportSettings = {
      name: 'default@internal',
      dialTimeout: config.serversTransport.forwardingTimeouts.dialTimeout,
      responseHeaderTimeout: config.serversTransport.forwardingTimeouts.responseHeaderTimeout,
      idleConnTimeout: config.serversTransport.forwardingTimeouts.idleConnTimeout,
      maxIdleConnsPerHost: config.serversTransport.maxIdleConnsPerHost,
    };
    if (config.serversTransport.maxIdleConnsPerHost !== STATIC_MAX_IDLE_DEFAULT) {
      logger.warn({ serversTransport: 'default@internal' }, 'serversTransport.maxIdleConnsPerHost is not supported yet (ignored: idle connections are closed after idleConnTimeout, their number is not capped)');
    }
    try {
      const { insecureSkipVerify, rootCAs } = config.serversTransport;
      defaultTransport = { ...defaultTransport, tls: loadTransportTls({ insecureSkipVerify, rootCAs }, 'static serversTransport') };
    } catch (err) {
      this.startError = err as Error;
    }
    this.factory = new RouterFactory(
      {
        entryPoints: Object.entries(config.entryPoints).map(([name, ep]) => ({ name, asDefault: ep.asDefault, middlewares: ep.http.middlewares })),
        defaultRuleSyntax: config.core.defaultRuleSyntax,
        precedence: config.providers.precedence,
        defaultTransport,
      },
      middlewareFactories ?? [],
      new Map((internalServices ?? []).map((s) => [s.name, s])),
      new Forwarder(this.pools, logger),
      this.health,
      logger,
    );
    this.watcher = new ConfigurationWatcher([new InternalProvider(internalServices ?? []), ...(providers ?? [])], config.providers.providersThrottleDuration, logger);
    this.watcher.onChange((snapshots) => this.apply(snapshots));
  }

  /**
   * Initialises the providers first, so that a provider's configuration error (no region, no
   * file) stops Wharf before any port opens; then opens every entry point; then starts discovery.
   * With `discovery: false` (a `--workers` worker) only the entry points open: configurations
   * arrive through {@link apply}, from the primary process that runs the providers.
   */
  async start(options: { discovery?: boolean } = {}): Promise<void> {
    if (this.startError) throw this.startError;
    const discovery = options.discovery ?? true;
    if (discovery) await this.watcher.init();
    for (const ep of this.entryPoints) {
      const address = await ep.listen();
      this.state.entryPointAddresses.set(ep.name, address);
    }
    if (discovery) this.watcher.start();
  }

  /** Merges, builds and swaps; a failure keeps the previous handlers in place. */
  apply(snapshots: ReadonlyMap<string, DynamicConfiguration>): void {
    const startedAt = performance.now();
    try {
      this.pools.beginBuild();
      this.health.beginBuild();
      const runtime = mergeSnapshots(snapshots);
      const build = this.factory.build(runtime);
      for (const ep of this.entryPoints) ep.setTable(build.tables.get(ep.name)!);
      const previous = this.liveServices;
      this.liveServices = build.services;
      for (const service of previous) service.close?.();
      this.health.closeUnused();
      void this.pools.closeUnused();
      this.state.publish(runtime, true);
      // `ms`: merge, build and swap, the time the event loop was not serving requests.
      this.logger.info({ routers: runtime.routers.size, services: runtime.services.size, ms: Math.round(performance.now() - startedAt) }, 'configuration applied');
    } catch (err) {
      this.logger.error({ err: errorMessage(err) }, 'building the new configuration failed; the previous one stays in force');
      this.state.publish(this.state.runtime, false);
    }
  }

  /** Graceful stop: providers stop, entry points drain within their `graceTimeOut`, pools close. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.state.shuttingDown = true;
      const startedAt = performance.now();
      // Entry points start closing at once (a provider slow to stop must not delay it).
      const [reports] = await Promise.all([Promise.all(this.entryPoints.map((ep) => ep.shutdown())), this.watcher.stop()]);
      for (const service of this.liveServices) service.close?.();
      await this.factory.dispose();
      this.health.close();
      await this.pools.close();
      const sum = (key: keyof ShutdownReport): number => reports.reduce((n, r) => n + r[key], 0);
      this.logger.info(
        { connections: sum('connections'), served: sum('served'), cut: sum('cut'), tunnels: sum('tunnels'), ms: Math.round(performance.now() - startedAt) },
        'stopped',
      );
    })();
    return this.stopping;
  }
}
