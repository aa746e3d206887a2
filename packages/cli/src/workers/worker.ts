import cluster from 'node:cluster';
import { createLogger, errorMessage, fromSnapshotMessage, PrometheusMetrics, Tokens, type RequestObserver, type StaticConfiguration } from '@wharf/core';
import { createApp } from '../app.js';
import { reopenOnUsr1, type CliIo } from '../main.js';
import { PrimaryChannel } from './primary-channel.js';
import { stopOnSignals } from '../stop-on-signals.js';

/**
 * One `--workers` worker: the kernel without providers. It opens the entry points and applies
 * every configuration the primary sends; SIGTERM drains it like a single Wharf process. Resolves
 * with the exit code once it has stopped.
 */
export async function runWorker(config: StaticConfiguration, io: CliIo): Promise<number> {
  const id = cluster.worker?.id ?? 0;
  blockingStdio();
  // The channel to the primary is what keeps a worker alive until its entry points listen; a
  // preload may have unref'd it (`wharf demo`'s exit-with-parent does, for the demo's channel).
  process.channel?.ref();
  const primary = new PrimaryChannel();
  const app = await createApp(config, [], createLogger(config.log).child({ worker: id })).catch((err: unknown) => err as Error);
  if (app instanceof Error) {
    io.err(`wharf: worker ${id}: ${errorMessage(app)}`);
    return 1;
  }
  const { wharf, logger } = app;
  const observers = app.container.isRegistered(Tokens.RequestObserver) ? app.container.resolveAll<RequestObserver>(Tokens.RequestObserver) : [];
  const metrics = observers.find((o): o is PrometheusMetrics => o instanceof PrometheusMetrics);
  if (metrics) primary.serveMetrics(metrics);
  reopenOnUsr1(logger);
  process.on('unhandledRejection', (reason) => logger.error({ err: errorMessage(reason) }, 'unhandled promise rejection (a middleware or provider bug); still serving'));
  // A worker restarted after a crash applies the configuration in force before it takes traffic.
  await primary.applyConfigurations((message) => wharf.apply(fromSnapshotMessage(message)));

  const stopped = stopOnSignals(wharf, logger, 'shutting down');
  try {
    await wharf.start({ discovery: false });
  } catch (err) {
    io.err(`wharf: worker ${id}: ${errorMessage(err)}`);
    await wharf.stop().catch(() => undefined);
    return 1;
  }
  primary.ready();
  logger.info({ pid: process.pid }, 'worker serving');
  return stopped;
}

/**
 * Workers write to the primary's standard output and error. On a pipe, Node writes without
 * blocking and queues what does not fit, and a process that exits drops its queue: the access
 * log's last lines, flushed at exit, were lost that way. Blocking writes complete before the next
 * line; each write is at most PIPE_BUF bytes (the access log splits its bursts so), so the kernel
 * never interleaves them with another worker's.
 */
function blockingStdio(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const handle = (stream as unknown as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
    handle?.setBlocking?.(true);
  }
}
