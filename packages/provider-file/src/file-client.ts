import type { Dirent } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
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

/**
 * Reads the target's configuration files. A file that disappears between listing and reading
 * is skipped in directory mode (its removal is the change being applied); the single file
 * missing, or any other read failure, is an issue.
 */
export async function readSources(target: FileTarget): Promise<{ sources: SourceFile[]; errors: FileIssue[] }> {
  const tree = await scanTarget(target);
  if (tree.error !== undefined) return { sources: [], errors: [{ file: target.path, path: [], message: `cannot read the directory: ${tree.error}` }] };
  const sources: SourceFile[] = [];
  const errors: FileIssue[] = [];
  const texts = await Promise.all(
    tree.files.map(async (path) => {
      try {
        return { path, text: await readFile(path, 'utf8') };
      } catch (err) {
        return { path, err };
      }
    }),
  );
  for (const item of texts) {
    if (item.text !== undefined) sources.push({ path: item.path, text: item.text });
    else if (target.kind === 'directory' && errorCode(item.err) === 'ENOENT') continue;
    else errors.push({ file: item.path, path: [], message: `cannot read the file: ${errorMessage(item.err)}` });
  }
  return { sources, errors };
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? 'ERROR';
}
