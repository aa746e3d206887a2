import { createHash } from 'node:crypto';

/** The alphabet of crypt(3)'s base-64 encoding (not RFC 4648 base64). */
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const MAGIC = '$apr1$';

function md5(...parts: Array<Buffer | string>): Buffer {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function to64(value: number, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) {
    out += ITOA64[value & 0x3f];
    value >>= 6;
  }
  return out;
}

/**
 * The 22-character digest of Apache's MD5-crypt variant (`htpasswd -m`, `$apr1$<salt>$<digest>`):
 * Poul-Henning Kamp's MD5-crypt with the `$apr1$` magic. `salt` is at most 8 characters.
 */
export function apr1Digest(password: Buffer, salt: string): string {
  salt = salt.slice(0, 8);
  const alternate = md5(password, salt, password);
  const initial = createHash('md5').update(password).update(MAGIC).update(salt);
  for (let left = password.length; left > 0; left -= 16) initial.update(alternate.subarray(0, Math.min(left, 16)));
  // The original implementation mixes in a zero byte or the first password byte for each bit of the length.
  for (let bits = password.length; bits > 0; bits >>= 1) initial.update((bits & 1) !== 0 ? Buffer.alloc(1) : password.subarray(0, 1));
  let final = initial.digest();

  // 1000 rounds, only there to slow down brute force.
  for (let i = 0; i < 1000; i++) {
    const round = createHash('md5');
    round.update((i & 1) !== 0 ? password : final);
    if (i % 3 !== 0) round.update(salt);
    if (i % 7 !== 0) round.update(password);
    round.update((i & 1) !== 0 ? final : password);
    final = round.digest();
  }

  const b = final;
  return (
    to64((b[0]! << 16) | (b[6]! << 8) | b[12]!, 4) +
    to64((b[1]! << 16) | (b[7]! << 8) | b[13]!, 4) +
    to64((b[2]! << 16) | (b[8]! << 8) | b[14]!, 4) +
    to64((b[3]! << 16) | (b[9]! << 8) | b[15]!, 4) +
    to64((b[4]! << 16) | (b[10]! << 8) | b[5]!, 4) +
    to64(b[11]!, 2)
  );
}
