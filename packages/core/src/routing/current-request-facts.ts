import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { RequestFacts, routingPath } from '../rules/index.js';

/**
 * The facts of a request as it is *now*, after the middlewares that already ran on it: the path
 * of `req.url` (a `stripPrefix` may have shortened it) and the headers of `req.headers` (a
 * `basicAuth` `headerField`, a `headers` middleware or a forward auth may have set some).
 *
 * Traefik's child routers match the request their parent's middlewares handed on (multi-layer
 * routing, `pkg/server/router/router.go` `buildChildRoutersMuxer`), whereas the entry point's
 * {@link RequestFacts} read the header lines as received. A header whose value is unchanged
 * keeps its received field lines, so `Header()` still sees each line of a repeated header.
 */
export function currentRequestFacts(req: IncomingMessage): RequestFacts {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const view = {
    url,
    method: req.method,
    headers: req.headers,
    socket: req.socket,
    get rawHeaders(): string[] {
      return currentHeaderLines(req.rawHeaders ?? [], req.headers);
    },
  };
  return new RequestFacts(view as unknown as IncomingMessage, routingPath(path));
}

/** Field lines (name, value, name, value…) for the headers as they are now. */
export function currentHeaderLines(raw: readonly string[], headers: IncomingHttpHeaders): string[] {
  const received = new Map<string, { name: string; lines: string[] }>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i]!.toLowerCase();
    const entry = received.get(key);
    if (entry) entry.lines.push(raw[i + 1]!);
    else received.set(key, { name: raw[i]!, lines: [raw[i + 1]!] });
  }
  const out: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const before = received.get(key);
    const now = Array.isArray(value) ? value : [value];
    const lines = before && unchanged(before.lines, value) ? before.lines : now;
    for (const line of lines) out.push(before?.name ?? key, String(line));
  }
  return out;
}

/** Whether Node's parsed value is what the received lines give (joined, first kept, or listed). */
function unchanged(lines: readonly string[], value: string | string[]): boolean {
  if (Array.isArray(value)) return value.length === lines.length && value.every((v, i) => v === lines[i]);
  return value === lines.join(', ') || value === lines.join('; ') || value === lines[0];
}
