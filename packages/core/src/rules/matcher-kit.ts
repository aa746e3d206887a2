import { RuleSyntaxError } from '../errors.js';
import { GoRegexpError, type LinearRegexp } from './go-regexp.js';
import { ipInRange, parseIpRange, type IpRange } from './ip-match.js';
import type { RuleArg } from './parser.js';
import type { RequestFacts } from './request-facts.js';

/** A compiled matcher body. */
export type Predicate = (facts: RequestFacts) => boolean;

/** What a matcher builder returns: its predicate and, for exact Host matchers, the hosts. */
export interface BuiltMatcher {
  readonly test: Predicate;
  /** Canonical hosts outside which the (non-negated) matcher cannot match; null = any host. */
  readonly hosts: readonly string[] | null;
  /** Literal path prefixes: the (non-negated) matcher can match only a routing path starting with one of them; absent = any path. */
  readonly prefixes?: readonly string[] | null;
}

/** A matcher of one syntax: its documented name, accepted argument counts (`any` = 1..n) and builder. */
export interface MatcherSpec {
  readonly name: string;
  readonly arity: readonly number[] | 'any';
  build(args: MatcherArgs): BuiltMatcher;
}

/** Lets builders report errors at the position of an argument. */
export class MatcherArgs {
  constructor(
    private readonly rule: string,
    readonly matcher: string,
    readonly args: readonly RuleArg[],
  ) {}

  get values(): string[] {
    return this.args.map((a) => a.value);
  }

  /** Points at the argument's opening quote, or at `offsetInValue` inside a backtick literal. */
  fail(index: number, message: string, offsetInValue?: number): never {
    const arg = this.args[index];
    // Offsets inside a double-quoted literal do not map onto the rule once escapes are decoded.
    const column = arg.at + 1 + (arg.raw && offsetInValue !== undefined ? 1 + offsetInValue : 0);
    throw new RuleSyntaxError(this.rule, column, `${this.matcher}: ${message}`);
  }

  /** Runs a regexp/template compiler, mapping its errors onto the argument. */
  compile<T>(index: number, compile: (value: string) => T): T {
    try {
      return compile(this.args[index].value);
    } catch (err) {
      if (err instanceof GoRegexpError) this.fail(index, err.message, err.offset);
      throw err;
    }
  }
}

/** Rejects non-ASCII host values, as Traefik does (use punycode). */
export function asciiHost(a: MatcherArgs, index: number): string {
  const value = a.args[index].value;
  const bad = /[^\x00-\x7f]/.exec(value);
  if (bad) a.fail(index, `non-ASCII characters are not allowed in ${JSON.stringify(value)} (use punycode)`, bad.index);
  return value;
}

/** Canonical form of a Host rule value: lower-cased, one trailing dot removed. */
export function canonicalRuleHost(value: string): string {
  const host = value.toLowerCase();
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** Exact host comparison; a request without a host never matches. */
export function exactHosts(hosts: readonly string[]): BuiltMatcher {
  if (hosts.length === 1) {
    const [host] = hosts;
    return { test: (f) => f.host === host && host !== '', hosts };
  }
  const set = new Set(hosts.filter((h) => h !== ''));
  return { test: (f) => set.has(f.host), hosts };
}

/** ClientIP over one or more addresses/CIDRs; the peer, never X-Forwarded-For. */
export function clientIpMatcher(a: MatcherArgs): BuiltMatcher {
  const ranges: IpRange[] = a.args.map((arg, i) => parseIpRange(arg.value) ?? a.fail(i, `invalid IP address or CIDR ${JSON.stringify(arg.value)}`));
  return {
    test: (f) => {
      const ip = f.clientIpBytes;
      if (ip === undefined) return false;
      for (const range of ranges) if (ipInRange(ip, range)) return true;
      return false;
    },
    hosts: null,
  };
}

/** Some field line of the header equals `value`. */
export function headerEquals(name: string, value: string): Predicate {
  const key = name.toLowerCase();
  return (f) => f.headerValues(key).includes(value);
}

/** Some field line of the header matches `re` (unanchored). */
export function headerMatches(name: string, re: LinearRegexp): Predicate {
  const key = name.toLowerCase();
  return (f) => f.headerValues(key).some((v) => re.test(v));
}

/** Rule paths must start with a slash, as Traefik and gorilla/mux require. */
export function rootedPath(a: MatcherArgs, index: number): string {
  const path = a.args[index].value;
  if (!path.startsWith('/')) a.fail(index, `path ${JSON.stringify(path)} does not start with a '/'`);
  return path;
}
