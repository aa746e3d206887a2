import { Tokens, type Logger, type ProviderPlugin } from '@wharf/core';
import { EcsProvider } from './ecs-provider.js';
import { ecsProviderSchema, type EcsProviderOptions } from './options.js';

/**
 * The ECS provider plugin: Wharf loads it for `providers.ecs.*` options and registers one
 * {@link EcsProvider} under `Tokens.Provider`.
 */
export const ecsProviderPlugin: ProviderPlugin<Partial<EcsProviderOptions>> = {
  name: 'ecs',
  configSchema: ecsProviderSchema,
  register(container, options) {
    const logger = container.resolve<Logger>(Tokens.Logger).child({ provider: 'ecs' });
    container.register(Tokens.Provider, { useValue: new EcsProvider(options, logger) });
  },
};
