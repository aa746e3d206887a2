import test from 'ava';
import { RuleSyntaxError } from '../src/errors.js';
import { compileRule } from '../src/rules/index.js';
import { matches } from './rules-fixtures.js';

/** Go regexps exercised through HeaderRegexp, whose subject is any header value. */
const viaHeader = (re: string, value: string): boolean => matches(`HeaderRegexp(\`X-V\`, \`${re}\`)`, { headers: [['X-V', value]] });

type Case = readonly [goRegexp: string, subject: string, expected: boolean];

const cases: Case[] = [
  ['(?i)^abc$', 'ABC', true],
  ['^abc$', 'ABC', false],
  ['(?i)(?s)^a.c$', 'A\nC', true],
  ['(?is)^a.c$', 'A\nc', true],
  ['^a.c$', 'a\nc', false],
  ['^a.c$', 'a\rc', true],
  ['\\Aab\\z', 'ab', true],
  ['\\Aab\\z', 'xab', false],
  ['(?m)^b$', 'a\nb', true],
  ['^b$', 'a\nb', false],
  ['(?P<word>a+)b', 'caab', true],
  ['(?<word>a+)b', 'caab', true],
  ['^[[:digit:]]+$', '123', true],
  ['^[[:alpha:]_]+$', 'ab_c', true],
  ['^[[:alpha:]]+$', 'ab1', false],
  ['^\\pL+$', 'été', true],
  ['^\\p{Greek}+$', 'αβγ', true],
  ['^\\p{Greek}+$', 'abc', false],
  ['^\\PL$', '1', true],
  ['^\\p{^L}$', '1', true],
  ['^\\s$', '\t', true],
  ['^\\s$', '\u00a0', false],
  ['^\\S$', '\u00a0', true],
  ['^x{,3}$', 'x{,3}', true],
  ['^x{2}$', 'xx', true],
  ['^x{2,}$', 'xxxx', true],
  ['^[]a]+$', ']a', true],
  ['^[^]a]$', 'b', true],
  ['^\\Q.*+\\E$', '.*+', true],
  ['^\\Q.*+\\E$', 'aaa', false],
  ['^\\x{41}\\x42$', 'AB', true],
  ['^a\\-b\\#c$', 'a-b#c', true],
  ['^[a\\-z]+$', 'a-z', true],
  ['^[a\\-z]+$', 'b', false],
  ['^\\101$', 'A', true],
  ['^a\\x00?$', 'a', true],
  ['^\\a$', '\u0007', true],
  ['^a]$', 'a]', true],
  ['^a}$', 'a}', true],
  ['^(?:ab)+$', 'abab', true],
  ['^a|b$', 'xb', true],
  ['^[\\d\\s]+$', '1 2', true],
  ['^\\w+\\b', 'abc def', true],
  ['^é$', 'é', true],
];

for (const [re, subject, expected] of cases) {
  test(`Go regexp ${re} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(subject)}`, (t) => {
    t.is(viaHeader(re, subject), expected);
  });
}

test('the ungreedy flag (?U) is accepted (greediness is not observable when only testing for a match)', (t) => {
  t.notThrows(() => compileRule('PathRegexp(`(?U)^/a+?b*`)'));
  t.true(viaHeader('(?U)^a+?$', 'aaa'));
});

/** Patterns Go rejects or that have no JavaScript equivalent: [pattern, message]. */
const rejected: ReadonlyArray<readonly [string, RegExp]> = [
  ['a(?=b)', /lookaround/],
  ['a(?!b)', /lookaround/],
  ['(?<=a)b', /lookaround/],
  ['(?<!a)b', /lookaround/],
  ['(a)\\1', /backreferences are not supported/],
  ['\\8', /invalid escape sequence \\8/],
  ['\\k<x>', /invalid escape sequence \\k/],
  ['a(?i)b', /inline flags are only supported at the start/],
  ['(?i:a)b', /inline flags are only supported at the start/],
  ['(?z)a', /invalid or unsupported Perl syntax/],
  ['[a', /missing closing \]/],
  ['a\\', /trailing backslash/],
  ['a**', /invalid regexp/],
  ['(a', /invalid regexp/],
  ['[[:nope:]]', /invalid character class range/],
  ['\\p{NotAScript}', /invalid regexp/],
  ['(?P<a-b>x)', /invalid named capture/],
];

for (const [re, message] of rejected) {
  test(`Go regexp ${re} is rejected`, (t) => {
    const rule = `PathRegexp(\`${re}\`)`;
    const err = t.throws(() => compileRule(rule), { instanceOf: RuleSyntaxError, message });
    // Column points inside the backtick literal: between its first character and its end.
    t.true(err!.column >= 13 && err!.column <= 12 + re.length, `column ${err!.column}`);
  });
}

test('regexp error columns point at the offending construct in a backtick literal', (t) => {
  const err = t.throws(() => compileRule('PathRegexp(`^/api(?=v1)`)'), { instanceOf: RuleSyntaxError });
  t.is(err?.column, 18);
});
