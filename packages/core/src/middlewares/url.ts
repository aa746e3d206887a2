/** Splits `req.url` (origin-form) into path and query (with its `?`), without allocating a URL. */
export function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q) };
}

/** Reads `config[key]` as a list of non-empty strings, or throws with the key in the message. */
export function stringList(config: Record<string, unknown>, key: string): string[] {
  const value = config[key];
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) throw new TypeError(`${key} must be a list of strings`);
  return list.filter((s) => s !== '');
}
