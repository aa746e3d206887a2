import test from 'ava';
import { RuleSyntaxError } from '../src/errors.js';
import { compileRule } from '../src/rules/index.js';
import { describeRequest, matches, type FakeRequest } from './rules-fixtures.js';

const A = 'Host(`a.com`)';
const B = 'Host(`b.com`)';
const X = 'Path(`/x`)';

type Case = readonly [rule: string, request: FakeRequest, expected: boolean];

const logic: Case[] = [
  // `&&` binds tighter than `||`: A || B && X = A || (B && X).
  [`${A} || ${B} && ${X}`, { host: 'a.com', url: '/y' }, true],
  [`${A} || ${B} && ${X}`, { host: 'b.com', url: '/y' }, false],
  [`${A} || ${B} && ${X}`, { host: 'b.com', url: '/x' }, true],
  [`${X} && ${B} || ${A}`, { host: 'a.com', url: '/y' }, true],
  [`(${A} || ${B}) && ${X}`, { host: 'a.com', url: '/y' }, false],
  [`(${A} || ${B}) && ${X}`, { host: 'b.com', url: '/x' }, true],
  // `!` binds tighter than `&&`, and is pushed down with De Morgan.
  [`!${A} && ${X}`, { host: 'b.com', url: '/x' }, true],
  [`!${A} && ${X}`, { host: 'a.com', url: '/x' }, false],
  [`!(${A} && ${X})`, { host: 'a.com', url: '/y' }, true],
  [`!(${A} && ${X})`, { host: 'a.com', url: '/x' }, false],
  [`!(${A} || ${X})`, { host: 'b.com', url: '/y' }, true],
  [`!(${A} || ${X})`, { host: 'b.com', url: '/x' }, false],
  [`!(${A} || ${B} && ${X})`, { host: 'b.com', url: '/y' }, true],
  [`!(${A} || ${B} && ${X})`, { host: 'b.com', url: '/x' }, false],
  [`!!${A}`, { host: 'a.com' }, true],
  [`!!${A}`, { host: 'b.com' }, false],
  [`!(!${A})`, { host: 'a.com' }, true],
  // Whitespace, newlines after operators, trailing comma, double-quoted strings.
  [`${A} &&\n\t${X}\n`, { host: 'a.com', url: '/x' }, true],
  ['Host(\n`a.com`,\n)', { host: 'a.com' }, true],
  ['Host("a.com")', { host: 'a.com' }, true],
  ['PathRegexp("^/a\\\\.b$")', { url: '/a.b' }, true],
  ['PathRegexp("^/a\\\\.b$")', { url: '/aXb' }, false],
  ['Path("/\\x41\\u00e9")', { url: '/A%C3%A9' }, true],
  ['Header("X-Q", "say \\"hi\\"")', { headers: [['X-Q', 'say "hi"']] }, true],
];

for (const [rule, request, expected] of logic) {
  test(`${JSON.stringify(rule)} ${expected ? 'matches' : 'does not match'} ${describeRequest(request)}`, (t) => {
    t.is(matches(rule, request), expected);
  });
}

test('matcher names accept exactly four spellings', (t) => {
  for (const name of ['PathPrefix', 'pathprefix', 'PATHPREFIX', 'Pathprefix']) t.true(matches(`${name}(\`/a\`)`, { url: '/a/b' }), name);
  for (const name of ['ClientIP', 'clientip', 'CLIENTIP', 'Clientip']) t.true(matches(`${name}(\`127.0.0.1\`)`, {}), name);
  for (const name of ['HostHeader', 'hostheader', 'HOSTHEADER', 'Hostheader']) t.true(matches(`${name}(\`a.com\`)`, { host: 'a.com' }, 'v2'), name);
  for (const name of ['pathPrefix', 'PathprefiX', 'ClientIp', 'clientIP', 'HostRegExp']) {
    t.throws(() => compileRule(`${name}(\`/a\`)`), { instanceOf: RuleSyntaxError, message: /unknown matcher/ }, name);
  }
});

