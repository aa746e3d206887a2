import type { ServerResponse } from 'node:http';
import { ConfigError } from '../../errors.js';
import type { Handler, MiddlewareFactory } from '../middleware-factory.js';
import { parseBasicAuthorization } from './credentials.js';
import { UserDirectory } from './user-directory.js';
import { loadUsers } from './users.js';
import { VerificationCache } from './verification-cache.js';

/** Traefik's `basicAuth` options (spec §d). */
export interface BasicAuthConfig {
  /** `user:hash` entries; a comma-separated string is accepted too (labels). */
  users?: string[] | string;
  /** A file of `user:hash` lines (`#` comments and blank lines ignored); its users win over `users`. */
  usersFile?: string;
  /** Realm of the `WWW-Authenticate` challenge, `traefik` by default. */
  realm?: string;
  /** Request header that receives the authenticated user name. */
  headerField?: string;
  /** Remove `Authorization` before forwarding (default false). */
  removeHeader?: boolean;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function optionalString(base: string, config: BasicAuthConfig, key: 'realm' | 'headerField'): string | undefined {
  const value = config[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${base}.${key}`, `${key} must be a string`);
  return value;
}

function challengeHeader(base: string, config: BasicAuthConfig): string {
  const realm = optionalString(base, config, 'realm') ?? 'traefik';
  // A control character would make every 401 fail to write; reject it now rather than per request.
  if (/[\x00-\x1f\x7f]/.test(realm)) throw new ConfigError(`${base}.realm`, 'realm must not contain control characters');
  return `Basic realm="${realm.replace(/["\\]/g, '\\$&')}"`;
}

function flag(base: string, value: unknown, key: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ConfigError(`${base}.${key}`, `${key} must be a boolean`);
}

function unauthorized(res: ServerResponse, challenge: string): void {
  res.statusCode = 401;
  res.setHeader('WWW-Authenticate', challenge);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('401 Unauthorized\n');
}

/**
 * `basicAuth`: lets through only requests carrying `Authorization: Basic` credentials of a
 * configured user, checked against htpasswd hashes (bcrypt, `$apr1$` MD5, `{SHA}` SHA1); any other
 * request gets `401` and a `WWW-Authenticate` challenge and is not forwarded. Users and hashes are
 * parsed and `usersFile` read when the middleware is built; a configuration change builds a new
 * middleware. Successful checks are cached per (user, password) so that bcrypt does not run on
 * every request of a logged-in client; an unknown user costs a hash verification like a wrong
 * password does, so response times do not reveal which users exist.
 */
export const basicAuthFactory = {
  type: 'basicAuth',
  create(ctx, config): Handler {
    const base = `${ctx.name}.basicAuth`;
    const options = (config ?? {}) as BasicAuthConfig;
    const loaded = loadUsers(base, options as Record<string, unknown>);
    if (loaded.size === 0) throw new ConfigError(`${base}.users`, 'basicAuth needs at least one user in users or usersFile');
    const users = new UserDirectory(loaded);
    const challenge = challengeHeader(base, options);
    const headerField = optionalString(base, options, 'headerField');
    if (headerField !== undefined && !TOKEN.test(headerField)) throw new ConfigError(`${base}.headerField`, `"${headerField}" is not a valid header name`);
    const userHeader = headerField?.toLowerCase();
    const removeHeader = flag(base, options.removeHeader, 'removeHeader');
    const cache = new VerificationCache();

    return function basicAuth(req, res, next): void {
      const credentials = parseBasicAuthorization(req.headers.authorization);
      if (!credentials) return unauthorized(res, challenge);
      const pass = (): void => {
        req.wharf.user = credentials.user;
        if (userHeader !== undefined) req.headers[userHeader] = credentials.user;
        if (removeHeader) delete req.headers.authorization;
        next();
      };
      const key = VerificationCache.key(credentials.user, credentials.password);
      if (cache.has(key)) return pass();
      // An unknown user costs one hash verification too (see UserDirectory): no timing oracle.
      users.check(credentials.user, credentials.password).then(
        (ok) => {
          if (!ok) return unauthorized(res, challenge);
          cache.add(key);
          pass();
        },
        (err: unknown) => next(err),
      );
    };
  },
} satisfies MiddlewareFactory<BasicAuthConfig>;
