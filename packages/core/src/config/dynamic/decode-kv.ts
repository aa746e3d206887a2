/**
 * Traefik's key-value layout (Consul, etcd, Redis, ZooKeeper providers) → dynamic configuration.
 *
 * Each key is a path under a root key and each value is text:
 *
 * ```
 * traefik/http/routers/my-router/rule                           Host(`example.com`)
 * traefik/http/routers/my-router/entrypoints/0                  web
 * traefik/http/routers/my-router/priority                       42
 * traefik/http/services/my-service/loadbalancer/servers/0/url   http://127.0.0.1:8080
 * traefik/http/middlewares/hdr/headers/customrequestheaders/X-A  yes
 * ```
 *
 * The keys become a tree of objects with text leaves, which the one dynamic-configuration
 * decoder reads by each field's type, as Traefik does: field names are case-insensitive, `"42"` is
 * an integer where an integer is expected, numbered children (`entrypoints/0`, `/1`) are a list,
 * `tls` = `true` switches on an empty struct.
 *
 * A KV provider normally emits {@link keyValuesToTree}'s tree as is: the kernel decodes every
 * snapshot where it enters, and a bad key disables only its element. {@link decodeKeyValues}
 * decodes on the spot, for checks and tests.
 *
 * @see spec/traefik-model.md §e, §f
 */
import { decodeDynamicConfiguration, isPlainObject } from './decode.js';
import type { DynamicConfiguration } from './types.js';

/** Options of the KV decoders. */
export interface KeyValueOptions {
  /** The root key; default `traefik` (Traefik's `providers.<kv>.rootKey`). Leading and trailing `/` are ignored. */
  rootKey?: string;
}

/** Pairs as a store lists them: an object, a Map or any iterable of `[key, value]`. */
export type KeyValuePairs = Readonly<Record<string, string>> | Iterable<readonly [string, string]>;

/** {@link keyValuesToTree}'s result: the tree, and the keys that cannot be placed in it. */
export interface KeyValueTree {
  /** Plain objects with string leaves, rooted at the configuration (`{ http: { routers: … } }`). */
  configuration: Record<string, unknown>;
  /** One message per key that conflicts with another (a value where another key needs a node) or is malformed. */
  errors: string[];
}

/** {@link decodeKeyValues}'s result. Each error names the key (`traefik/http/routers/r/priority: …`). */
export interface KeyValueDecodeResult {
  configuration: DynamicConfiguration;
  errors: string[];
  warnings: string[];
}

interface Node {
  /** The key segment as written. */
  readonly segment: string;
  /** The whole key that set this leaf, or the first key that went through this node. */
  readonly key: string;
  value?: string;
  children?: Map<string, Node>;
}

/**
 * Builds the configuration tree from KV pairs. Keys outside `rootKey` are ignored; so is the root
 * key itself and any key with an empty value that has children (stores such as Consul keep
 * "folder" keys).
 *
 * @example
 * keyValuesToTree({ 'traefik/http/routers/r/rule': 'Path(`/`)', 'traefik/http/routers/r/entrypoints/0': 'web' })
 * // { configuration: { http: { routers: { r: { rule: 'Path(`/`)', entrypoints: { 0: 'web' } } } } }, errors: [] }
 */
export function keyValuesToTree(pairs: KeyValuePairs, options: KeyValueOptions = {}): KeyValueTree {
  const root = normaliseRoot(options.rootKey);
  const top: Node = { segment: root, key: root, children: new Map() };
  const errors: string[] = [];
  const sorted = [...entriesOf(pairs)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [rawKey, value] of sorted) {
    const key = rawKey.replace(/^\/+/, '').replace(/\/+$/, '');
    if (key !== root && !key.startsWith(`${root}/`)) continue;
    const segments = key === root ? [] : key.slice(root.length + 1).split('/');
    if (segments.length === 0) continue;
    if (segments.some((segment) => segment === '')) {
      errors.push(`${rawKey}: empty path segment (two "/" in a row)`);
      continue;
    }
    if (typeof value !== 'string') {
      errors.push(`${rawKey}: expected a text value, got ${typeof value}`);
      continue;
    }
    place(top, segments, key, value, errors);
  }
  return { configuration: toPlain(top) as Record<string, unknown>, errors };
}

/**
 * Decodes KV pairs into a dynamic configuration with the one decoder. Errors name the key as
 * written in the store.
 *
 * @example
 * const { configuration, errors } = decodeKeyValues(await store.list('traefik/'), { rootKey: 'traefik' });
 */
export function decodeKeyValues(pairs: KeyValuePairs, options: KeyValueOptions = {}): KeyValueDecodeResult {
  const root = normaliseRoot(options.rootKey);
  const tree = keyValuesToTree(pairs, options);
  const decoded = decodeDynamicConfiguration(tree.configuration);
  const keyOf = (path: readonly string[]): string => [root, ...originalSegments(tree.configuration, path)].join('/');
  return {
    configuration: decoded.configuration,
    errors: [...tree.errors, ...decoded.errors.map((issue) => `${keyOf(issue.path)}: ${issue.message}`)],
    warnings: decoded.warnings.map((issue) => `${keyOf(issue.path)}: ${issue.message}`),
  };
}

function normaliseRoot(rootKey: string | undefined): string {
  const root = (rootKey ?? 'traefik').replace(/^\/+/, '').replace(/\/+$/, '');
  if (root === '') throw new TypeError('rootKey must not be empty');
  return root;
}

function* entriesOf(pairs: KeyValuePairs): Iterable<readonly [string, string]> {
  if (Symbol.iterator in pairs) yield* pairs as Iterable<readonly [string, string]>;
  else yield* Object.entries(pairs);
}

function place(top: Node, segments: string[], key: string, value: string, errors: string[]): void {
  let node = top;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    node.children ??= new Map();
    let child = node.children.get(segment);
    if (child === undefined) {
      child = { segment, key };
      node.children.set(segment, child);
    }
    if (last) {
      if (child.children !== undefined && child.children.size > 0) {
        // A "folder" key (empty value) beside its children is how some stores list; anything else conflicts.
        if (value !== '') errors.push(`${key}: has a value and also keys below it (${child.key}); the value is ignored`);
        return;
      }
      child.value = value;
      return;
    }
    if (child.value !== undefined && child.value !== '') {
      errors.push(`${key}: ${child.key} has a value, so no key can go below it; this key is ignored`);
      return;
    }
    delete child.value;
    node = child;
  }
}

function toPlain(node: Node): unknown {
  if (node.children === undefined || node.children.size === 0) return node.value ?? '';
  const out: Record<string, unknown> = {};
  for (const [segment, child] of node.children) out[segment] = toPlain(child);
  return out;
}

/** The segments of `path` (canonical field names) as the store wrote them, matched case-insensitively. */
function originalSegments(tree: Record<string, unknown>, path: readonly string[]): string[] {
  const out: string[] = [];
  let node: unknown = tree;
  for (const segment of path) {
    if (!isPlainObject(node)) {
      out.push(segment);
      continue;
    }
    const written = segment in node ? segment : Object.keys(node).find((key) => key.toLowerCase() === segment.toLowerCase());
    out.push(written ?? segment);
    node = written === undefined ? undefined : node[written];
  }
  return out;
}
