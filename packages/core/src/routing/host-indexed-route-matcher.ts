import type { CompiledRule, RequestFacts } from '../rules/index.js';

/** A candidate route: a compiled rule, its priority and what the caller routes to. */
export interface RouteEntry<T> {
  readonly name: string;
  readonly rule: CompiledRule;
  readonly priority: number;
  /** Tie-breaker among equal priorities: lower first (e.g. provider precedence, then name). */
  readonly order: number;
  readonly value: T;
}

interface Ranked<T> {
  readonly rank: number;
  readonly entry: RouteEntry<T>;
}

const none: readonly never[] = [];

/**
 * Picks the winning route for a request: highest priority first, equal priority → lower `order`.
 *
 * Routes whose rule can only match a known set of hosts ({@link CompiledRule.hosts}) are bucketed
 * by host; a request only evaluates its host's bucket merged, in rank order, with the routes that
 * may match any host. Matching cost therefore stays flat with 10,000 `Host()` routers.
 */
export class HostIndexedRouteMatcher<T> {
  private readonly byHost = new Map<string, Ranked<T>[]>();
  private readonly anyHost: Ranked<T>[] = [];
  private readonly count: number;

  constructor(entries: readonly RouteEntry<T>[]) {
    this.count = entries.length;
    const sorted = [...entries].sort((a, b) => b.priority - a.priority || a.order - b.order);
    sorted.forEach((entry, rank) => {
      const ranked = { rank, entry };
      const hosts = entry.rule.hosts;
      if (hosts === null) {
        this.anyHost.push(ranked);
        return;
      }
      for (const host of new Set(hosts)) {
        const bucket = this.byHost.get(host);
        if (bucket) bucket.push(ranked);
        else this.byHost.set(host, [ranked]);
      }
    });
  }

  /** Number of routes given to the constructor. */
  get size(): number {
    return this.count;
  }

  /** The highest-ranked route whose rule matches, or undefined (Traefik answers 404). */
  match(facts: RequestFacts): RouteEntry<T> | undefined {
    const hosted = this.byHost.get(facts.host) ?? none;
    const anyHost = this.anyHost;
    let i = 0;
    let j = 0;
    while (i < hosted.length || j < anyHost.length) {
      const next = j >= anyHost.length || (i < hosted.length && hosted[i].rank < anyHost[j].rank) ? hosted[i++] : anyHost[j++];
      if (next.entry.rule.match(facts)) return next.entry;
    }
    return undefined;
  }
}
