import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import semver from 'semver';
import { ConfigError, toMiddlewarePlugin, type LoadedMiddlewarePlugin, type MiddlewarePluginConfig, type ProviderPlugin } from '@wharf/core';

/** A provider named in the static configuration, and the package that implements it. */
export interface ProviderRequest {
  readonly name: string;
  readonly packageName: string;
}

/**
 * Finds `packageName` the way a user expects: first from the working directory (the project that
 * installed Wharf and its providers), then from Wharf's own installation. Returns the file URL of
 * its ESM entry.
 */
export function resolvePackage(packageName: string, cwd: string): string | undefined {
  const bases = [join(cwd, 'package.json'), fileURLToPath(import.meta.url)];
  for (const base of bases) {
    try {
      return pathToFileURL(createRequire(base).resolve(packageName)).href;
    } catch {
      const manual = resolveByWalking(packageName, dirname(base));
      if (manual) return manual;
    }
  }
  return undefined;
}

/** For ESM-only packages whose `exports` have no `require`/`default` condition. */
function resolveByWalking(packageName: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const pkgDir = join(dir, 'node_modules', packageName);
    const manifest = join(pkgDir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown; main?: string };
      const entry = exportEntry(pkg.exports) ?? pkg.main ?? 'index.js';
      return pathToFileURL(join(pkgDir, entry)).href;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function exportEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  const root = (exports as Record<string, unknown>)['.'] ?? exports;
  if (typeof root === 'string') return root;
  if (root && typeof root === 'object') {
    const r = root as Record<string, unknown>;
    for (const key of ['import', 'node', 'default']) {
      const v = r[key];
      if (typeof v === 'string') return v;
      const nested = exportEntry(v);
      if (nested) return nested;
    }
  }
  return undefined;
}

/** The version of `@wharf/core` this Wharf runs. */
export const coreVersion: string = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@wharf/core/package.json'), 'utf8')) as { version: string }).version;

/** The manifest of `packageName`, found from its resolved entry file. */
function manifestOf(packageName: string, entryUrl: string): { peerDependencies?: Record<string, string>; dependencies?: Record<string, string> } | undefined {
  let dir = dirname(fileURLToPath(entryUrl));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; peerDependencies?: Record<string, string>; dependencies?: Record<string, string> };
      if (pkg.name === packageName) return pkg;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Refuses a plugin made for another `@wharf/core`: the range it declares (peer dependency, else
 * dependency) must include the running core's version. A package that declares none is loaded
 * as is; `workspace:` ranges are this repository's own packages.
 */
export function checkCoreRange(packageName: string, entryUrl: string, where: string): void {
  const pkg = manifestOf(packageName, entryUrl);
  const range = pkg?.peerDependencies?.['@wharf/core'] ?? pkg?.dependencies?.['@wharf/core'];
  if (range === undefined || range.startsWith('workspace:')) return;
  if (semver.validRange(range) === null) {
    throw new ConfigError(where, `package ${packageName} declares an invalid @wharf/core range "${range}"`, { code: 'PLUGIN_INCOMPATIBLE' });
  }
  if (!semver.satisfies(coreVersion, range, { includePrerelease: true })) {
    throw new ConfigError(where, `package ${packageName} is made for @wharf/core ${range}, but this Wharf runs @wharf/core ${coreVersion}: install a version of ${packageName} made for it`, { code: 'PLUGIN_INCOMPATIBLE' });
  }
}

/**
 * Loads a provider package and checks that its default export is a {@link ProviderPlugin}.
 * A missing package is a one-line error naming the package to install.
 */
export async function loadProviderPlugin(request: ProviderRequest, cwd: string): Promise<ProviderPlugin> {
  const where = request.packageName.startsWith('@wharf/provider-') ? `providers.${request.name}` : `providers.plugins.${request.name}.package`;
  const url = resolvePackage(request.packageName, cwd);
  if (!url) {
    throw new ConfigError(where, `provider "${request.name}" is configured but package ${request.packageName} is not installed: run \`npm install ${request.packageName}\``, { code: 'PLUGIN_NOT_INSTALLED' });
  }
  checkCoreRange(request.packageName, url, where);
  let module: { default?: unknown };
  try {
    module = (await import(url)) as { default?: unknown };
  } catch (err) {
    throw new ConfigError(where, `package ${request.packageName} failed to load: ${(err as Error).message}`, { cause: err, code: 'PLUGIN_LOAD_FAILED' });
  }
  const plugin = module.default as Partial<ProviderPlugin> | undefined;
  if (!plugin || typeof plugin !== 'object' || typeof plugin.register !== 'function' || typeof plugin.name !== 'string' || typeof plugin.configSchema !== 'object') {
    throw new ConfigError(where, `package ${request.packageName} does not export a Wharf provider plugin (a default export with name, configSchema and register)`, { code: 'PLUGIN_INVALID' });
  }
  return plugin as ProviderPlugin;
}

/**
 * Loads the middleware plugin packages of `experimental.plugins`: each becomes the
 * `plugin.<name>` middleware type. A package that is missing, fails to load, or exports neither
 * a Wharf middleware plugin nor an Express middleware factory is a one-line error naming it.
 */
export async function loadMiddlewarePlugins(plugins: Readonly<Record<string, MiddlewarePluginConfig>> | undefined, cwd: string): Promise<LoadedMiddlewarePlugin[]> {
  const out: LoadedMiddlewarePlugin[] = [];
  for (const [name, { package: packageName, export: exportName }] of Object.entries(plugins ?? {})) {
    const where = `experimental.plugins.${name}.package`;
    if (!packageName) throw new ConfigError(where, `middleware plugin "${name}" needs its npm package: --experimental.plugins.${name}.package=<npm name>`, { code: 'PLUGIN_INVALID' });
    const url = resolvePackage(packageName, cwd);
    if (!url) throw new ConfigError(where, `middleware plugin "${name}" is configured but package ${packageName} is not installed: run \`npm install ${packageName}\``, { code: 'PLUGIN_NOT_INSTALLED' });
    checkCoreRange(packageName, url, where);
    let module: Record<string, unknown>;
    try {
      module = (await import(url)) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(where, `package ${packageName} failed to load: ${(err as Error).message}`, { cause: err, code: 'PLUGIN_LOAD_FAILED' });
    }
    const key = exportName || 'default';
    const plugin = toMiddlewarePlugin(module[key]);
    if (typeof plugin === 'string') {
      throw new ConfigError(key === 'default' ? where : `experimental.plugins.${name}.export`, `package ${packageName} cannot be a middleware: ${key === 'default' ? 'its default export' : `its export "${key}"`}: ${plugin}`, { code: 'PLUGIN_INVALID' });
    }
    out.push({ name, packageName, plugin });
  }
  return out;
}
