import { createHash, timingSafeEqual } from 'node:crypto';
import { compare } from 'bcryptjs';
import { apr1Digest } from './apr1.js';

/** The htpasswd formats Traefik's basicAuth accepts. */
export type PasswordHashKind = 'bcrypt' | 'apr1' | 'sha1';

/** A stored password hash that can check a candidate password. */
export interface PasswordHash {
  readonly kind: PasswordHashKind;
  /** Relative cost of one verification (SHA1 1, `$apr1$` 1,000 MD5 rounds, bcrypt 1,000 × 2^cost). */
  readonly work: number;
  /** True when `password` (the raw bytes the client sent) matches. */
  verify(password: Buffer): Promise<boolean>;
}

/** The formats, for error messages. */
export const SUPPORTED_HASHES = 'bcrypt ($2y$, $2a$, $2b$), MD5 ($apr1$) or SHA1 ({SHA})';

const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
const APR1 = /^\$apr1\$([^$]{0,8})\$([./0-9A-Za-z]{22})$/;
const SHA1 = /^\{SHA\}([A-Za-z0-9+/]{27}=)$/;

function bcryptHash(hash: string): PasswordHash {
  return {
    kind: 'bcrypt',
    work: 1000 * 2 ** Number(hash.slice(4, 6)),
    // The async variant yields to the event loop between rounds instead of blocking it.
    verify: (password) => compare(password.toString('utf8'), hash),
  };
}

function apr1Hash(salt: string, digest: string): PasswordHash {
  const expected = Buffer.from(digest, 'latin1');
  return {
    kind: 'apr1',
    work: 1000,
    verify: async (password) => timingSafeEqual(Buffer.from(apr1Digest(password, salt), 'latin1'), expected),
  };
}

function sha1Hash(base64: string): PasswordHash {
  const expected = Buffer.from(base64, 'base64');
  return {
    kind: 'sha1',
    work: 1,
    verify: async (password) => timingSafeEqual(createHash('sha1').update(password).digest(), expected),
  };
}

/**
 * Recognises a hash as `htpasswd` writes it: `-B` (bcrypt), `-m` (`$apr1$`), `-s` (`{SHA}`).
 * Returns undefined for anything else (plain text, `crypt`, SHA-256/512 crypt), which Traefik
 * does not verify either.
 */
export function parsePasswordHash(hash: string): PasswordHash | undefined {
  if (BCRYPT.test(hash)) return bcryptHash(hash);
  const apr1 = APR1.exec(hash);
  if (apr1) return apr1Hash(apr1[1]!, apr1[2]!);
  const sha1 = SHA1.exec(hash);
  if (sha1) return sha1Hash(sha1[1]!);
  return undefined;
}
