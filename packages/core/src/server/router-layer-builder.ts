import type { ServerResponse } from 'node:http';
import { errorMessage, HttpError } from '../errors.js';
import type { Logger } from '../logger.js';
import { compose, type TerminalHandler } from '../middlewares/compose.js';
import type { MiddlewareBuilder } from '../middlewares/middleware-builder.js';
import type { Handler, WharfRequest } from '../middlewares/middleware-factory.js';
import { sendError } from '../proxy/send-error.js';
import { compileRule, type CompiledRule, type RuleSyntax } from '../rules/index.js';
import { currentRequestFacts, defaultPriority, HostIndexedRouteMatcher, type RouteEntry } from '../routing/index.js';
import { addError, type RouterInfo, type RuntimeConfiguration } from '../runtime/runtime-configuration.js';
import type { ServiceBuilder } from '../services/service-builder.js';
import type { RouterTree } from './router-tree.js';

/** Highest priority a user router may have (Traefik: MaxInt64 - 1000; here the largest safe integer less 1000). */
export const MAX_USER_PRIORITY = Number.MAX_SAFE_INTEGER - 1000;

/** One router, compiled: its rule, and its middlewares in front of its service or its children. */
export interface BuiltRouter {
  readonly rule: CompiledRule;
  /** The router's own middlewares (entry-point middlewares are the caller's business). */
  readonly middlewares: readonly Handler[];
  /** What runs after the middlewares: the service, or the child routers' dispatcher. */
  readonly next: TerminalHandler;
}

/** What one build shares among the routers it compiles. */
export interface LayerContext {
  readonly runtime: RuntimeConfiguration;
  readonly services: ServiceBuilder;
  readonly middlewares: MiddlewareBuilder;
  readonly tree: RouterTree;
  /** Tie-breaker among equal priorities (provider precedence, then name), per router. */
  readonly order: ReadonlyMap<string, number>;
  readonly defaultRuleSyntax: RuleSyntax;
}

/**
 * Compiles routers for one build, each at most once: a root for its entry points, a child
 * (Traefik 3.7 multi-layer routing) for every parent that reaches it. A parent's `next` matches
 * its children, highest priority first, against the request as the parent's middlewares left
 * it, and answers 404 when none matches. Failures are recorded on the router, which is then
 * left out; a parent none of whose children could be built is disabled.
 */
export class RouterLayerBuilder {
  private readonly built = new Map<string, BuiltRouter | undefined>();
  private readonly childHandlers = new Map<string, TerminalHandler | undefined>();

  constructor(
    private readonly ctx: LayerContext,
    private readonly logger: Logger,
  ) {}

  /** The compiled router, or undefined when it is (or has just been) disabled. */
  build(router: RouterInfo): BuiltRouter | undefined {
    if (this.built.has(router.name)) return this.built.get(router.name);
    // Marked before building, so a cyclic link the tree missed cannot recurse forever.
    this.built.set(router.name, undefined);
    const result = this.compile(router);
    this.built.set(router.name, result);
    return result;
  }

  /** A child router as its parent's dispatcher runs it: it adds its name to the request's router. */
  private childHandler(router: RouterInfo): TerminalHandler | undefined {
    if (this.childHandlers.has(router.name)) return this.childHandlers.get(router.name);
    const built = this.build(router);
    let handler: TerminalHandler | undefined;
    if (built) {
      const inner = compose(built.middlewares, built.next, onChainError);
      const name = router.name;
      // Traefik's access log shows the path through the layers: `parent@file -> child@file`.
      handler = (req, res) => {
        req.wharf.router = req.wharf.router ? `${req.wharf.router} -> ${name}` : name;
        inner(req, res);
      };
    }
    this.childHandlers.set(router.name, handler);
    return handler;
  }

