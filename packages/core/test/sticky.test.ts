import { createHash } from 'node:crypto';
import test from 'ava';
import { request } from 'undici';
import type { StickyConfig } from '../src/config/dynamic/types.js';
import { silentLogger } from '../src/logger.js';
import { Forwarder } from '../src/proxy/forwarder.js';
import { PoolRegistry } from '../src/proxy/pool-registry.js';
import { LoadBalancerService, parseServerUrl, ServerState } from '../src/services/load-balancer.js';
import { defaultCookieName, sanitizeCookieName, stickyValue } from '../src/services/sticky/sticky-cookie.js';
import { flipBackend, serveHandler, type FlipBackend } from './health-check-fixtures.js';

const transport = { name: 'default@internal', dialTimeout: 30_000, responseHeaderTimeout: 0, idleConnTimeout: 90_000, maxIdleConnsPerHost: 200 };

async function stickyService(t: { teardown(fn: () => unknown): void }, cookie: NonNullable<StickyConfig['cookie']>, service = 'app@file') {
  const backends: FlipBackend[] = await Promise.all([flipBackend('a'), flipBackend('b')]);
  const pools = new PoolRegistry();
  const servers = backends.map((b) => new ServerState(parseServerUrl(b.url, false, 'url'), 1));
  const lb = new LoadBalancerService(servers, { sticky: { cookie } }, transport, new Forwarder(pools, silentLogger()), { service });
  const served = await serveHandler(lb);
  t.teardown(async () => {
    await served.close();
    await pools.close();
    await Promise.all(backends.map((b) => b.close()));
  });
  const get = async (cookieHeader?: string) => {
    const res = await request(served.url, { headers: cookieHeader ? { cookie: cookieHeader } : {} });
    return { status: res.statusCode, body: await res.body.text(), setCookie: res.headers['set-cookie'] as string | string[] | undefined };
  };
  return { backends, servers, get };
}

test('default cookie name is _ and 5 hex of SHA-1 over _TRAEFIK_BACKEND_<service>; the value names the server by SHA-256', (t) => {
  t.is(defaultCookieName('app@file'), `_${createHash('sha1').update('_TRAEFIK_BACKEND_app@file').digest('hex').slice(0, 5)}`);
  t.regex(defaultCookieName('x'), /^_[0-9a-f]{5}$/);
  t.not(defaultCookieName('a@file'), defaultCookieName('b@file'));
  t.is(stickyValue('http://10.0.0.1:80'), createHash('sha256').update('http://10.0.0.1:80').digest('hex').slice(0, 16));
  t.is(sanitizeCookieName('my cookie;v=1'), 'my_cookie_v_1');
});

test('a client with the cookie keeps hitting its server; without one it gets a cookie and WRR', async (t) => {
  const { get } = await stickyService(t, {});
  const first = await get();
  t.is(typeof first.setCookie, 'string');
  const [pair] = (first.setCookie as string).split(';');
  const [name, value] = pair!.split('=');
  t.is(name, defaultCookieName('app@file'));
  t.regex(value ?? '', /^[0-9a-f]{16}$/);
  for (let i = 0; i < 5; i++) {
    const again = await get(`other=1; ${pair}`);
    t.is(again.body, first.body);
    t.is(again.setCookie, undefined);
  }
  t.not((await get()).body, first.body, 'a new client is balanced to the other server');
});

test('a cookie holding the plain server URL (older Traefik) is honoured', async (t) => {
  const { backends, get } = await stickyService(t, { name: 'lb' });
  for (let i = 0; i < 3; i++) t.is((await get(`lb=${backends[1]!.url}`)).body, 'b');
});

test('a cookie for an unknown or DOWN server is ignored and replaced', async (t) => {
  const { servers, get } = await stickyService(t, { name: 'lb' });
  const unknown = await get('lb=0123456789abcdef');
  t.regex(String(unknown.setCookie), /^lb=[0-9a-f]{16}; Path=\//);
  const toB = `lb=${stickyValue(servers[1]!.target.url)}`;
  t.is((await get(toB)).body, 'b');
  servers[1]!.passive = { down: true } as never;
  const moved = await get(toB);
  t.is(moved.body, 'a');
  t.is(String(moved.setCookie).split(';')[0], `lb=${stickyValue(servers[0]!.target.url)}`);
});

const attributes: Array<{ cookie: NonNullable<StickyConfig['cookie']>; expected: string }> = [
  { cookie: { name: 'c' }, expected: 'c=V; Path=/' },
  { cookie: { name: 'c', path: '/app', domain: 'example.com' }, expected: 'c=V; Path=/app; Domain=example.com' },
  { cookie: { name: 'c', maxAge: 60 }, expected: 'c=V; Path=/; Max-Age=60' },
  { cookie: { name: 'c', maxAge: -1 }, expected: 'c=V; Path=/; Max-Age=0' },
  { cookie: { name: 'c', httpOnly: true, secure: true, sameSite: 'none' }, expected: 'c=V; Path=/; HttpOnly; Secure; SameSite=None' },
  { cookie: { name: 'c', sameSite: 'LAX' }, expected: 'c=V; Path=/; SameSite=Lax' },
  { cookie: { name: 'c', sameSite: 'strict' }, expected: 'c=V; Path=/; SameSite=Strict' },
  { cookie: { name: 'c', sameSite: 'bogus' }, expected: 'c=V; Path=/' },
];

for (const c of attributes) {
  test(`Set-Cookie attributes: ${JSON.stringify(c.cookie)} → ${c.expected}`, async (t) => {
    const { get } = await stickyService(t, c.cookie);
    const res = await get();
    t.is(String(res.setCookie).replace(/=[0-9a-f]{16}/, '=V'), c.expected);
  });
}

test('the sticky cookie is added next to the server’s own Set-Cookie', async (t) => {
  const { backends, get } = await stickyService(t, { name: 'lb' });
  for (const b of backends) {
    b.extra = (req, res) => {
      if (req.url !== '/') return false;
      res.writeHead(200, { 'set-cookie': 'session=1' }).end(b.name);
      return true;
    };
  }
  const res = await get();
  t.true(Array.isArray(res.setCookie));
  const cookies = res.setCookie as string[];
  t.is(cookies.length, 2);
  t.true(cookies.includes('session=1'));
  t.true(cookies.some((c) => c.startsWith('lb=')));
});
