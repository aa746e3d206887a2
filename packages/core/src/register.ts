import type { DependencyContainer } from 'tsyringe';
import type { StaticConfiguration } from './config/static/types.js';
import type { Logger } from './logger.js';
import { addPrefixFactory } from './middlewares/add-prefix/index.js';
import { basicAuthFactory } from './middlewares/basic-auth/index.js';
import { headersFactory } from './middlewares/headers/index.js';
import type { MiddlewareFactory } from './middlewares/middleware-factory.js';
import { PluginMiddlewareFactory, type LoadedMiddlewarePlugin } from './middlewares/plugin/middleware-plugin.js';
import { stripPrefixFactory } from './middlewares/strip-prefix/index.js';
import { registerObservability } from './observability/index.js';
import { RuntimeState } from './runtime/runtime-state.js';
import { Wharf } from './server/wharf.js';
import { Tokens } from './tokens.js';

/** The middleware types the kernel ships with. */
export const builtinMiddlewareFactories: ReadonlyArray<MiddlewareFactory<never>> = [stripPrefixFactory, addPrefixFactory, headersFactory, basicAuthFactory];

/**
 * Registers the kernel on `container` (a child container of the application): the static
 * configuration, the logger, the runtime state, the built-in middleware factories, the internal
 * services and observers the configuration enables (API, dashboard, ping, metrics, access log)
 * and the {@link Wharf} kernel itself. Providers and internal services are registered by their own
 * packages' `register`.
 */
export function register(container: DependencyContainer, config: StaticConfiguration, logger: Logger): void {
  container.register(Tokens.StaticConfiguration, { useValue: config });
  container.register(Tokens.Logger, { useValue: logger });
  const state = new RuntimeState();
  container.register(Tokens.RuntimeState, { useValue: state });
  registerObservability(container, config, state, logger);
  for (const factory of builtinMiddlewareFactories) container.register(Tokens.MiddlewareFactory, { useValue: factory });
  // `plugin.<name>` middlewares: the packages registered under Tokens.MiddlewarePlugin (resolved when Wharf is).
  container.register(Tokens.MiddlewareFactory, {
    useFactory: (c) => new PluginMiddlewareFactory(c.isRegistered(Tokens.MiddlewarePlugin, true) ? c.resolveAll<LoadedMiddlewarePlugin>(Tokens.MiddlewarePlugin) : []),
  });
  container.register(Wharf, { useClass: Wharf });
}
