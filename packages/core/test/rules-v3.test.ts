import test from 'ava';
import { describeRequest, matches, type FakeRequest } from './rules-fixtures.js';

type Case = readonly [rule: string, request: FakeRequest, expected: boolean];

const cases: Case[] = [
  // Host: canonical host, case-insensitive, port and trailing dot ignored.
  ['Host(`example.com`)', { host: 'example.com' }, true],
  ['Host(`example.com`)', { host: 'EXAMPLE.com:8080' }, true],
  ['Host(`example.com`)', { host: 'example.com.' }, true],
  ['Host(`Example.COM.`)', { host: 'example.com' }, true],
  ['Host(`example.com`)', { host: 'www.example.com' }, false],
  ['Host(`example.com`)', { host: null }, false],
  ['Host(`example.com:8080`)', { host: 'example.com:8080' }, false],
  ['Host(`::1`)', { host: '[::1]:8080' }, true],
  ['Host(`abs.example`)', { url: 'http://abs.example:81/p', host: 'other.example' }, true],
  ['Host(`other.example`)', { url: 'http://abs.example/p', host: 'other.example' }, false],
  ['Host(`*.example.com`)', { host: 'a.example.com' }, true],
  ['Host(`*.example.com`)', { host: 'A.Example.com:443' }, true],
  ['Host(`*.example.com`)', { host: 'a.b.example.com' }, false],
  ['Host(`*.example.com`)', { host: 'example.com' }, false],
  ['Host(`*.example.com`)', { host: '.example.com' }, false],
  ['Host(`*`)', { host: 'anything.test' }, true],
  ['Host(`*`)', { host: null }, true],
  // HostRegexp: unanchored Go regexp on the lower-cased, port-less host.
  ['HostRegexp(`^[a-z]+\\.example\\.com$`)', { host: 'FOO.example.com:8080' }, true],
  ['HostRegexp(`^[a-z]+\\.example\\.com$`)', { host: 'a.b.example.com' }, false],
  ['HostRegexp(`example`)', { host: 'www.example.org' }, true],
  ['HostRegexp(`^[A-Z]+$`)', { host: 'ABC' }, false],
  ['HostRegexp(`(?i)^[A-Z]+$`)', { host: 'ABC' }, true],
  ['HostRegexp(`.*`)', { host: null }, true],
  ['HostRegexp(`.+`)', { host: null }, false],
  // Method: rule upper-cased, request method as received.
  ['Method(`get`)', { method: 'GET' }, true],
  ['Method(`GET`)', { method: 'POST' }, false],
  // Path / PathPrefix / PathRegexp on the routing path.
  ['Path(`/foo`)', { url: '/foo' }, true],
  ['Path(`/foo`)', { url: '/foo?x=1' }, true],
  ['Path(`/foo`)', { url: '/foo/' }, false],
  ['Path(`/foo`)', { url: '/FOO' }, false],
  ['Path(`/foo bar`)', { url: '/foo%20bar' }, true],
  ['Path(`/foo/bar`)', { url: '/foo%2Fbar' }, false],
  ['Path(`/foo%2Fbar`)', { url: '/foo%2fbar' }, true],
  ['Path(`/bar`)', { url: '/foo/../bar' }, true],
  ['Path(`/café`)', { url: '/caf%C3%A9' }, true],
  ['PathPrefix(`/products`)', { url: '/products-for-sale' }, true],
  ['PathPrefix(`/products`)', { url: '/prod' }, false],
  ['PathPrefix(`/`)', { url: '/anything/at/all' }, true],
  ['PathRegexp(`^/api/v[0-9]+/`)', { url: '/api/v2/users' }, true],
  ['PathRegexp(`^/api/v[0-9]+/`)', { url: '/api/vx/users' }, false],
  ['PathRegexp(`v[0-9]`)', { url: '/x/v1' }, true],
  ['PathRegexp(`\\.(css|js)$`)', { url: '/static/app.js' }, true],
  // Header: raw field lines, name case-insensitive, value exact, Host invisible.
  ['Header(`x-test`, `a`)', { headers: [['X-Test', 'a']] }, true],
  ['Header(`X-Test`, `A`)', { headers: [['X-Test', 'a']] }, false],
  ['Header(`X-Test`, `a`)', { headers: [['X-Test', 'a, b']] }, false],
  ['Header(`X-Test`, `a, b`)', { headers: [['X-Test', 'a, b']] }, true],
  ['Header(`X-Test`, `a`)', { headers: [['X-Test', 'b'], ['x-test', 'a']] }, true],
  ['Header(`X-Test`, `a`)', { headers: [] }, false],
  ['Header(`Host`, `example.com`)', { host: 'example.com' }, false],
  ['HeaderRegexp(`X-Test`, `^a`)', { headers: [['X-Test', 'abc']] }, true],
  ['HeaderRegexp(`X-Test`, `^a`)', { headers: [['X-Test', 'bac']] }, false],
  ['HeaderRegexp(`Host`, `.*`)', { host: 'example.com' }, false],
  // Query: form-decoded, case-sensitive, any of repeated values, `;` separates pairs.
  ['Query(`mobile`)', { url: '/?mobile' }, true],
  ['Query(`mobile`)', { url: '/?mobile=' }, true],
  ['Query(`mobile`)', { url: '/?mobile=true' }, false],
  ['Query(`mobile`)', { url: '/' }, false],
  ['Query(`q`, `a b`)', { url: '/?q=a+b' }, true],
  ['Query(`q`, `a b`)', { url: '/?q=a%20b' }, true],
  ['Query(`k`, `v`)', { url: '/?k=x&k=v' }, true],
  ['Query(`k`, `v`)', { url: '/?k=x;k=v' }, true],
  ['Query(`K`, `v`)', { url: '/?k=v' }, false],
  ['Query(`k`, `V`)', { url: '/?k=v' }, false],
  ['Query(`k`, `v`)', { url: '/?k=%zz&k=v' }, true],
  ['QueryRegexp(`q`, `^\\d+$`)', { url: '/?q=12' }, true],
  ['QueryRegexp(`q`, `^\\d+$`)', { url: '/?q=1a' }, false],
  ['QueryRegexp(`q`, `\\d`)', { url: '/?q=x&q=a1' }, true],
  ['QueryRegexp(`mobile`)', { url: '/?mobile' }, true],
  ['QueryRegexp(`mobile`)', { url: '/?mobile=1' }, false],
  // ClientIP: TCP peer, CIDR, IPv4-mapped IPv6, X-Forwarded-For ignored.
  ['ClientIP(`10.0.0.0/8`)', { ip: '10.1.2.3' }, true],
  ['ClientIP(`10.0.0.0/8`)', { ip: '11.0.0.1' }, false],
  ['ClientIP(`10.1.2.3`)', { ip: '::ffff:10.1.2.3' }, true],
  ['ClientIP(`::ffff:10.1.2.3`)', { ip: '10.1.2.3' }, true],
  ['ClientIP(`192.168.1.0/25`)', { ip: '192.168.1.127' }, true],
  ['ClientIP(`192.168.1.0/25`)', { ip: '192.168.1.128' }, false],
  ['ClientIP(`2001:db8::/32`)', { ip: '2001:db8:0:1::5' }, true],
  ['ClientIP(`2001:db8::/32`)', { ip: '2001:db9::1' }, false],
  ['ClientIP(`::1`)', { ip: '::1' }, true],
  ['ClientIP(`1.1.1.1`)', { ip: '2.2.2.2', headers: [['X-Forwarded-For', '1.1.1.1']] }, false],
  ['ClientIP(`0.0.0.0/0`)', { ip: '' }, false],
];

