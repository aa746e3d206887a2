import { closest } from './did-you-mean.js';
import { childOf, isSwitchable, type Child, type SchemaNode, type SectionNode } from './schema-tree.js';

/** Where a name lands in the schema: `path` in canonical spelling, `rest` = keys inside a map-valued leaf. */
export interface Target {
  readonly path: readonly string[];
  readonly node: SchemaNode;
  readonly rest: readonly string[];
}

export type Resolution =
  | { readonly ok: true; readonly target: Target }
  | { readonly ok: false; readonly path: readonly string[]; readonly reason: 'unknown' | 'not-a-section'; readonly suggestion?: readonly string[] };

/** Map keys already written in other sources, so `WHARF_ENTRYPOINTS_WEB_…` reuses a file's `web`. */
export type KnownMapKeys = (mapPath: readonly string[]) => Iterable<string>;

/** A dynamic name (a provider) this close to a fixed one is a typo, not a new provider. */
function fixedSuggestion(section: SectionNode, name: string): string | undefined {
  return closest(name, [...section.children.values()].map((c) => c.name));
}

/**
 * Resolves dotted names (flags, file keys) against the schema: option names without case,
 * map keys as written.
 */
export function resolveSegments(root: SectionNode, segments: readonly string[]): Resolution {
  let node: SchemaNode = root;
  const path: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (node.kind === 'open') return { ok: true, target: { path: [...path, ...segments.slice(i)], node, rest: [] } };
    if (node.kind === 'leaf') {
      if (node.objectValued) return { ok: true, target: { path, node, rest: [segments.slice(i).join('.')] } };
      return { ok: false, path: [...path, ...segments.slice(i)], reason: 'not-a-section' };
    }
    if (node.kind === 'map') {
      if (segment === '') return { ok: false, path: [...path, ...segments.slice(i)], reason: 'unknown' };
      path.push(segment);
      node = node.value(segment);
      continue;
    }
    const fixed: Child | undefined = node.children.get(segment.toLowerCase());
    const suggestion: string | undefined = fixed ? undefined : fixedSuggestion(node, segment);
    const child: Child | undefined = fixed ?? (suggestion === undefined && segment !== '' ? node.dynamic?.(segment) : undefined);
    if (!child) {
      const suggested = suggestion === undefined ? undefined : [...path, suggestion, ...segments.slice(i + 1)];
      // Only an option that exists: `http2.maxConcurrentStreams` is not a typo of `http.maxConcurrentStreams`.
      const exists = suggested !== undefined && resolveSegments(root, suggested).ok;
      return { ok: false, path: [...path, ...segments.slice(i)], reason: 'unknown', suggestion: exists ? suggested : undefined };
    }
    path.push(child.name);
    node = child.node;
  }
  return { ok: true, target: { path, node, rest: [] } };
}

interface EnvSearch {
  readonly tokens: readonly string[];
  readonly known: KnownMapKeys;
  /** Typos still allowed on this branch: 0 for the real lookup, 1 to find a suggestion. */
  readonly typos: number;
}

/**
 * Resolves the words of an environment variable (`ENTRYPOINTS_WEB_ADDRESS`) against the schema.
 * Underscores separate names but may also sit inside one (an entry point `my_web`, an option
 * `secret_key`), so this tries every split and keeps the first that reaches a known option;
 * camelCase names match their words run together (`PROVIDERSTHROTTLEDURATION`) or split by
 * underscores (`PROVIDERS_THROTTLE_DURATION`). Map keys already written in the file or flags are
 * reused with their case; new ones are lower-cased, as Traefik does.
 */
export function resolveEnvTokens(root: SectionNode, tokens: readonly string[], known: KnownMapKeys): Resolution {
  const exact = searchEnv(root, 0, [], { tokens, known, typos: 0 });
  if (exact) return { ok: true, target: exact.target };
  const path = tokens.map((t) => t.toLowerCase());
  return { ok: false, path, reason: 'unknown', suggestion: suggestEnv(root, tokens, known) };
}

