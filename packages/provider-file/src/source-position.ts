/** A 1-based line and column in a text. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Where a key (or list item) was written: its full key path as spelled in the file. */
export interface KeyLocation extends Position {
  readonly path: readonly string[];
}

/** Converts a 0-based character offset to a 1-based line and column. */
export function positionAt(text: string, offset: number): Position {
  return positionFinder(text)(offset);
}

/** Like {@link positionAt}, with the line starts indexed once for many lookups in one text. */
export function positionFinder(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    const clamped = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - starts[lo]! + 1 };
  };
}

/**
 * The best known position for a decode issue's key path. The decoder reports canonical field
 * names (`rule` for `Rule`), so names compare case-insensitively. When the exact key is not
 * found (a key inside an inline TOML table, a default the decoder added), the deepest written
 * ancestor is the most useful place to point at.
 */
export function locate(locations: readonly KeyLocation[], path: readonly string[]): Position | undefined {
  if (path.length === 0) return undefined;
  let best: KeyLocation | undefined;
  let bestDepth = 0;
  for (const location of locations) {
    const depth = commonPrefix(location.path, path);
    if (depth === location.path.length && depth > bestDepth) {
      best = location;
      bestDepth = depth;
      if (depth === path.length) break;
    }
  }
  return best && { line: best.line, column: best.column };
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i]!.toLowerCase() === b[i]!.toLowerCase()) i++;
  return i;
}
