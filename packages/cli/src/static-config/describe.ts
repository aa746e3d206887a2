import { REDACTED } from './redact.js';
import { childOf, type SchemaNode } from './schema-tree.js';

/** One line of `wharf --help`. */
export interface OptionDescription {
  /** Dotted option name; user-chosen map keys read `<name>`: `entryPoints.<name>.address`. */
  key: string;
  doc: string;
  default: unknown;
  /** The environment variable that sets it: `WHARF_ENTRYPOINTS_<NAME>_ADDRESS`. */
  env: string;
}

/**
 * Every option of the schema: core options, entry points under a `<name>` placeholder, and the
 * options of the providers this configuration loads.
 */
export function describeSchema(root: SchemaNode, providers: ReadonlyArray<{ name: string; plugin: boolean }>): OptionDescription[] {
  const lines: OptionDescription[] = [];
  const walk = (node: SchemaNode, path: string[]): void => {
    switch (node.kind) {
      case 'leaf': {
        const secret = node.spec.sensitive === true && node.spec.default !== '';
        lines.push({
          key: path.join('.'),
          doc: node.spec.doc,
          default: secret ? REDACTED : node.spec.default,
          env: `WHARF_${path.map((p) => p.toUpperCase()).join('_')}`,
        });
        return;
      }
      case 'section':
        for (const child of node.children.values()) walk(child.node, [...path, child.name]);
        if (node.dynamic) {
          for (const { name } of providers.filter((p) => !p.plugin)) {
            const child = childOf(node, name);
            if (child) walk(child.node, [...path, child.name]);
          }
        }
        return;
      case 'map': {
        const named = path.join('.') === 'providers.plugins' ? providers.filter((p) => p.plugin).map((p) => p.name) : [];
        for (const key of [node.placeholder, ...named]) walk(node.value(key), [...path, key]);
        return;
      }
      case 'open':
        return;
    }
  };
  walk(root, []);
  return lines;
}
