/** What replaces a secret in API output. */
export const REDACTED = 'REDACTED';

// Keys whose string values are secrets wherever they appear (forwardAuth, plugin options, …).
const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|private[-_]?key|credential/i;
// Header names whose values carry credentials (headers middleware, health checks).
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token)$/i;
// Inline PEM private keys (serversTransports `certificates[].keyFile` accepts file contents).
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
// `users` lists of basicAuth (`user:hash`) and digestAuth (`user:realm:hash`).
const USER_LIST_PARENTS = new Set(['basicAuth', 'digestAuth']);

/**
 * A deep copy of `value` with secrets replaced by {@link REDACTED}: password hashes in
 * `basicAuth`/`digestAuth` users (the user name stays, it helps debugging), values of
 * secret-looking keys and credential headers, inline PEM private keys, and passwords embedded in URLs.
 */
export function redact(value: unknown, key = '', parent = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key) || SECRET_HEADER.test(key) || PRIVATE_KEY_PEM.test(value)) return REDACTED;
    return redactUrl(value);
  }
  if (Array.isArray(value)) {
    if (key === 'users' && USER_LIST_PARENTS.has(parent)) return value.map((u) => redactUser(String(u)));
    return value.map((v) => redact(v, '', key));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactUrl(k)] = redact(v, k, key);
    return out;
  }
  return value;
}

function redactUser(entry: string): string {
  const cut = entry.lastIndexOf(':');
  return cut === -1 ? REDACTED : `${entry.slice(0, cut)}:${REDACTED}`;
}

/** `http://user:secret@host/` → `http://user:REDACTED@host/`; anything else unchanged. */
export function redactUrl(text: string): string {
  if (!text.includes('@') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, `$1:${REDACTED}@`);
}
