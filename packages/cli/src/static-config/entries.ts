import { errorMessage } from '@wharf/core';
import { BARE, coerceValue, isListProperty, parseBoolean } from './coerce.js';
import { invalidValue, RANK, type Assignment, type LoadReport, type Origin } from './origin.js';
import { isPlainObject, isSwitchable, type SchemaNode, type SectionNode } from './schema-tree.js';

/** Marks a provider section given without options (`--providers.file`). */
export const PRESENT = Symbol('present');

/** One merged value, with the source that won. */
export interface Entry {
  readonly path: readonly string[];
  readonly value: unknown;
  readonly origin: Origin;
}

/** Merged values keyed by {@link keyOf} their canonical path. */
export type Entries = Map<string, Entry>;

export const keyOf = (path: readonly string[]): string => JSON.stringify(path);

/** Names that would reach Object.prototype when the merged values are turned into objects. */
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

type Change =
  | { readonly kind: 'set'; readonly entry: Entry; readonly list: boolean }
  | { readonly kind: 'remove'; readonly path: readonly string[] };

function isEmpty(raw: unknown): boolean {
  return raw === BARE || (isPlainObject(raw) && Object.keys(raw).length === 0);
}

function coerce(assignment: Assignment, path: readonly string[], run: () => unknown): unknown {
  try {
    return run();
  } catch (err) {
    throw invalidValue(path, assignment.origin, errorMessage(err), err);
  }
}

/** What one assignment does to the merged configuration, its value coerced by the schema. */
function changesOf(assignment: Assignment): Change[] {
  const { target, raw, origin } = assignment;
  const { path, node, rest } = target;
  const set = (p: readonly string[], value: unknown, list = false): Change => ({ kind: 'set', entry: { path: p, value, origin }, list });
  switch (node.kind) {
    case 'open':
      return [set(path, raw)];
    case 'leaf': {
      if (!node.objectValued) return [set(path, coerce(assignment, path, () => coerceValue(node.spec, raw)), isListProperty(node.spec))];
      if (rest.length === 0 && isEmpty(raw) && (raw !== BARE || origin.kind === 'file')) return [];
      const object = rest.length > 0 ? { [rest[0]]: raw } : raw;
      const value = coerce(assignment, path, () => coerceValue(node.spec, object)) as Record<string, unknown>;
      return Object.entries(value).map(([key, v]) => set([...path, key], v));
    }
    case 'section': {
      if (isSwitchable(node) || node.presence === true) {
        const on = isEmpty(raw) ? true : parseBoolean(raw);
        if (on === undefined) throw invalidValue(path, origin, 'is a section: give true, false or one of its options');
        if (node.presence === true) return [on ? set(path, PRESENT) : { kind: 'remove', path }];
        return [set([...path, 'enabled'], on)];
      }
      return sectionWithoutValue(assignment);
    }
    case 'map':
      return sectionWithoutValue(assignment);
  }
}

function sectionWithoutValue({ target, raw, origin }: Assignment): Change[] {
  // `log:` or `entryPoints: {}` in a file is an empty section, harmless; so is a bare `--log` or
  // `--entryPoints.web.http`, which Traefik's reference lists as options of their own.
  if (origin.kind === 'file' && isEmpty(raw)) return [];
  if (raw === BARE || parseBoolean(raw) === true) return [];
  throw invalidValue(target.path, origin, 'is a section, not an option: set one of its options');
}

/**
 * Merges assignments, later sources winning (defaults < file < environment < flags). Within the
 * flags, a list option given twice adds up (`--x=a --x=b` is `[a, b]`); anything else given twice
 * keeps the last. With a `report`, a bad value is recorded there and the others still merge.
 */
export function mergeAssignments(assignments: readonly Assignment[], report?: LoadReport): Entries {
  const entries: Entries = new Map();
  const ordered = [...assignments].sort((a, b) => RANK[a.origin.kind] - RANK[b.origin.kind]);
  for (const assignment of ordered) {
    const changes = report ? report.attempt(() => checkedChanges(assignment)) ?? [] : checkedChanges(assignment);
    for (const change of changes) {
      if (change.kind === 'remove') {
        const prefix = keyOf(change.path).slice(0, -1);
        for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
        continue;
      }
      const { entry } = change;
      const key = keyOf(entry.path);
      const before = entries.get(key);
      const repeatedFlag = change.list && before?.origin.kind === 'flag' && entry.origin.kind === 'flag';
      const value = repeatedFlag ? [...(before.value as unknown[]), ...(entry.value as unknown[])] : entry.value;
      entries.set(key, { ...entry, value });
    }
  }
  return entries;
}

function checkedChanges(assignment: Assignment): Change[] {
  const forbidden = assignment.target.path.concat(assignment.target.rest).find((name) => FORBIDDEN_NAMES.has(name));
  if (forbidden !== undefined) throw invalidValue(assignment.target.path, assignment.origin, `${forbidden} cannot be used as a name`);
  return changesOf(assignment);
}

/** The schema node at a canonical path, and every section on the way. */
export function walkPath(root: SectionNode, path: readonly string[]): { node: SchemaNode | undefined; sections: Array<{ path: readonly string[]; node: SectionNode }> } {
  let node: SchemaNode | undefined = root;
  const sections: Array<{ path: readonly string[]; node: SectionNode }> = [];
  for (let i = 0; i < path.length && node; i++) {
    if (node.kind === 'section') sections.push({ path: path.slice(0, i), node });
    if (node.kind === 'section') node = node.children.get(path[i].toLowerCase())?.node ?? node.dynamic?.(path[i])?.node;
    else if (node.kind === 'map') node = node.value(path[i]);
    else node = undefined;
  }
  return { node, sections };
}

/**
 * `api`, `ping`, `metrics.prometheus`, `accessLog` are on once any of their options is given,
 * as in Traefik, unless `enabled` itself was given.
 */
export function enableSwitchedSections(entries: Entries, root: SectionNode): void {
  for (const entry of [...entries.values()]) {
    for (const { path, node } of walkPath(root, entry.path).sections) {
      const enabledPath = [...path, 'enabled'];
      if (path.length > 0 && isSwitchable(node) && !entries.has(keyOf(enabledPath))) {
        entries.set(keyOf(enabledPath), { path: enabledPath, value: true, origin: entry.origin });
      }
    }
  }
}

/** The merged value at `path`, else the schema default, coerced. */
export function effectiveValue(entries: Entries, root: SectionNode, path: readonly string[]): unknown {
  const entry = entries.get(keyOf(path));
  if (entry) return entry.value;
  const { node } = walkPath(root, path);
  return node?.kind === 'leaf' ? coerceValue(node.spec, node.spec.default) : undefined;
}
