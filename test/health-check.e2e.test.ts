import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { request } from 'undici';
import { waitFor } from './helpers/net.js';
import { ExampleConfig, startWharf, type WharfProcess } from './helpers/wharf-process.js';

// One Wharf (--api.insecure, `traefik` entry point for the API) fed by the example provider.
interface Flip {
  name: string;
  url: string;
  healthy: boolean;
  server: Server;
}

let wharf: WharfProcess;
let web: string;
let api: string;
const flips: Flip[] = [];

async function flip(name: string): Promise<Flip> {
  const f = { name, healthy: true } as Flip;
  f.server = createServer((req, res) => {
    if (req.url === '/health') res.writeHead(f.healthy ? 200 : 503).end();
    else res.writeHead(200, { 'content-type': 'text/plain' }).end(name);
  });
  await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', resolve));
  f.url = `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`;
  flips.push(f);
  return f;
}

async function get(host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; setCookie: string | undefined }> {
  const res = await request(web, { headers: { host, ...headers } });
  const raw = res.headers['set-cookie'];
  return { status: res.statusCode, body: await res.body.text(), setCookie: Array.isArray(raw) ? raw[0] : raw };
}

async function serverStatus(name: string): Promise<Record<string, string>> {
  const res = await request(`${api}/api/http/services/${name}`);
  return ((await res.body.json()) as { serverStatus: Record<string, string> }).serverStatus;
}

let a: Flip;
let b: Flip;

test.before(async () => {
  a = await flip('a');
  b = await flip('b');
  const config = await ExampleConfig.create({
    http: {
      routers: {
        hc: { rule: 'Host(`hc.test`)', service: 'hc', entryPoints: ['web'] },
        sticky: { rule: 'Host(`sticky.test`)', service: 'sticky', entryPoints: ['web'] },
      },
      services: {
        hc: { loadBalancer: { servers: [{ url: a.url }, { url: b.url }], healthCheck: { path: '/health', interval: '200ms', timeout: '100ms' } } },
        sticky: { loadBalancer: { servers: [{ url: a.url }, { url: b.url }], sticky: { cookie: { httpOnly: true } } } },
      },
    },
  });
  wharf = await startWharf(['web', 'traefik'], ['--api.insecure', ...config.args()]);
  web = wharf.urls.web!;
  api = wharf.urls.traefik!;
  await waitFor(async () => (await get('hc.test')).status === 200 && (await get('sticky.test')).status === 200, 10_000, 'routes applied');
});

test.after.always(async () => {
  await wharf?.stop();
  await Promise.all(flips.map((f) => new Promise<void>((resolve) => (f.server.closeAllConnections(), f.server.close(() => resolve())))));
});

test.serial('an unhealthy server stops receiving traffic, shows DOWN in the API, and comes back; all down is 503', async (t) => {
  t.deepEqual(await serverStatus('hc@example'), { [a.url]: 'UP', [b.url]: 'UP' });
  a.healthy = false;
  const started = Date.now();
  await waitFor(async () => (await serverStatus('hc@example'))[a.url] === 'DOWN', 3_000, 'a DOWN in the API');
  t.true(Date.now() - started < 1_500, `DOWN after ${Date.now() - started}ms`);
  for (let i = 0; i < 6; i++) t.is((await get('hc.test')).body, 'b');
  t.is((await serverStatus('hc@example'))[b.url], 'UP');

  a.healthy = true;
  await waitFor(async () => (await serverStatus('hc@example'))[a.url] === 'UP', 3_000, 'a UP again');
  const names = new Set<string>();
  for (let i = 0; i < 4; i++) names.add((await get('hc.test')).body);
  t.deepEqual([...names].sort(), ['a', 'b']);

  a.healthy = false;
  b.healthy = false;
  await waitFor(async () => (await get('hc.test')).status === 503, 3_000, 'both down');
  t.deepEqual(await get('hc.test'), { status: 503, body: 'no available server\n', setCookie: undefined });
  t.deepEqual(await serverStatus('hc@example'), { [a.url]: 'DOWN', [b.url]: 'DOWN' });
  a.healthy = true;
  b.healthy = true;
  await waitFor(async () => (await get('hc.test')).status === 200, 3_000, 'recovered');
  t.pass();
});

test.serial('a sticky client keeps hitting the server named by its cookie', async (t) => {
  const first = await get('sticky.test');
  t.regex(first.setCookie ?? '', /^_[0-9a-f]{5}=[0-9a-f]{16}; Path=\/; HttpOnly$/);
  const cookie = first.setCookie!.split(';')[0]!;
  for (let i = 0; i < 6; i++) {
    const res = await get('sticky.test', { cookie });
    t.is(res.body, first.body);
    t.is(res.setCookie, undefined, 'a valid cookie is not re-sent');
  }
  const fresh = new Set<string>();
  for (let i = 0; i < 4; i++) fresh.add((await get('sticky.test')).body);
  t.is(fresh.size, 2, 'clients without the cookie are still balanced');
});
