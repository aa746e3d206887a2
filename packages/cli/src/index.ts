/** `@wharf/cli`: the `wharf` command, also usable as a library (tests, embedding). */
export { main, loadConfiguration, formatConfigError, type CliIo } from './main.js';
export { createApp, registerProviderPlugins, type WharfApp, type LoadedPlugin } from './app.js';
export { loadProviderPlugin, resolvePackage, type ProviderRequest } from './plugin-loader.js';
