import test from 'ava';
import { request } from 'undici';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { rawRequest, statuses } from './helpers/raw-http.js';
import { ExampleConfig, startWharf, type WharfProcess } from './helpers/wharf-process.js';

let backend: Backend;
test.before(async () => {
  backend = await startBackend('echo');
});
test.after.always(() => backend?.close());

async function routed(t: import('ava').ExecutionContext, args: string[]): Promise<WharfProcess> {
  const config = await ExampleConfig.create({
    http: {
      routers: { app: { rule: 'Host(`app.test`)', service: 'app' }, noop: { rule: 'Host(`noop.test`)', service: 'noop@internal' } },
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

test('forwardedHeaders.notAppendXForwardedFor: X-Forwarded-For goes as received; global.notAppendXForwardedFor sets it for every entry point', async (t) => {
  const appending = await routed(t, ['--entryPoints.web.forwardedHeaders.insecure']);
  t.is(await forwardedFor(appending), '127.0.0.1');
  t.is(await forwardedFor(appending, '203.0.113.7'), '203.0.113.7, 127.0.0.1');
  for (const flag of ['--entryPoints.web.forwardedHeaders.notAppendXForwardedFor', '--global.notAppendXForwardedFor']) {
    const wharf = await routed(t, ['--entryPoints.web.forwardedHeaders.insecure', flag]);
    t.is(await forwardedFor(wharf), undefined, flag);
    t.is(await forwardedFor(wharf, '203.0.113.7'), '203.0.113.7', flag);
  }
});

test('http.maxHeaderBytes: a head over the limit is answered 431, one under it is routed', async (t) => {
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

test('transport.keepAliveMaxRequests: the nth response on a connection says Connection: close and the connection ends', async (t) => {
  const wharf = await routed(t, ['--entryPoints.web.transport.keepAliveMaxRequests=2']);
  const one = 'GET /a HTTP/1.1\r\nHost: app.test\r\n\r\n';
  const { text, closed } = await rawRequest(port(wharf), [one, one], { gapMs: 300, timeoutMs: 3_000 });
  t.deepEqual(statuses(text), [200, 200]);
  const heads = text.split(/HTTP\/1\.1 200 /).slice(1);
  t.notRegex(heads[0]!, /^connection: close/im);
  t.regex(heads[1]!, /^connection: close/im);
  t.true(closed, 'Wharf closed the connection after the second response');
});
