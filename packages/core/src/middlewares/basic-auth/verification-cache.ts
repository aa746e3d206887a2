import { createHash } from 'node:crypto';

/**
 * Remembers recent successful (user, password) verifications, so that a client sending the right
 * password on every request does not pay a bcrypt computation each time. Only a SHA-256 of the
 * pair is kept, never the password. Least recently used entries are evicted beyond `capacity`.
 */
export class VerificationCache {
  private readonly entries = new Map<string, true>();

  constructor(private readonly capacity = 256) {}

  /** The cache key of a pair; user names never contain `:`, so the pair is unambiguous. */
  static key(user: string, password: Buffer): string {
    return createHash('sha256').update(user).update(':').update(password).digest('base64');
  }

  has(key: string): boolean {
    if (!this.entries.has(key)) return false;
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, true);
    return true;
  }

  add(key: string): void {
    this.entries.delete(key);
    this.entries.set(key, true);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
