import { Tokens, type Logger, type ProviderPlugin } from '@wharf/core';
import { FileProvider } from './file-provider.js';
import { fileProviderSchema, type FileProviderOptions } from './options.js';

/**
 * The file provider plugin: Wharf loads it for `providers.file.*` options. Registers one
 * {@link FileProvider} under `Tokens.Provider`.
 */
export const fileProviderPlugin: ProviderPlugin<FileProviderOptions> = {
  name: 'file',
  configSchema: fileProviderSchema,
  register(container, options) {
    const logger = container.resolve<Logger>(Tokens.Logger).child({ provider: 'file' });
    container.register(Tokens.Provider, { useValue: new FileProvider(options, logger) });
  },
};