for (const [rule, request, expected] of cases) {
  test(`v3 ${rule} ${expected ? 'matches' : 'does not match'} ${describeRequest(request)}`, (t) => {
    t.is(matches(rule, request), expected);
  });
}

test('v2-only matchers are errors in v3', (t) => {
  for (const rule of ['HostHeader(`a`)', 'Headers(`a`, `b`)', 'HeadersRegexp(`a`, `b`)']) {
    t.throws(() => matches(rule, {}), { message: /unknown matcher .* in v3 rule syntax \(it is a v2 matcher\)/ }, rule);
  }
});

test('v3 matchers reject wrong argument counts and invalid values', (t) => {
  const bad = [
    ['Host(`a`, `b`)', /Host takes 1 argument, got 2/],
    ['Header(`X-A`)', /Header takes 2 arguments, got 1/],
    ['Query(`a`, `b`, `c`)', /Query takes 1 or 2 arguments, got 3/],
    ['Path(`foo`)', /does not start with a '\/'/],
    ['PathPrefix(`foo`)', /does not start with a '\/'/],
    ['Host(`bücher.example`)', /non-ASCII/],
    ['HostRegexp(`bücher`)', /non-ASCII/],
    ['ClientIP(`10.0.0.300`)', /invalid IP address or CIDR/],
    ['ClientIP(`10.0.0.0/33`)', /invalid IP address or CIDR/],
    ['PathRegexp(`(`)', /invalid regexp/],
  ] as const;
  for (const [rule, message] of bad) t.throws(() => matches(rule, {}), { message }, rule);
});

test('an unknown ruleSyntax value parses as v3', (t) => {
  t.true(matches('Header(`X-A`, `1`)', { headers: [['X-A', '1']] }, 'v4' as 'v3'));
  t.throws(() => matches('Headers(`X-A`, `1`)', {}, 'default' as 'v3'));
});
