import type { InternalService } from '../internal/internal-service.js';
import type { Logger } from '../logger.js';
import { compose, type TerminalHandler } from '../middlewares/compose.js';
import { MiddlewareBuilder, runDispose } from '../middlewares/middleware-builder.js';
import type { MiddlewareFactory } from '../middlewares/middleware-factory.js';
import type { Forwarder } from '../proxy/forwarder.js';
import type { TransportSettings } from '../proxy/pool-registry.js';
import type { CompiledRule, RuleSyntax } from '../rules/index.js';
import { HostIndexedRouteMatcher, type RouteEntry } from '../routing/index.js';
import { qualify } from '../runtime/merge.js';
import { addError, type RouterInfo, type RuntimeConfiguration } from '../runtime/runtime-configuration.js';
import type { HealthCheckRegistry } from '../services/health-check/health-check-registry.js';
import { ServiceBuilder } from '../services/service-builder.js';
import type { ServiceHandler } from '../services/service-handler.js';
import { onChainError, RouterLayerBuilder } from './router-layer-builder.js';
import { disableOrphans, parseRouterTree } from './router-tree.js';

/** What the factory needs to know about one entry point. */
export interface EntryPointModel {
  readonly name: string;
  readonly asDefault: boolean;
  /** `entryPoints.<n>.http.middlewares`, prepended to every router's; unqualified names resolve in the router's provider. */
  readonly middlewares: readonly string[];
}

export interface RouterFactorySettings {
  readonly entryPoints: readonly EntryPointModel[];
  readonly defaultRuleSyntax: RuleSyntax;
  /** Provider names; the first listed wins ties of equal priority (Traefik 3.7 `providers.precedence`). */
  readonly precedence: readonly string[];
  readonly defaultTransport: TransportSettings;
}

/** The compiled routes of one entry point. */
export type RouteTable = HostIndexedRouteMatcher<TerminalHandler>;

/** The result of one build: a route table per entry point, and the runtime model with statuses. */
export interface Build {
  readonly runtime: RuntimeConfiguration;
  readonly tables: ReadonlyMap<string, RouteTable>;
  readonly services: readonly ServiceHandler[];
}

export { MAX_USER_PRIORITY } from './router-layer-builder.js';

/**
 * Turns a merged runtime configuration into per-entry-point route tables, recording every
 * problem on the element it belongs to (Traefik's isolation model, spec §i): a bad router is
 * disabled, a bad service or middleware disables itself and the routers using it, an unknown
 * entry point among valid ones is a warning. Nothing here throws for bad user input.
 *
 * Multi-layer routing (Traefik 3.7 `parentRefs`): only root routers (no `parentRefs`) are put in
 * the entry points' tables; a child is reachable only through a parent whose rule matched and
 * whose middlewares let the request through (see {@link parseRouterTree}, {@link RouterLayerBuilder}).
 */
export class RouterFactory {
  constructor(
    private readonly settings: RouterFactorySettings,
    private readonly middlewareFactories: readonly MiddlewareFactory<unknown>[],
    private readonly internalServices: ReadonlyMap<string, InternalService>,
    private readonly forwarder: Forwarder,
    private readonly health: HealthCheckRegistry,
    private readonly logger: Logger,
  ) {}

  private disposables: Array<() => void | Promise<void>> = [];

