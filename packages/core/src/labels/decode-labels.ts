/**
 * Labels → dynamic configuration, as Traefik decodes `traefik.*` labels (ECS, Docker, Consul
 * Catalog, Nomad). Any error means the caller drops the whole label set, as Traefik does.
 * @see spec/traefik-model.md §e
 */
import { DYNAMIC_CONFIGURATION, findField, structDefaults } from '../config/dynamic/schema.js';
import type { FieldSchema, StructSchema } from '../config/dynamic/schema.js';
import type { DynamicConfiguration } from '../config/dynamic/types.js';
import { buildLabelTree, quoteLabel, segmentIndex } from './label-tree.js';
import type { LabelNode } from './label-tree.js';
import { parseLabelBool, parseLabelDuration, parseLabelFloat, parseLabelInt, splitLabelList } from './values.js';
import type { ParsedValue } from './values.js';

/** Options of {@link decodeLabels}. */
export interface LabelDecodeOptions {
  /** The label prefix; default `traefik`. */
  prefix?: string;
}

/**
 * The decoded configuration and the label errors. When `errors` is not empty the caller must
 * drop the whole label set (Traefik skips the container or task).
 *
 * Load-balancer servers written with `…loadbalancer.server.*` come out as a one-element
 * `servers` list of {@link LabelServer} objects: `url` is usually absent and `port`/`scheme`
 * are left for the provider to resolve against the task's address. `tcp`/`udp` labels are
 * decoded too; Wharf does not serve them yet, so callers should warn when they are present.
 */
export interface LabelDecodeResult {
  configuration: DynamicConfiguration;
  errors: string[];
}

/**
 * Decodes the dynamic-configuration labels (`<prefix>.http.*`, `.tcp.*`, `.udp.*`,
 * `.tls.stores.default.*`). Other labels (`traefik.enable`, `traefik.docker.network`) are ignored.
 *
 * @example
 * decodeLabels({ 'traefik.http.routers.api.rule': 'Host(`a.example`)' })
 * // { configuration: { http: { routers: { api: { rule: 'Host(`a.example`)' } } } }, errors: [] }
 */
export function decodeLabels(labels: Record<string, string>, options: LabelDecodeOptions = {}): LabelDecodeResult {
  const prefix = options.prefix ?? 'traefik';
  const tree = buildLabelTree(labels, prefix);
  const decoder = new LabelDecoder(labels, tree.errors);
  const configuration = tree.root.children.size === 0 ? {} : decoder.struct(DYNAMIC_CONFIGURATION, tree.root);
  return { configuration: configuration as DynamicConfiguration, errors: decoder.errors };
}

class LabelDecoder {
  constructor(
    private readonly labels: Record<string, string>,
    readonly errors: string[],
  ) {}

  /** Records an error naming the label that set this node, or else the first label under it. */
  private fail(node: LabelNode, reason: string): undefined {
    const key = node.key ?? node.firstKey;
    this.errors.push(`${quoteLabel(key, this.labels[key])}: ${reason}`);
    return undefined;
  }

  struct(schema: StructSchema, node: LabelNode): Record<string, unknown> {
    const out = structDefaults(schema);
    const present: string[] = [];
    for (const child of node.children.values()) {
      const resolved = this.resolve(schema, child.name);
      if (resolved === undefined) {
        if (schema.openFields) {
          const value = this.freeform(child);
          if (value !== undefined) out[child.name] = value;
          present.push(child.name);
        } else this.fail(child, `field not found, node: ${child.name}`);
        continue;
      }
      const value = resolved.singular ? this.singular(resolved.field, child) : this.field(resolved.field, child);
      if (value !== undefined) {
        out[resolved.name] = value;
        present.push(resolved.name);
      }
    }
    if (schema.exclusive !== undefined) {
      const exclusive = new Set(schema.exclusive);
      const chosen = present.filter((name) => exclusive.has(name) || !(name in schema.fields));
      if (chosen.length > 1) this.fail(node, `only one ${schema.exclusiveWhat ?? 'kind'} is allowed, got ${chosen.join(', ')}`);
    }
    return out;
  }

  private resolve(schema: StructSchema, name: string): { name: string; field: FieldSchema; singular: boolean } | undefined {
    const found = findField(schema, name);
    if (found !== undefined && !found.field.noLabel && found.field.labelSingular === undefined) {
      return { ...found, singular: false };
    }
    for (const [canonical, field] of Object.entries(schema.fields)) {
      if (field.labelSingular?.toLowerCase() === name.toLowerCase()) return { name: canonical, field, singular: true };
    }
    return undefined;
  }

  private singular(field: FieldSchema, node: LabelNode): unknown[] | undefined {
    const element = this.structField({ kind: 'struct', struct: field.struct }, node);
    return element === undefined ? undefined : [element];
  }

