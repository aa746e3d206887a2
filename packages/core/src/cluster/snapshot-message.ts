import type { DynamicConfiguration } from '../config/dynamic/types.js';
import { ProviderSnapshots, type ProviderReport } from '../runtime/provider-snapshot.js';

/**
 * What the configuration watcher hands its listeners, as plain data: the primary process of
 * `--workers` sends it to every worker over IPC, and each worker applies exactly what a single
 * process would have (the snapshots in force and each provider's report).
 */
export interface SnapshotMessage {
  readonly snapshots: ReadonlyArray<readonly [string, DynamicConfiguration]>;
  /** Present when the watcher reported on its providers (bad elements, rejected snapshots). */
  readonly reports?: ReadonlyArray<readonly [string, ProviderReport]>;
}

/**
 * The watcher's snapshots as a {@link SnapshotMessage}.
 *
 * @example
 * watcher.onChange((snapshots) => worker.send(toSnapshotMessage(snapshots)));
 */
export function toSnapshotMessage(snapshots: ReadonlyMap<string, DynamicConfiguration> & { readonly reports?: ReadonlyMap<string, ProviderReport> }): SnapshotMessage {
  return { snapshots: [...snapshots], ...(snapshots.reports ? { reports: [...snapshots.reports] } : {}) };
}

/** The {@link ProviderSnapshots} a {@link SnapshotMessage} was made from, ready for `Wharf.apply`. */
export function fromSnapshotMessage(message: SnapshotMessage): ProviderSnapshots {
  const snapshots = new ProviderSnapshots(message.snapshots.map(([name, configuration]) => [name, configuration]));
  for (const [name, report] of message.reports ?? []) snapshots.reports.set(name, report);
  return snapshots;
}
