import { createHash } from 'node:crypto';
import { canonicalJson, type DynamicConfiguration, type EmitConfiguration, type Logger, type Provider } from '@wharf/core';
import { buildConfiguration, type BuildResult } from './build-configuration.js';
import { readSources, type FileTarget } from './file-client.js';
import { FileConfigurationError, formatIssue } from './file-issue.js';
import { DEFAULT_WATCH_TIMING, TargetWatcher, type WatchTiming } from './file-watcher.js';
import { resolveTarget, type FileProviderOptions } from './options.js';

/** Extra settings for tests and embedders; the defaults are what `wharf` uses. */
export interface FileProviderSettings {
  readonly timing?: Partial<WatchTiming>;
  /** Directory relative paths are resolved against (default: the process's working directory). */
  readonly cwd?: string;
  /** Reload on SIGHUP, as Traefik does (default true). */
  readonly reloadOnSighup?: boolean;
}

interface Loaded {
  readonly result: BuildResult;
  /** Digest of what was read, so the same bad content is reported once, not at every event. */
  readonly digest: string;
  readonly files: number;
}

/**
 * Publishes the dynamic configuration found in a file or a directory of files, and republishes
 * it when they change (spec/traefik-model.md §f). An invalid or half-written file keeps the
 * previous configuration in force until it is fixed.
 */
export class FileProvider implements Provider {
  readonly name = 'file';
  private readonly log: Logger;
  private readonly timing: WatchTiming;
  private target: FileTarget | undefined;
  private initial: DynamicConfiguration | undefined;
  private lastEmitted: string | undefined;
  private lastReported: string | undefined;
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;

  constructor(
    private readonly options: FileProviderOptions,
    logger: Logger,
    private readonly settings: FileProviderSettings = {},
  ) {
    this.log = logger;
    this.timing = { ...DEFAULT_WATCH_TIMING, ...settings.timing };
  }

  /**
   * Checks the options. Without `watch`, also loads the files, so that a broken configuration
   * stops Wharf at start rather than leaving it running without routes.
   *
   * @throws ConfigError (`providers.file`) for bad options; FileConfigurationError for a bad file when `watch` is false.
   */
  async init(): Promise<void> {
    this.target = resolveTarget(this.options, this.settings.cwd);
    if (this.options.watch === false) {
      const loaded = await this.load();
      if (loaded.result.errors.length > 0) throw new FileConfigurationError(loaded.result.errors);
      this.report(loaded);
      this.initial = loaded.result.configuration;
    }
  }

  async provide(emit: EmitConfiguration, signal: AbortSignal): Promise<void> {
    const target = (this.target ??= resolveTarget(this.options, this.settings.cwd));
    const publish = (configuration: DynamicConfiguration): void => {
      const key = canonicalJson(configuration);
      if (signal.aborted || key === this.lastEmitted) return;
      this.lastEmitted = key;
      emit({ providerName: this.name, configuration });
    };
    const reload = (): void => void this.reload(publish, signal);
    let watcher: TargetWatcher | undefined;
    if (this.options.watch !== false) {
      watcher = new TargetWatcher(target, reload, this.log, this.timing);
      await watcher.start();
    }
    if (this.initial) publish(this.initial);
    else await this.reload(publish, signal);
    const onHangup = (): void => {
      this.log.info('SIGHUP received, reloading the file configuration');
      reload();
    };
    if (this.settings.reloadOnSighup !== false) process.on('SIGHUP', onHangup);
    try {
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      process.off('SIGHUP', onHangup);
      watcher?.close();
    }
  }

  /** Reads and publishes; a reload asked for while one runs runs again after it, once. */
  private reload(publish: (configuration: DynamicConfiguration) => void, signal: AbortSignal): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      do {
        this.reloadAgain = false;
        if (signal.aborted) return;
        const loaded = await this.load();
        if (signal.aborted) return;
        this.report(loaded);
        if (loaded.result.errors.length === 0) publish(loaded.result.configuration);
      } while (this.reloadAgain);
    })().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async load(): Promise<Loaded> {
    const { sources, errors } = await readSources(this.target!);
    const hash = createHash('sha256');
    for (const source of sources) hash.update(`${source.path}\0${source.text}\0`);
    for (const error of errors) hash.update(`${formatIssue(error)}\0`);
    const result = errors.length > 0 ? { configuration: {}, errors, warnings: [] } : buildConfiguration(sources);
    return { result, digest: hash.digest('hex'), files: sources.length };
  }

  /** Logs the outcome of a load, once per distinct content. */
  private report(loaded: Loaded): void {
    if (loaded.digest === this.lastReported) return;
    this.lastReported = loaded.digest;
    const { errors, warnings } = loaded.result;
    for (const warning of warnings) this.log.warn(formatIssue(warning));
    if (errors.length > 0) {
      // Traefik logs these as "Error occurred during watcher callback"; the message alone says it all here.
      this.log.error(`cannot load the file configuration, keeping the previous one: ${new FileConfigurationError(errors).message}`);
    } else {
      this.log.info({ files: loaded.files }, 'file configuration loaded');
    }
  }
}
