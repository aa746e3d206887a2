import test from 'ava';
import { compileRule } from '../src/rules/index.js';
import { factsOf } from './rules-fixtures.js';

// Rule regexps run on RE2 semantics (re2js), linear in the input like Go's regexp that Traefik
// uses. A backtracking engine takes exponential time on these: ^(a+)+$ against 30 characters
// already takes seconds, against 50 KB it never ends.
const N = 50 * 1024;
const cases: ReadonlyArray<readonly [string, Parameters<typeof factsOf>[0], 'v2' | 'v3']> = [
  ['HostRegexp(`^(a+)+$`)', { host: `${'a'.repeat(N)}!` }, 'v3'],
  ['HeaderRegexp(`X-Token`, `^(a|aa)+$`)', { headers: [['X-Token', `${'a'.repeat(N)}!`]] }, 'v3'],
  ['PathRegexp(`^/(x+x+)+y$`)', { url: `/${'x'.repeat(N)}` }, 'v3'],
  ['QueryRegexp(`q`, `^(a*)*b$`)', { url: `/?q=${'a'.repeat(N)}` }, 'v3'],
  ['HostRegexp(`{sub:(a+)+}.example`)', { host: `${'a'.repeat(N)}!.example` }, 'v2'],
  ['Path(`/{id:(x+x+)+y}`)', { url: `/${'x'.repeat(N)}` }, 'v2'],
];

for (const [rule, request, syntax] of cases) {
  test(`${syntax} ${rule} against ${N} hostile characters answers in linear time`, (t) => {
    const compiled = compileRule(rule, syntax);
    const startedAt = performance.now();
    t.false(compiled.match(factsOf(request)));
    const ms = performance.now() - startedAt;
    t.log(`${ms.toFixed(1)} ms`);
    t.true(ms < 2_000, `${ms.toFixed(0)} ms`);
  });
}

test('RE2 semantics: Go classes and flags still match as Go does', (t) => {
  t.true(compileRule('HostRegexp(`^[[:alpha:]]+\\.example$`)').match(factsOf({ host: 'api.example' })));
  t.false(compileRule('HeaderRegexp(`X-S`, `^\\s$`)').match(factsOf({ headers: [['X-S', '\u00a0']] })), 'Go\'s \\s is ASCII');
  t.true(compileRule('HeaderRegexp(`X-L`, `(?i)^abc$`)').match(factsOf({ headers: [['X-L', 'ABC']] })));
  t.true(compileRule('HostRegexp(`{sub:[a-z]+}.EXAMPLE`)', 'v2').match(factsOf({ host: 'API.example' })), 'v2 host templates ignore case');
});
