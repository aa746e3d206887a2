/** What a `Basic` Authorization header carries. */
export interface BasicCredentials {
  readonly user: string;
  /** The raw password bytes: hashes are computed over bytes, not over a decoded string. */
  readonly password: Buffer;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Parses `Authorization: Basic <base64(user:password)>` (RFC 7617). The scheme is
 * case-insensitive; the base64 must be canonical (Node's decoder would silently skip junk);
 * the user is everything before the first colon. Returns undefined when anything is off.
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined || header.length < 6 || header.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const encoded = header.slice(6).trim();
  if (!BASE64.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon === -1) return undefined;
  return { user: decoded.subarray(0, colon).toString('utf8'), password: decoded.subarray(colon + 1) };
}