/** [rule, 1-based column, message] */
const errors: ReadonlyArray<readonly [string, number, RegExp]> = [
  ['', 1, /empty rule/],
  ['   ', 1, /empty rule/],
  ['Host(`a`)\n&& Path(`/b`)', 10, /newline .* put '&&' at the end of the previous line/],
  ['(Host(`a`)\n|| Path(`/b`))', 11, /newline .* put '\|\|'/],
  ['Host(`a`\n)', 9, /missing ',' before newline/],
  ['Host\n(`a`)', 5, /newline between 'Host' and '\('/],
  ['Host(`a`) && Path(`/a`) + Path(`/b`)', 25, /after a complete expression/],
  ['Host("\\.")', 7, /unknown escape sequence \\\./],
  ['Host("a', 6, /string literal not terminated/],
  ['Host(`a', 6, /raw string literal not terminated/],
  ['Host("a\nb")', 8, /newline in string literal/],
  ["Host('a')", 6, /single quotes are not allowed/],
  ['Host(a.com)', 6, /must be a quoted string/],
  ['Host(42)', 6, /must be a quoted string/],
  ['`a.com`', 1, /a bare string is not a rule/],
  ['true', 1, /'true' is not a matcher call/],
  ['Foo(`a`)', 1, /unknown matcher Foo/],
  ['Host()', 1, /Host: no arguments/],
  ['Host(``)', 6, /Host: empty argument/],
  ['Query(`a`, ``)', 12, /Query: empty argument/],
  ['Host(`a`, `b`)', 1, /Host takes 1 argument, got 2/],
  ['Host(`a`) && PathPrefix(`a`)', 25, /does not start with a '\/'/],
  ['Host(`a`) & Path(`/`)', 11, /'&' is not an operator, use '&&'/],
  ['Host(`a`) | Path(`/`)', 11, /'\|' is not an operator, use '\|\|'/],
  ['Host(`a`) and Path(`/`)', 11, /use '&&', '\|\|' or '!'/],
  ['Host(`a`) Path(`/`)', 11, /after a complete expression/],
  ['Host(`a`) == Path(`/`)', 11, /'==' is not an operator/],
  ['Host(`a`) &&', 13, /unexpected end of rule/],
  ['(Host(`a`)', 11, /expected '\)', found end of rule/],
  ['Host(`a`))', 10, /unexpected '\)'/],
  ['Host(`a` `b`)', 10, /expected ',' or '\)'/],
  ['Host(`a`,,)', 10, /unexpected ','/],
  ['!', 2, /unexpected end of rule/],
  ['Host(`a`) && $', 14, /unexpected character "\$"/],
  ['PathRegexp(`^/a(?=b)`)', 16, /lookaround/],
  ['PathRegexp("^/a(?=b)")', 12, /lookaround/],
];

for (const [rule, column, message] of errors) {
  test(`parse error at column ${column}: ${JSON.stringify(rule)}`, (t) => {
    const err = t.throws(() => compileRule(rule), { instanceOf: RuleSyntaxError, message });
    t.is(err?.column, column);
    t.is(err?.rule, rule);
    t.is(err?.code, 'RULE_SYNTAX');
  });
}

/** [rule, hosts] — what the route matcher may index a rule under. */
const hostsCases: ReadonlyArray<readonly [string, readonly string[] | null]> = [
  ['Host(`a.com`)', ['a.com']],
  ['Host(`A.Com.`)', ['a.com']],
  ['Host(`a.com`) && Path(`/x`)', ['a.com']],
  ['Path(`/x`) && Host(`a.com`)', ['a.com']],
  ['Host(`a.com`) || Host(`b.com`)', ['a.com', 'b.com']],
  ['Host(`a.com`) || host(`A.com`)', ['a.com']],
  ['(Host(`a.com`) || Host(`b.com`)) && Path(`/x`)', ['a.com', 'b.com']],
  ['(Host(`a.com`) || Host(`b.com`)) && Host(`b.com`)', ['b.com']],
  ['Host(`a.com`) && Host(`b.com`)', []],
  ['Host(`a.com`) || Path(`/x`)', null],
  ['Path(`/x`)', null],
  ['!Host(`a.com`)', null],
  ['!!Host(`a.com`)', ['a.com']],
  ['!(!Host(`a.com`) || Path(`/x`))', ['a.com']],
  ['Host(`a.com`) && !Host(`b.com`)', ['a.com']],
  ['Host(`*.a.com`)', null],
  ['Host(`*`)', null],
  ['HostRegexp(`^a\\.com$`)', null],
];

for (const [rule, hosts] of hostsCases) {
  test(`hosts of ${rule} = ${JSON.stringify(hosts)}`, (t) => {
    const compiled = compileRule(rule);
    t.deepEqual(compiled.hosts === null ? null : [...compiled.hosts].sort(), hosts);
  });
}

test('a rule whose hosts are empty never matches', (t) => {
  const rule = compileRule('Host(`a.com`) && Host(`b.com`)');
  t.false(matches(rule.rule, { host: 'a.com' }));
  t.false(matches(rule.rule, { host: 'b.com' }));
});

test('compiled rules keep their text and syntax and are frozen', (t) => {
  const rule = compileRule('Host(`a.com`)');
  t.is(rule.rule, 'Host(`a.com`)');
  t.is(rule.syntax, 'v3');
  t.true(Object.isFrozen(rule));
});
