import { closeSync, createReadStream, createWriteStream, fstatSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/** How `log.filePath` rotates: Traefik's options (lumberjack's), in their units. */
export interface LogRotation {
  /** Megabytes before the file is rotated; 0 means lumberjack's (so Traefik's) default, 100. */
  maxSize?: number;
  /** Days to keep rotated files, by the time in their name; 0 keeps them whatever their age. */
  maxAge?: number;
  /** Rotated files to keep; 0 keeps them all. */
  maxBackups?: number;
  /** Gzip rotated files. */
  compress?: boolean;
}

/** Something that holds a log file open and can reopen it by path. */
export interface Reopenable {
  reopen(): void;
}

const openFiles = new Set<Reopenable>();

/** Adds a file to those {@link reopenLogFiles} reopens; the returned function removes it. */
export function trackReopenable(file: Reopenable): () => void {
  openFiles.add(file);
  return () => openFiles.delete(file);
}

/**
 * Closes and reopens every log and access-log file by its path: what `SIGUSR1` does, so that
 * logrotate can move the files away (as with Traefik). Returns how many files were reopened.
 */
export function reopenLogFiles(onError: (err: unknown) => void = () => undefined): number {
  let n = 0;
  for (const file of openFiles) {
    try {
      file.reopen();
      n++;
    } catch (err) {
      onError(err);
    }
  }
  return n;
}

const MEGABYTE = 1024 * 1024;
const DEFAULT_MAX_SIZE_MB = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `2026-01-02T03-04-05.678`: lumberjack's backup time format (UTC), so tools that sort them keep working. */
function stamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace(/Z$/, '');
}

const STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})$/;

function parseStamp(text: string): number | undefined {
  const m = STAMP.exec(text);
  return m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : undefined;
}

/**
 * A log file that rotates by size, the way Traefik's (lumberjack) does: when a write would take
 * the file past `maxSize` MB it is renamed `<name>-<UTC time>.<ext>` (then gzipped when
 * `compress`), a new file is started, and backups beyond `maxBackups` or older than `maxAge`
 * days are removed. {@link reopen} closes and reopens the path, for logrotate's `postrotate`
 * (`kill -USR1`). Writes are synchronous, as the logger's are: a line is on disk when the call
 * returns, and nothing is lost at exit.
 */
export class RotatingLogFile implements Reopenable {
  private fd: number;
  private size: number;
  private readonly maxBytes: number;
  private readonly prefix: string;
  private readonly ext: string;
  private readonly dir: string;
  private readonly untrack: () => void;
  private lastRotation = 0;

  constructor(
    readonly path: string,
    private readonly rotation: LogRotation = {},
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.dir = dirname(path);
    this.ext = extname(path);
    this.prefix = basename(path, this.ext) + '-';
    this.maxBytes = (rotation.maxSize && rotation.maxSize > 0 ? rotation.maxSize : DEFAULT_MAX_SIZE_MB) * MEGABYTE;
    mkdirSync(this.dir, { recursive: true });
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
    this.untrack = trackReopenable(this);
  }

  write(chunk: string): boolean {
    const bytes = Buffer.byteLength(chunk);
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      writeSync(this.fd, chunk);
      this.size += bytes;
    } catch (err) {
      // A full disk must not take the proxy down; the line is lost.
      this.onError(err);
    }
    return true;
  }

  /** Closes the file and opens `path` again (logrotate moved or truncated it). */
  reopen(): void {
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  close(): void {
    this.untrack();
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    // Names must sort as rotations happened, even several in one millisecond.
    let time = Math.max(Date.now(), this.lastRotation + 1);
    while (exists(join(this.dir, `${this.prefix}${stamp(new Date(time))}${this.ext}`))) time++;
    this.lastRotation = time;
    const backup = join(this.dir, `${this.prefix}${stamp(new Date(time))}${this.ext}`);
    renameSync(this.path, backup);
    this.fd = openSync(this.path, 'a');
    this.size = 0;
    if (this.rotation.compress) void this.compress(backup).then(() => this.prune(), this.onError);
    else this.prune();
  }

  private async compress(file: string): Promise<void> {
    await pipeline(createReadStream(file), createGzip(), createWriteStream(file + '.gz'));
    unlinkSync(file);
  }

  /** Backups, newest first, with the time their name carries. */
  backups(): Array<{ file: string; time: number }> {
    const found: Array<{ file: string; time: number }> = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.startsWith(this.prefix)) continue;
      const rest = name.slice(this.prefix.length).replace(/\.gz$/, '');
      if (!rest.endsWith(this.ext)) continue;
      const time = parseStamp(rest.slice(0, rest.length - this.ext.length));
      if (time !== undefined) found.push({ file: join(this.dir, name), time });
    }
    return found.sort((a, b) => b.time - a.time);
  }

  private prune(): void {
    const { maxBackups = 0, maxAge = 0 } = this.rotation;
    const cutoff = maxAge > 0 ? Date.now() - maxAge * DAY_MS : -Infinity;
    this.backups().forEach(({ file, time }, i) => {
      if ((maxBackups > 0 && i >= maxBackups) || time < cutoff) {
        try {
          unlinkSync(file);
        } catch (err) {
          this.onError(err);
        }
      }
    });
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
