import { resolve } from 'node:path';
import { ConfigError, type ConfigSchemaFragment } from '@wharf/core';
import type { FileTarget } from './file-client.js';
import { formatOf } from './parse-file.js';

/** Options under `providers.file`, named as in Traefik. */
export interface FileProviderOptions {
  /** One configuration file (`.yml`, `.yaml`, `.toml`, `.json`). Exclusive with `directory`. */
  readonly filename?: string;
  /** A directory read recursively; every supported file is merged. Exclusive with `filename`. */
  readonly directory?: string;
  /** Reload when the files change (default true). */
  readonly watch?: boolean;
  /** Traefik's option; accepted so Traefik configurations load, ignored because Wharf renders no templates. */
  readonly debugLogGeneratedTemplate?: boolean;
}

/** The convict fragment for `providers.file`. */
export const fileProviderSchema: ConfigSchemaFragment = {
  filename: {
    doc: 'Dynamic configuration file to load (.yml, .yaml, .toml or .json); set this or providers.file.directory, not both',
    format: String,
    default: '',
  },
  directory: {
    doc: 'Directory of dynamic configuration files, read recursively and merged; set this or providers.file.filename, not both',
    format: String,
    default: '',
  },
  watch: {
    doc: 'Watch the file or directory and apply changes without a restart',
    format: Boolean,
    default: true,
  },
  debugLogGeneratedTemplate: {
    doc: "Accepted for compatibility with Traefik and ignored: Wharf does not render files as Go templates",
    format: Boolean,
    default: false,
  },
};

/**
 * The file or directory to read, resolved against `cwd`.
 *
 * @throws ConfigError at `providers.file` when both or neither of `filename` and `directory` are
 * set, and at `providers.file.filename` when the file's extension is not one the provider reads.
 */
export function resolveTarget(options: FileProviderOptions, cwd: string = process.cwd()): FileTarget {
  const filename = options.filename?.trim() ?? '';
  const directory = options.directory?.trim() ?? '';
  if (filename !== '' && directory !== '') {
    throw new ConfigError('providers.file', 'providers.file.filename and providers.file.directory are both set; set exactly one of them', { code: 'FILE_PROVIDER_OPTIONS' });
  }
  if (filename === '' && directory === '') {
    throw new ConfigError('providers.file', 'the file provider needs providers.file.filename or providers.file.directory; neither is set', { code: 'FILE_PROVIDER_OPTIONS' });
  }
  if (directory !== '') return { kind: 'directory', path: resolve(cwd, directory) };
  if (formatOf(filename) === undefined) {
    throw new ConfigError('providers.file.filename', `${filename}: unsupported file extension (expected .yml, .yaml, .toml or .json)`, { code: 'FILE_PROVIDER_OPTIONS' });
  }
  return { kind: 'file', path: resolve(cwd, filename) };
}
