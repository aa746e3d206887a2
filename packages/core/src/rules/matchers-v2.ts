import { compileGoRegexp } from './go-regexp.js';
import { compileGorillaTemplate, type TemplateKind } from './gorilla-template.js';
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
  type Predicate,
} from './matcher-kit.js';

const any = (test: Predicate): BuiltMatcher => ({ test, hosts: null });

const oneOf = (tests: Predicate[]): Predicate => (tests.length === 1 ? tests[0] : (f) => tests.some((t) => t(f)));
const allOf = (tests: Predicate[]): Predicate => (tests.length === 1 ? tests[0] : (f) => tests.every((t) => t(f)));

/** Path/PathPrefix templates; a template without variables is a plain string comparison. */
function pathTemplates(kind: TemplateKind): (a: MatcherArgs) => BuiltMatcher {
  return (a) =>
    any(
      oneOf(
        a.args.map((_, i): Predicate => {
          const template = rootedPath(a, i);
          if (!template.includes('{') && !template.includes('}')) {
            return kind === 'path' ? (f) => f.path === template : (f) => f.path.startsWith(template);
          }
          const re = a.compile(i, (v) => compileGorillaTemplate(v, kind));
          return (f) => re.test(f.path);
        }),
      ),
    );
}

/** Headers/HeadersRegexp: name/value pairs, all of which must match. */
function headerPairs(regexp: boolean): (a: MatcherArgs) => BuiltMatcher {
  return (a) => {
    if (a.args.length % 2 !== 0) a.fail(a.args.length - 1, `expects name/value pairs, got an odd number of arguments (${a.args.length})`);
    const tests: Predicate[] = [];
    for (let i = 0; i < a.args.length; i += 2) {
      const name = a.args[i].value;
      tests.push(regexp ? headerMatches(name, a.compile(i + 1, (v) => compileGoRegexp(v))) : headerEquals(name, a.args[i + 1].value));
    }
    return any(allOf(tests));
  };
}

/** Query(`k=v`, …): every pair must match the first value of its key (gorilla/mux semantics). */
function queryPairs(a: MatcherArgs): BuiltMatcher {
  const tests = a.args.map((arg, i): Predicate => {
    const eq = arg.value.indexOf('=');
    if (eq < 0) a.fail(i, `${JSON.stringify(arg.value)} is not a key=value pair`);
    const key = arg.value.slice(0, eq);
    const re = a.compile(i, (v) => compileGorillaTemplate(v, 'query'));
    return (f) => {
      const values = f.queryValues(key);
      return values !== undefined && re.test(`${key}=${values[0]}`);
    };
  });
  return any(allOf(tests));
}

/** v2 matchers (Traefik `httpFuncsV2`): most take several values, OR-ed. */
export const v2Matchers: readonly MatcherSpec[] = [
  ...['Host', 'HostHeader'].map(
    (name): MatcherSpec => ({
      name,
      arity: 'any',
      build: (a) => exactHosts([...new Set(a.args.map((_, i) => canonicalRuleHost(asciiHost(a, i))))]),
    }),
  ),
  {
    name: 'HostRegexp',
    arity: 'any',
    build: (a) =>
      any(
        oneOf(
          a.args.map((_, i): Predicate => {
            asciiHost(a, i);
            const re = a.compile(i, (v) => compileGorillaTemplate(v, 'host'));
            return (f) => re.test(f.host);
          }),
        ),
      ),
  },
  { name: 'ClientIP', arity: 'any', build: clientIpMatcher },
  { name: 'Path', arity: 'any', build: pathTemplates('path') },
  { name: 'PathPrefix', arity: 'any', build: pathTemplates('prefix') },
  {
    name: 'Method',
    arity: 'any',
    build: (a) => {
      const methods = new Set(a.values.map((m) => m.toUpperCase()));
      return any((f) => methods.has(f.method));
    },
  },
  { name: 'Headers', arity: 'any', build: headerPairs(false) },
  { name: 'HeadersRegexp', arity: 'any', build: headerPairs(true) },
  { name: 'Query', arity: 'any', build: queryPairs },
];
