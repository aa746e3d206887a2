import { ConfigError, errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { addError, type MiddlewareInfo, type RuntimeConfiguration } from '../runtime/runtime-configuration.js';
import { qualify } from '../runtime/merge.js';
import type { Handler, MiddlewareFactory } from './middleware-factory.js';

/**
 * Validates middlewares and creates their handlers. Each middleware is created once up front to
 * validate its configuration (a failure disables it with the message), and again for every
 * router that uses it, because middleware state (rate limits, counters) is per router in Traefik.
 * `chain` is expanded here, with its references resolved in the chain's provider.
 */
export class MiddlewareBuilder {
  private readonly factories: ReadonlyMap<string, MiddlewareFactory<unknown>>;
  private readonly validated = new Map<string, true | string>();
  /** Handlers with a `dispose` (plugin middlewares) created for this build's routers and services. */
  readonly disposables: Array<() => void | Promise<void>> = [];

  constructor(
    private readonly runtime: RuntimeConfiguration,
    factories: readonly MiddlewareFactory<unknown>[],
    private readonly logger: Logger,
  ) {
    this.factories = new Map(factories.map((f) => [f.type.toLowerCase(), f]));
  }

  /** Validates every middleware, so that unused broken ones also show their errors. */
  validateAll(): void {
    for (const name of this.runtime.middlewares.keys()) this.check(name, []);
  }

  /**
   * Handlers for a list of qualified names, in order, for one user (router or service).
   * Returns an error message instead when any of them is missing or disabled.
   */
  handlersFor(names: readonly string[], user: string): Handler[] | string {
    const out: Handler[] = [];
    for (const name of names) {
      const problem = this.check(name, []);
      if (problem !== true) return problem;
      const info = this.runtime.middlewares.get(name)!;
      if (!info.usedBy.includes(user)) info.usedBy.push(user);
      const expanded = this.create(info, user, []);
      if (typeof expanded === 'string') return expanded;
      this.disposables.push(...this.disposersOf(expanded));
      out.push(...expanded);
    }
    return out;
  }

  private disposersOf(handlers: readonly Handler[]): Array<() => void | Promise<void>> {
    const out: Array<() => void | Promise<void>> = [];
    for (const handler of handlers) {
      const dispose = (handler as { dispose?: unknown }).dispose;
      if (typeof dispose === 'function') out.push(() => (dispose as () => void | Promise<void>).call(handler));
    }
    return out;
  }

  private check(name: string, stack: string[]): true | string {
    const cached = this.validated.get(name);
    if (cached !== undefined) return cached;
    const info = this.runtime.middlewares.get(name);
    if (!info) return `middleware "${name}" does not exist`;
    if (stack.includes(name)) return `recursion detected in chain middleware "${name}"`;
    if (info.status === 'disabled') {
      // Disabled before the build: its configuration failed to decode where it entered the kernel.
      const reason = `middleware "${name}" is disabled: ${(info.error ?? []).join('; ')}`;
      this.validated.set(name, reason);
      return reason;
    }
    let result: true | string = true;
    const built = this.create(info, `${name} (validation)`, [...stack, name]);
    // The validation instances serve nothing: what they hold is released at once.
    if (typeof built !== 'string') for (const dispose of this.disposersOf(built)) void runDispose(dispose, this.logger, name);
    if (typeof built === 'string') {
      addError(info, built, true);
      result = `middleware "${name}" is disabled: ${built}`;
      this.logger.error({ middleware: name, err: built }, 'middleware disabled');
    }
    this.validated.set(name, result);
    return result;
  }

  private create(info: MiddlewareInfo, user: string, stack: string[]): Handler[] | string {
    const types = Object.keys(info.config ?? {});
    if (types.length === 0) return 'the middleware has no type';
    if (types.length > 1) return `the middleware has more than one type: ${types.join(', ')}`;
    const type = types[0]!;
    const options = (info.config[type] ?? {}) as Record<string, unknown>;
    if (type.toLowerCase() === 'chain') return this.chain(info, options, user, stack);
    const factory = this.factories.get(type.toLowerCase());
    if (!factory) return `unknown middleware type "${type}"`;
    try {
      return [factory.create({ name: info.name, provider: info.provider, logger: this.logger.child({ middleware: info.name, router: user }) }, options)];
    } catch (err) {
      return err instanceof ConfigError ? `${err.path}: ${err.message}` : errorMessage(err);
    }
  }

  private chain(info: MiddlewareInfo, options: Record<string, unknown>, user: string, stack: string[]): Handler[] | string {
    const list = options.middlewares;
    if (!Array.isArray(list) || list.length === 0) return 'chain needs a non-empty "middlewares" list';
    const out: Handler[] = [];
    for (const raw of list) {
      const name = qualify(String(raw), info.provider);
      if (stack.includes(name)) return `recursion detected in chain middleware "${name}"`;
      const child = this.runtime.middlewares.get(name);
      if (!child) return `middleware "${name}" does not exist`;
      if (child.status === 'disabled') return `middleware "${name}" is disabled: ${(child.error ?? []).join('; ')}`;
      const built = this.create(child, user, [...stack, name]);
      if (typeof built === 'string') return `${name}: ${built}`;
      out.push(...built);
    }
    return out;
  }
}

/** Runs a plugin's `dispose`; a throw or rejection is logged, never propagated. */
export async function runDispose(dispose: () => void | Promise<void>, logger: Logger, middleware?: string): Promise<void> {
  try {
    await dispose();
  } catch (err) {
    logger.warn({ middleware, err: errorMessage(err) }, 'middleware dispose() failed');
  }
}
