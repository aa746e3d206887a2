import type { SnapshotMessage, WorkerMetrics } from '@wharf/core';

/** What the primary sends a worker. */
export type ToWorker =
  /** The answer to `hello`: the snapshots in force, if any provider has published yet. */
  | { readonly wharf: 'welcome'; readonly snapshots?: SnapshotMessage }
  /** Every accepted configuration change. */
  | { readonly wharf: 'snapshots'; readonly snapshots: SnapshotMessage }
  /** The primary gathers every worker's metrics for one `/metrics` request. */
  | { readonly wharf: 'metrics-request'; readonly id: number }
  /** The aggregated exposition a worker asked for with `collect`. */
  | { readonly wharf: 'metrics-result'; readonly id: number; readonly text?: string; readonly error?: string };

/** What a worker sends the primary. */
export type ToPrimary =
  /** Its message handler is installed: send the snapshots in force. */
  | { readonly wharf: 'hello' }
  /** Its entry points listen. */
  | { readonly wharf: 'ready' }
  /** A `/metrics` request reached it: aggregate every worker's metrics. */
  | { readonly wharf: 'collect'; readonly id: number }
  /** Its own metrics, for `metrics-request` `id`. */
  | { readonly wharf: 'metrics'; readonly id: number; readonly metrics: WorkerMetrics };

/** True for the messages of this protocol (a worker's IPC channel may carry others, e.g. a parent's). */
export function isWharfMessage<T extends { wharf: string }>(message: unknown): message is T {
  return typeof message === 'object' && message !== null && typeof (message as { wharf?: unknown }).wharf === 'string';
}
