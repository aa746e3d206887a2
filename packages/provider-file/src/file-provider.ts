import { createHash } from 'node:crypto';
import { canonicalJson, ELEMENT_KIND, type DynamicConfiguration, type ElementSection, type EmitConfiguration, type Logger, type Provider } from '@wharf/core';
import { buildConfiguration, type BuildResult } from './build-configuration.js';
import { readStableSources, type FileTarget, type StableRead } from './file-client.js';
import { FileConfigurationError, formatIssue } from './file-issue.js';
import { FileSettler, type SettledRead, type TargetRead } from './file-settler.js';
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
 * it when they change (spec/traefik-model.md §f). A file is read until two reads agree, and a
 * file that turns empty, unparsable or missing keeps its last good content for a settle window
 * (see FileSettler): a file caught in the middle of an in-place write is not applied. An invalid
 * file keeps the previous configuration in force until it is fixed.
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
  private readonly settler: FileSettler;
  private recheck: NodeJS.Timeout | undefined;
  private changing = false;

  constructor(
    private readonly options: FileProviderOptions,
    logger: Logger,
    private readonly settings: FileProviderSettings = {},
  ) {
    this.log = logger;
    this.timing = { ...DEFAULT_WATCH_TIMING, ...settings.timing };
    this.settler = new FileSettler(this.timing.settleMs);
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
      // No window here: a broken file must stop Wharf now. The settler still learns the good content.
      const read = await this.read();
      this.settler.settle(read, Date.now());
      const loaded = this.build(read);
      if (loaded.result.errors.length > 0) throw new FileConfigurationError(loaded.result.errors);
      this.report(loaded);
      this.initial = loaded.result.configuration;
    }
  }

  /**
   * For `wharf check`: reads and decodes the files once, watching or not.
   *
   * @throws FileConfigurationError with every issue, positioned (`file:line:column`).
   */
  async check(): Promise<readonly string[]> {
    this.target ??= resolveTarget(this.options, this.settings.cwd);
    const { result } = this.build(await this.read());
    // Strict: an element Wharf would disable is an error for `wharf check`, with its position.
    const problems = [...result.errors, ...result.elementErrors];
    if (problems.length > 0) throw new FileConfigurationError(problems);
    return result.warnings.map(formatIssue);
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
      clearTimeout(this.recheck);
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
        const read = await this.read();
        if (signal.aborted) return;
        if (!this.settledRead(read, () => void this.reload(publish, signal))) continue;
        const settled = this.settler.settle(read, Date.now());
        this.scheduleRecheck(settled, () => void this.reload(publish, signal));
        if (settled.incomplete) continue;
        const loaded = this.build(settled);
        this.report(loaded);
        if (loaded.result.errors.length === 0) publish(loaded.result.configuration);
      } while (this.reloadAgain);
    })().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private read(): Promise<StableRead> {
    return readStableSources(this.target!, this.timing.debounceMs, this.timing.settleMs);
  }

  /**
   * False when the files kept changing through the whole stability wait: what was read may be cut
   * anywhere, valid or not, so nothing is applied and the target is read again shortly.
   */
  private settledRead(read: StableRead, reload: () => void): boolean {
    if (read.stable) {
      this.changing = false;
      return true;
    }
    if (!this.changing) this.log.info({ quietMs: 2 * this.timing.debounceMs }, 'the files keep changing; keeping the last configuration until they stay unchanged');
    this.changing = true;
    clearTimeout(this.recheck);
    this.recheck = setTimeout(reload, this.timing.debounceMs);
    return false;
  }

  /** Logs what is held back, once per state, and reads again when the first window ends. */
  private scheduleRecheck(settled: SettledRead, reload: () => void): void {
    for (const held of settled.held) {
      if (!held.first) continue;
      const what = held.reason === 'missing' ? 'missing or unreadable' : held.reason === 'empty' ? 'empty' : 'incomplete (unparsable)';
      this.log.info({ file: held.file, settleMs: this.timing.settleMs }, `file is ${what}, keeping its last configuration while it settles`);
    }
    clearTimeout(this.recheck);
    this.recheck = settled.recheckAt === undefined ? undefined : setTimeout(reload, Math.max(0, settled.recheckAt - Date.now()));
  }

  private build({ sources, errors }: TargetRead): Loaded {
    const hash = createHash('sha256');
    for (const source of sources) hash.update(`${source.path}\0${source.text}\0`);
    for (const error of errors) hash.update(`${formatIssue(error)}\0`);
    const result = errors.length > 0 ? { configuration: {}, errors: [...errors], warnings: [], elementErrors: [] } : buildConfiguration(sources);
    return { result, digest: hash.digest('hex'), files: sources.length };
  }

  /** Logs the outcome of a load, once per distinct content. */
  private report(loaded: Loaded): void {
    if (loaded.digest === this.lastReported) return;
    this.lastReported = loaded.digest;
    const { errors, warnings, elementErrors } = loaded.result;
    for (const warning of warnings) this.log.warn(formatIssue(warning));
    // The kernel disables each of these elements (the API shows the key path); the position is only known here.
    if (errors.length === 0) for (const issue of elementErrors) this.log.error(`${formatIssue(issue)} (this ${ELEMENT_KIND[issue.path[1] as ElementSection] ?? 'element'} is disabled; the rest of the configuration is applied)`);
    if (errors.length > 0) {
      // Traefik logs these as "Error occurred during watcher callback"; the message alone says it all here.
      this.log.error(`cannot load the file configuration, keeping the previous one: ${new FileConfigurationError(errors).message}`);
    } else {
      this.log.info({ files: loaded.files }, 'file configuration loaded');
    }
  }
}

