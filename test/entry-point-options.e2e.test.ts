import test from 'ava';
import { request } from 'undici';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { rawRequest, statuses } from './helpers/raw-http.js';
import { ExampleConfig, runWharf, startWharf, type WharfProcess } from './helpers/wharf-process.js';

let backend: Backend;
test.before(async () => {
  backend = await startBackend('echo');
});
test.after.always(() => backend?.close());

function routed(t: import('ava').ExecutionContext, args: string[]): Promise<WharfProcess> {
  return routedWith(t, {}, args);
}

async function routedWith(t: import('ava').ExecutionContext, routers: Record<string, unknown>, args: string[]): Promise<WharfProcess> {
  const config = await ExampleConfig.create({
    http: {
      routers: { app: { rule: 'Host(`app.test`)', service: 'app' }, noop: { rule: 'Host(`noop.test`)', service: 'noop@internal' }, ...routers },
      services: { app: { loadBalancer: { servers: [{ url: backend.url }] } } },
    },
  });
  const wharf = await startWharf(['web'], [...args, ...config.args()]);
  t.teardown(() => wharf.stop());
  await waitFor(async () => (await request(wharf.urls.web + '/', { headers: { host: 'app.test' } }).then(async (r) => (await r.body.dump(), r.statusCode))) === 200, 10_000, 'route applied');
  return wharf;
}

/** The X-Forwarded-For the backend received (it echoes the request's headers). */
async function forwardedFor(wharf: WharfProcess, sent?: string): Promise<string | undefined> {
  const res = await request(wharf.urls.web + '/', { headers: { host: 'app.test', ...(sent ? { 'x-forwarded-for': sent } : {}) } });
  return ((await res.body.json()) as { headers: Record<string, string> }).headers['x-forwarded-for'];
}

const port = (wharf: WharfProcess): number => Number(new URL(wharf.urls.web!).port);

test.serial('forwardedHeaders.notAppendXForwardedFor: X-Forwarded-For goes as received; global.notAppendXForwardedFor sets it for every entry point', async (t) => {
  const appending = await routed(t, ['--entryPoints.web.forwardedHeaders.insecure']);
  t.is(await forwardedFor(appending), '127.0.0.1');
  t.is(await forwardedFor(appending, '203.0.113.7'), '203.0.113.7, 127.0.0.1');
  for (const flag of ['--entryPoints.web.forwardedHeaders.notAppendXForwardedFor', '--global.notAppendXForwardedFor']) {
    const wharf = await routed(t, ['--entryPoints.web.forwardedHeaders.insecure', flag]);
    t.is(await forwardedFor(wharf), undefined, flag);
    t.is(await forwardedFor(wharf, '203.0.113.7'), '203.0.113.7', flag);
  }
});

test.serial('http.maxHeaderBytes: a head over the limit is answered 431, one under it is routed', async (t) => {
  // Routed to noop@internal (418): the backend's own header limit plays no part.
  const request = (size: number): string => `GET / HTTP/1.1\r\nHost: noop.test\r\nX-Big: ${'a'.repeat(size)}\r\nConnection: close\r\n\r\n`;
  const byDefault = await routed(t, []);
  t.deepEqual(statuses((await rawRequest(port(byDefault), request(24 * 1024))).text), [431], 'Node\'s 16 KiB by default');
  t.deepEqual(statuses((await rawRequest(port(byDefault), request(8 * 1024))).text), [418]);
  const raised = await routed(t, ['--entryPoints.web.http.maxHeaderBytes=65536']);
  t.deepEqual(statuses((await rawRequest(port(raised), request(24 * 1024))).text), [418]);
  const lowered = await routed(t, ['--entryPoints.web.http.maxHeaderBytes=1024']);
  t.deepEqual(statuses((await rawRequest(port(lowered), request(2048))).text), [431]);
});

test.serial('transport.keepAliveMaxRequests: the nth response on a connection says Connection: close and the connection ends', async (t) => {
  const wharf = await routed(t, ['--entryPoints.web.transport.keepAliveMaxRequests=2']);
  const one = 'GET /a HTTP/1.1\r\nHost: app.test\r\n\r\n';
  const { text, closed } = await rawRequest(port(wharf), [one, one], { gapMs: 300, timeoutMs: 3_000 });
  t.deepEqual(statuses(text), [200, 200]);
  const heads = text.split(/HTTP\/1\.1 200 /).slice(1);
  t.notRegex(heads[0]!, /^connection: close/im);
  t.regex(heads[1]!, /^connection: close/im);
  t.true(closed, 'Wharf closed the connection after the second response');
});

