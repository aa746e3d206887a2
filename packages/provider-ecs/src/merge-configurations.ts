/**
 * Merges per-container configurations as Traefik does (spec/ecs-provider.md §7): services with
 * equal settings union their servers (deduplicated by URL or address); every other element must
 * be identical everywhere it is declared. A conflicting element is removed, not "first wins".
 */
import { canonicalJson, type DynamicConfiguration } from '@wharf/core';

/** The merged configuration and one message per removed element. */
export interface MergeResult {
  readonly configuration: DynamicConfiguration;
  readonly conflicts: string[];
}

type Element = Record<string, unknown>;
type Sections = Map<string, Map<string, Element[]>>;

const SERVICE_SECTIONS = new Set(['http.services', 'tcp.services', 'udp.services']);

/** Merges `parts` in the order given (the caller sorts them by `<serviceName>-<id>`). */
export function mergeConfigurations(parts: readonly DynamicConfiguration[]): MergeResult {
  const sections: Sections = new Map();
  for (const part of parts) {
    for (const [root, value] of Object.entries(part)) {
      for (const [sectionName, elements] of Object.entries((value ?? {}) as Record<string, Record<string, Element>>)) {
        const path = `${root}.${sectionName}`;
        let section = sections.get(path);
        if (!section) sections.set(path, (section = new Map()));
        for (const [name, element] of Object.entries(elements ?? {})) {
          const list = section.get(name);
          if (list) list.push(element);
          else section.set(name, [element]);
        }
      }
    }
  }
  const configuration: Record<string, Record<string, Record<string, Element>>> = {};
  const conflicts: string[] = [];
  for (const [path, section] of sections) {
    const [root, sectionName] = path.split('.') as [string, string];
    const out: Record<string, Element> = {};
    for (const [name, elements] of section) {
      const merged = SERVICE_SECTIONS.has(path) ? mergeService(elements) : mergeIdentical(elements);
      if (merged) out[name] = merged;
      else conflicts.push(`${path.replace(/s$/, '').replace('.', ' ')} ${name} is defined multiple times with different configurations; removed`);
    }
    (configuration[root] ??= {})[sectionName] = out;
  }
  return { configuration: configuration as DynamicConfiguration, conflicts };
}

function mergeIdentical(elements: Element[]): Element | undefined {
  const first = canonicalJson(elements[0]);
  return elements.every((e) => canonicalJson(e) === first) ? elements[0] : undefined;
}

function mergeService(elements: Element[]): Element | undefined {
  const settings = (element: Element): string => {
    const lb = element.loadBalancer as Element | undefined;
    return canonicalJson(lb ? { ...element, loadBalancer: { ...lb, servers: undefined } } : element);
  };
  const first = settings(elements[0]!);
  if (!elements.every((e) => settings(e) === first)) return undefined;
  const base = elements[0]!;
  if (!base.loadBalancer) return base;
  const servers: Element[] = [];
  const seen = new Set<string>();
  for (const element of elements) {
    for (const server of ((element.loadBalancer as Element).servers ?? []) as Element[]) {
      const key = String(server.url ?? server.address);
      if (seen.has(key)) continue;
      seen.add(key);
      servers.push(server);
    }
  }
  return { ...base, loadBalancer: { ...(base.loadBalancer as Element), servers } };
}
