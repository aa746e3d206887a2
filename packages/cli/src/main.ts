import cluster from 'node:cluster';
import { ConfigError, errorMessage, reopenLogFiles, resolveWorkerCount, silentLogger, Tokens, type Logger, type Provider } from '@wharf/core';
import { createApp, type LoadedPlugin } from './app.js';
import { loadProviderPlugin, resolvePackage } from './plugin-loader.js';
import { discoverProviders, loadStaticConfig, StaticConfigErrors, type LoadedStaticConfig, type StaticConfigSources } from './static-config/index.js';
import { printHelp } from './help.js';
import { version } from './version.js';
import { stopOnSignals } from './stop-on-signals.js';

/** Output streams of the CLI (tests replace them). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const defaultIo: CliIo = { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') };

const COMMANDS = new Set(['run', 'check', 'version', 'healthcheck', 'demo', 'help']);

/**
 * Entry point of `wharf [command] [--options]`. Returns the exit code; `run` resolves only when
 * the process has been asked to stop and has drained.
 */
export async function main(argv: string[], io: CliIo = defaultIo, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  const commandIndex = argv.findIndex((a) => !a.startsWith('-'));
  const command = commandIndex !== -1 && COMMANDS.has(argv[commandIndex]!) ? argv[commandIndex]! : 'run';
  const args = commandIndex !== -1 && COMMANDS.has(argv[commandIndex]!) ? argv.filter((_, i) => i !== commandIndex) : argv;
  // Traefik takes `traefik version` and `--version`.
  if (command === 'version' || (command === 'run' && args.some((a) => a === '--version' || a === '-v'))) {
    io.out(`Version:      ${version}\nNode.js:      ${process.version}\nOS/Arch:      ${process.platform}/${process.arch}`);
    return 0;
  }
  if (command === 'demo') {
    const { runDemo } = await import('./demo/run-demo.js');
    return runDemo(args, io, env, cwd);
  }
  const sources: StaticConfigSources = { argv: args.filter((a) => a !== '--help' && a !== '-h'), env, cwd };
  const help = command === 'help' || args.includes('--help') || args.includes('-h');
  let loaded: { config: LoadedStaticConfig; plugins: LoadedPlugin[] };
  try {
    loaded = await loadConfiguration(sources, { includeInstalled: help });
  } catch (err) {
    io.err(formatConfigError(err));
    return 1;
  }
  if (help) {
    printHelp(loaded.config, io);
    return 0;
  }
  if (command === 'check') return check(loaded.config, loaded.plugins, io);
  if (command === 'healthcheck') {
    const { healthcheck } = await import('./healthcheck.js');
    return healthcheck(loaded.config.config, io);
  }
  const workers = resolveWorkerCount(loaded.config.config.workers);
  if (cluster.isWorker) return (await import('./workers/worker.js')).runWorker(loaded.config.config, io);
  if (workers > 1) return (await import('./workers/primary.js')).runPrimary(loaded.config, loaded.plugins, workers, io);
  return run(loaded.config, loaded.plugins, io);
}

/**
 * Both passes: find the providers, load their packages, then validate everything with their
 * fragments. Every error is reported at once (a package that fails to load and a bad value alike).
 */
export async function loadConfiguration(sources: StaticConfigSources, options: { includeInstalled?: boolean } = {}): Promise<{ config: LoadedStaticConfig; plugins: LoadedPlugin[] }> {
  const requests = await discoverProviders(sources);
  if (options.includeInstalled) requests.push(...installedProviders(requests, sources.cwd));
  const plugins = new Map<string, Awaited<ReturnType<typeof loadProviderPlugin>>>();
  const errors: ConfigError[] = [];
  const unloaded = new Set<string>();
  for (const request of requests) {
    try {
      plugins.set(request.name, await loadProviderPlugin(request, sources.cwd));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      errors.push(err);
      unloaded.add(request.name);
    }
  }
  const schemas = new Map([...plugins].map(([name, plugin]) => [name, plugin.configSchema]));
  const config = await loadStaticConfig(sources, schemas, { unloaded, errors });
  const loadedPlugins: LoadedPlugin[] = [...plugins].map(([name, plugin]) => ({ plugin, options: config.providerOptions.get(name)?.options ?? {}, section: name }));
  return { config, plugins: loadedPlugins };
}

