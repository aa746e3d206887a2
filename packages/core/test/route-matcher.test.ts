import test from 'ava';
import { compileRule, type CompiledRule, type RequestFacts } from '../src/rules/index.js';
import { HostIndexedRouteMatcher, defaultPriority, type RouteEntry } from '../src/routing/index.js';
import { factsOf, type FakeRequest } from './rules-fixtures.js';

/** A route named after its rule's target; priority defaults to the rule length, like Traefik. */
function route(name: string, rule: string, options: { priority?: number; order?: number; syntax?: 'v2' } = {}): RouteEntry<string> {
  return { name, rule: compileRule(rule, options.syntax), priority: options.priority ?? defaultPriority(rule), order: options.order ?? 0, value: `svc-${name}` };
}

const winner = (routes: RouteEntry<string>[], r: FakeRequest): string | undefined => new HostIndexedRouteMatcher(routes).match(factsOf(r))?.name;

test('defaultPriority is the rule length in UTF-8 bytes', (t) => {
  t.is(defaultPriority('Host(`example.org`)'), 19);
  t.is(defaultPriority('Host(`a`) && Path(`/é`)'), 24);
  t.is(defaultPriority(' Host(`a`)\n'), 11);
});

test('the highest priority matching route wins', (t) => {
  const routes = [
    route('host', 'Host(`app.example.com`)'),
    route('api', 'Host(`app.example.com`) && PathPrefix(`/api`)'),
    route('all', 'PathPrefix(`/`)'),
  ];
  t.is(winner(routes, { host: 'app.example.com', url: '/api/users' }), 'api');
  t.is(winner(routes, { host: 'app.example.com', url: '/web' }), 'host');
  t.is(winner(routes, { host: 'b.com', url: '/api/users' }), 'all');
  t.is(winner(routes.slice(0, 2), { host: 'b.com' }), undefined);
});

test('a short Host rule loses to a longer catch-all, as in Traefik', (t) => {
  // Host(`a.com`) is 13 bytes, PathPrefix(`/`) 15.
  t.is(winner([route('host', 'Host(`a.com`)'), route('all', 'PathPrefix(`/`)')], { host: 'a.com' }), 'all');
});

test('an explicit priority is compared on the same scale as default ones', (t) => {
  const routes = [route('low', 'PathPrefix(`/`)', { priority: 1 }), route('short', 'Host(`a.com`)')];
  t.is(winner(routes, { host: 'a.com' }), 'short');
  const boosted = [route('catch', 'PathPrefix(`/`)', { priority: 1000 }), route('short', 'Host(`a.com`)')];
  t.is(winner(boosted, { host: 'a.com' }), 'catch');
  const negative = [route('neg', 'Host(`a.com`)', { priority: -5 }), route('pos', 'PathPrefix(`/`)', { priority: 1 })];
  t.is(winner(negative, { host: 'a.com' }), 'pos');
});

test('equal priority falls back to the lower order, whatever the input order', (t) => {
  const first = route('first', 'Host(`a.com`)', { priority: 10, order: 1 });
  const second = route('second', 'PathPrefix(`/`)', { priority: 10, order: 2 });
  t.is(winner([first, second], { host: 'a.com' }), 'first');
  t.is(winner([second, first], { host: 'a.com' }), 'first');
  const swapped = [route('first', 'Host(`a.com`)', { priority: 10, order: 3 }), second];
  t.is(winner(swapped, { host: 'a.com' }), 'second');
});

