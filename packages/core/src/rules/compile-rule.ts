import { RuleSyntaxError } from '../errors.js';
import { MatcherArgs, type MatcherSpec, type Predicate } from './matcher-kit.js';
import { v2Matchers } from './matchers-v2.js';
import { v3Matchers } from './matchers-v3.js';
import { parseRule, type CallNode, type RuleNode } from './parser.js';
import type { RequestFacts } from './request-facts.js';

/** Rule syntax of a router: Traefik v3 (default) or the deprecated v2 one. */
export type RuleSyntax = 'v2' | 'v3';

/** A rule compiled once into closures; `match` allocates nothing beyond the lazy facts. */
export interface CompiledRule {
  readonly rule: string;
  readonly syntax: RuleSyntax;
  match(facts: RequestFacts): boolean;
  /**
   * Exact canonical hosts such that the rule can match only if `facts.host` is one of them;
   * null when the rule may match other hosts (a branch without Host, HostRegexp, wildcards,
   * negations…). An empty list means the rule can never match. Used for indexing.
   */
  readonly hosts: readonly string[] | null;
  /**
   * Literal path prefixes such that the rule can match only if the routing path starts with one
   * of them (`Path` and `PathPrefix` in every branch); null when any path may match. Used for
   * indexing the routes that share a host.
   */
  readonly prefixes: readonly string[] | null;
}

/** Traefik registers every matcher as documented, lower, UPPER and Title-of-lower. */
function spellings(specs: readonly MatcherSpec[]): Map<string, MatcherSpec> {
  const byName = new Map<string, MatcherSpec>();
  for (const spec of specs) {
    const lower = spec.name.toLowerCase();
    for (const spelling of [spec.name, lower, spec.name.toUpperCase(), lower[0].toUpperCase() + lower.slice(1)]) {
      byName.set(spelling, spec);
    }
  }
  return byName;
}

const tables: Record<RuleSyntax, Map<string, MatcherSpec>> = { v2: spellings(v2Matchers), v3: spellings(v3Matchers) };

/**
 * Parses and compiles a router rule.
 *
 * @param rule the rule text, e.g. ``Host(`example.com`) && PathPrefix(`/api`)``
 * @param syntax `v3` by default; any value other than `v2` is v3, as in Traefik
 * @throws RuleSyntaxError with a 1-based column (offset in the whole rule) and what is wrong
 */
export function compileRule(rule: string, syntax?: RuleSyntax): CompiledRule {
  const effective: RuleSyntax = syntax === 'v2' ? 'v2' : 'v3';
  const { test, hosts, prefixes } = compileNode(rule, parseRule(rule), tables[effective], effective);
  return Object.freeze({ rule, syntax: effective, match: test, hosts, prefixes });
}

interface Compiled {
  readonly test: Predicate;
  readonly hosts: readonly string[] | null;
  readonly prefixes: readonly string[] | null;
}

function compileNode(rule: string, node: RuleNode, table: Map<string, MatcherSpec>, syntax: RuleSyntax): Compiled {
  if (node.kind === 'call') return compileCall(rule, node, table, syntax);
  const left = compileNode(rule, node.left, table, syntax);
  const right = compileNode(rule, node.right, table, syntax);
  const [l, r] = [left.test, right.test];
  if (node.kind === 'and') {
    // Both sides must hold: either side's prefixes are a necessary condition (the more specific is kept).
    return { test: (f) => l(f) && r(f), hosts: intersect(left.hosts, right.hosts), prefixes: narrower(left.prefixes, right.prefixes) };
  }
  const hosts = left.hosts && right.hosts ? [...new Set([...left.hosts, ...right.hosts])] : null;
  const prefixes = left.prefixes && right.prefixes ? [...new Set([...left.prefixes, ...right.prefixes])] : null;
  return { test: (f) => l(f) || r(f), hosts, prefixes };
}

/** Of two necessary prefix conditions, the one that admits fewer paths (the longest shortest prefix). */
function narrower(a: readonly string[] | null, b: readonly string[] | null): readonly string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const shortest = (list: readonly string[]): number => Math.min(...list.map((p) => p.length));
  return shortest(b) > shortest(a) ? b : a;
}

function intersect(a: readonly string[] | null, b: readonly string[] | null): readonly string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.filter((h) => b.includes(h));
}

function compileCall(rule: string, call: CallNode, table: Map<string, MatcherSpec>, syntax: RuleSyntax): Compiled {
  const spec = table.get(call.name) ?? unknownMatcher(rule, call, syntax);
  const fail = (column: number, message: string): never => {
    throw new RuleSyntaxError(rule, column, message);
  };
  if (call.args.length === 0) fail(call.at + 1, `${call.name}: no arguments`);
  const empty = call.args.find((a) => a.value === '');
  if (empty) fail(empty.at + 1, `${call.name}: empty argument`);
  if (spec.arity !== 'any' && !spec.arity.includes(call.args.length)) {
    const expected = spec.arity.join(' or ');
    const hint = spec.name === 'Host' || spec.name === 'Method' ? ` (combine several with ||)` : '';
    fail(call.at + 1, `${call.name} takes ${expected} argument${expected === '1' ? '' : 's'}, got ${call.args.length}${hint}`);
  }
  const built = spec.build(new MatcherArgs(rule, call.name, call.args));
  if (!call.negated) return { test: built.test, hosts: built.hosts, prefixes: built.prefixes ?? null };
  const test = built.test;
  return { test: (f) => !test(f), hosts: null, prefixes: null };
}

function unknownMatcher(rule: string, call: CallNode, syntax: RuleSyntax): never {
  const other: RuleSyntax = syntax === 'v2' ? 'v3' : 'v2';
  const lower = call.name.toLowerCase();
  const sameSyntax = [...tables[syntax].values()].find((s) => s.name.toLowerCase() === lower);
  const otherSyntax = [...tables[other].values()].find((s) => s.name.toLowerCase() === lower);
  let message = `unknown matcher ${call.name}`;
  if (sameSyntax) {
    const l = sameSyntax.name.toLowerCase();
    message += `; write ${sameSyntax.name}, ${l}, ${sameSyntax.name.toUpperCase()} or ${l[0].toUpperCase()}${l.slice(1)}`;
  } else if (otherSyntax) {
    message += ` in ${syntax} rule syntax (it is a ${other} matcher)`;
  }
  throw new RuleSyntaxError(rule, call.at + 1, message);
}