/** First-party providers installed next to Wharf, so that `--help` documents their options too. */
const FIRST_PARTY_PROVIDERS = ['ecs', 'file'];

function installedProviders(configured: ReadonlyArray<{ name: string }>, cwd: string): Array<{ name: string; packageName: string }> {
  return FIRST_PARTY_PROVIDERS.filter((name) => !configured.some((c) => c.name === name))
    .map((name) => ({ name, packageName: `@wharf/provider-${name}` }))
    .filter((request) => resolvePackage(request.packageName, cwd) !== undefined);
}

/**
 * `wharf check`: everything `wharf` checks before opening a port (static configuration, provider
 * packages and options, each provider's `init()`, such as the ECS region), plus what providers can
 * check offline (the file provider's files), all errors in one run. Standard output holds only the
 * effective configuration (JSON, for `jq`); warnings, errors and "configuration OK" go to stderr.
 */
async function check(loaded: LoadedStaticConfig, plugins: LoadedPlugin[], io: CliIo): Promise<number> {
  for (const notice of loaded.notices) io.err(`wharf: warning: ${notice}`);
  const errors: string[] = [];
  let providers: Provider[] = [];
  try {
    const app = await createApp(loaded.config, plugins, silentLogger());
    providers = app.container.isRegistered(Tokens.Provider, true) ? app.container.resolveAll<Provider>(Tokens.Provider) : [];
  } catch (err) {
    errors.push(formatConfigError(err));
  }
  for (const provider of providers) {
    try {
      await provider.init();
      for (const warning of (await provider.check?.()) ?? []) io.err(`wharf: warning: providers.${provider.name}: ${warning}`);
    } catch (err) {
      errors.push(formatConfigError(err));
    }
  }
  if (errors.length > 0) {
    for (const line of errors) io.err(line);
    return 1;
  }
  io.out(JSON.stringify(loaded.redacted(), null, 2));
  io.err('configuration OK');
  return 0;
}

/** The first log line: what runs, and where its configuration came from. */
export function logStart(logger: Logger, loaded: LoadedStaticConfig): void {
  const sources = loaded.sources.length > 0 ? loaded.sources.join(', ') : 'defaults';
  logger.info({ version, node: process.version, pid: process.pid, sources }, `Wharf ${version} starting`);
  for (const notice of loaded.notices) logger.warn(notice);
}

/** logrotate's `postrotate` sends SIGUSR1: reopen the log and access-log files by their paths. */
export function reopenOnUsr1(logger: Logger): () => void {
  const onUsr1 = (): void => {
    const files = reopenLogFiles((err) => logger.error({ err: errorMessage(err) }, 'cannot reopen a log file'));
    logger.info({ files }, 'SIGUSR1: log files reopened');
  };
  process.on('SIGUSR1', onUsr1);
  return () => process.off('SIGUSR1', onUsr1);
}

async function run(loaded: LoadedStaticConfig, plugins: LoadedPlugin[], io: CliIo): Promise<number> {
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(loaded.config, plugins);
  } catch (err) {
    io.err(formatConfigError(err));
    return 1;
  }
  const { wharf, logger } = app;
  logStart(logger, loaded);
  reopenOnUsr1(logger);
  // A rejected promise in a plugin's middleware or provider must not take every route down with
  // it (Traefik recovers from a panicking middleware per request): log it and keep serving.
  process.on('unhandledRejection', (reason) => logger.error({ err: errorMessage(reason) }, 'unhandled promise rejection (a middleware or provider bug); still serving'));
  const stopped = stopOnSignals(wharf, logger, 'shutting down: draining connections');
  try {
    await wharf.start();
  } catch (err) {
    io.err(`wharf: ${errorMessage(err)}`);
    await wharf.stop().catch(() => undefined);
    return 1;
  }
  logger.info('Wharf started');
  return stopped;
}

/** One readable line per configuration error: the key, where it came from, what is wrong. */
export function formatConfigError(err: unknown): string {
  if (err instanceof StaticConfigErrors) return err.errors.map(formatConfigError).join('\n');
  if (err instanceof ConfigError) return `wharf: configuration error: ${err.path ? err.path + ': ' : ''}${err.message}${err.source && !err.message.includes(err.source) ? ` (from ${err.source})` : ''}`;
  return `wharf: ${errorMessage(err)}`;
}
