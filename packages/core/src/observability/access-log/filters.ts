import type { AccessLogConfig } from '../../config/static/types.js';
import { ConfigError } from '../../errors.js';

/** `accessLog.filters`, compiled once. */
export interface AccessLogFilter {
  keep(status: number, retryAttempts: number, durationMs: number): boolean;
}

/** Parses `["200", "300-302"]` (or `"200,300-302"`) into inclusive ranges. */
export function parseStatusRanges(specs: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const spec of specs.flatMap((s) => s.split(','))) {
    const text = spec.trim();
    if (text === '') continue;
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(text);
    if (!m || Number(m[2] ?? m[1]) < Number(m[1])) throw new ConfigError('accessLog.filters.statusCodes', `invalid status code or range "${text}": expected e.g. "200" or "300-302"`);
    ranges.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return ranges;
}

/**
 * Traefik's semantics: with no filter set every request is logged; otherwise a request is kept
 * when *any* set filter matches (status in a range, retried, or slower than `minDuration`).
 */
export function compileFilters(filters: AccessLogConfig['filters']): AccessLogFilter {
  const ranges = parseStatusRanges(filters.statusCodes);
  const minDuration = filters.minDuration;
  if (ranges.length === 0 && !filters.retryAttempts && minDuration <= 0) return { keep: () => true };
  return {
    keep(status, retryAttempts, durationMs): boolean {
      if (ranges.some(([lo, hi]) => status >= lo && status <= hi)) return true;
      if (filters.retryAttempts && retryAttempts > 0) return true;
      return minDuration > 0 && durationMs > minDuration;
    },
  };
}