  build(runtime: RuntimeConfiguration): Build {
    // Wharf's own services (api@internal, dashboard@internal, noop@internal …) are listed like
    // any other, as in Traefik's API and dashboard; the service builder serves them first.
    for (const name of this.internalServices.keys()) {
      if (!runtime.services.has(name)) runtime.services.set(name, { name, provider: 'internal', status: 'enabled', config: {}, type: '', usedBy: [] });
    }
    const middlewares = new MiddlewareBuilder(runtime, this.middlewareFactories, this.logger);
    const services = new ServiceBuilder(runtime, this.forwarder, this.health, this.settings.defaultTransport, this.internalServices, (info, handler) => {
      const names = info.config.middlewares ?? [];
      if (names.length === 0) return handler;
      const chain = middlewares.handlersFor(names, info.name);
      if (typeof chain === 'string') throw new Error(chain);
      return { ...handler, handle: compose(chain, (req, res) => handler.handle(req, res), onChainError), available: () => handler.available() };
    }, this.logger);
    middlewares.validateAll();
    services.buildAll();

    const tree = parseRouterTree(runtime.routers);
    const ordered = [...runtime.routers.values()].sort(this.tieOrder());
    const order = new Map(ordered.map((router, i) => [router.name, i]));
    const layers = new RouterLayerBuilder({ runtime, services, middlewares, tree, order, defaultRuleSyntax: this.settings.defaultRuleSyntax }, this.logger);
    const perEntryPoint = new Map<string, Array<RouteEntry<TerminalHandler>>>(this.settings.entryPoints.map((ep) => [ep.name, []]));
    const defaults = this.defaultEntryPoints();
    const known = new Set(this.settings.entryPoints.map((e) => e.name));
    for (const router of ordered) {
      if (tree.parentsOf(router).length > 0) continue;
      const handlers = this.buildRoot(router, layers, middlewares, defaults, known);
      if (!handlers) continue;
      for (const ep of router.using) {
        perEntryPoint.get(ep)!.push({ name: router.name, rule: handlers.rule, priority: router.priority, order: order.get(router.name)!, value: handlers.handlers.get(ep)! });
      }
    }
    // Children no enabled parent reached are still compiled, so that their own errors show.
    for (const router of ordered) layers.build(router);
    disableOrphans(runtime, tree);
    const tables = new Map<string, RouteTable>();
    for (const [ep, entries] of perEntryPoint) tables.set(ep, new HostIndexedRouteMatcher(entries));
    const handlers = [...runtime.services.keys()].map((n) => services.get(n)).filter((h): h is ServiceHandler => typeof h !== 'string');
    // The previous build's plugin middlewares are released once this one is complete (Traefik
    // rebuilds every middleware on each configuration; their state does not carry over).
    const previous = this.disposables;
    this.disposables = middlewares.disposables;
    for (const dispose of previous) void runDispose(dispose, this.logger);
    return { runtime, tables, services: handlers };
  }

  /** Releases the plugin middlewares of the last build (at shutdown). */
  async dispose(): Promise<void> {
    const previous = this.disposables;
    this.disposables = [];
    await Promise.all(previous.map((dispose) => runDispose(dispose, this.logger)));
  }

  /** A root router: its entry points, then one handler per entry point (entry-point middlewares first). */
  private buildRoot(router: RouterInfo, layers: RouterLayerBuilder, middlewares: MiddlewareBuilder, defaults: string[], known: Set<string>): { rule: CompiledRule; handlers: Map<string, TerminalHandler> } | undefined {
    const config = router.config;
    const fail = (message: string): undefined => {
      addError(router, message, true);
      this.logger.error({ router: router.name, err: message }, 'router disabled');
      return undefined;
    };
    if (router.status === 'disabled') return undefined;
    const requested = config.entryPoints && config.entryPoints.length > 0 ? config.entryPoints : defaults;
    router.using = requested.filter((ep) => known.has(ep));
    for (const ep of requested) if (!known.has(ep)) addError(router, `entryPoint "${ep}" doesn't exist`, false);
    if (router.using.length === 0) return fail('no valid entryPoint for this router');
    if (config.tls !== undefined) return fail('TLS routers are not supported yet: this router would only serve TLS connections');
    const built = layers.build(router);
    if (!built) return undefined;
    const handlers = new Map<string, TerminalHandler>();
    const routerName = router.name;
    for (const ep of router.using) {
      const model = this.settings.entryPoints.find((e) => e.name === ep)!;
      let prefix: ReturnType<MiddlewareBuilder['handlersFor']> = [];
      if (model.middlewares.length > 0) prefix = middlewares.handlersFor(model.middlewares.map((m) => qualify(m, router.provider)), router.name);
      if (typeof prefix === 'string') return fail(`entry point ${ep}: ${prefix}`);
      const handler = compose([...prefix, ...built.middlewares], built.next, onChainError);
      handlers.set(ep, (req, res) => {
        req.wharf.router = routerName;
        handler(req, res);
      });
    }
    return { rule: built.rule, handlers };
  }

  /** Entry points for routers that name none (spec §b.3). */
  private defaultEntryPoints(): string[] {
    const eps = this.settings.entryPoints;
    const marked = eps.filter((e) => e.asDefault).map((e) => e.name);
    return marked.length > 0 ? marked : eps.filter((e) => e.name !== 'traefik').map((e) => e.name);
  }

  /** Deterministic order for routers of equal priority: provider precedence, then name. */
  private tieOrder(): (a: RouterInfo, b: RouterInfo) => number {
    const ranks = new Map<string, number>();
    const rank = (provider: string): number => {
      let r = ranks.get(provider);
      if (r === undefined) {
        const i = this.settings.precedence.findIndex((x) => x.toLowerCase() === provider.toLowerCase());
        r = i === -1 ? Number.MAX_SAFE_INTEGER : i;
        ranks.set(provider, r);
      }
      return r;
    };
    return (a, b) => rank(a.provider) - rank(b.provider) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }
}