test.serial('transport.keepAliveMaxTime: the first response after the connection reached that age closes it', async (t) => {
  const wharf = await routed(t, ['--entryPoints.web.transport.keepAliveMaxTime=1s']);
  const one = 'GET /a HTTP/1.1\r\nHost: app.test\r\n\r\n';
  // The first request is answered well within 1 s; the second is sent 1.3 s after the connection opened.
  const { text, closed } = await rawRequest(port(wharf), [one, one], { gapMs: 1_300, timeoutMs: 4_000 });
  t.deepEqual(statuses(text), [200, 200]);
  const heads = text.split(/HTTP\/1\.1 200 /).slice(1);
  t.notRegex(heads[0]!, /^connection: close/im);
  t.regex(heads[1]!, /^connection: close/im);
  t.true(closed);
});

test.serial('forwardedHeaders.connection: headers a Connection header names are removed before routing, except those listed', async (t) => {
  const get = (wharf: WharfProcess) => rawRequest(port(wharf), 'GET / HTTP/1.1\r\nHost: header.test\r\nX-Route: yes\r\nConnection: close, X-Route\r\n\r\n');
  // The router matches on X-Route, so whether it still exists when routing shows.
  const config = (extra: string[]) => routedWith(t, { header: { rule: 'Host(`header.test`) && Header(`X-Route`, `yes`)', service: 'app' } }, extra);
  t.deepEqual(statuses((await get(await config([]))).text), [404], 'removed at the entry point, as Traefik does');
  const allowed = await get(await config(['--entryPoints.web.forwardedHeaders.connection=X-Route']));
  t.deepEqual(statuses(allowed.text), [200]);
  // The backend echoes the headers it received: X-Route is removed when the request is forwarded.
  t.regex(allowed.text, /"host":"header\.test"/);
  t.notRegex(allowed.text, /x-route/i);
});

test.serial('http.encodedCharacters: a refused escape in the path is answered 400; allowed by default', async (t) => {
  const get = async (wharf: WharfProcess, path: string) => statuses((await rawRequest(port(wharf), `GET ${path} HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n`)).text);
  const byDefault = await routed(t, []);
  t.deepEqual(await get(byDefault, '/a%2Fb'), [200]);
  const strict = await routed(t, ['--entryPoints.web.http.encodedCharacters.allowEncodedSlash=false', '--entryPoints.web.http.encodedCharacters.allowEncodedHash=false']);
  t.deepEqual(await get(strict, '/a%2Fb'), [400]);
  t.deepEqual(await get(strict, '/a%2fb'), [400]);
  t.deepEqual(await get(strict, '/a%23b'), [400]);
  t.deepEqual(await get(strict, '/a%3Bb?q=%2F'), [200], 'other escapes, and the query, are not checked');
});

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const reusePortSupported = major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);

test.serial(`reusePort: two Wharf processes serve one port (Node.js ≥ 22.12), else a warning (this is Node.js ${process.version})`, async (t) => {
  const first = await routed(t, ['--entryPoints.web.reusePort', '--log.level=WARN']);
  const address = `--entryPoints.web.address=127.0.0.1:${port(first)}`;
  // The second process runs until it fails, or until runWharf stops it after 8 s.
  const second = await runWharf(['--entryPoints.web.reusePort', '--log.level=INFO', address], { timeoutMs: 8_000 });
  const output = second.stdout + second.stderr;
  if (reusePortSupported) {
    t.regex(output, /INF entry point listening entryPoint=web address=127\.0\.0\.1:\d+/, output);
    t.is(second.code, null, 'still serving when it was stopped');
    t.notRegex(first.output(), /reusePort needs Node\.js/);
  } else {
    t.is(second.code, 1, output);
    t.regex(output, /EADDRINUSE/);
    t.regex(first.output(), /WRN reusePort needs Node\.js 22\.12 or later: not applied/);
  }
});
