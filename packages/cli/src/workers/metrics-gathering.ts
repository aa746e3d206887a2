import type { Worker } from 'node:cluster';
import { aggregateWorkerMetrics, errorMessage, type Logger, type WorkerMetrics } from '@wharf/core';
import type { ToWorker } from './messages.js';

// How long the primary waits for every worker's metrics before answering with those it has.
const GATHER_TIMEOUT_MS = 2_000;

interface Gathering {
  readonly pending: Set<number>;
  readonly results: WorkerMetrics[];
  readonly done: () => void;
}

/**
 * The primary's side of `/metrics` with workers: asks every serving worker for its registry,
 * aggregates what arrives within {@link GATHER_TIMEOUT_MS}, and answers the worker that asked.
 */
export class MetricsGathering {
  private readonly open = new Map<number, Gathering>();
  private next = 0;

  constructor(private readonly logger: Logger) {}

  /** Answers `requester`'s `collect` request `id` with the metrics of every worker in `serving`. */
  async collect(requester: Worker, id: number, serving: readonly Worker[]): Promise<void> {
    const gatherId = this.next++;
    const results: WorkerMetrics[] = [];
    await new Promise<void>((resolve) => {
      const gathering: Gathering = { pending: new Set(serving.map((w) => w.id)), results, done: resolve };
      this.open.set(gatherId, gathering);
      for (const worker of serving) send(worker, { wharf: 'metrics-request', id: gatherId });
      if (gathering.pending.size === 0) resolve();
      setTimeout(resolve, GATHER_TIMEOUT_MS).unref();
    });
    const missing = this.open.get(gatherId)?.pending ?? new Set<number>();
    this.open.delete(gatherId);
    if (missing.size > 0) this.logger.warn({ workers: [...missing] }, 'metrics: some workers did not answer in time; /metrics leaves them out');
    try {
      const { text } = await aggregateWorkerMetrics(results);
      send(requester, { wharf: 'metrics-result', id, text });
    } catch (err) {
      send(requester, { wharf: 'metrics-result', id, error: errorMessage(err) });
    }
  }

  /** A worker's answer to `metrics-request` `id`. */
  received(worker: Worker, id: number, metrics: WorkerMetrics): void {
    const gathering = this.open.get(id);
    if (!gathering || !gathering.pending.delete(worker.id)) return;
    gathering.results.push(metrics);
    if (gathering.pending.size === 0) gathering.done();
  }

  /** A worker exited: nobody waits for its answer any longer. */
  forget(worker: Worker): void {
    for (const gathering of this.open.values()) if (gathering.pending.delete(worker.id) && gathering.pending.size === 0) gathering.done();
  }
}

export function send(worker: Worker, message: ToWorker): void {
  if (worker.isConnected()) worker.send(message);
}
