import test from 'ava';
import { request } from 'undici';
import WebSocket, { WebSocketServer } from 'ws';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { ExampleConfig, startWharf, type WharfProcess } from './helpers/wharf-process.js';

// One Wharf process fed by the example third-party provider serves every test of this file;
// each test writes the routes it needs under its own host name.
let wharf: WharfProcess;
let config: ExampleConfig;
let web: string;
const backends: Backend[] = [];
const routes: Record<string, unknown> = {};
const services: Record<string, unknown> = {};
const middlewares: Record<string, unknown> = {};
const transports: Record<string, unknown> = {};

async function publish(): Promise<void> {
  await config.write({ http: { routers: routes, services, middlewares, serversTransports: transports } });
}

async function get(host: string, path = '/', headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const res = await request(web + path, { headers: { host, ...headers } });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

/** Publishes the current tables and waits until `host` answers something other than 404. */
async function applied(host: string, path = '/'): Promise<void> {
  await publish();
  await waitFor(async () => (await get(host, path)).status !== 404, 10_000, `route for ${host}`);
}

test.before(async () => {
  for (const name of ['a', 'b', 'c']) backends.push(await startBackend(name));
  config = await ExampleConfig.create({ http: {} });
  wharf = await startWharf(['web'], [...config.args()]);
  web = wharf.urls.web!;
});

test.after.always(async () => {
  await wharf?.stop();
  await Promise.all(backends.map((b) => b.close()));
});

test.serial('round robin alternates between two servers', async (t) => {
  routes.rr = { rule: 'Host(`rr.test`)', service: 'rr' };
  services.rr = { loadBalancer: { servers: [{ url: backends[0]!.url }, { url: backends[1]!.url }] } };
  await applied('rr.test');
  const names: string[] = [];
  for (let i = 0; i < 6; i++) names.push((JSON.parse((await get('rr.test')).body) as { name: string }).name);
  t.deepEqual(names.slice().sort(), ['a', 'a', 'a', 'b', 'b', 'b']);
  for (let i = 1; i < names.length; i++) t.not(names[i], names[i - 1], `request ${i} went to the same server twice in a row: ${names.join(',')}`);
});

test.serial('weights split traffic 3:1 and a weighted service splits between services', async (t) => {
  routes.w = { rule: 'Host(`w.test`)', service: 'w' };
  services.w = { loadBalancer: { servers: [{ url: backends[0]!.url, weight: 3 }, { url: backends[1]!.url, weight: 1 }] } };
  routes.ws = { rule: 'Host(`wsvc.test`)', service: 'split' };
  services.onlyc = { loadBalancer: { servers: [{ url: backends[2]!.url }] } };
  services.split = { weighted: { services: [{ name: 'w', weight: 1 }, { name: 'onlyc', weight: 1 }] } };
  await applied('w.test');
  await applied('wsvc.test');
  const count = async (host: string, n: number): Promise<Record<string, number>> => {
    const seen: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const name = (JSON.parse((await get(host)).body) as { name: string }).name;
      seen[name] = (seen[name] ?? 0) + 1;
    }
    return seen;
  };
  t.deepEqual(await count('w.test', 40), { a: 30, b: 10 });
  const split = await count('wsvc.test', 40);
  t.is(split.c, 20);
  t.is((split.a ?? 0) + (split.b ?? 0), 20);
});

test.serial('no matching router answers 404 with Traefik body', async (t) => {
  const res = await get('nobody.test');
  t.is(res.status, 404);
  t.is(res.body, '404 page not found\n');
});

