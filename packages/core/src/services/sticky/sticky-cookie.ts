import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StickyConfig } from '../../config/dynamic/types.js';
import { onResponseHead } from '../../middlewares/response-head.js';

type CookieConfig = NonNullable<StickyConfig['cookie']>;

/** Something a sticky cookie can point at: a server URL and whether it can serve now. */
export interface StickyTarget {
  readonly key: string;
  available(): boolean;
}

/**
 * Cookie-based session affinity (Traefik's `sticky.cookie`). The cookie names a server by the
 * first 16 hex digits of SHA-256 of its URL, so it stays valid across reloads and Wharf
 * instances; a cookie holding the plain URL (older Traefik versions) is accepted too. A cookie
 * for an unknown or unavailable server is ignored: the caller picks another and re-cookies.
 */
export class StickyCookie<T extends StickyTarget> {
  readonly name: string;
  private readonly byValue = new Map<string, T>();
  private readonly valueOf = new Map<T, string>();
  private readonly attributes: string;

  constructor(config: CookieConfig, service: string, targets: readonly T[]) {
    this.name = config.name ? sanitizeCookieName(config.name) : defaultCookieName(service);
    for (const target of targets) {
      const value = stickyValue(target.key);
      this.byValue.set(value, target);
      this.byValue.set(target.key, target);
      this.valueOf.set(target, value);
    }
    this.attributes = cookieAttributes(config);
  }

  /** The server named by the request's cookie, when it is known and available. */
  pick(req: IncomingMessage): T | undefined {
    const value = readCookie(req.headers.cookie, this.name);
    if (value === undefined) return undefined;
    const target = this.byValue.get(value);
    return target && target.available() ? target : undefined;
  }

  /** Adds the `Set-Cookie` naming `target` to the response, whoever writes its head. */
  set(res: ServerResponse, target: T): void {
    const cookie = `${this.name}=${this.valueOf.get(target)!}${this.attributes}`;
    onResponseHead(res, (r) => r.appendHeader('set-cookie', cookie));
  }
}

/** Traefik's default cookie name: `_` and the first 5 hex digits of SHA-1 over `_TRAEFIK_BACKEND_<service>`. */
export function defaultCookieName(service: string): string {
  return `_${createHash('sha1').update(`_TRAEFIK_BACKEND_${service}`).digest('hex').slice(0, 5)}`;
}

/** The cookie value naming a server: first 16 hex digits of SHA-256 of its URL. */
export function stickyValue(serverUrl: string): string {
  return createHash('sha256').update(serverUrl).digest('hex').slice(0, 16);
}

/** Characters outside an RFC 6265 token become `_`, as Traefik does for configured names. */
export function sanitizeCookieName(name: string): string {
  return name.replace(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g, '_');
}

function cookieAttributes(config: CookieConfig): string {
  let out = `; Path=${config.path || '/'}`;
  if (config.domain) out += `; Domain=${config.domain}`;
  // Go's http.Cookie: MaxAge > 0 sends the attribute, < 0 sends Max-Age=0 (delete), 0 omits it.
  if (config.maxAge !== undefined && config.maxAge !== 0) out += `; Max-Age=${config.maxAge > 0 ? config.maxAge : 0}`;
  if (config.httpOnly) out += '; HttpOnly';
  if (config.secure) out += '; Secure';
  const sameSite = config.sameSite?.toLowerCase();
  if (sameSite === 'none') out += '; SameSite=None';
  else if (sameSite === 'lax') out += '; SameSite=Lax';
  else if (sameSite === 'strict') out += '; SameSite=Strict';
  // Any other value leaves the attribute out (Go's default mode), as Traefik does.
  return out;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value;
  }
  return undefined;
}
