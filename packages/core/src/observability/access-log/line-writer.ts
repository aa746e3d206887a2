import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { pipeChunks } from './pipe-chunks.js';
import { trackReopenable } from '../../log-file.js';

/** Where lines end up: a file (its descriptor, and its path to reopen it), or a stream such as `process.stdout`. */
export type LineSink = { fd: number; path?: string } | { stream: { write(chunk: string): unknown } };

/**
 * Batches lines so the access log costs one write per burst rather than one per request:
 * with `bufferingSize` 0 lines of the same tick are written together; otherwise after
 * `bufferingSize` lines or every `flushIntervalMs`, and always, synchronously, at process exit.
 */
export class LineWriter {
  private pending: string[] = [];
  private scheduled = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onExit = (): void => this.flush();
  private closed = false;
  private readonly untrack: (() => void) | undefined;

  constructor(
    private readonly sink: LineSink,
    private readonly bufferingSize: number,
    flushIntervalMs = 1_000,
  ) {
    if (bufferingSize > 0) {
      this.timer = setInterval(() => this.flush(), flushIntervalMs);
      this.timer.unref();
    }
    process.once('exit', this.onExit);
    if ('fd' in sink && sink.path !== undefined) this.untrack = trackReopenable(this);
  }

  /** Opens `filePath` for appending (creating its folder), or standard output when empty. */
  static open(filePath: string, bufferingSize: number, flushIntervalMs?: number): LineWriter {
    if (!filePath) return new LineWriter({ stream: process.stdout }, bufferingSize, flushIntervalMs);
    mkdirSync(dirname(filePath), { recursive: true });
    return new LineWriter({ fd: openSync(filePath, 'a'), path: filePath }, bufferingSize, flushIntervalMs);
  }

  /** Flushes, then closes the file and opens its path again (SIGUSR1, after logrotate moved it). */
  reopen(): void {
    if (this.closed || !('fd' in this.sink) || this.sink.path === undefined) return;
    this.flush();
    closeSync(this.sink.fd);
    this.sink.fd = openSync(this.sink.path, 'a');
  }

  write(line: string): void {
    if (this.closed) return;
    this.pending.push(line);
    if (this.bufferingSize > 0) {
      if (this.pending.length >= this.bufferingSize) this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('\n') + '\n';
    this.pending = [];
    try {
      if ('fd' in this.sink) writeSync(this.sink.fd, chunk);
      else for (const piece of pipeChunks(chunk)) this.sink.stream.write(piece);
    } catch {
      // A full disk or a closed pipe must not take the proxy down; the lines are lost.
    }
  }

  /** Flushes, stops the timer and closes the file. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    process.removeListener('exit', this.onExit);
    this.untrack?.();
    if ('fd' in this.sink) closeSync(this.sink.fd);
  }
}