test.serial('refused upstream → 502, no server → 503, slow upstream → 504', async (t) => {
  const closed = await startBackend('gone');
  await closed.close();
  routes.refused = { rule: 'Host(`refused.test`)', service: 'refused' };
  services.refused = { loadBalancer: { servers: [{ url: closed.url }] } };
  routes.empty = { rule: 'Host(`empty.test`)', service: 'empty' };
  services.empty = { loadBalancer: { servers: [] } };
  routes.slow = { rule: 'Host(`slow.test`)', service: 'slow' };
  services.slow = { loadBalancer: { servers: [{ url: backends[0]!.url }], serversTransport: 'impatient' } };
  transports.impatient = { forwardingTimeouts: { responseHeaderTimeout: '300ms' } };
  await applied('refused.test');
  t.is((await get('refused.test')).status, 502);
  await applied('empty.test');
  t.is((await get('empty.test')).status, 503);
  await applied('slow.test', '/delay/2000');
  const started = Date.now();
  const slow = await get('slow.test', '/delay/2000');
  t.is(slow.status, 504);
  t.true(Date.now() - started < 1_500, 'the 504 came from responseHeaderTimeout, not the backend finishing');
  t.is((await get('slow.test', '/delay/10')).status, 200);
});

test.serial('stripPrefix removes the prefix and sets X-Forwarded-Prefix; forwarded headers are set', async (t) => {
  routes.strip = { rule: 'Host(`strip.test`) && PathPrefix(`/api`)', service: 'strip', middlewares: ['strip-api', 'tag'] };
  services.strip = { loadBalancer: { servers: [{ url: backends[0]!.url }] } };
  middlewares['strip-api'] = { stripPrefix: { prefixes: ['/api'] } };
  middlewares.tag = { headers: { customRequestHeaders: { 'X-Tag': 'wharf' }, customResponseHeaders: { 'X-Served-By': 'wharf', 'X-Backend': '' } } };
  await applied('strip.test', '/api/x');
  const res = await get('strip.test', '/api/users?id=7', { 'x-forwarded-for': '6.6.6.6' });
  t.is(res.status, 200);
  const seen = JSON.parse(res.body) as { url: string; headers: Record<string, string> };
  t.is(seen.url, '/users?id=7');
  t.is(seen.headers['x-forwarded-prefix'], '/api');
  t.is(seen.headers['x-tag'], 'wharf');
  t.is(seen.headers['x-forwarded-for'], '127.0.0.1', 'an untrusted client cannot inject X-Forwarded-For');
  t.is(seen.headers['x-forwarded-host'], 'strip.test');
  t.is(seen.headers['x-forwarded-proto'], 'http');
  t.is(seen.headers['x-real-ip'], '127.0.0.1');
  t.is(seen.headers.host, 'strip.test', 'passHostHeader defaults to true');
  t.is(res.headers['x-served-by'], 'wharf');
  t.is(res.headers['x-backend'], undefined, 'an empty custom response header removes it');
});

test.serial('a server URL path is dropped unless preservePath; passHostHeader false sends the server host', async (t) => {
  routes.paths = { rule: 'Host(`paths.test`)', service: 'paths' };
  routes.kept = { rule: 'Host(`kept.test`)', service: 'kept' };
  services.paths = { loadBalancer: { servers: [{ url: `${backends[0]!.url}/base/` }], passHostHeader: false } };
  services.kept = { loadBalancer: { servers: [{ url: `${backends[0]!.url}/base/`, preservePath: true }] } };
  await applied('paths.test');
  await applied('kept.test');
  const dropped = JSON.parse((await get('paths.test', '/users?id=1')).body) as { url: string; headers: Record<string, string> };
  t.is(dropped.url, '/users?id=1', 'the path of the server URL is ignored by default, as in Traefik');
  t.is(dropped.headers.host, new URL(backends[0]!.url).host, 'passHostHeader: false');
  const kept = JSON.parse((await get('kept.test', '/users?id=1')).body) as { url: string; headers: Record<string, string> };
  t.is(kept.url, '/base/users?id=1', 'preservePath keeps the server URL path in front');
  t.is(kept.headers.host, 'kept.test');
});

test.serial('a broken router is disabled while the others keep serving', async (t) => {
  routes.broken = { rule: 'Host(`broken.test`) && Path(`/x`', service: 'rr' };
  routes.nosvc = { rule: 'Host(`nosvc.test`)', service: 'missing' };
  routes.fine = { rule: 'Host(`fine.test`)', service: 'rr' };
  await applied('fine.test');
  t.is((await get('fine.test')).status, 200);
  t.is((await get('broken.test', '/x')).status, 404);
  t.is((await get('nosvc.test')).status, 404);
  t.is((await get('rr.test')).status, 200);
  t.regex(wharf.output(), /router disabled/);
});

