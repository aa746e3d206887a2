import { compileGoRegexp } from './go-regexp.js';
import {
  asciiHost,
  canonicalRuleHost,
  clientIpMatcher,
  exactHosts,
  headerEquals,
  headerMatches,
  rootedPath,
  type BuiltMatcher,
  type MatcherArgs,
  type MatcherSpec,
} from './matcher-kit.js';

const any = (test: BuiltMatcher['test']): BuiltMatcher => ({ test, hosts: null });

/** v3 Host: exact, `*.domain` (exactly one extra label, since 3.7.0) or `*` (everything, since 3.7.7). */
function host(a: MatcherArgs): BuiltMatcher {
  const value = canonicalRuleHost(asciiHost(a, 0));
  if (value === '*') return any(() => true);
  if (value.startsWith('*.') && value.length > 2) {
    const suffix = value.slice(1);
    return any((f) => {
      const h = f.host;
      return h.length > suffix.length && h.endsWith(suffix) && h.lastIndexOf('.', h.length - suffix.length - 1) < 0;
    });
  }
  return exactHosts([value]);
}

function hostRegexp(a: MatcherArgs): BuiltMatcher {
  asciiHost(a, 0);
  const re = a.compile(0, (v) => compileGoRegexp(v));
  // Traefik also tries the CNAME-flattened host, `''` when flattening is off.
  if (re.test('')) return any(() => true);
  return any((f) => re.test(f.host));
}

function query(a: MatcherArgs): BuiltMatcher {
  const [key, value = ''] = a.values;
  return any((f) => f.queryValues(key)?.includes(value) === true);
}

function queryRegexp(a: MatcherArgs): BuiltMatcher {
  if (a.args.length === 1) return query(a);
  const key = a.args[0].value;
  const re = a.compile(1, (v) => compileGoRegexp(v));
  return any((f) => f.queryValues(key)?.some((v) => re.test(v)) === true);
}

/** v3 matchers (Traefik `httpFuncs`); each takes exactly the listed argument counts. */
export const v3Matchers: readonly MatcherSpec[] = [
  { name: 'ClientIP', arity: [1], build: clientIpMatcher },
  {
    name: 'Method',
    arity: [1],
    build: (a) => {
      const method = a.args[0].value.toUpperCase();
      return any((f) => f.method === method);
    },
  },
  { name: 'Host', arity: [1], build: host },
  { name: 'HostRegexp', arity: [1], build: hostRegexp },
  {
    name: 'Path',
    arity: [1],
    build: (a) => {
      const path = rootedPath(a, 0);
      return { ...any((f) => f.path === path), prefixes: [path] };
    },
  },
  {
    name: 'PathPrefix',
    arity: [1],
    build: (a) => {
      const prefix = rootedPath(a, 0);
      return { ...any((f) => f.path.startsWith(prefix)), prefixes: [prefix] };
    },
  },
  {
    name: 'PathRegexp',
    arity: [1],
    build: (a) => {
      const re = a.compile(0, (v) => compileGoRegexp(v));
      return any((f) => re.test(f.path));
    },
  },
  { name: 'Header', arity: [2], build: (a) => any(headerEquals(a.args[0].value, a.args[1].value)) },
  {
    name: 'HeaderRegexp',
    arity: [2],
    build: (a) => any(headerMatches(a.args[0].value, a.compile(1, (v) => compileGoRegexp(v)))),
  },
  { name: 'Query', arity: [1, 2], build: query },
  { name: 'QueryRegexp', arity: [1, 2], build: queryRegexp },
];
