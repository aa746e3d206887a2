import { once } from 'node:events';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import test from 'ava';
import { RequestFacts, canonicalHost, compileRule, normalizePath, parseRequestTarget, routingPath, sanitizePath } from '../src/rules/index.js';
import { factsOf, fakeRequest } from './rules-fixtures.js';

const hosts: ReadonlyArray<readonly [string | undefined, string]> = [
  ['example.com', 'example.com'],
  ['Example.COM:8080', 'example.com'],
  ['example.com.', 'example.com'],
  ['example.com.:443', 'example.com'],
  ['example.com:', 'example.com'],
  ['  example.com  ', 'example.com'],
  ['[::1]:8080', '::1'],
  ['[::1]', '::1'],
  ['[2001:DB8::1]', '2001:db8::1'],
  ['::1', '::1'],
  ['10.0.0.1:80', '10.0.0.1'],
  ['', ''],
  [undefined, ''],
];

for (const [header, expected] of hosts) {
  test(`canonicalHost(${JSON.stringify(header)}) = ${JSON.stringify(expected)}`, (t) => {
    t.is(canonicalHost(header), expected);
  });
}

const sanitized: ReadonlyArray<readonly [string, string]> = [
  ['/foo/bar', '/foo/bar'],
  ['/foo/../bar', '/bar'],
  ['/foo/bar//', '/foo/bar/'],
  ['/./foo/../bar//', '/bar/'],
  ['//a///b', '/a/b'],
  ['/..', '/'],
  ['/../../etc/passwd', '/etc/passwd'],
  ['/a/.', '/a'],
  ['/a/./', '/a/'],
  ['/a%2F..%2Fb', '/a%2F..%2Fb'],
  ['/', '/'],
  ['', '/'],
  ['./foo/bar', 'foo/bar'],
  ['*', '*'],
];

for (const [input, expected] of sanitized) {
  test(`sanitizePath(${JSON.stringify(input)}) = ${JSON.stringify(expected)}`, (t) => {
    t.is(sanitizePath(input), expected);
  });
}

const routing: ReadonlyArray<readonly [string, string]> = [
  ['/plain/path', '/plain/path'],
  ['/foo%20bar', '/foo bar'],
  ['/foo%2fbar', '/foo%2Fbar'],
  ['/foo%2Fbar', '/foo%2Fbar'],
  ['/a%3bb%3Fc%23d%25e', '/a%3Bb%3Fc%23d%25e'],
  ['/%41%62%7e', '/Ab~'],
  ['/caf%C3%A9', '/café'],
  ['/caf%c3%a9/%E2%82%AC', '/café/€'],
  ['/100%', '/100%'],
  ['/%zz', '/%zz'],
];

for (const [input, expected] of routing) {
  test(`routingPath(${JSON.stringify(input)}) = ${JSON.stringify(expected)}`, (t) => {
    t.is(routingPath(input), expected);
  });
}

test('normalizePath decodes unreserved escapes and upper-cases the others', (t) => {
  t.is(normalizePath('/%2e%2E/%41dmin%2f%20'), '/../Admin%2F%20');
  t.is(normalizePath('/no/escapes'), '/no/escapes');
});

test('fromRequest normalises, sanitises, then derives the routing path', (t) => {
  t.is(factsOf({ url: '/%2E%2E/admin' }).path, '/admin');
  t.is(factsOf({ url: '/a/../b%20c?x=/../y' }).path, '/b c');
  t.is(factsOf({ url: 'http://h.example/a//b?q' }).path, '/a/b');
  t.is(factsOf({ url: 'http://h.example' }).path, '/');
  t.is(RequestFacts.fromRequest(fakeRequest({ url: '/a//b' }), { sanitizePath: false }).path, '/a//b');
});

// The entry point and these tests share parseRequestTarget: what is asserted here is what production does.
const absoluteForms: ReadonlyArray<readonly [string, string | null, { url: string; host: string | undefined; facts: string }]> = [
  ['http://a.example/x?y=1', 'b.example', { url: '/x?y=1', host: 'a.example', facts: 'a.example' }],
  ['https://user:pw@A.Example:8443', 'b.example', { url: '/', host: 'A.Example:8443', facts: 'a.example' }],
  ['http://a.example?q', null, { url: '/?q', host: 'a.example', facts: 'a.example' }],
  ['http:///path', 'b.example', { url: '/path', host: 'b.example', facts: 'b.example' }],
  ['/origin/form', 'b.example', { url: '/origin/form', host: 'b.example', facts: 'b.example' }],
];

