/**
 * Traefik's default router priority: the rule length in UTF-8 bytes (whitespace, quotes and
 * operators included). ``Host(`example.org`)`` → 19.
 */
export function defaultPriority(rule: string): number {
  return Buffer.byteLength(rule, 'utf8');
}
