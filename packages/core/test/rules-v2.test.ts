import test from 'ava';
import { compileRule } from '../src/rules/index.js';
import { describeRequest, matches, type FakeRequest } from './rules-fixtures.js';

type Case = readonly [rule: string, request: FakeRequest, expected: boolean];

const cases: Case[] = [
  // Host / HostHeader: several values OR-ed, same comparison as v3, no wildcards.
  ['Host(`a.com`, `b.com`)', { host: 'B.com:80' }, true],
  ['Host(`a.com`, `b.com`)', { host: 'c.com' }, false],
  ['Host(`a.com.`)', { host: 'a.com' }, true],
  ['Host(`*.a.com`)', { host: 'x.a.com' }, false],
  ['HostHeader(`a.com`)', { host: 'a.com' }, true],
  ['hostheader(`a.com`)', { host: 'x.com' }, false],
  // HostRegexp: gorilla host templates, literal outside braces, anchored, case-insensitive.
  ['HostRegexp(`{sub:[a-z]+}.example.com`)', { host: 'foo.example.com' }, true],
  ['HostRegexp(`{sub:[a-z]+}.example.com`)', { host: 'FOO.EXAMPLE.COM:8080' }, true],
  ['HostRegexp(`{sub:[a-z]+}.example.com`)', { host: 'a.b.example.com' }, false],
  ['HostRegexp(`{sub:[a-z]+}.example.com`)', { host: 'fooXexample.com' }, false],
  ['HostRegexp(`{sub:[a-z]+}.example.com`)', { host: 'foo.example.com.evil' }, false],
  ['HostRegexp(`{sub}.example.com`)', { host: 'x1.example.com' }, true],
  ['HostRegexp(`{sub}.example.com`)', { host: 'a.b.example.com' }, false],
  ['HostRegexp(`example.com`, `{x}.example.org`)', { host: 'w.example.org' }, true],
  ['HostRegexp(`(example.com`)', { host: 'example.com' }, false],
  ['HostRegexp(`(example.com`)', { host: '(example.com' }, true],
  // Path / PathPrefix: gorilla path templates on the routing path.
  ['Path(`/user/{id:[0-9]+}`)', { url: '/user/12' }, true],
  ['Path(`/user/{id:[0-9]+}`)', { url: '/user/ab' }, false],
  ['Path(`/user/{id:[0-9]+}`)', { url: '/user/12/x' }, false],
  ['Path(`/user/{id}`)', { url: '/user/a%20b' }, true],
  ['Path(`/user/{id}`)', { url: '/user/a/b' }, false],
  ['Path(`/a`, `/b`)', { url: '/b' }, true],
  ['Path(`/a.b`)', { url: '/aXb' }, false],
  ['Path(`/a.b`)', { url: '/a.b' }, true],
  ['PathPrefix(`/user/{id}`)', { url: '/user/1/profile' }, true],
  ['PathPrefix(`/user/{id:[0-9]+}/`)', { url: '/user/x/profile' }, false],
  ['PathPrefix(`/api`, `/v2`)', { url: '/v2/x' }, true],
  ['PathPrefix(`/api`)', { url: '/apis' }, true],
  // Method: any of the listed methods.
  ['Method(`get`, `post`)', { method: 'POST' }, true],
  ['Method(`get`, `post`)', { method: 'PUT' }, false],
  // Headers / HeadersRegexp: pairs, all must match.
  ['Headers(`X-A`, `1`, `X-B`, `2`)', { headers: [['X-A', '1'], ['x-b', '2']] }, true],
  ['Headers(`X-A`, `1`, `X-B`, `2`)', { headers: [['X-A', '1']] }, false],
  ['Headers(`Host`, `example.com`)', { host: 'example.com' }, false],
  ['HeadersRegexp(`X-A`, `^1`, `X-B`, `b$`)', { headers: [['X-A', '12'], ['X-B', 'ab']] }, true],
  ['HeadersRegexp(`X-A`, `^1`)', { headers: [['X-A', '21']] }, false],
  // Query: `k=v` templates, all pairs must match, only the first value of a key is tested.
  ['Query(`k=v`)', { url: '/?k=v' }, true],
  ['Query(`k=v`)', { url: '/?k=w' }, false],
  ['Query(`k=v`)', { url: '/?k=v&k=w' }, true],
  ['Query(`k=v`)', { url: '/?k=w&k=v' }, false],
  ['Query(`k=a b`)', { url: '/?k=a+b' }, true],
  ['Query(`k=`)', { url: '/?k=anything' }, true],
  ['Query(`k=`)', { url: '/?k' }, true],
  ['Query(`k=`)', { url: '/?j=1' }, false],
  ['Query(`k={n:[0-9]+}`)', { url: '/?k=12' }, true],
  ['Query(`k={n:[0-9]+}`)', { url: '/?k=1a' }, false],
  ['Query(`a=1`, `b=2`)', { url: '/?b=2&a=1' }, true],
  ['Query(`a=1`, `b=2`)', { url: '/?a=1' }, false],
  // ClientIP: several addresses/networks OR-ed.
  ['ClientIP(`10.0.0.1`, `192.168.0.0/16`)', { ip: '192.168.4.4' }, true],
  ['ClientIP(`10.0.0.1`, `192.168.0.0/16`)', { ip: '10.0.0.2' }, false],
  // Precedence and negation are the same as v3.
  ['Host(`a.com`) || Host(`b.com`) && Path(`/x`)', { host: 'a.com', url: '/y' }, true],
  ['!(Host(`a.com`) && Method(`GET`))', { host: 'a.com', method: 'POST' }, true],
];

