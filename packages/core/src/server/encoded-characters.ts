import type { EntryPointConfig } from '../config/static/types.js';

type EncodedCharacters = EntryPointConfig['http']['encodedCharacters'];

/** Traefik's `http.encodedCharacters` options and the escapes each one allows, both cases. */
const ESCAPES: ReadonlyArray<[keyof EncodedCharacters, readonly string[]]> = [
  ['allowEncodedSlash', ['%2f']],
  ['allowEncodedBackSlash', ['%5c']],
  ['allowEncodedNullCharacter', ['%00']],
  ['allowEncodedSemicolon', ['%3b']],
  ['allowEncodedPercent', ['%25']],
  ['allowEncodedQuestionMark', ['%3f']],
  ['allowEncodedHash', ['%23']],
];

/** The escapes (lower-case) an entry point refuses in request paths; empty when all are allowed (the default). */
export function deniedEscapes(config: EncodedCharacters): ReadonlySet<string> {
  return new Set(ESCAPES.filter(([option]) => !config[option]).flatMap(([, escapes]) => escapes));
}

/**
 * True when the request target's path (as sent, before any decoding) holds a refused escape, or
 * a `%` not followed by two characters: Traefik answers both with 400.
 */
export function hasDeniedEscape(target: string, denied: ReadonlySet<string>): boolean {
  if (denied.size === 0) return false;
  let start = 0;
  // Absolute form (`http://host/p`): only the path counts.
  if (target[0] !== '/') {
    const scheme = target.indexOf('://');
    start = scheme < 0 ? 0 : target.indexOf('/', scheme + 3);
    if (start < 0) return false;
  }
  const query = target.indexOf('?', start);
  const end = query < 0 ? target.length : query;
  for (let i = target.indexOf('%', start); i >= 0 && i < end; i = target.indexOf('%', i + 3)) {
    if (i + 2 >= end) return true;
    if (denied.has(target.slice(i, i + 3).toLowerCase())) return true;
  }
  return false;
}
