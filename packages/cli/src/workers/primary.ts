import cluster, { type Worker } from 'node:cluster';
import { container as rootContainer } from 'tsyringe';
import {
  ConfigurationWatcher,
  createLogger,
  errorMessage,
  InternalProvider,
  register as registerCore,
  toSnapshotMessage,
  Tokens,
  type InternalService,
  type Logger,
  type Provider,
  type SnapshotMessage,
  type StaticConfiguration,
} from '@wharf/core';
import { registerProviderPlugins, type LoadedPlugin } from '../app.js';
import { logStart, reopenOnUsr1, type CliIo } from '../main.js';
import type { LoadedStaticConfig } from '../static-config/index.js';
import { isWharfMessage, type ToPrimary } from './messages.js';
import { MetricsGathering, send } from './metrics-gathering.js';

// A worker that dies sooner than this after its start is crash-looping: wait before the next.
const QUICK_CRASH_MS = 5_000;
const MAX_RESTART_DELAY_MS = 30_000;

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  readonly startedAt: number;
}

/**
 * The primary process of `--workers=<n>`: runs the providers and the configuration watcher (one
 * discovery, whatever the number of workers), forks `count` workers that serve, and supervises
 * them until SIGTERM has drained them all. Resolves with the exit code.
 */
export async function runPrimary(loaded: LoadedStaticConfig, plugins: readonly LoadedPlugin[], count: number, io: CliIo): Promise<number> {
  const logger = createLogger(loaded.config.log);
  logStart(logger, loaded);
  let watcher: ConfigurationWatcher;
  try {
    watcher = await discovery(loaded.config, plugins, logger);
    await watcher.init();
  } catch (err) {
    io.err(`wharf: ${errorMessage(err)}`);
    return 1;
  }
  process.on('unhandledRejection', (reason) => logger.error({ err: errorMessage(reason) }, 'unhandled promise rejection (a provider bug); still running'));
  const primary = new Primary(watcher, logger);
  process.once('SIGTERM', () => void primary.stop('SIGTERM'));
  process.once('SIGINT', () => void primary.stop('SIGINT'));
  // logrotate signals the process it knows, the primary: every worker reopens its files too.
  reopenOnUsr1(logger);
  process.on('SIGUSR1', () => primary.signal('SIGUSR1'));
  // Workers run this same command; the serialisation keeps `undefined` fields of configurations.
  cluster.setupPrimary({ serialization: 'advanced' });
  const code = await primary.run(count);
  logger.info({ code }, 'all workers stopped');
  return code;
}

/**
 * Forks and supervises the workers: sends each of them every accepted configuration (and the one
 * in force when it starts), answers their `/metrics` requests with every worker's metrics,
 * restarts a worker that dies, and on stop sends every worker SIGTERM and waits for them.
 */
class Primary {
  private readonly slots = new Map<number, Slot>();
  private readonly metrics: MetricsGathering;
  private latest: SnapshotMessage | undefined;
  private discovering = false;
  private stopping = false;
  private failed = false;
  private quickCrashes = 0;
  private resolveExit!: (code: number) => void;
  private readonly exited = new Promise<number>((resolve) => (this.resolveExit = resolve));

  constructor(
    private readonly watcher: ConfigurationWatcher,
    private readonly logger: Logger,
  ) {
    this.metrics = new MetricsGathering(logger);
  }

  run(count: number): Promise<number> {
    for (let i = 0; i < count; i++) this.fork();
    return this.exited;
  }

  signal(signal: NodeJS.Signals): void {
    for (const { worker } of this.slots.values()) worker.process.kill(signal);
  }

  async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info({ signal: reason, workers: this.slots.size }, 'shutting down');
    // Every worker drains its own connections within its graceTimeOut (the single-process shutdown).
    this.signal('SIGTERM');
    await this.watcher.stop();
    if (this.slots.size === 0) this.resolveExit(this.failed ? 1 : 0);
  }

  private fork(): void {
    const worker = cluster.fork();
    this.slots.set(worker.id, { worker, ready: false, startedAt: Date.now() });
    worker.on('message', (message: unknown) => this.onMessage(worker, message));
    worker.on('exit', (code: number | null, signal: string | null) => this.onExit(worker, code, signal));
  }

  private onMessage(worker: Worker, message: unknown): void {
    if (!isWharfMessage<ToPrimary>(message)) return;
    switch (message.wharf) {
      case 'hello':
        send(worker, { wharf: 'welcome', ...(this.latest ? { snapshots: this.latest } : {}) });
        break;
      case 'ready':
        this.onReady(worker);
        break;
      case 'collect': {
        const serving = [...this.slots.values()].filter((s) => s.ready && s.worker.isConnected()).map((s) => s.worker);
        void this.metrics.collect(worker, message.id, serving);
        break;
      }
      case 'metrics':
        this.metrics.received(worker, message.id, message.metrics);
        break;
    }
  }

  private onReady(worker: Worker): void {
    const slot = this.slots.get(worker.id);
    if (slot) slot.ready = true;
    this.logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker started');
    // Providers start once every worker listens, as a single process opens its entry points first.
    if (!this.stopping && !this.discovering && [...this.slots.values()].every((s) => s.ready)) this.startDiscovery();
  }

  private startDiscovery(): void {
    this.discovering = true;
    this.watcher.onChange((snapshots) => {
      this.latest = toSnapshotMessage(snapshots);
      for (const { worker } of this.slots.values()) send(worker, { wharf: 'snapshots', snapshots: this.latest });
    });
    this.watcher.start();
    this.logger.info({ workers: this.slots.size, pids: [...this.slots.values()].map((s) => s.worker.process.pid) }, 'Wharf started');
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const slot = this.slots.get(worker.id);
    this.slots.delete(worker.id);
    this.metrics.forget(worker);
    if (this.stopping) {
      if (code !== 0 && code !== null) this.failed = true;
      if (this.slots.size === 0) this.resolveExit(this.failed ? 1 : 0);
      return;
    }
    const fields = { worker: worker.id, pid: worker.process.pid, code, signal };
    if (!this.discovering) {
      // A worker that cannot start (its port is taken) stops Wharf, as a single process would.
      this.logger.error(fields, 'a worker failed to start; stopping');
      this.failed = true;
      void this.stop('startup failure');
      return;
    }
    const lived = Date.now() - (slot?.startedAt ?? 0);
    this.quickCrashes = lived < QUICK_CRASH_MS ? this.quickCrashes + 1 : 0;
    const delay = this.quickCrashes === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 250 * 2 ** (this.quickCrashes - 1));
    this.logger.error({ ...fields, restartInMs: delay }, 'worker exited unexpectedly; starting a new one');
    setTimeout(() => {
      if (!this.stopping) this.fork();
    }, delay);
  }
}

/** The watcher over the providers of this configuration, wired as the kernel wires its own. */
async function discovery(config: StaticConfiguration, plugins: readonly LoadedPlugin[], logger: Logger): Promise<ConfigurationWatcher> {
  const container = rootContainer.createChildContainer();
  registerCore(container, config, logger);
  await registerProviderPlugins(container, plugins);
  const providers = container.isRegistered(Tokens.Provider) ? container.resolveAll<Provider>(Tokens.Provider) : [];
  const internal = container.isRegistered(Tokens.InternalService) ? container.resolveAll<InternalService>(Tokens.InternalService) : [];
  return new ConfigurationWatcher([new InternalProvider(internal), ...providers], config.providers.providersThrottleDuration, logger);
}
