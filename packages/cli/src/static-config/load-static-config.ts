import { ConfigError, type ConfigSchemaFragment, type StaticConfiguration } from '@wharf/core';
import { addImplicitEntryPoints, checkUnsetProperties, concreteSchema, validateWithConvict } from './assemble.js';
import { configFileEnv, readEnv } from './env.js';
import { fileAssignments, findConfigFile, readConfigFile } from './config-file.js';
import { describeSchema, type OptionDescription } from './describe.js';
import { enableSwitchedSections, mergeAssignments, type Entries } from './entries.js';
import { configFileFlag, readFlags } from './flags.js';
import { LoadReport, type Assignment, type Origin } from './origin.js';
import { redact } from './redact.js';
import { buildSchemaTree, PROVIDERS_FIXED_KEYS, type FragmentLookup, type SectionNode } from './schema-tree.js';

/** What the loader reads: the command line (sub-command removed), the environment, the directory. */
export interface StaticConfigSources {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A provider the configuration asks for, and the package that implements it. */
export interface DiscoveredProvider {
  name: string;
  packageName: string;
}

/** The validated static configuration and what the CLI needs around it. */
export interface LoadedStaticConfig {
  config: StaticConfiguration;
  /** Per provider name: its package and its validated options (defaults applied). */
  providerOptions: Map<string, { packageName: string; options: Record<string, unknown> }>;
  /** For `wharf check`: the configuration with every sensitive value shown as `"<redacted>"`. */
  redacted(): unknown;
  /** For `--help`: every option, with its documentation, default and environment variable. */
  describe(): OptionDescription[];
  /**
   * What was read but not applied, one sentence each: Traefik options Wharf does not support yet,
   * dynamic sections in the static file. `wharf` logs them as warnings; `wharf check` prints them.
   */
  notices: readonly string[];
  /** Where the values came from, for the start-up line: `file /etc/wharf/wharf.yml`, `flags`, `env`. */
  sources: readonly string[];
}

interface Discovery extends DiscoveredProvider {
  plugin: boolean;
}

async function collect(sources: StaticConfigSources, root: SectionNode, report: LoadReport): Promise<Assignment[]> {
  const file = await findConfigFile(sources.cwd, configFileFlag(sources.argv) ?? configFileEnv(sources.env));
  let fromFile: Assignment[] = [];
  if (file) {
    try {
      fromFile = fileAssignments(await readConfigFile(file.path), root, file.path, report);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      report.errors.push(err);
    }
  }
  const fromFlags = readFlags(sources.argv, root, report);
  const written = [...fromFile, ...fromFlags].map((a) => a.target.path);
  const known = (mapPath: readonly string[]): string[] =>
    written.filter((p) => p.length > mapPath.length && mapPath.every((s, i) => p[i] === s)).map((p) => p[mapPath.length]!);
  return [...fromFile, ...readEnv(sources.env, root, known, report), ...fromFlags];
}

/** The sources that gave at least one value, in precedence order, for the start-up line. */
function sourcesOf(assignments: readonly Assignment[]): string[] {
  const labels: string[] = [];
  for (const { origin } of assignments) {
    const label = origin.kind === 'file' ? origin.label : origin.kind === 'env' ? 'env' : 'flags';
    if (!labels.includes(label)) labels.push(label);
  }
  return labels;
}

function discoveredIn(entries: Entries): Discovery[] {
  const found = new Map<string, Discovery & { origin: Origin }>();
  const fixed = new Set<string>(PROVIDERS_FIXED_KEYS);
  for (const { path, value, origin } of entries.values()) {
    if (path[0] !== 'providers' || path.length < 2 || (path[1] === 'plugins' && path.length < 3)) continue;
    const plugin = path[1] === 'plugins';
    const name = plugin ? path[2] : path[1];
    if (!plugin && fixed.has(name)) continue;
    const provider = found.get(name) ?? { name, plugin, packageName: plugin ? '' : `@wharf/provider-${name}`, origin };
    if (provider.plugin !== plugin) {
      const message = `Provider ${name} is configured both as providers.${name} and providers.plugins.${name} (${origin.label})`;
      throw new ConfigError(`providers.${name}`, message, { source: origin.label });
    }
    if (plugin && path.length === 4 && path[3] === 'package') provider.packageName = String(value);
    found.set(name, provider);
  }
  return [...found.values()].map(({ origin, ...provider }) => {
    if (provider.packageName !== '') return provider;
    const path = `providers.plugins.${provider.name}.package`;
    throw new ConfigError(path, `${path} is required: the npm package of plugin ${provider.name} (${origin.label})`, { source: origin.label });
  });
}

async function discover(sources: StaticConfigSources): Promise<Discovery[]> {
  // Provider options cannot be checked before the plugins are loaded: leave their sections open.
  // Errors are left for the second pass, which finds them all with the providers' options.
  const root = buildSchemaTree(() => undefined);
  const report = new LoadReport();
  return discoveredIn(mergeAssignments(await collect(sources, root, report), report));
}

/**
 * First pass: which providers the configuration names. `providers.<name>.*` (or a bare
 * `--providers.<name>`) asks for the first-party package `@wharf/provider-<name>`;
 * `providers.plugins.<name>.package=<npm name>` for that package. Core options are already
 * checked here, so a typo fails before any plugin is loaded.
 *
 * @throws ConfigError naming the key and the source.
 */
export async function discoverProviders(sources: StaticConfigSources): Promise<DiscoveredProvider[]> {
  return (await discover(sources)).map(({ name, packageName }) => ({ name, packageName }));
}

/** What the CLI already knows when it validates: providers whose package failed to load, and why. */
export interface LoadOptions {
  /** Providers (or plugins) whose package could not be loaded: their options are not checked. */
  unloaded?: ReadonlySet<string>;
  /** Errors found before (loading the packages), reported together with the configuration's own. */
  errors?: readonly ConfigError[];
}

function isUnloadedProvider(path: readonly string[], unloaded: ReadonlySet<string> | undefined): boolean {
  if (!unloaded || path[0] !== 'providers') return false;
  return path[1] === 'plugins' ? unloaded.has(path[2] ?? '') : unloaded.has(path[1] ?? '');
}

/**
 * Second pass: the whole static configuration, with each loaded plugin's `configSchema` joined
 * under its section (`providers.<name>` or `providers.plugins.<name>`) and validated with the
 * rest. A provider missing from `pluginSchemas` has no options.
 *
 * Sources, later wins: schema defaults < configuration file < `WHARF_*` environment < flags.
 *
 * @throws ConfigError naming the key and the source (`flag --…`, `env WHARF_…`, `file /path`);
 * {@link StaticConfigErrors} when there are several, each one in `errors`.
 */
export async function loadStaticConfig(
  sources: StaticConfigSources,
  pluginSchemas: Map<string, ConfigSchemaFragment>,
  options: LoadOptions = {},
): Promise<LoadedStaticConfig> {
  const report = new LoadReport();
  for (const err of options.errors ?? []) report.errors.push(err);
  const discovered = (await discover(sources)).filter((d) => !options.unloaded?.has(d.name));
  const fragment = (name: string): ConfigSchemaFragment => pluginSchemas.get(name) ?? {};
  // A provider whose package failed to load keeps its section open: its error is already reported.
  const lookup: FragmentLookup = (name) => (options.unloaded?.has(name) ? undefined : fragment(name));
  const root = buildSchemaTree(lookup);
  const assignments = (await collect(sources, root, report)).filter((a) => !isUnloadedProvider(a.target.path, options.unloaded));
  const entries = mergeAssignments(assignments, report);
  enableSwitchedSections(entries, root);
  addImplicitEntryPoints(entries, root);
  const schema = concreteSchema(entries, {
    providers: discovered.filter((d) => !d.plugin).map(({ name }) => ({ name, fragment: fragment(name) })),
    plugins: discovered.filter((d) => d.plugin).map(({ name }) => ({ name, fragment: fragment(name) })),
  });
  checkUnsetProperties(entries, schema, report);
  report.throwIfAny();
  const config = validateWithConvict(entries, schema) as unknown as StaticConfiguration;
  // `global.notAppendXForwardedFor` is every entry point's default.
  if (config.global.notAppendXForwardedFor) for (const ep of Object.values(config.entryPoints)) ep.forwardedHeaders.notAppendXForwardedFor = true;
  const providerOptions = new Map<string, { packageName: string; options: Record<string, unknown> }>();
  for (const { name, packageName, plugin } of discovered) {
    const section = (plugin ? config.providers.plugins[name] : config.providers[name]) as Record<string, unknown>;
    const { package: _package, ...options } = plugin ? section : { package: undefined, ...section };
    providerOptions.set(name, { packageName, options });
  }
  return {
    config,
    providerOptions,
    redacted: () => redact(config, schema),
    // Also documents providers whose schema was supplied without being configured (`--help`
    // lists the options of every installed first-party provider).
    notices: report.notices,
    sources: sourcesOf(assignments),
    describe: () => describeSchema(root, [...discovered, ...[...pluginSchemas.keys()].filter((name) => !discovered.some((d) => d.name === name)).map((name) => ({ name, plugin: false }))]),
  };
}