/** The option a misspelt variable most likely meant (one typo away), if one exists. */
export function suggestEnv(root: SectionNode, tokens: readonly string[], known: KnownMapKeys): readonly string[] | undefined {
  const fuzzy = searchEnv(root, 0, [], { tokens, known, typos: 1 });
  return fuzzy?.strength === 2 ? fuzzy.target.path : undefined;
}

interface Found {
  readonly target: Target;
  /**
   * How good a reading this is: 2 ends at an option, 1 in a subtree whose schema is unknown yet,
   * 0 at a section that can be switched on by itself (`WHARF_API=true`, `WHARF_PROVIDERS_FILE=true`).
   */
  readonly strength: 0 | 1 | 2;
}

/** The first of the strongest readings; attempts run lazily and stop at the first option found. */
function firstOf(attempts: Iterable<() => Found | undefined>): Found | undefined {
  let best: Found | undefined;
  for (const attempt of attempts) {
    const found = attempt();
    if (found?.strength === 2) return found;
    if (found && (!best || found.strength > best.strength)) best = found;
  }
  return best;
}

function ending(node: SchemaNode, path: readonly string[]): Found | undefined {
  if (node.kind === 'leaf') return { target: { path, node, rest: [] }, strength: 2 };
  if (node.kind === 'open') return { target: { path, node, rest: [] }, strength: 1 };
  if (isSwitchable(node) || (node.kind === 'section' && node.presence === true)) return { target: { path, node, rest: [] }, strength: 0 };
  return undefined;
}

function spans(search: EnvSearch, from: number): Array<{ end: number; snake: string; joined: string }> {
  const result: Array<{ end: number; snake: string; joined: string }> = [];
  for (let end = from + 1; end <= search.tokens.length; end++) {
    const words = search.tokens.slice(from, end).map((t) => t.toLowerCase());
    result.push({ end, snake: words.join('_'), joined: words.join('') });
  }
  return result;
}

function searchEnv(node: SchemaNode, from: number, path: readonly string[], search: EnvSearch): Found | undefined {
  const { tokens } = search;
  if (from === tokens.length) return ending(node, path);
  const remaining = tokens.slice(from).join('_').toLowerCase();
  switch (node.kind) {
    case 'open':
      return { target: { path: [...path, remaining], node, rest: [] }, strength: 1 };
    case 'leaf':
      return node.objectValued ? { target: { path, node, rest: [remaining] }, strength: 2 } : undefined;
    case 'map':
      return searchMap(node.value, from, path, search);
    case 'section':
      return searchSection(node, from, path, search);
  }
}

function searchMap(value: (key: string) => SchemaNode, from: number, path: readonly string[], search: EnvSearch): Found | undefined {
  const known = [...search.known(path)];
  return firstOf(spans(search, from).map(({ end, snake }) => () => {
    const key = known.find((k) => k.toLowerCase() === snake) ?? snake;
    return searchEnv(value(key), end, [...path, key], search);
  }));
}

function searchSection(node: SectionNode, from: number, path: readonly string[], search: EnvSearch): Found | undefined {
  const descend = (name: string | undefined, end: number, typos = search.typos) => (): Found | undefined => {
    const child = name === undefined ? undefined : childOf(node, name);
    return child && searchEnv(child.node, end, [...path, child.name], { ...search, typos });
  };
  const all = spans(search, from);
  const fixed = all.map(({ end, snake, joined }) => descend(node.children.has(snake) ? snake : node.children.has(joined) ? joined : undefined, end));
  // A provider name close to a fixed key (`PRECEDANCE`) is a typo, not a provider.
  const dynamic = node.dynamic ? all.map(({ end, snake }) => descend(fixedSuggestion(node, snake) === undefined ? snake : undefined, end)) : [];
  const found = firstOf([...fixed, ...dynamic]);
  if (found || search.typos === 0) return found;
  const names = [...node.children.values()].map((c) => c.name);
  return firstOf(all.map(({ end, joined }) => descend(closest(joined, names), end, search.typos - 1)));
}