// Issue 12, bug 2: a header Node cannot send is refused when the middleware is built, naming the
// middleware and the header, instead of every request of its routers answering 500.
test.serial('a headers middleware with a line break in a header value is disabled; the rest keeps serving', async (t) => {
  services.crlf = { loadBalancer: { servers: [{ url: backends[0]!.url }] } };
  routes.crlf = { rule: 'Host(`crlf.test`)', service: 'crlf', middlewares: ['crlf'] };
  routes.crlfok = { rule: 'Host(`crlfok.test`)', service: 'crlf', middlewares: ['crlfok'] };
  middlewares.crlfok = { headers: { customResponseHeaders: { 'X-Fine': 'yes' } } };
  middlewares.crlf = { headers: { customResponseHeaders: { 'X-Injected': 'a\r\nSet-Cookie: session=forged' } } };
  await applied('crlfok.test');
  const ok = await get('crlfok.test');
  t.is(ok.status, 200);
  t.is(ok.headers['x-fine'], 'yes');
  t.is((await get('crlf.test')).status, 404, 'the router using the broken middleware is disabled, not answering 500');
  const line = wharf.output().split('\n').find((l) => l.includes('crlf@example') && l.includes('X-Injected'));
  t.truthy(line, wharf.output());
  t.regex(line!, /middleware disabled/);
  t.regex(line!, /customResponseHeaders/);
});

test.serial('WebSocket upgrades are proxied both ways and closed from either side', async (t) => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  wss.on('connection', (socket, req) => {
    socket.send(`hello ${req.headers['x-forwarded-proto']}`);
    socket.on('message', (data) => {
      if (String(data) === 'bye') socket.close(1000, 'server closes');
      else socket.send(`echo ${String(data)}`);
    });
  });
  routes.sock = { rule: 'Host(`ws.test`)', service: 'sock' };
  services.sock = { loadBalancer: { servers: [{ url: `http://127.0.0.1:${port}` }] } };
  await publish();
  await waitFor(async () => (await get('ws.test')).status !== 404, 10_000, 'ws route');

  const open = (): Promise<{ ws: WebSocket; messages: string[] }> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(web.replace('http', 'ws') + '/chat', { headers: { host: 'ws.test' } });
      const messages: string[] = [];
      ws.on('message', (d) => messages.push(String(d)));
      ws.once('open', () => resolve({ ws, messages }));
      ws.once('error', reject);
    });
  const client = await open();
  client.ws.send('ping');
  await waitFor(() => client.messages.length >= 2, 5_000, 'echo');
  t.deepEqual(client.messages, ['hello ws', 'echo ping']);
  const closedByClient = new Promise<void>((r) => wss.clients.forEach((s) => s.once('close', () => r())));
  client.ws.close(1000, 'client closes');
  await closedByClient;
  t.pass();

  const second = await open();
  const code = new Promise<number>((r) => second.ws.once('close', (c) => r(c)));
  second.ws.send('bye');
  t.is(await code, 1000, 'the server closing reaches the client');
  wss.close();
});