test('host-indexed and host-independent routes interleave by rank', (t) => {
  const routes = [
    route('a-admin', 'Host(`a.com`) && PathPrefix(`/admin`)', { priority: 50 }),
    route('any-admin', 'PathPrefix(`/admin`)', { priority: 40 }),
    route('a-root', 'Host(`a.com`)', { priority: 30 }),
    route('not-b', '!Host(`b.com`) && Method(`POST`)', { priority: 20 }),
    route('wild', 'Host(`*.a.com`)', { priority: 10 }),
  ];
  t.is(winner(routes, { host: 'a.com', url: '/admin/x' }), 'a-admin');
  t.is(winner(routes, { host: 'b.com', url: '/admin/x' }), 'any-admin');
  t.is(winner(routes, { host: 'a.com', url: '/', method: 'POST' }), 'a-root');
  t.is(winner(routes, { host: 'c.com', url: '/', method: 'POST' }), 'not-b');
  t.is(winner(routes, { host: 'x.a.com', url: '/' }), 'wild');
  t.is(winner(routes, { host: 'b.com', url: '/', method: 'POST' }), undefined);
});

test('multi-host and OR-ed Host rules are found under each of their hosts', (t) => {
  const routes = [route('ab', 'Host(`a.com`) || Host(`b.com`)'), route('v2', 'Host(`c.com`, `d.com`)', { syntax: 'v2' })];
  t.is(winner(routes, { host: 'B.com:80' }), 'ab');
  t.is(winner(routes, { host: 'd.com' }), 'v2');
  t.is(winner(routes, { host: 'e.com' }), undefined);
});

test('a request only evaluates the routes of its host and the host-independent ones', (t) => {
  const evaluated: string[] = [];
  const spy = (name: string, hosts: readonly string[] | null, result: boolean): RouteEntry<string> => {
    const rule: CompiledRule = {
      rule: name,
      syntax: 'v3',
      hosts,
      prefixes: null,
      match: (_: RequestFacts) => {
        evaluated.push(name);
        return result;
      },
    };
    return { name, rule, priority: 10, order: evaluated.length, value: name };
  };
  const matcher = new HostIndexedRouteMatcher([
    { ...spy('a1', ['a.com'], false), order: 1 },
    { ...spy('b1', ['b.com'], true), order: 2 },
    { ...spy('any', null, false), order: 3 },
    { ...spy('a2', ['a.com', 'c.com'], true), order: 4 },
    { ...spy('never', [], true), order: 0 },
  ]);
  t.is(matcher.size, 5);
  t.is(matcher.match(factsOf({ host: 'a.com' }))?.name, 'a2');
  t.deepEqual(evaluated, ['a1', 'any', 'a2']);
  evaluated.length = 0;
  t.is(matcher.match(factsOf({ host: 'z.com' })), undefined);
  t.deepEqual(evaluated, ['any']);
});

test('10,000 Host routers plus catch-alls each route to the right service', (t) => {
  const n = 10_000;
  const routes: RouteEntry<string>[] = [];
  for (let i = 0; i < n; i++) {
    routes.push(route(`svc-${i}`, `Host(\`svc-${i}.example.com\`)`, { order: i }));
    if (i % 1000 === 0) routes.push(route(`svc-${i}-api`, `Host(\`svc-${i}.example.com\`) && PathPrefix(\`/api\`)`, { order: n + i }));
  }
  routes.push(route('fallback', 'PathPrefix(`/`)', { priority: 1, order: 2 * n }));
  routes.push(route('wildcard', 'HostRegexp(`^[a-z]+\\.example\\.org$`)', { order: 2 * n + 1 }));
  const matcher = new HostIndexedRouteMatcher(routes);
  t.is(matcher.size, n + 10 + 2);

  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const got = matcher.match(factsOf({ host: `SVC-${i}.example.com:443`, url: '/api/x' }))?.name;
    const expected = i % 1000 === 0 ? `svc-${i}-api` : `svc-${i}`;
    if (got !== expected) wrong++;
  }
  t.is(wrong, 0);
  t.is(matcher.match(factsOf({ host: 'svc-10000.example.com' }))?.name, 'fallback');
  t.is(matcher.match(factsOf({ host: 'abc.example.org' }))?.name, 'wildcard');
  t.is(matcher.match(factsOf({ host: null }))?.name, 'fallback');
});

test('an empty matcher matches nothing', (t) => {
  const matcher = new HostIndexedRouteMatcher<string>([]);
  t.is(matcher.size, 0);
  t.is(matcher.match(factsOf({})), undefined);
});