  private field(field: FieldSchema, node: LabelNode): unknown {
    switch (field.kind) {
      case 'string':
        return this.leaf(node, (text) => ({ ok: true, value: text }));
      case 'int':
        return this.leaf(node, parseLabelInt);
      case 'float':
        return this.leaf(node, parseLabelFloat);
      case 'bool':
        return this.leaf(node, parseLabelBool);
      case 'duration':
        return this.leaf(node, parseLabelDuration);
      case 'stringList':
        return this.leaf(node, (text) => ({ ok: true, value: splitLabelList(text) }));
      case 'intList':
        return this.leaf(node, (text) => allParsed(splitLabelList(text).map(parseLabelInt)));
      case 'stringMap':
        return this.map(node, (text) => ({ ok: true, value: text }));
      case 'intMap':
        return this.map(node, parseLabelInt);
      case 'struct':
        return this.structField(field, node);
      case 'structList':
        return this.indexed(field.struct!, node);
      case 'structMap':
        return this.elements(field.struct!, node);
      case 'freeform':
        return this.freeform(node);
    }
  }

  private leaf<T>(node: LabelNode, parse: (text: string) => ParsedValue<T>): T | undefined {
    const [extra] = node.children.values();
    if (extra !== undefined) return this.fail(extra, `field not found, node: ${extra.name}`);
    const parsed = parse(node.value ?? '');
    return parsed.ok ? parsed.value : this.fail(node, parsed.reason);
  }

  private standalone(node: LabelNode): boolean {
    if (node.value === undefined || node.value === '') return false;
    this.fail(node, `${node.name} cannot be a standalone element`);
    return true;
  }

  private map<T>(node: LabelNode, parse: (text: string) => ParsedValue<T>): Record<string, T> | undefined {
    if (this.standalone(node)) return undefined;
    const out: Record<string, T> = {};
    for (const child of node.children.values()) {
      const value = this.leaf(child, parse);
      if (value !== undefined) out[child.name] = value;
    }
    return out;
  }

  private structField(field: FieldSchema, node: LabelNode): Record<string, unknown> | undefined {
    if (node.value !== undefined && node.value !== '') {
      // Traefik's allowEmpty: `true` switches the struct on; any other value switches it off,
      // even when sub-keys are set (`sticky=false` + `sticky.cookie.name=x` → no stickiness).
      if (!field.allowEmpty) return this.fail(node, `${node.name} cannot be a standalone element`);
      if (node.value.toLowerCase() !== 'true') return undefined;
    } else if (node.children.size === 0 && !field.allowEmpty) {
      return this.fail(node, `${node.name} cannot be a standalone element`);
    }
    return this.struct(field.struct!, node);
  }

  private indexed(schema: StructSchema, node: LabelNode): Record<string, unknown>[] | undefined {
    if (this.standalone(node)) return undefined;
    const items: Array<[number, Record<string, unknown>]> = [];
    for (const child of node.children.values()) {
      const index = segmentIndex(child.name);
      if (index === undefined) {
        this.fail(child, `field not found, node: ${child.name} (expected an index such as ${node.name}[0])`);
        continue;
      }
      const element = this.structField({ kind: 'struct', struct: schema }, child);
      if (element !== undefined) items.push([index, element]);
    }
    return items.sort((a, b) => a[0] - b[0]).map(([, element]) => element);
  }

  private elements(schema: StructSchema, node: LabelNode): Record<string, unknown> | undefined {
    if (this.standalone(node)) return undefined;
    const out: Record<string, unknown> = {};
    for (const child of node.children.values()) {
      if (child.name.includes('@')) {
        this.fail(child, `element name "${child.name}" must not contain "@" (it separates the provider name)`);
        continue;
      }
      const element = this.structField({ kind: 'struct', struct: schema }, child);
      if (element !== undefined) out[child.name] = element;
    }
    return out;
  }

  private freeform(node: LabelNode): unknown {
    if (node.children.size === 0) return node.value ?? '';
    if (this.standalone(node)) return undefined;
    const children = [...node.children.values()];
    if (children.every((child) => segmentIndex(child.name) !== undefined)) {
      return children
        .sort((a, b) => segmentIndex(a.name)! - segmentIndex(b.name)!)
        .map((child) => this.freeform(child))
        .filter((value) => value !== undefined);
    }
    const out: Record<string, unknown> = {};
    for (const child of children) {
      const value = this.freeform(child);
      if (value !== undefined) out[child.name] = value;
    }
    return out;
  }
}

function allParsed<T>(results: ParsedValue<T>[]): ParsedValue<T[]> {
  const failed = results.find((result) => !result.ok);
  if (failed !== undefined && !failed.ok) return failed;
  return { ok: true, value: results.map((result) => (result as { value: T }).value) };
}
