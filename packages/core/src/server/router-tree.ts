import { qualify } from '../runtime/merge.js';
import { addError, type RouterInfo, type RuntimeConfiguration } from '../runtime/runtime-configuration.js';

const UNREACHABLE = 'router is not reachable from any root router (its parents form a cycle or do not exist)';
const DEAD_END = 'router has neither a service nor child routers';
const SERVICE_AND_CHILDREN =
  'router has a service and is also the parent of other routers: a router is either a parent or has a service';

/** `entryPoints`, `tls` and `observability` belong to the root router (Traefik 3.7 docs, multi-layer routing). */
function rootOnlyOption(router: RouterInfo): string | undefined {
  const config = router.config;
  if (config.tls !== undefined) return 'a child router cannot have a tls section: TLS is set on its root router';
  if (config.observability !== undefined) {
    return 'a child router cannot have an observability section: it is set on its root router';
  }
  if (config.entryPoints && config.entryPoints.length > 0) {
    return 'a child router cannot have entryPoints: it serves on the entry points of its root router';
  }
  return undefined;
}

/** The parent/child graph of multi-layer routing, after every structural check. */
export interface RouterTree {
  /** Routers without `parentRefs`: the only ones attached to entry points. */
  readonly roots: readonly string[];
  /** Children of each router (qualified names, sorted), cyclic links removed. */
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Qualified `parentRefs` of a router, `[]` for a root. */
  parentsOf(router: RouterInfo): string[];
}

/**
 * Traefik 3.7's `ParseRouterTree` (`pkg/server/router/router.go`): links every router to the
 * parents named by its `parentRefs` (resolved in the router's provider), walks the graph from the
 * roots depth-first in name order, and records the structural errors on the routers:
 *
 * - a parent that does not exist, and a non-root router with `entryPoints`, `tls` or
 *   `observability` (those belong to the root), disable the child;
 * - a router no root reaches (only cycles above it) is disabled;
 * - a link that closes a cycle is dropped and reported as a warning on the router holding it;
 * - a router with neither a service nor children, or with both, is disabled.
 */
export function parseRouterTree(routers: ReadonlyMap<string, RouterInfo>): RouterTree {
  const parentsOf = (router: RouterInfo): string[] =>
    (router.config.parentRefs ?? []).map((p) => qualify(p, router.provider));
  const children = new Map<string, string[]>([...routers.keys()].map((name) => [name, []]));
  const roots: string[] = [];
  for (const [name, router] of routers) {
    const parents = parentsOf(router);
    if (parents.length === 0) {
      roots.push(name);
      continue;
    }
    for (const parent of parents) {
      const siblings = children.get(parent);
      if (!siblings) addError(router, `parent router "${parent}" does not exist`, true);
      else if (!siblings.includes(name)) siblings.push(name);
    }
    const rootOnly = rootOnlyOption(router);
    if (rootOnly) addError(router, rootOnly, true);
  }
  for (const list of children.values()) list.sort();
  roots.sort();

  const visited = new Set<string>();
  const onPath: string[] = [];
  const walk = (name: string): void => {
    if (visited.has(name)) return;
    visited.add(name);
    onPath.push(name);
    const list = children.get(name)!;
    for (const child of [...list]) {
      const at = onPath.indexOf(child);
      if (at === -1) {
        walk(child);
        continue;
      }
      // The link from `name` back to an ancestor closes the cycle: drop it, as Traefik does.
      const cycle = [...onPath.slice(at), child].join(' -> ');
      const message = `cyclic reference in the router tree: ${cycle}; the link to "${child}" is ignored`;
      addError(routers.get(name)!, message, false);
      list.splice(list.indexOf(child), 1);
    }
    onPath.pop();
  };
  for (const root of roots) walk(root);

  for (const [name, router] of routers) {
    const hasChildren = children.get(name)!.length > 0;
    if (!visited.has(name)) addError(router, UNREACHABLE, true);
    else if (!router.config.service && !hasChildren) addError(router, DEAD_END, true);
    else if (router.config.service && hasChildren) addError(router, SERVICE_AND_CHILDREN, true);
  }
  return { roots, children, parentsOf };
}

/**
 * After the build: a child none of whose parents serves (each is disabled, or dropped the link
 * to it in a cycle) can never be reached, so it is disabled with the names of its disabled
 * parents. Traefik leaves such a child `enabled`; Wharf says why it does not serve. Runs until
 * nothing changes, so the whole subtree of a disabled parent follows it.
 */
export function disableOrphans(runtime: RuntimeConfiguration, tree: RouterTree): void {
  const serves = (parent: string, child: string): boolean =>
    runtime.routers.get(parent)?.status !== 'disabled' && (tree.children.get(parent) ?? []).includes(child);
  let changed = true;
  while (changed) {
    changed = false;
    for (const router of runtime.routers.values()) {
      if (router.status === 'disabled') continue;
      const parents = tree.parentsOf(router);
      if (parents.length === 0 || parents.some((p) => serves(p, router.name))) continue;
      const disabled = parents.filter((p) => runtime.routers.get(p)?.status === 'disabled');
      const names = disabled.map((p) => `"${p}"`).join(', ');
      const why =
        disabled.length === 0
          ? 'no parent router serves it'
          : disabled.length === 1
            ? `its parent router ${names} is disabled`
            : `its parent routers ${names} are disabled`;
      addError(router, `router is not reachable: ${why}`, true);
      changed = true;
    }
  }
}
