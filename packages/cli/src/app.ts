import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { ConfigError, createLogger, register as registerCore, SectionProvider, Tokens, Wharf, type Logger, type Provider, type ProviderPlugin, type StaticConfiguration } from '@wharf/core';
import { loadMiddlewarePlugins } from './plugin-loader.js';

/** A configured provider plugin with its validated options. */
export interface LoadedPlugin {
  readonly plugin: ProviderPlugin;
  readonly options: Record<string, unknown>;
  /** The configuration section (`ecs`, or `kv2` for `providers.plugins.kv2`); default: the plugin's name. */
  readonly section?: string;
}

/**
 * Registers every provider plugin on `container`, each through its own child container: the one
 * {@link Provider} it registers there runs under its section's name ({@link SectionProvider}), so
 * two sections that load one package are two providers. Used by every process that runs providers.
 */
export async function registerProviderPlugins(container: DependencyContainer, plugins: readonly LoadedPlugin[]): Promise<void> {
  for (const { plugin, options, section = plugin.name } of plugins) {
    const own = container.createChildContainer();
    await plugin.register(own, options, { section });
    const providers = own.isRegistered(Tokens.Provider) ? own.resolveAll<Provider>(Tokens.Provider) : [];
    if (providers.length !== 1) {
      throw new ConfigError(`providers.${section}`, `the provider package registered ${providers.length} providers; a provider plugin registers exactly one`);
    }
    container.register(Tokens.Provider, { useValue: new SectionProvider(section, providers[0]!) });
    // Middleware types a provider package contributes serve every router, not only its own.
    if (own.isRegistered(Tokens.MiddlewareFactory, false)) {
      for (const factory of own.resolveAll(Tokens.MiddlewareFactory)) container.register(Tokens.MiddlewareFactory, { useValue: factory });
    }
  }
}

/** A running Wharf process: its container, kernel and logger. */
export interface WharfApp {
  readonly container: DependencyContainer;
  readonly wharf: Wharf;
  readonly logger: Logger;
}

/**
 * Wires the application on a child container: core first, then the middleware plugin packages
 * (`experimental.plugins`, resolved from `cwd` first), then every provider plugin's `register`
 * with its options. Nothing listens until {@link Wharf.start}.
 */
export async function createApp(config: StaticConfiguration, plugins: readonly LoadedPlugin[], logger: Logger = createLogger(config.log), cwd: string = process.cwd()): Promise<WharfApp> {
  const container = rootContainer.createChildContainer();
  registerCore(container, config, logger);
  for (const loaded of await loadMiddlewarePlugins(config.experimental?.plugins, cwd)) container.register(Tokens.MiddlewarePlugin, { useValue: loaded });
  await registerProviderPlugins(container, plugins);
  const wharf = container.resolve(Wharf);
  return { container, wharf, logger: container.resolve<Logger>(Tokens.Logger) };
}
