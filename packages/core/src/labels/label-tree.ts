/**
 * Turns flat labels (`traefik.http.routers.api.rule=…`) into a tree of nodes, the way Traefik's
 * paerser does: segments split on `.`, `name[0]` becomes `name` then `[0]`, and segments that
 * differ only by case share one node whose spelling is the first in byte-sorted key order.
 * @see spec/traefik-model.md §e.2
 */

/** One segment of a label key. `value` is set when a label ends here. */
export interface LabelNode {
  /** The segment as first spelled (byte-sorted key order). */
  readonly name: string;
  /** The label that set `value`. */
  key?: string;
  value?: string;
  /** The first label (byte order) under this node, for messages about the node itself. */
  readonly firstKey: string;
  /** Children by lower-cased name. */
  readonly children: Map<string, LabelNode>;
}

/** The tree, or the messages of labels whose key is malformed. */
export interface LabelTree {
  root: LabelNode;
  errors: string[];
}

const SECTIONS = new Set(['http', 'tcp', 'udp']);
const INDEXED = /^(.+)\[(\d+)\]$/;

/** `label "key=value"`: how every message names a label. */
export function quoteLabel(key: string, value: string | undefined): string {
  return `label "${key}=${value ?? ''}"`;
}

/** True when a key (after the prefix check) is one the dynamic-configuration decoder reads. */
export function isDynamicKey(key: string, prefix: string): boolean {
  const segments = key.split('.');
  if (segments.length < 2 || segments[0].toLowerCase() !== prefix.toLowerCase()) return false;
  if (SECTIONS.has(segments[1].toLowerCase())) return true;
  return segments.slice(1, 4).join('.').toLowerCase() === 'tls.stores.default';
}

/** Builds the tree of the dynamic-configuration labels under `prefix` (other labels are skipped). */
export function buildLabelTree(labels: Record<string, string>, prefix: string): LabelTree {
  const errors: string[] = [];
  const keys = Object.keys(labels)
    .filter((key) => isDynamicKey(key, prefix))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const root: LabelNode = { name: prefix, firstKey: keys[0] ?? prefix, children: new Map() };
  for (const key of keys) {
    const value = labels[key];
    const [first, ...rest] = key.split('.');
    if (first !== prefix) {
      errors.push(`${quoteLabel(key, value)}: the prefix must be written exactly "${prefix}"`);
      continue;
    }
    const segments = splitSegments(rest);
    if (segments === undefined) {
      errors.push(`${quoteLabel(key, value)}: empty segment in the key`);
      continue;
    }
    let node = root;
    for (const segment of segments) node = child(node, segment, key);
    // Keys that differ only by case land on one node: the first (byte order) keeps it.
    if (node.value === undefined) {
      node.value = value;
      node.key = key;
    }
  }
  return { root, errors };
}

function splitSegments(raw: string[]): string[] | undefined {
  const segments: string[] = [];
  for (const segment of raw) {
    if (segment === '') return undefined;
    const indexed = INDEXED.exec(segment);
    if (indexed === null) segments.push(segment);
    else segments.push(indexed[1], `[${Number.parseInt(indexed[2], 10)}]`);
  }
  return segments;
}

function child(parent: LabelNode, name: string, key: string): LabelNode {
  const id = name.toLowerCase();
  let node = parent.children.get(id);
  if (node === undefined) {
    node = { name, firstKey: key, children: new Map() };
    parent.children.set(id, node);
  }
  return node;
}

/** The index of an `[n]` segment, or undefined for a named one. */
export function segmentIndex(name: string): number | undefined {
  const match = /^\[(\d+)\]$/.exec(name);
  return match === null ? undefined : Number.parseInt(match[1], 10);
}
