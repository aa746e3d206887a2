import cluster, { type Worker } from 'node:cluster';
import { container as rootContainer } from 'tsyringe';
import {
  aggregateWorkerMetrics,
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
  type WorkerMetrics,
} from '@wharf/core';
import { registerProviderPlugins, type LoadedPlugin } from '../app.js';
import { logStart, reopenOnUsr1, type CliIo } from '../main.js';
import type { LoadedStaticConfig } from '../static-config/index.js';
import { isWharfMessage, type ToPrimary, type ToWorker } from './messages.js';

// How long the primary waits for every worker's metrics before answering with those it has.
const GATHER_TIMEOUT_MS = 2_000;
// A worker that dies sooner than this after its start is crash-looping: wait before the next.
const QUICK_CRASH_MS = 5_000;
const MAX_RESTART_DELAY_MS = 30_000;

interface Slot {
  worker: Worker;
  ready: boolean;
  startedAt: number;
}

/**
 * The primary process of `--workers=<n>`: runs the providers and the configuration watcher (one
 * discovery, whatever the number of workers), forks `count` workers that serve, sends each of
 * them every accepted configuration, answers their `/metrics` requests with every worker's
 * metrics, restarts a worker that dies, and on SIGTERM drains them all before exiting.
 */
export async function runPrimary(loaded: LoadedStaticConfig, plugins: readonly LoadedPlugin[], count: number, io: CliIo): Promise<number> {
  const config = loaded.config;
  const logger = createLogger(config.log);
  logStart(logger, loaded);
  let watcher: ConfigurationWatcher;
  try {
    watcher = await discovery(config, plugins, logger);
    await watcher.init();
  } catch (err) {
    io.err(`wharf: ${errorMessage(err)}`);
    return 1;
  }
  process.on('unhandledRejection', (reason) => logger.error({ err: errorMessage(reason) }, 'unhandled promise rejection (a provider bug); still running'));

  let latest: SnapshotMessage | undefined;
  const slots = new Map<number, Slot>();
  let stopping = false;
  let quickCrashes = 0;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  let startupFailed = false;
  let failedStop = false;
  const gathering = new Map<number, { pending: Set<number>; results: WorkerMetrics[]; done: () => void }>();
  let nextGather = 0;

  const send = (worker: Worker, message: ToWorker): void => {
    if (worker.isConnected()) worker.send(message);
  };

  const gather = async (requester: Worker, id: number): Promise<void> => {
    const gatherId = nextGather++;
    const live = [...slots.values()].filter((s) => s.ready && s.worker.isConnected());
    const results: WorkerMetrics[] = [];
    await new Promise<void>((resolve) => {
      const entry = { pending: new Set(live.map((s) => s.worker.id)), results, done: resolve };
      gathering.set(gatherId, entry);
      for (const s of live) send(s.worker, { wharf: 'metrics-request', id: gatherId });
      if (entry.pending.size === 0) resolve();
      setTimeout(resolve, GATHER_TIMEOUT_MS).unref();
    });
    const entry = gathering.get(gatherId);
    gathering.delete(gatherId);
    if (entry && entry.pending.size > 0) logger.warn({ workers: [...entry.pending] }, 'metrics: some workers did not answer in time; /metrics leaves them out');
    try {
      const { text } = await aggregateWorkerMetrics(results);
      send(requester, { wharf: 'metrics-result', id, text });
    } catch (err) {
      send(requester, { wharf: 'metrics-result', id, error: errorMessage(err) });
    }
  };

  const onMessage = (worker: Worker, message: unknown): void => {
    if (!isWharfMessage<ToPrimary>(message)) return;
    switch (message.wharf) {
      case 'hello':
        send(worker, { wharf: 'welcome', ...(latest ? { snapshots: latest } : {}) });
        break;
      case 'ready': {
        const slot = slots.get(worker.id);
        if (slot) slot.ready = true;
        logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker started');
        if (!stopping && [...slots.values()].every((s) => s.ready) && !watcherStarted) startDiscovery();
        break;
      }
      case 'collect':
        void gather(worker, message.id);
        break;
      case 'metrics': {
        const entry = gathering.get(message.id);
        if (!entry || !entry.pending.delete(worker.id)) break;
        entry.results.push(message.metrics);
        if (entry.pending.size === 0) entry.done();
        break;
      }
    }
  };

  const fork = (): void => {
    const worker = cluster.fork();
    slots.set(worker.id, { worker, ready: false, startedAt: Date.now() });
    worker.on('message', (message: unknown) => onMessage(worker, message));
    worker.on('exit', (code, signal) => onExit(worker, code, signal));
  };

  const onExit = (worker: Worker, code: number | null, signal: string | null): void => {
    const slot = slots.get(worker.id);
    slots.delete(worker.id);
    for (const entry of gathering.values()) if (entry.pending.delete(worker.id) && entry.pending.size === 0) entry.done();
    if (stopping) {
      if (code !== 0 && code !== null) failedStop = true;
      if (slots.size === 0) resolveExit(startupFailed || failedStop ? 1 : 0);
      return;
    }
    const fields = { worker: worker.id, pid: worker.process.pid, code, signal };
    if (!watcherStarted) {
      // A worker that cannot start (its port is taken) stops Wharf, as a single process would.
      logger.error(fields, 'a worker failed to start; stopping');
      startupFailed = true;
      void stop('startup failure');
      return;
    }
    const lived = Date.now() - (slot?.startedAt ?? 0);
    quickCrashes = lived < QUICK_CRASH_MS ? quickCrashes + 1 : 0;
    const delay = quickCrashes === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 250 * 2 ** (quickCrashes - 1));
    logger.error({ ...fields, restartInMs: delay }, 'worker exited unexpectedly; starting a new one');
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  };

  let watcherStarted = false;
  const startDiscovery = (): void => {
    watcherStarted = true;
    watcher.onChange((snapshots) => {
      latest = toSnapshotMessage(snapshots);
      for (const { worker } of slots.values()) send(worker, { wharf: 'snapshots', snapshots: latest });
    });
    watcher.start();
    logger.info({ workers: slots.size, pids: [...slots.values()].map((s) => s.worker.process.pid) }, 'Wharf started');
  };

  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: reason, workers: slots.size }, 'shutting down');
    // Every worker drains its own connections within its graceTimeOut (the single-process shutdown).
    for (const { worker } of slots.values()) worker.process.kill('SIGTERM');
    await watcher.stop();
    if (slots.size === 0) resolveExit(startupFailed ? 1 : 0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // logrotate signals the process it knows, the primary: every worker reopens its files too.
  reopenOnUsr1(logger);
  process.on('SIGUSR1', () => {
    for (const { worker } of slots.values()) worker.process.kill('SIGUSR1');
  });

  // Workers run this same command; the serialisation keeps `undefined` fields of configurations.
  cluster.setupPrimary({ serialization: 'advanced' });
  for (let i = 0; i < count; i++) fork();
  const code = await exited;
  logger.info({ code }, 'all workers stopped');
  return code;
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
