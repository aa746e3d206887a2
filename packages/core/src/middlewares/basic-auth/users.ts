import { readFileSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import { stringList } from '../url.js';
import { parsePasswordHash, SUPPORTED_HASHES, type PasswordHash } from './password-hash.js';

/** One `user:hash` line and where it came from, so errors can point at it without quoting it. */
interface UserEntry {
  readonly text: string;
  /** Config path of the entry (`auth@file.basicAuth.users[1]`). */
  readonly path: string;
  /** Human position (`users[1]`, `usersFile line 3`). */
  readonly where: string;
}

function parseEntry(entry: UserEntry): [string, PasswordHash] {
  const colon = entry.text.indexOf(':');
  // Never quote the entry: without a colon it may well be a bare password or hash.
  if (colon === -1) throw new ConfigError(entry.path, `${entry.where} is not "user:hash"`);
  const user = entry.text.slice(0, colon);
  if (user === '') throw new ConfigError(entry.path, `${entry.where} has an empty user name`);
  const hash = parsePasswordHash(entry.text.slice(colon + 1));
  if (!hash) throw new ConfigError(entry.path, `user "${user}" (${entry.where}): unsupported password hash, use ${SUPPORTED_HASHES} as htpasswd writes them`);
  return [user, hash];
}

function fileEntries(base: string, file: string): UserEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`${base}.usersFile`, `cannot read usersFile "${file}" (${code})`, { cause: err });
  }
  const entries: UserEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    entries.push({ text: line, path: `${base}.usersFile`, where: `usersFile line ${i + 1}` });
  });
  return entries;
}

/**
 * The users of a basicAuth middleware: `users` (a list, or a comma-separated string as labels
 * give it) merged with the lines of `usersFile`, read once here. As in Traefik, a user defined in
 * both takes the file's hash. Throws a {@link ConfigError} on any bad entry.
 */
export function loadUsers(base: string, config: Record<string, unknown>): Map<string, PasswordHash> {
  let listed: string[];
  try {
    listed = stringList(config, 'users');
  } catch (err) {
    throw new ConfigError(`${base}.users`, (err as Error).message);
  }
  const entries: UserEntry[] = listed.map((text, i) => ({ text, path: `${base}.users[${i}]`, where: `users[${i}]` }));
  const file = config.usersFile;
  if (file !== undefined && file !== null && file !== '') {
    if (typeof file !== 'string') throw new ConfigError(`${base}.usersFile`, 'usersFile must be a file path');
    entries.push(...fileEntries(base, file));
  }
  // Later entries win, and the file's come last.
  return new Map(entries.map(parseEntry));
}
