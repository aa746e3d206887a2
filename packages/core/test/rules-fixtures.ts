import type { IncomingMessage } from 'node:http';
import { compileRule, RequestFacts, type RuleSyntax } from '../src/rules/index.js';

/** What a test request looks like; every field has a harmless default. */
export interface FakeRequest {
  readonly url?: string;
  /** Host header; null sends none. */
  readonly host?: string | null;
  /** Extra header lines as [name, value] pairs, in order (repeat a name for several lines). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly method?: string;
  readonly ip?: string;
}

/** A minimal IncomingMessage carrying exactly what RequestFacts reads. */
export function fakeRequest(r: FakeRequest = {}): IncomingMessage {
  const host = r.host === undefined ? 'example.com' : r.host;
  const rawHeaders: string[] = [];
  if (host !== null) rawHeaders.push('Host', host);
  for (const [name, value] of r.headers ?? []) rawHeaders.push(name, value);
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i].toLowerCase()] ??= rawHeaders[i + 1];
  return { url: r.url ?? '/', method: r.method ?? 'GET', headers, rawHeaders, socket: { remoteAddress: r.ip ?? '127.0.0.1' } } as unknown as IncomingMessage;
}

/** Facts of a fake request, routing path derived from its URL like the entry point does. */
export function factsOf(r: FakeRequest = {}): RequestFacts {
  return RequestFacts.fromRequest(fakeRequest(r));
}

/** Compiles `rule` and matches it against one fake request. */
export function matches(rule: string, r: FakeRequest, syntax?: RuleSyntax): boolean {
  return compileRule(rule, syntax).match(factsOf(r));
}

/** Readable test title for a request. */
export function describeRequest(r: FakeRequest): string {
  const parts = [`${r.method ?? 'GET'} ${r.url ?? '/'}`];
  if (r.host !== undefined) parts.push(`host=${JSON.stringify(r.host)}`);
  if (r.headers) parts.push(r.headers.map(([k, v]) => `${k}: ${v}`).join('; '));
  if (r.ip) parts.push(`ip=${r.ip}`);
  return parts.join(' ');
}
