import { HttpError } from '../errors.js';

/** The list parameters of Traefik's API, parsed. */
export interface ListCriteria {
  search: string;
  status: string;
  serviceName: string;
  middlewareName: string;
  sortBy: string;
  direction: 'asc' | 'desc';
  page: number;
  perPage: number;
}

/** One page of a list and the value of `X-Next-Page` (1 on the last page, as Traefik). */
export interface Page<T> {
  items: T[];
  nextPage: number;
}

type Query = Record<string, unknown>;

function text(query: Query, key: string): string {
  const v = query[key];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

function positive(query: Query, key: string, fallback: number): number {
  const raw = text(query, key);
  if (raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new HttpError(400, `invalid request: ${key}: ${raw}`);
  return n;
}

/** Reads `search`, `status`, `serviceName`, `middlewareName`, `sortBy`, `direction`, `page`, `per_page`. */
export function parseListCriteria(query: Query): ListCriteria {
  const direction = text(query, 'direction').toLowerCase();
  return {
    search: text(query, 'search').toLowerCase(),
    status: text(query, 'status').toLowerCase(),
    serviceName: text(query, 'serviceName'),
    middlewareName: text(query, 'middlewareName'),
    sortBy: text(query, 'sortBy') || 'name',
    direction: direction === 'desc' ? 'desc' : 'asc',
    page: positive(query, 'page', 1),
    perPage: positive(query, 'per_page', 100),
  };
}

/** How one kind of element is searched and sorted. */
export interface ListSpec<T> {
  /** Texts `search` looks into (name; rule for routers). */
  searchable(item: T): string[];
  /** Sort keys by `sortBy` value; unknown values sort by name. */
  sortKeys: Record<string, (item: T) => string | number>;
  /** Extra filters (serviceName, middlewareName for routers). */
  filter?(item: T, criteria: ListCriteria): boolean;
}

/** Filters, sorts (ties broken by name) and pages `items`; a page past the end is a 400. */
export function listPage<T extends { name: string; status?: string }>(items: Iterable<T>, criteria: ListCriteria, spec: ListSpec<T>): Page<T> {
  const kept: T[] = [];
  for (const item of items) {
    if (criteria.status && item.status !== criteria.status) continue;
    if (criteria.search && !spec.searchable(item).some((s) => s.toLowerCase().includes(criteria.search))) continue;
    if (spec.filter && !spec.filter(item, criteria)) continue;
    kept.push(item);
  }
  const key = spec.sortKeys[criteria.sortBy] ?? spec.sortKeys.name!;
  const sign = criteria.direction === 'desc' ? -1 : 1;
  kept.sort((a, b) => sign * (compare(key(a), key(b)) || compare(a.name, b.name)));
  const start = (criteria.page - 1) * criteria.perPage;
  if (start !== 0 && start >= kept.length) throw new HttpError(400, `invalid request: page: ${criteria.page}, per_page: ${criteria.perPage}`);
  const end = start + criteria.perPage;
  return { items: kept.slice(start, end), nextPage: end < kept.length ? criteria.page + 1 : 1 };
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** Matches a qualified reference against a filter value given with or without `@provider`. */
export function sameElement(reference: string | undefined, wanted: string): boolean {
  if (reference === undefined) return false;
  return wanted.includes('@') ? reference === wanted : reference.split('@')[0] === wanted;
}
