import type { Dirent } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '@wharf/core';
import type { SourceFile } from './build-configuration.js';
import type { FileIssue } from './file-issue.js';
import { formatOf } from './parse-file.js';

/** What the provider reads: one file, or every supported file under a directory. */
export type FileTarget = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'directory'; readonly path: string };

/** The files and directories of a target, and a fingerprint of their sizes and times for the safety poll. */
export interface TargetTree {
  /** Configuration files in load order (sorted by entry name at each level, depth first). */
  readonly files: string[];
  /** Directories to watch: the directory itself and its sub-directories, or the single file's parent. */
  readonly directories: string[];
  /** Changes whenever a file is added, removed, replaced or written. */
  readonly fingerprint: string;
  /** Why the target itself could not be listed (a missing directory). */
  readonly error?: string;
}

/**
 * Lists a target. Entries whose name starts with a dot are skipped: they are editor swap and
 * backup files (`.dynamic.yml.swp`) and Kubernetes' ConfigMap internals (`..data/`,
 * `..2024_01_01…/`), whose files would otherwise be read twice, once through the visible
 * symlink and once inside the hidden directory, and clash as duplicate names.
 */
export async function scanTarget(target: FileTarget): Promise<TargetTree> {
  if (target.kind === 'file') {
    const parent = join(target.path, '..');
    return { files: [target.path], directories: [parent], fingerprint: await statLine(target.path) };
  }
  const files: string[] = [];
  const directories: string[] = [];
  const lines: string[] = [];
  try {
    await walk(target.path, files, directories, lines, new Set());
  } catch (err) {
    return { files: [], directories: [], fingerprint: `error ${errorCode(err)}`, error: errorMessage(err) };
  }
  return { files, directories, fingerprint: lines.join('\n') };
}

async function walk(dir: string, files: string[], directories: string[], lines: string[], seen: Set<string>): Promise<void> {
  // A symlink loop would otherwise recurse forever.
  const real = await realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  directories.push(dir);
  lines.push(`d ${dir}`);
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const kind = await entryKind(entry, path);
    if (kind === 'directory') {
      try {
        await walk(path, files, directories, lines, seen);
      } catch (err) {
        // Removed while we were listing: the next event or poll lists again.
        if (errorCode(err) !== 'ENOENT') throw err;
      }
    } else if (kind === 'file' && formatOf(entry.name) !== undefined) {
      files.push(path);
      lines.push(await statLine(path));
    }
  }
}

async function entryKind(entry: Dirent, path: string): Promise<'file' | 'directory' | 'other'> {
  if (entry.isDirectory()) return 'directory';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    const target = await stat(path);
    return target.isDirectory() ? 'directory' : target.isFile() ? 'file' : 'other';
  } catch {
    return 'other';
  }
}

async function statLine(path: string): Promise<string> {
  try {
    const s = await stat(path);
    return `f ${path} ${s.size} ${s.mtimeMs} ${s.ino}`;
  } catch (err) {
    return `f ${path} ${errorCode(err)}`;
  }
}

/** One read of the target. */
export interface SourcesRead {
  readonly sources: SourceFile[];
  readonly errors: FileIssue[];
  /** When the read started (epoch ms). */
  readonly readAtMs: number;
  /** The newest modification time of the files read (epoch ms); 0 when none was read. */
  readonly modifiedMs: number;
}

/**
 * Reads the target's configuration files. A file that disappears between listing and reading
 * is skipped in directory mode (its removal is the change being applied); the single file
 * missing, or any other read failure, is an issue.
 */
export async function readSources(target: FileTarget): Promise<SourcesRead> {
  const readAtMs = Date.now();
  const tree = await scanTarget(target);
  if (tree.error !== undefined) {
    return { sources: [], errors: [{ file: target.path, path: [], message: `cannot read the directory: ${tree.error}` }], readAtMs, modifiedMs: 0 };
  }
  const sources: SourceFile[] = [];
  const errors: FileIssue[] = [];
  let modifiedMs = 0;
  const items = await Promise.all(tree.files.map(async (path) => ({ path, ...(await readOne(path)) })));
  for (const item of items) {
    if (item.text !== undefined) {
      sources.push({ path: item.path, text: item.text });
      modifiedMs = Math.max(modifiedMs, item.mtimeMs);
    } else if (target.kind === 'directory' && errorCode(item.err) === 'ENOENT') continue;
    else errors.push({ file: item.path, path: [], message: `cannot read the file: ${errorMessage(item.err)}` });
  }
  return { sources, errors, readAtMs, modifiedMs };
}

async function readOne(path: string): Promise<{ text: string; mtimeMs: number; err?: undefined } | { text?: undefined; err: unknown }> {
  try {
    // Through one handle, so that the time and the text are those of the same file.
    const handle = await open(path, 'r');
    try {
      const { mtimeMs } = await handle.stat();
      return { text: await handle.readFile('utf8'), mtimeMs };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { err };
  }
}

/** A read of the target, and whether it had settled. */
export interface StableRead extends SourcesRead {
  /** False when the files were still changing at `maxWaitMs`: the last read is returned anyway. */
  readonly stable: boolean;
}

/**
 * Reads the target until two reads `intervalMs` apart agree (same files, same text, same read
 * errors) and the files had not been modified for `intervalMs` before the first of them: the
 * content has then stayed the same for twice the interval. A file written in place (truncated,
 * then written in several calls) can be read at any point of the write, and a cut at a line
 * boundary may well be valid; only time tells it from the complete file. Gives up after
 * `maxWaitMs` (a file rewritten non-stop, a modification time in the future on a network file
 * system whose clock is ahead) and returns the last read.
 */
export async function readStableSources(target: FileTarget, intervalMs: number, maxWaitMs: number): Promise<StableRead> {
  const deadline = Date.now() + maxWaitMs;
  let previous = await readSources(target);
  for (;;) {
    await sleep(intervalMs);
    const current = await readSources(target);
    const stable = previous.readAtMs - previous.modifiedMs >= intervalMs && sameRead(previous, current);
    if (stable || Date.now() >= deadline) return { ...current, stable };
    previous = current;
  }
}

function sameRead(a: SourcesRead, b: SourcesRead): boolean {
  return (
    a.modifiedMs === b.modifiedMs &&
    a.sources.length === b.sources.length &&
    a.errors.length === b.errors.length &&
    a.sources.every((s, i) => s.path === b.sources[i]!.path && s.text === b.sources[i]!.text) &&
    a.errors.every((e, i) => e.file === b.errors[i]!.file && e.message === b.errors[i]!.message)
  );
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? 'ERROR';
}