test('10,000 PathPrefix routers on one host: each path reaches its router, and only its candidates are evaluated', (t) => {
  const routes = Array.from({ length: 10_000 }, (_, i) => route(`p${i}`, `Host(\`api.test\`) && PathPrefix(\`/p${i}/\`)`));
  routes.push(route('root', 'Host(`api.test`) && PathPrefix(`/`)'), route('regexp', 'Host(`api.test`) && PathRegexp(`^/r[0-9]+$`)'));
  const matcher = new HostIndexedRouteMatcher(routes);
  t.is(matcher.match(factsOf({ host: 'api.test', url: '/p9999/x' }))?.name, 'p9999');
  t.is(matcher.match(factsOf({ host: 'api.test', url: '/p12/' }))?.name, 'p12');
  t.is(matcher.match(factsOf({ host: 'api.test', url: '/p1' }))?.name, 'root', 'no trailing slash: only the catch-all prefix');
  t.is(matcher.match(factsOf({ host: 'api.test', url: '/r42' }))?.name, 'regexp', 'unindexed rules are still evaluated');
  t.is(matcher.match(factsOf({ host: 'other.test', url: '/p1/' })), undefined);
});

/** A small deterministic PRNG (mulberry32): the differential test is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

test('differential: the indexed matcher picks what a scan of every route in rank order picks (2,000 random router sets)', (t) => {
  const random = prng(20261202);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const hosts = ['a.test', 'b.test', 'c.test'];
  const paths = ['/', '/a', '/a/', '/a/b', '/ab', '/b', '/b/c/d', '/api', '/api/v1', '/api/v1/users'];
  const atom = (): string => {
    switch (Math.floor(random() * 9)) {
      case 0: return `Host(\`${pick(hosts)}\`)`;
      case 1: return `PathPrefix(\`${pick(paths)}\`)`;
      case 2: return `Path(\`${pick(paths)}\`)`;
      case 3: return `PathRegexp(\`^${pick(paths)}\`)`;
      case 4: return `!PathPrefix(\`${pick(paths)}\`)`;
      case 5: return `Method(\`${pick(['GET', 'POST'])}\`)`;
      case 6: return `HostRegexp(\`^${pick(['a', 'b'])}\\..*$\`)`;
      case 7: return `Header(\`X-A\`, \`1\`)`;
      default: return `Host(\`${pick(hosts)}\`) && PathPrefix(\`${pick(paths)}\`)`;
    }
  };
  const ruleOf = (depth: number): string => {
    if (depth === 0 || random() < 0.4) return atom();
    return `(${ruleOf(depth - 1)}) ${random() < 0.6 ? '&&' : '||'} (${ruleOf(depth - 1)})`;
  };
  let compared = 0;
  for (let set = 0; set < 2_000; set++) {
    const routes = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, i) =>
      route(`r${i}`, ruleOf(2), { priority: random() < 0.3 ? 1 + Math.floor(random() * 3) : undefined, order: Math.floor(random() * 4) }),
    );
    const matcher = new HostIndexedRouteMatcher(routes);
    const ranked = [...routes].sort((a, b) => b.priority - a.priority || a.order - b.order);
    for (let q = 0; q < 8; q++) {
      const request: FakeRequest = { host: pick([...hosts, 'z.test']), url: pick(paths) + pick(['', '/', 'x', '/x?q=1']), method: pick(['GET', 'POST']), headers: random() < 0.5 ? [['X-A', '1']] : [] };
      const facts = factsOf(request);
      const expected = ranked.find((r) => r.rule.match(facts))?.name;
      const actual = matcher.match(factsOf(request))?.name;
      if (actual !== expected) {
        t.fail(`set ${set}: ${JSON.stringify(request)} → ${actual} instead of ${expected}; routes: ${routes.map((r) => `${r.name}[${r.priority}/${r.order}] ${r.rule.rule}`).join(' | ')}`);
        return;
      }
      compared++;
    }
  }
  t.is(compared, 16_000);
});
