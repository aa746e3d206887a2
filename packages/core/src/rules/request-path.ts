/**
 * Request path handling of Traefik's entry points (3.4.1+ / 2.11.25+): `sanitizePath` and the
 * routing path the path matchers see.
 */

const hexValue = (c: number): number => {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
};

/** Reserved characters of RFC 3986 §2.2 plus `%`: decoding them would change the URL's meaning. */
const reserved = new Set(":/?#[]@!$&'()*+,;=%".split('').map((c) => c.charCodeAt(0)));

/**
 * Percent-decodes `text` as UTF-8 bytes. `plusAsSpace` gives form decoding (query strings).
 * Returns undefined on a malformed escape, as Go's unescaping fails there.
 */
export function percentDecode(text: string, plusAsSpace: boolean): string | undefined {
  if (!text.includes('%') && !(plusAsSpace && text.includes('+'))) return text;
  const bytes = Buffer.allocUnsafe(Buffer.byteLength(text, 'utf8'));
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 37) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return undefined;
      bytes[n++] = (hi << 4) | lo;
      i += 2;
    } else if (c === 43 && plusAsSpace) {
      bytes[n++] = 32;
    } else if (c < 128) {
      bytes[n++] = c;
    } else {
      const end = c >= 0xd800 && c < 0xdc00 ? i + 2 : i + 1;
      n += bytes.write(text.slice(i, end), n, 'utf8');
      i = end - 1;
    }
  }
  return bytes.toString('utf8', 0, n);
}

/**
 * Traefik's routing path: percent-encoded unreserved characters are decoded, reserved ones
 * (RFC 3986 §2.2 and `%`) stay encoded with upper-case hex, so ``Path(`/foo bar`)`` matches
 * `/foo%20bar` while ``Path(`/foo/bar`)`` does not match `/foo%2Fbar`. A malformed escape is
 * kept as is (Go's server would have rejected the request before routing).
 *
 * @param rawPath the path of the request target, still percent-encoded
 */
export function routingPath(rawPath: string): string {
  if (!rawPath.includes('%')) return rawPath;
  let out = '';
  let pending: number[] = [];
  const flush = (): void => {
    if (pending.length > 0) {
      out += Buffer.from(pending).toString('utf8');
      pending = [];
    }
  };
  for (let i = 0; i < rawPath.length; i++) {
    const c = rawPath.charCodeAt(i);
    const hi = c === 37 ? hexValue(rawPath.charCodeAt(i + 1)) : -1;
    const lo = c === 37 ? hexValue(rawPath.charCodeAt(i + 2)) : -1;
    if (hi < 0 || lo < 0) {
      flush();
      out += rawPath[i];
      continue;
    }
    const byte = (hi << 4) | lo;
    if (reserved.has(byte)) {
      flush();
      out += rawPath.slice(i, i + 3).toUpperCase();
    } else {
      // Multi-byte UTF-8 sequences arrive as several escapes: decode them together.
      pending.push(byte);
    }
    i += 2;
  }
  flush();
  return out;
}

/**
 * Traefik's `sanitizePath` (Go's `URL.JoinPath()` with no elements): resolves `.` and `..`
 * segments and collapses repeated slashes, keeping one trailing slash when the input had one.
 * Works on the escaped path, so `%2F` is not a separator. A relative path stays relative.
 */
export function sanitizePath(path: string): string {
  // Go's JoinPath roots an empty path: an absolute-form target without a path routes as `/`.
  if (path === '/' || path === '') return '/';
  // Most paths are already clean: skip the split/join on the hot path.
  if (path.startsWith('/') && !/\/\/|\/\.\.?(?:\/|$)/.test(path)) return path;
  const rooted = path.startsWith('/');
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  let out = rooted ? `/${segments.join('/')}` : segments.join('/');
  if (path.endsWith('/') && !out.endsWith('/')) out += '/';
  return out;
}

const isUnreserved = (b: number): boolean =>
  (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 45 || b === 46 || b === 95 || b === 126;

/**
 * Entry-point path normalisation (RFC 3986 §6.2.2): decodes escaped unreserved characters
 * (`%41` → `A`, `%2E` → `.`) and upper-cases the hex of every other escape. Runs before
 * {@link sanitizePath}, so `/%2E%2E/x` is sanitised like `/../x`.
 */
export function normalizePath(path: string): string {
  if (!path.includes('%')) return path;
  return path.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const byte = parseInt(hex, 16);
    return isUnreserved(byte) ? String.fromCharCode(byte) : escape.toUpperCase();
  });
}
