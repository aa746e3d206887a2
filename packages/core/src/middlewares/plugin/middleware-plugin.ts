/**
 * Middleware plugins: npm packages that give Wharf a middleware, used with Traefik's plugin
 * syntax. The static configuration names the package (`experimental.plugins.<name>.package`);
 * the dynamic configuration uses it like any Traefik plugin:
 *
 * ```yaml
 * http:
 *   middlewares:
 *     secure:
 *       plugin:
 *         helmet:                      # <name>
 *           contentSecurityPolicy: false   # options handed to the package
 * ```
 *
 * A package is one of:
 * - a **Wharf middleware plugin**: its default export has `create(ctx, options)` returning a
 *   `(req, res, next)` handler, validated when the configuration is built (throw a `ConfigError`
 *   to disable the middleware with your message), and may have `dispose`;
 * - an **Express middleware factory** (helmet, compression, cors, express-rate-limit…): its
 *   default export (or the named `export`) is a function of the options returning Express
 *   middleware. Wharf gives the request and response what Express middleware expects (`req.ip`,
 *   `req.get`, `res.status`, `res.json`, …) on the routes that use such a middleware only.
 */
import { ConfigError } from '../../errors.js';
import type { Handler, MiddlewareContext, MiddlewareFactory } from '../middleware-factory.js';
import { expressify } from './express-compat.js';

/** A handler a plugin created, with what to release when the configuration that built it is replaced. */
export type PluginHandler = Handler & {
  /** Called once when the configuration that created the handler is replaced, and at shutdown. */
  dispose?: () => void | Promise<void>;
};

/** The default export of a Wharf middleware plugin package. */
export interface MiddlewarePlugin<O = Record<string, unknown>> {
  /**
   * Creates the handler of one middleware element (`http.middlewares.<m>.plugin.<name>`), once
   * per router that uses it and once to validate. Runs at build time: check `options` here and
   * throw a `ConfigError` to disable the middleware with that message. Must not block.
   */
  create(ctx: MiddlewareContext, options: O): PluginHandler;
}

/** A middleware plugin as the kernel knows it: the `<name>` of `plugin.<name>`, and the package behind it. */
export interface LoadedMiddlewarePlugin {
  readonly name: string;
  /** The npm package, for messages. */
  readonly packageName: string;
  readonly plugin: MiddlewarePlugin;
}

/** Express middleware, as Express packages type it. */
type ExpressMiddleware = (req: never, res: never, next: (err?: unknown) => void) => unknown;

/**
 * Turns what a package exports into a {@link MiddlewarePlugin}: a Wharf middleware plugin as is,
 * or a function of the options returning Express middleware (wrapped with {@link expressify}).
 * Returns a sentence saying what is wrong otherwise.
 */
export function toMiddlewarePlugin(exported: unknown): MiddlewarePlugin | string {
  if (typeof exported === 'object' && exported !== null && typeof (exported as { create?: unknown }).create === 'function') {
    return exported as MiddlewarePlugin;
  }
  if (typeof exported === 'function') return expressMiddlewarePlugin(exported as (options: unknown) => unknown);
  return `it exports ${exported === undefined ? 'nothing there' : typeof exported}, neither a Wharf middleware plugin (an object with create()) nor an Express middleware factory (a function of the options)`;
}

/**
 * An Express middleware factory as a {@link MiddlewarePlugin}. Options from labels and KV stores
 * are text: `"true"`, `"false"` and decimal numbers are read as booleans and numbers first,
 * since an Express package takes the options object as it is.
 */
export function expressMiddlewarePlugin(factory: (options: unknown) => unknown): MiddlewarePlugin {
  return {
    create(_ctx, options) {
      const middleware = factory(readTextScalars(options));
      if (typeof middleware !== 'function') throw new ConfigError('', `the package's factory returned ${typeof middleware}, not a (req, res, next) middleware`);
      const express = middleware as ExpressMiddleware;
      const handler: PluginHandler = function expressMiddleware(req, res, next) {
        expressify(req, res, next);
        return express(req as never, res as never, next) as void;
      };
      Object.defineProperty(handler, 'name', { value: (middleware as { name?: string }).name || 'expressMiddleware' });
      return handler;
    },
  };
}

/** `plugin.<name>` middlewares: dispatches to the loaded plugin packages. */
export class PluginMiddlewareFactory implements MiddlewareFactory<Record<string, unknown>> {
  readonly type = 'plugin';
  private readonly plugins: ReadonlyMap<string, LoadedMiddlewarePlugin>;

  constructor(plugins: readonly LoadedMiddlewarePlugin[]) {
    this.plugins = new Map(plugins.map((p) => [p.name.toLowerCase(), p]));
  }

  create(ctx: MiddlewareContext, config: Record<string, unknown>): PluginHandler {
    const names = Object.keys(config ?? {});
    if (names.length !== 1) throw new ConfigError('plugin', `expected exactly one plugin name under "plugin", got ${names.length === 0 ? 'none' : names.join(', ')}`);
    const name = names[0]!;
    const loaded = this.plugins.get(name.toLowerCase());
    if (!loaded) {
      const known = [...this.plugins.values()].map((p) => p.name);
      throw new ConfigError(`plugin.${name}`, `plugin "${name}" is not loaded: add --experimental.plugins.${name}.package=<npm package>${known.length > 0 ? ` (loaded: ${known.join(', ')})` : ''}`);
    }
    const options = config[name] ?? {};
    if (typeof options !== 'object' || Array.isArray(options)) throw new ConfigError(`plugin.${name}`, `expected the options of plugin "${name}" as an object, got ${Array.isArray(options) ? 'a list' : typeof options}`);
    let handler: unknown;
    try {
      handler = loaded.plugin.create(ctx, options as Record<string, unknown>);
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigError(`plugin.${name}${err.path ? `.${err.path}` : ''}`, err.message);
      throw new ConfigError(`plugin.${name}`, `package ${loaded.packageName} refused the options: ${(err as Error)?.message ?? String(err)}`);
    }
    // The package's answer is checked where it enters the kernel.
    if (typeof handler !== 'function') throw new ConfigError(`plugin.${name}`, `package ${loaded.packageName} create() returned ${typeof handler}, not a (req, res, next) handler`);
    return handler as PluginHandler;
  }
}

/** `"true"`/`"false"` → booleans and decimal text → numbers, recursively; anything else as is. */
export function readTextScalars(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value === 'true') return true;
    if (value === 'false') return false;
    if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(value)) return Number(value);
    return value;
  }
  if (Array.isArray(value)) return value.map(readTextScalars);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(value);
    // Numbered keys (labels `…origin.0`, KV `…/origin/0`) are a list.
    if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => readTextScalars((value as Record<string, unknown>)[k]));
    for (const key of keys) out[key] = readTextScalars((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
