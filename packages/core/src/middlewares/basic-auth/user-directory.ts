import type { PasswordHash } from './password-hash.js';

/**
 * The users of one basicAuth middleware, checked so that response times do not tell which users
 * exist: an unknown user's password is verified against the costliest configured hash (the
 * result is thrown away), so it costs what a known user's wrong password costs.
 */
export class UserDirectory {
  private readonly decoy: PasswordHash;

  constructor(private readonly users: ReadonlyMap<string, PasswordHash>) {
    let decoy: PasswordHash | undefined;
    for (const hash of users.values()) if (!decoy || hash.work > decoy.work) decoy = hash;
    if (!decoy) throw new Error('a user directory needs at least one user');
    this.decoy = decoy;
  }

  get size(): number {
    return this.users.size;
  }

  /** True when `user` exists and `password` matches; one hash verification either way. */
  async check(user: string, password: Buffer): Promise<boolean> {
    const hash = this.users.get(user);
    if (hash) return hash.verify(password);
    await this.decoy.verify(password);
    return false;
  }
}
