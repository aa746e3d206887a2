import type { PrometheusMetrics, SnapshotMessage } from '@wharf/core';
import { isWharfMessage, type ToPrimary, type ToWorker } from './messages.js';

// A `/metrics` request waits at most this long for the primary's aggregate.
const COLLECT_TIMEOUT_MS = 5_000;

/**
 * A worker's side of the IPC channel to the primary. Created first thing in the worker, so that
 * no message is missed: it keeps the latest configuration until the kernel can apply it.
 */
export class PrimaryChannel {
  private latest: SnapshotMessage | undefined;
  private apply: ((message: SnapshotMessage) => void) | undefined;
  private welcomed!: () => void;
  private readonly welcome = new Promise<void>((resolve) => (this.welcomed = resolve));
  private readonly collecting = new Map<number, (result: { text?: string; error?: string }) => void>();
  private nextCollect = 0;
  private metrics: PrometheusMetrics | undefined;

  constructor() {
    process.on('message', (message: unknown) => this.onMessage(message));
    send({ wharf: 'hello' });
  }

  /**
   * Calls `apply` with the configuration in force (once the primary has answered `hello`, so that
   * a restarted worker applies it before it listens), then with every later one.
   */
  async applyConfigurations(apply: (message: SnapshotMessage) => void): Promise<void> {
    await this.welcome;
    this.apply = apply;
    if (this.latest) apply(this.latest);
  }

  /** Makes `/metrics` on this worker answer with every worker's metrics, and answers the primary's requests for ours. */
  serveMetrics(metrics: PrometheusMetrics): void {
    this.metrics = metrics;
    metrics.exposition = () =>
      new Promise<string>((resolve, reject) => {
        const id = this.nextCollect++;
        const timer = setTimeout(() => {
          this.collecting.delete(id);
          reject(new Error('the primary did not answer'));
        }, COLLECT_TIMEOUT_MS);
        this.collecting.set(id, (result) => {
          clearTimeout(timer);
          if (result.text !== undefined) resolve(result.text);
          else reject(new Error(result.error ?? 'metrics collection failed'));
        });
        send({ wharf: 'collect', id });
      });
  }

  /** Tells the primary this worker's entry points listen. */
  ready(): void {
    send({ wharf: 'ready' });
  }

  private onMessage(message: unknown): void {
    if (!isWharfMessage<ToWorker>(message)) return;
    switch (message.wharf) {
      case 'welcome':
      case 'snapshots':
        if (message.snapshots) {
          this.latest = message.snapshots;
          this.apply?.(message.snapshots);
        }
        if (message.wharf === 'welcome') this.welcomed();
        break;
      case 'metrics-request':
        void (this.metrics?.registry.getMetricsAsJSON() ?? Promise.resolve([])).then((metrics) => send({ wharf: 'metrics', id: message.id, metrics }));
        break;
      case 'metrics-result':
        this.collecting.get(message.id)?.(message);
        this.collecting.delete(message.id);
        break;
    }
  }
}

function send(message: ToPrimary): void {
  process.send?.(message);
}
