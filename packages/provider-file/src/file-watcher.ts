import { watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import { errorMessage, type Logger } from '@wharf/core';
import { scanTarget, type FileTarget } from './file-client.js';

/** How quickly changes are noticed and how they are grouped. */
export interface WatchTiming {
  /** Quiet time after the last event before reloading: editors write, rename and chmod in bursts. */
  readonly debounceMs: number;
  /** Upper bound on the wait while events keep coming, so a busy file still reloads promptly. */
  readonly maxDelayMs: number;
  /** Period of the safety poll that compares sizes and times, for events the kernel never sends. */
  readonly pollIntervalMs: number;
  /**
   * How long a file that turned empty, unparsable or missing keeps its last good content before
   * that state is applied; also the longest wait for a file still changing to read the same twice.
   */
  readonly settleMs: number;
  /** Use `fs.watch` events (default true); false leaves only the poll, e.g. for network file systems. */
  readonly fsEvents: boolean;
}

export const DEFAULT_WATCH_TIMING: WatchTiming = { debounceMs: 100, maxDelayMs: 500, pollIntervalMs: 2_000, settleMs: 500, fsEvents: true };

/**
 * Watches a target and calls `onChange` (debounced) when anything under it may have changed.
 *
 * `fs.watch` watches directories, never the file itself: a file watch follows the inode, so it
 * goes deaf after an atomic replacement (write a temp file, rename it over) or a delete and
 * recreate. For a single file the parent directory is watched and events filtered by name. In
 * directory mode every sub-directory gets its own watcher (Node 20's recursive mode is not
 * reliable on Linux), re-synchronised whenever something changes.
 */
export class TargetWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private deadline = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private fingerprint = '';
  private closed = false;
  private syncing: Promise<void> | undefined;
  private resyncWanted = false;

  constructor(
    private readonly target: FileTarget,
    private readonly onChange: () => void,
    private readonly logger: Logger,
    private readonly timing: WatchTiming = DEFAULT_WATCH_TIMING,
  ) {}

  /** Establishes the watchers and takes the poll's first reading. */
  async start(): Promise<void> {
    await this.sync();
    this.schedulePoll();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.pollTimer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private changed(): void {
    if (this.closed) return;
    const now = Date.now();
    if (this.timer === undefined) this.deadline = now + this.timing.maxDelayMs;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) this.onChange();
    }, Math.max(0, Math.min(this.timing.debounceMs, this.deadline - now)));
  }

  /** Watches the directories that exist now and forgets those that are gone; one run at a time. */
  private sync(): Promise<void> {
    if (this.syncing) {
      this.resyncWanted = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.resyncWanted = false;
        const tree = await scanTarget(this.target);
        this.fingerprint = tree.fingerprint;
        if (this.closed) return;
        const wanted = new Set(tree.directories);
        for (const [dir, watcher] of this.watchers) {
          if (!wanted.has(dir)) {
            watcher.close();
            this.watchers.delete(dir);
          }
        }
        if (this.timing.fsEvents) for (const dir of wanted) if (!this.watchers.has(dir)) this.watchDirectory(dir);
      } while (this.resyncWanted && !this.closed);
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private watchDirectory(dir: string): void {
    const name = this.target.kind === 'file' ? basename(this.target.path) : undefined;
    try {
      const watcher = watch(dir, { persistent: false }, (_event, filename) => {
        // Kubernetes swaps a mounted ConfigMap by renaming `..data`; the file itself sends nothing.
        if (name !== undefined && filename && filename !== name && !filename.startsWith('..')) return;
        this.changed();
        if (this.target.kind === 'directory') void this.sync();
      });
      watcher.on('error', () => {
        // The directory went away; the poll or the parent's event re-establishes it if it returns.
        watcher.close();
        if (this.watchers.get(dir) === watcher) this.watchers.delete(dir);
        this.changed();
      });
      this.watchers.set(dir, watcher);
    } catch (err) {
      this.logger.debug({ dir, err: errorMessage(err) }, 'cannot watch directory yet; the poll will retry');
    }
  }

  private schedulePoll(): void {
    if (this.closed) return;
    this.pollTimer = setTimeout(() => void this.poll(), this.timing.pollIntervalMs);
    this.pollTimer.unref();
  }

  private async poll(): Promise<void> {
    const before = this.fingerprint;
    try {
      await this.sync();
      if (this.fingerprint !== before) {
        this.logger.debug('change found by the safety poll');
        this.changed();
      }
    } catch (err) {
      this.logger.debug({ err: errorMessage(err) }, 'safety poll failed');
    }
    this.schedulePoll();
  }
}
