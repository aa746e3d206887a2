/**
 * `@wharf/provider-file`: Traefik-compatible dynamic configuration files (YAML, TOML, JSON),
 * hot-reloaded. Wharf loads it by name for `providers.file.*`; the default export is the plugin.
 */
import { fileProviderPlugin } from './plugin.js';

export default fileProviderPlugin;
export { fileProviderPlugin } from './plugin.js';
export { FileProvider, type FileProviderSettings } from './file-provider.js';
export { fileProviderSchema, resolveTarget, type FileProviderOptions } from './options.js';
export { parseConfigurationFile, formatOf, type FileFormat, type ParsedFile } from './parse-file.js';
export { buildConfiguration, type BuildResult, type SourceFile } from './build-configuration.js';
export { mergeConfigurations, type MergeResult } from './merge-configurations.js';
export { FileConfigurationError, formatIssue, type FileIssue } from './file-issue.js';
export type { FileTarget } from './file-client.js';
export type { WatchTiming } from './file-watcher.js';
export type { Position } from './source-position.js';