for (const [target, host, expected] of absoluteForms) {
  test(`parseRequestTarget(${target}) with Host ${String(host)}: the target's authority replaces Host`, (t) => {
    const req = fakeRequest({ url: target, host });
    const facts = RequestFacts.fromRequest(req);
    t.is(req.url, expected.url);
    t.is(req.headers.host, expected.host);
    t.is(facts.host, expected.facts);
  });
}

test('parseRequestTarget is what the entry point runs: req.url is rewritten to the cleaned origin form', (t) => {
  const req = fakeRequest({ url: 'http://a.example/%2e%2E/x//y?z=/../' });
  t.is(parseRequestTarget(req, { sanitizePath: true }), '/x/y');
  t.is(req.url, '/x/y?z=/../');
});

test('facts expose method, peer address and raw header lines without Host', (t) => {
  const facts = factsOf({ method: 'PATCH', ip: '::ffff:192.0.2.7', headers: [['X-A', '1'], ['x-a', '2, 3']] });
  t.is(facts.method, 'PATCH');
  t.is(facts.clientIp, '192.0.2.7');
  t.deepEqual(facts.headerValues('x-a'), ['1', '2, 3']);
  t.deepEqual(facts.headerValues('host'), []);
  t.is(factsOf({ ip: '2001:db8::1' }).clientIp, '2001:db8::1');
});

test('facts parse the query lazily with form decoding and ; as a separator', (t) => {
  const facts = factsOf({ url: '/p?a=1&b=x+y;a=2&c&d=%zz&e=%C3%A9' });
  t.is(facts.rawQuery, 'a=1&b=x+y;a=2&c&d=%zz&e=%C3%A9');
  t.deepEqual(facts.queryValues('a'), ['1', '2']);
  t.deepEqual(facts.queryValues('b'), ['x y']);
  t.deepEqual(facts.queryValues('c'), ['']);
  t.is(facts.queryValues('d'), undefined);
  t.deepEqual(facts.queryValues('e'), ['é']);
  t.is(facts.queryValues('missing'), undefined);
});

const loopbackRules: ReadonlyArray<readonly [string, boolean]> = [
  ['Host(`api.example.com`) && Path(`/v1/foo bar%2Fx`)', true],
  ['PathPrefix(`/v1/foo bar/`)', false],
  ['Header(`x-env`, `canary`) && Query(`tag`, `a b`) && Query(`Mobile`, `1`)', true],
  ['Query(`mobile`, `1`)', false],
  ['ClientIP(`127.0.0.0/8`) && Method(`GET`)', true],
  ['Header(`Host`, `API.Example.com.:8443`)', false],
];

test('a real HTTP/1.1 request on loopback is matched from its raw bytes', async (t) => {
  const compiled = loopbackRules.map(([rule]) => compileRule(rule));
  // Facts are read in the handler, while the connection (and its peer address) is still there.
  const seen: Array<{ host: string; path: string; clientIp: string; results: boolean[] }> = [];
  const server = createServer((req, res) => {
    const facts = RequestFacts.fromRequest(req);
    seen.push({ host: facts.host, path: facts.path, clientIp: facts.clientIp, results: compiled.map((r) => r.match(facts)) });
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(socket, 'connect');
  socket.end(
    'GET /api/../v1/foo%20bar%2Fx?Mobile=1&tag=a+b HTTP/1.1\r\nHost: API.Example.com.:8443\r\nX-Env: prod\r\nX-Env: canary\r\nConnection: close\r\n\r\n',
  );
  for await (const _ of socket) void _;
  t.is(seen.length, 1);
  const [{ host, path, clientIp, results }] = seen;
  t.is(host, 'api.example.com');
  t.is(path, '/v1/foo bar%2Fx');
  t.is(clientIp, '127.0.0.1');
  t.deepEqual(results, loopbackRules.map(([, expected]) => expected));
});
