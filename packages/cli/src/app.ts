import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { createLogger, register as registerCore, Tokens, Wharf, type Logger, type ProviderPlugin, type StaticConfiguration } from '@wharf/core';

/** A configured provider plugin with its validated options. */
export interface LoadedPlugin {
  readonly plugin: ProviderPlugin;
  readonly options: Record<string, unknown>;
}

/** A running Wharf process: its container, kernel and logger. */
export interface WharfApp {
  readonly container: DependencyContainer;
  readonly wharf: Wharf;
  readonly logger: Logger;
}

/**
 * Wires the application on a child container: core first, then every provider plugin's
 * `register` with its options. Nothing listens until {@link Wharf.start}.
 */
export async function createApp(config: StaticConfiguration, plugins: readonly LoadedPlugin[], logger: Logger = createLogger(config.log)): Promise<WharfApp> {
  const container = rootContainer.createChildContainer();
  registerCore(container, config, logger);
  for (const { plugin, options } of plugins) await plugin.register(container, options);
  const wharf = container.resolve(Wharf);
  return { container, wharf, logger: container.resolve<Logger>(Tokens.Logger) };
}