test.serial('bodies stream both ways and back-pressure reaches the backend', async (t) => {
  const total = 64 * 1024 * 1024;
  let written = 0;
  let received = 0;
  const streamer = await startBackend('stream', (req, res) => {
    if (req.url === '/upload') {
      req.on('data', (c: Buffer) => (received += c.length));
      req.on('end', () => res.end(String(received)));
      return true;
    }
    if (req.url !== '/download') return false;
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 120);
    const pump = (): void => {
      while (written < total) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
    return true;
  });
  backends.push(streamer);
  routes.stream = { rule: 'Host(`stream.test`)', service: 'stream' };
  services.stream = { loadBalancer: { servers: [{ url: streamer.url }] } };
  await applied('stream.test');

  const upload = await request(web + '/upload', { method: 'POST', headers: { host: 'stream.test' }, body: Buffer.alloc(20 * 1024 * 1024, 1) });
  t.is(await upload.body.text(), String(20 * 1024 * 1024), 'a 20 MiB request body arrives whole');

  const download = await request(web + '/download', { headers: { host: 'stream.test' } });
  const reader = download.body;
  let got = 0;
  for await (const c of reader) {
    got += (c as Buffer).length;
    if (got >= 1024 * 1024) break;
  }
  // The client stops reading: the backend must be held back by back-pressure through Wharf.
  await new Promise((r) => setTimeout(r, 1_000));
  t.true(written < total / 2, `the backend wrote ${written} bytes while the client read ${got}`);
  reader.destroy();
});

test.serial('10,000 aborted requests cancel upstream and leak nothing', async (t) => {
  const slow = await startBackend('slowpoke');
  backends.push(slow);
  routes.abort = { rule: 'Host(`abort.test`)', service: 'abort' };
  services.abort = { loadBalancer: { servers: [{ url: slow.url }] } };
  await applied('abort.test');
  const fdsBefore = await openFds(wharf.process.pid!);
  const countBefore = slow.count();
  const total = 10_000;
  const batch = 250;
  let fdsPeak = 0;
  for (let done = 0; done < total; done += batch) {
    // Every request of the batch is in flight at the backend before the clients abort, so each
    // abort has to travel through Wharf and cancel a live upstream request.
    const controllers = Array.from({ length: batch }, () => new AbortController());
    const pending = controllers.map((c) => request(web + '/slow', { headers: { host: 'abort.test' }, signal: c.signal }).catch(() => undefined));
    await waitFor(() => slow.open() >= batch, 20_000, `${batch} requests in flight upstream`);
    for (const c of controllers) c.abort();
    await Promise.all(pending);
    await waitFor(() => slow.open() === 0, 20_000, 'the aborted batch to be cancelled upstream');
    fdsPeak = Math.max(fdsPeak, await openFds(wharf.process.pid!));
  }
  t.is(slow.count() - countBefore, total, 'every request reached the backend before it was aborted');
  t.is(slow.open(), 0, 'every upstream request was cancelled');
  // Idle keep-alive sockets may stay open, but their number is bounded by the concurrency
  // (undici may open up to two sockets per concurrent request), never by the request count.
  t.true(fdsPeak <= fdsBefore + 4 * batch, `fds grew from ${fdsBefore} to ${fdsPeak} over ${total} aborted requests`);
  t.is((await get('rr.test')).status, 200, 'still serving');
});

test.serial('20 configuration swaps under steady load drop no request', async (t) => {
  routes.steady = { rule: 'Host(`steady.test`)', service: 'steady' };
  services.steady = { loadBalancer: { servers: [{ url: backends[0]!.url }, { url: backends[1]!.url }] } };
  await applied('steady.test');
  let stop = false;
  let ok = 0;
  const failures: string[] = [];
  const load = Array.from({ length: 8 }, async () => {
    while (!stop) {
      try {
        const res = await get('steady.test');
        if (res.status === 200) ok++;
        else failures.push(`status ${res.status}`);
      } catch (err) {
        failures.push(String(err));
      }
    }
  });
  for (let i = 0; i < 20; i++) {
    routes[`extra${i}`] = { rule: `Host(\`extra${i}.test\`)`, service: 'steady' };
    services.steady = { loadBalancer: { servers: i % 2 === 0 ? [{ url: backends[0]!.url }, { url: backends[1]!.url }] : [{ url: backends[1]!.url }, { url: backends[2]!.url }] } };
    await applied(`extra${i}.test`);
  }
  stop = true;
  await Promise.all(load);
  t.deepEqual(failures, []);
  t.true(ok > 100, `only ${ok} requests went through`);
});

async function openFds(pid: number): Promise<number> {
  const { readdir } = await import('node:fs/promises');
  return (await readdir(`/proc/${pid}/fd`)).length;
}