for (const [rule, request, expected] of cases) {
  test(`v2 ${rule} ${expected ? 'matches' : 'does not match'} ${describeRequest(request)}`, (t) => {
    t.is(matches(rule, request, 'v2'), expected);
  });
}

test('v2 rules report invalid arguments', (t) => {
  const bad = [
    ['Headers(`X-A`, `1`, `X-B`)', /odd number of arguments/, 21],
    ['Query(`k`)', /is not a key=value pair/, 7],
    ['HostRegexp(`{a`)', /unbalanced braces/, 13],
    ['HostRegexp(`a}`)', /unbalanced braces/, 14],
    ['Path(`/{:[0-9]+}`)', /missing name or pattern/, 8],
    ['Path(`/{id:(}`)', /invalid template/, 7],
    ['Path(`x/{id}`)', /does not start with a '\/'/, 6],
    ['Host(`bücher.example`)', /non-ASCII/, 8],
    ['ClientIP(`nope`)', /invalid IP address or CIDR/, 10],
  ] as const;
  for (const [rule, message, column] of bad) {
    const err = t.throws(() => compileRule(rule, 'v2'), { message }, rule);
    t.is((err as unknown as { column: number }).column, column, rule);
  }
});

test('v3-only matchers are errors in v2', (t) => {
  for (const rule of ['Header(`a`, `b`)', 'HeaderRegexp(`a`, `b`)', 'PathRegexp(`/a`)', 'QueryRegexp(`a`)']) {
    t.throws(() => compileRule(rule, 'v2'), { message: /unknown matcher .* in v2 rule syntax \(it is a v3 matcher\)/ }, rule);
  }
});

test('v2 multi-value Host lists its hosts for indexing', (t) => {
  t.deepEqual(compileRule('Host(`A.com`, `b.com.`)', 'v2').hosts, ['a.com', 'b.com']);
  t.deepEqual(compileRule('HostHeader(`a.com`) && Path(`/x`)', 'v2').hosts, ['a.com']);
  t.is(compileRule('HostRegexp(`a.com`)', 'v2').hosts, null);
  t.is(compileRule('Host(`a.com`)', 'v2').syntax, 'v2');
});
