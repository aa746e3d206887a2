/** Something a weighted round robin can pick; `available` lets health checks fence it off. */
export interface WeightedItem {
  readonly weight: number;
  available(): boolean;
}

/**
 * Smooth weighted round robin (nginx's algorithm): every pick adds each item's weight to its
 * running score, takes the highest, and subtracts the total from the winner. Picks spread
 * evenly (weights 5,1,1 give a a b a c a a, not a a a a a b c). Items with weight ≤ 0 are
 * never picked (Traefik: "≤ 0 → server never selected").
 */
export class SmoothWeightedRoundRobin<T extends WeightedItem> {
  private readonly items: T[];
  private readonly current: number[];

  constructor(items: readonly T[]) {
    this.items = items.filter((i) => i.weight > 0);
    this.current = this.items.map(() => 0);
  }

  /** The next available item, or undefined when none is. */
  next(): T | undefined {
    let total = 0;
    let best = -1;
    const { items, current } = this;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (!item.available()) continue;
      current[i]! += item.weight;
      total += item.weight;
      if (best === -1 || current[i]! > current[best]!) best = i;
    }
    if (best === -1) return undefined;
    current[best]! -= total;
    return items[best];
  }

  get size(): number {
    return this.items.length;
  }
}
