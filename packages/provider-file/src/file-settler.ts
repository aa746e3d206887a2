import type { DynamicConfiguration } from '@wharf/core';
import type { SourceFile } from './build-configuration.js';
import type { FileIssue } from './file-issue.js';
import { parseConfigurationFile } from './parse-file.js';

/** Why a file's last good content stands in for what was read. */
export type HoldReason = 'empty' | 'incomplete' | 'missing';

/** A file whose last good content is used while it settles. */
export interface HeldFile {
  readonly file: string;
  readonly reason: HoldReason;
  /** True when this file's window (for this reason) starts: log it then, not at every reload. */
  readonly first: boolean;
}

/** What was read from the target, as `readSources` returns it. */
export interface TargetRead {
  readonly sources: readonly SourceFile[];
  readonly errors: readonly FileIssue[];
}

/** The files to build from: what was read, with held files replaced by their last good content. */
export interface SettledRead extends TargetRead {
  readonly held: readonly HeldFile[];
  /**
   * True when a held file has no last good content (a file being created in place): building now
   * would publish the configuration without it, so nothing should be published until `recheckAt`.
   */
  readonly incomplete: boolean;
  /** When (epoch ms) a held file's window ends and the target must be read again; absent when nothing is held. */
  readonly recheckAt?: number;
}

interface Pending {
  readonly reason: HoldReason;
  readonly since: number;
}

/**
 * Keeps each file's last good content, and uses it in place of a file that has just turned empty,
 * unparsable or missing, until that state has lasted `settleMs`. A generator writing in place
 * (`gen > dynamic.yml`) truncates the file and writes it in several calls: the provider may read
 * it empty or cut in the middle, and applying that would drop every route of the file for the
 * length of the write. Traefik has no such window; it applies whatever it reads.
 *
 * Changes of content within one state (a write going on, an editor saving twice) do not restart
 * the window, so an unparsable file is reported `settleMs` after it broke; a change of state
 * (unparsable, then empty: rewritten in place again) does. When the window ends, the state is
 * applied as it is: an empty file defines nothing, a file removed from a directory is gone, and
 * an unparsable file (or a single file missing) is an error, which keeps the provider's previous
 * configuration. A file that is unparsable when first seen (a new file being written in place)
 * has no content to stand in: the result says it is `incomplete`, and nothing is published until
 * its window ends. Pure apart from parsing; `now` is passed in.
 */
export class FileSettler {
  private readonly lastGood = new Map<string, SourceFile>();
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly settleMs: number) {}

  settle(read: TargetRead, now: number): SettledRead {
    const sources: SourceFile[] = [];
    const held: HeldFile[] = [];
    const heldPaths = new Set<string>();
    let incomplete = false;
    let recheckAt: number | undefined;
    const hold = (file: string, reason: HoldReason): boolean => {
      const previous = this.pending.get(file);
      const since = previous?.reason === reason ? previous.since : now;
      this.pending.set(file, { reason, since });
      if (now - since >= this.settleMs) return false;
      held.push({ file, reason, first: previous?.reason !== reason });
      heldPaths.add(file);
      const good = this.lastGood.get(file);
      if (good) sources.push(good);
      else incomplete = true;
      recheckAt = Math.min(recheckAt ?? Number.POSITIVE_INFINITY, since + this.settleMs);
      return true;
    };

    const seen = new Set<string>();
    for (const source of read.sources) {
      seen.add(source.path);
      const state = stateOf(source);
      if (state === 'good') {
        this.lastGood.set(source.path, source);
        this.pending.delete(source.path);
        sources.push(source);
      } else if (state === 'empty' && !this.lastGood.has(source.path)) {
        this.pending.delete(source.path);
        sources.push(source);
      } else if (!hold(source.path, state)) {
        if (state === 'empty') this.forget(source.path);
        sources.push(source);
      }
    }
    for (const path of this.lastGood.keys()) {
      if (seen.has(path)) continue;
      // A single file that is missing or unreadable comes with a read error; a file removed from a
      // directory simply is no longer listed.
      const readErrors = read.errors.filter((e) => e.file === path);
      if (hold(path, 'missing')) continue;
      if (readErrors.length === 0) this.forget(path);
    }
    for (const path of this.pending.keys()) if (!seen.has(path) && !this.lastGood.has(path)) this.pending.delete(path);

    const errors = read.errors.filter((e) => !heldPaths.has(e.file));
    return recheckAt === undefined ? { sources, errors, held, incomplete } : { sources, errors, held, incomplete, recheckAt };
  }

  private forget(path: string): void {
    this.lastGood.delete(path);
    this.pending.delete(path);
  }
}

function stateOf(source: SourceFile): 'good' | 'empty' | 'incomplete' {
  const parsed = parseConfigurationFile(source.path, source.text, source.format);
  if (parsed.errors.length > 0) return 'incomplete';
  return definesNothing(parsed.configuration) ? 'empty' : 'good';
}

/**
 * True for a blank file, and also for one cut after a comment or a bare `http:`: what a write in
 * progress looks like, and what must not replace a file that defined routes.
 */
function definesNothing(configuration: DynamicConfiguration): boolean {
  return Object.values(configuration as Record<string, unknown>).every(
    (section) =>
      section === undefined ||
      section === null ||
      Object.values(section as Record<string, unknown>).every((value) => value === undefined || value === null || Object.keys(value as object).length === 0),
  );
}

