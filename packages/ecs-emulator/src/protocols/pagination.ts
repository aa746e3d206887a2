import { randomUUID } from 'node:crypto';
import type { AwsServiceError } from '../aws-error.js';

/** How one paginated operation pages. */
export interface PageRules {
  /** Distinguishes tokens of different operations/filters so they cannot be mixed up. */
  readonly scope: string;
  readonly defaultSize: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly invalid: (message: string) => AwsServiceError;
}

/** One page and the token of the next one (absent on the last page). */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/**
 * Pages `items` with a cursor token (the key and position of the last item returned), so items
 * added after the cursor or removed before it do not make later pages repeat or skip items. Tokens
 * are opaque base64url, fresh per page, and bound to `rules.scope`.
 */
export function paginate<T>(
  items: readonly T[],
  key: (item: T) => string,
  request: { maxResults?: unknown; nextToken?: unknown },
  rules: PageRules,
): Page<T> {
  const size = request.maxResults ?? rules.defaultSize;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < rules.minSize || size > rules.maxSize) {
    throw rules.invalid(`maxResults must be between ${rules.minSize} and ${rules.maxSize}.`);
  }
  let start = 0;
  if (request.nextToken !== undefined && request.nextToken !== null && request.nextToken !== '') {
    const cursor = decodeToken(request.nextToken, rules);
    const position = items.findIndex((item) => key(item) === cursor.after);
    start = position < 0 ? Math.min(cursor.index, items.length) : position + 1;
  }
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  return start + size < items.length && last !== undefined
    ? { items: page, nextToken: encodeToken(rules.scope, key(last), start + page.length) }
    : { items: page };
}

function encodeToken(scope: string, after: string, index: number): string {
  return Buffer.from(JSON.stringify({ s: scope, a: after, i: index, n: randomUUID() })).toString('base64url');
}

function decodeToken(token: unknown, rules: PageRules): { after: string; index: number } {
  try {
    const decoded = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as Record<string, unknown>;
    if (decoded.s === rules.scope && typeof decoded.a === 'string' && typeof decoded.i === 'number') {
      return { after: decoded.a, index: decoded.i };
    }
  } catch {
    // fall through: a token we did not issue
  }
  throw rules.invalid('The nextToken is not valid.');
}