  private compile(router: RouterInfo): BuiltRouter | undefined {
    const config = router.config;
    const fail = (message: string): undefined => {
      addError(router, message, true);
      this.logger.error({ router: router.name, err: message }, 'router disabled');
      return undefined;
    };
    // Computed before anything can fail, so that a disabled router still shows its priority and,
    // as in Traefik, still appears in the usedBy of what it references.
    if (config.rule) router.priority = config.priority ? config.priority : defaultPriority(config.rule);
    this.markUsage(router);
    if (router.status === 'disabled') return undefined;
    if (!config.rule) return fail('router has no rule');
    const syntax: RuleSyntax =
      config.ruleSyntax === 'v2' ? 'v2' : config.ruleSyntax !== undefined ? 'v3' : this.ctx.defaultRuleSyntax;
    let rule: CompiledRule;
    try {
      rule = compileRule(config.rule, syntax);
    } catch (err) {
      return fail(`invalid rule: ${errorMessage(err)}`);
    }
    // Traefik checks the ceiling on the routers attached to entry points only.
    const isRoot = this.ctx.tree.parentsOf(router).length === 0;
    if (isRoot && router.priority > MAX_USER_PRIORITY && router.provider !== 'internal') {
      return fail(`the router priority ${router.priority} exceeds the max user-defined priority ${MAX_USER_PRIORITY}`);
    }
    const children = this.ctx.tree.children.get(router.name) ?? [];
    const next = children.length > 0 ? this.dispatcher(children) : this.service(router);
    if (typeof next === 'string') return fail(next);
    const middlewares = this.ctx.middlewares.handlersFor(config.middlewares ?? [], router.name);
    if (typeof middlewares === 'string') return fail(middlewares);
    return { rule, middlewares, next };
  }

  private markUsage(router: RouterInfo): void {
    const use = (info: { usedBy: string[] } | undefined): void => {
      if (info && !info.usedBy.includes(router.name)) info.usedBy.push(router.name);
    };
    if (router.config.service) use(this.ctx.runtime.services.get(router.config.service));
    for (const name of router.config.middlewares ?? []) use(this.ctx.runtime.middlewares.get(name));
  }

  private service(router: RouterInfo): TerminalHandler | string {
    const serviceName = router.config.service;
    if (!serviceName) return 'router has neither a service nor child routers';
    const service = this.ctx.services.get(serviceName);
    const serviceInfo = this.ctx.runtime.services.get(serviceName);
    if (serviceInfo && !serviceInfo.usedBy.includes(router.name)) serviceInfo.usedBy.push(router.name);
    if (typeof service === 'string') return service;
    return (req, res) => {
      req.wharf.service = serviceName;
      service.handle(req, res);
    };
  }

  /** Matches the children among themselves, as Traefik's per-parent muxer does. */
  private dispatcher(children: readonly string[]): TerminalHandler | string {
    const entries: Array<RouteEntry<TerminalHandler>> = [];
    for (const name of children) {
      const child = this.ctx.runtime.routers.get(name);
      const handler = child && this.childHandler(child);
      const built = child && this.built.get(name);
      if (!child || !handler || !built) continue;
      const order = this.ctx.order.get(name) ?? 0;
      entries.push({ name, rule: built.rule, priority: child.priority, order, value: handler });
    }
    if (entries.length === 0) return `none of its ${children.length} child router(s) could be built`;
    const matcher = new HostIndexedRouteMatcher(entries);
    return (req, res) => {
      const route = matcher.match(currentRequestFacts(req));
      if (route) return route.value(req, res);
      if (req.wharf.upgrade) res.shouldKeepAlive = false;
      sendError(res, 404);
    };
  }
}

/** A middleware passed an error to `next`: answer with its status (HttpError) or 500. */
export function onChainError(req: WharfRequest, res: ServerResponse, err: unknown): void {
  const carried = (err as { status?: unknown } | undefined)?.status;
  const status = err instanceof HttpError ? err.status : typeof carried === 'number' ? carried : 500;
  if (req.wharf.upgrade) {
    req.wharf.upgrade.socket.destroy();
    return;
  }
  sendError(res, status >= 400 && status < 600 ? status : 500);
}
