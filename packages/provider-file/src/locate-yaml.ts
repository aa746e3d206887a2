import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { KeyLocation, Position } from './source-position.js';

/**
 * Positions of every key and list item of a parsed YAML document, from the node ranges `yaml`
 * keeps. Keys brought in by merge keys (`<<: *defaults`) and aliases are not listed; issues
 * there point at the enclosing key.
 */
export function locateYamlKeys(document: Document, at: (offset: number) => Position): KeyLocation[] {
  const locations: KeyLocation[] = [];
  const visit = (node: unknown, path: string[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (key === '<<') continue;
        const keyPath = [...path, key];
        const range = pair.key.range;
        if (range) locations.push({ path: keyPath, ...at(range[0]) });
        visit(pair.value, keyPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const itemPath = [...path, String(index)];
        const range = (item as Node | null)?.range;
        if (range) locations.push({ path: itemPath, ...at(range[0]) });
        visit(item, itemPath);
      });
    }
  };
  visit(document.contents, []);
  return locations;
}
