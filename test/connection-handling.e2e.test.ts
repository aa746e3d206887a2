import test from 'ava';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'undici';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { rawRequest, startRawBackend, statuses, type RawBackend } from './helpers/raw-http.js';
import { ExampleConfig, startWharf, type WharfProcess } from './helpers/wharf-process.js';

// One Wharf (fed by the example provider) and a hand-written backend that records every byte it
// receives: each test proves what reached the backend, not only what the client saw.
// test/test (htpasswd -m).
const USERS = ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/'];

let wharf: WharfProcess;
let port: number;
let raw: RawBackend;
let echo: Backend;

const head = (host: string, path = '/', extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${extra}\r\n`;

test.before(async () => {
  raw = await startRawBackend();
  echo = await startBackend('echo');
  const config = await ExampleConfig.create({
    http: {
      routers: {
        up: { rule: 'Host(`up.test`)', service: 'raw' },
        admin: { rule: 'Host(`admin.test`)', service: 'raw', middlewares: ['auth'] },
        pipe: { rule: 'Host(`pipe.test`)', service: 'raw' },
        echo: { rule: 'Host(`echo.test`)', service: 'echo' },
        late: { rule: 'Host(`late.test`)', service: 'late' },
      },
      services: {
        raw: { loadBalancer: { servers: [{ url: raw.url }] } },
        echo: { loadBalancer: { servers: [{ url: echo.url }] } },
        late: { loadBalancer: { servers: [{ url: raw.url }], serversTransport: 'quick' } },
      },
      serversTransports: { quick: { forwardingTimeouts: { responseHeaderTimeout: '1s' } } },
      middlewares: { auth: { basicAuth: { users: USERS } } },
    },
  });
  wharf = await startWharf(['web'], ['--entryPoints.web.transport.respondingTimeouts.readTimeout=1s', ...config.args()]);
  port = Number(new URL(wharf.urls.web!).port);
  await waitFor(async () => (await request(wharf.urls.web! + '/', { headers: { host: 'late.test' } }).then((r) => r.body.text().then(() => r.statusCode))) !== 404, 10_000, 'routes');
});

test.after.always(async () => {
  await wharf?.stop();
  await raw?.close();
  await echo?.close();
});

function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

test.serial('a refused upgrade is relayed as a response and never becomes a tunnel', async (t) => {
  const before = raw.received().length;
  const smuggled = head('admin.test', '/secret', 'X-Forwarded-For: 6.6.6.6\r\n');
  const { text, closed } = await rawRequest(port, head('up.test', '/ws', 'Connection: Upgrade\r\nUpgrade: websocket\r\n') + smuggled);
  t.deepEqual(statuses(text), [200], text);
  t.regex(text, /path=\/ws/);
  t.regex(text, /connection: close/i);
  t.true(closed, 'the connection closes after the refused upgrade');
  const seen = raw.received().slice(before);
  t.notRegex(seen, /\/secret/, 'the request after the refused upgrade reached the backend');
  t.notRegex(seen, /6\.6\.6\.6/);
  // The same request sent directly is stopped by basicAuth.
  t.deepEqual(statuses((await rawRequest(port, smuggled.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'))).text), [401]);
});

test.serial('a 101 for the requested protocol opens the tunnel; a 101 for another protocol answers 502', async (t) => {
  const ok = await rawRequest(port, [head('up.test', '/switch/websocket', 'Connection: Upgrade\r\nUpgrade: websocket\r\n'), 'ping'], { timeoutMs: 500, gapMs: 100 });
  t.deepEqual(statuses(ok.text), [101]);
  t.regex(ok.text, /echo:ping/);
  const before = raw.received().length;
  const wrong = await rawRequest(port, head('up.test', '/switch/h2c', 'Connection: Upgrade\r\nUpgrade: websocket\r\n') + 'GET /after HTTP/1.1\r\nHost: up.test\r\n\r\n');
  t.deepEqual(statuses(wrong.text), [502]);
  t.true(wrong.closed);
  t.notRegex(raw.received().slice(before), /\/after/);
});

test.serial('bytes sent before the server switched protocols are not forwarded to a refusing server', async (t) => {
  const before = raw.received().length;
  const { text } = await rawRequest(port, head('up.test', '/delay/100', 'Connection: Upgrade\r\nUpgrade: websocket\r\n') + 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n');
  t.deepEqual(statuses(text), [200]);
  t.notRegex(raw.received().slice(before), /smuggled/);
});

test.serial('300 pipelining clients that leave early leave no upstream connection, fd or request behind', async (t) => {
  const pid = wharf.process.pid!;
  const fdsBefore = fdCount(pid);
  const openBefore = raw.open();
  const linesBefore = raw.requestLines().length;
  const payload = head('pipe.test', '/slow') + head('pipe.test', '/big?pipelined');
  const clients = Array.from({ length: 300 }, () => rawRequest(port, payload, { timeoutMs: 1_000 }));
  const results = await Promise.all(clients);
  t.true(results.every((r) => !r.closed && r.text === ''), 'no client got an answer while /slow was pending');
  const lines = raw.requestLines().slice(linesBefore);
  // On a loaded machine a client may leave before its /slow is forwarded: that is no leak.
  const forwarded = lines.filter((l) => l.includes('/slow')).length;
  t.log(`${forwarded} of 300 /slow forwarded before their client left`);
  t.true(forwarded > 0);
  t.is(lines.filter((l) => l.includes('/big?pipelined')).length, 0, 'a pipelined request was forwarded before the response before it');
  await waitFor(() => raw.open() <= openBefore && fdCount(pid) <= fdsBefore + 2, 5_000, `fds back to ${fdsBefore} (now ${fdCount(pid)}) and upstream connections back to ${openBefore} (now ${raw.open()})`);
  t.pass();
});

test.serial('pipelined requests are answered in order, each forwarded after the previous response', async (t) => {
  const before = raw.requestLines().length;
  const { text } = await rawRequest(port, head('pipe.test', '/delay/100') + head('pipe.test', '/one') + head('pipe.test', '/two', 'Connection: close\r\n'));
  t.deepEqual(statuses(text), [200, 200, 200]);
  t.true(text.indexOf('delayed') < text.indexOf('path=/one') && text.indexOf('path=/one') < text.indexOf('path=/two'));
  // Only this test's paths: a /slow of the previous test may still be forwarded late on a loaded machine.
  const paths = raw.requestLines().slice(before).map((l) => l.split(' ')[1]);
  t.deepEqual(paths.filter((p) => p !== '/slow'), ['/delay/100', '/one', '/two']);
});

test.serial('200 requests pipelined in one write are all answered, in order', async (t) => {
  const paths = Array.from({ length: 200 }, (_, i) => `/p${i}`);
  const payload = paths.map((p, i) => head('pipe.test', p, i === paths.length - 1 ? 'Connection: close\r\n' : '')).join('');
  const { text, closed } = await rawRequest(port, payload, { timeoutMs: 10_000 });
  t.true(closed);
  t.deepEqual([...text.matchAll(/path=(\/p\d+)/g)].map((m) => m[1]), paths);
});

test.serial('a malformed request never writes into a response in flight: the response finishes, then 400, then close', async (t) => {
  const chunks = 32; // 2 MiB over about 320 ms
  const { text, closed } = await rawRequest(port, [head('pipe.test', `/stream/${chunks}`), 'GET / HTTP/1.1\r\nHost: pipe.test\r\nBad Header Line\r\n\r\n'], { gapMs: 50 });
  const bodyStart = text.indexOf('\r\n\r\n') + 4;
  const body = text.slice(bodyStart, bodyStart + chunks * 64 * 1024);
  t.is(body.length, chunks * 64 * 1024);
  t.true(/^s+$/.test(body), 'the body is intact');
  t.deepEqual(statuses(text.slice(0, bodyStart) + text.slice(bodyStart + body.length)), [200, 400]);
  t.true(closed);
});

test.serial('a good request pipelined before a bad one gets its response, then the 400', async (t) => {
  const { text, closed } = await rawRequest(port, head('pipe.test', '/good') + 'GET / HTTP/1.1\r\nHost: pipe.test\r\nBad Header Line\r\n\r\n');
  t.deepEqual(statuses(text), [200, 400]);
  t.regex(text, /path=\/good/);
  t.true(closed);
});

test.serial('two Host lines answer 400 and nothing is forwarded', async (t) => {
  const before = raw.received().length;
  const { text } = await rawRequest(port, 'GET /twohosts HTTP/1.1\r\nHost: pipe.test\r\nHost: admin.test\r\n\r\n');
  t.deepEqual(statuses(text), [400]);
  t.notRegex(raw.received().slice(before), /twohosts/);
});

// Issue 12, bug 1. RFC 9112 §3.2.2: the target's authority replaces Host; routing and the
// forwarded request both use it, and the path is cleaned as for an origin-form target.
test.serial('an absolute-form request is routed and forwarded by its authority, not its Host header', async (t) => {
  const send = async (target: string, host: string): Promise<string> => {
    const { text } = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    t.deepEqual(statuses(text), [200], text);
    return text.slice(text.indexOf('\r\n\r\n') + 4);
  };
  // up.test and pipe.test both route to the raw backend, which answers with the path and Host it received.
  t.is(await send('http://up.test/a/../b?q=1', 'admin.test'), 'path=/b?q=1 host=up.test');
  t.is(await send('http://user@pipe.test:8080', 'nobody.test'), 'path=/ host=pipe.test:8080');
  // The Host header decides nothing: admin.test's basicAuth is not asked, nobody.test's 404 not given.
  const forged = await rawRequest(port, 'GET http://admin.test/secret HTTP/1.1\r\nHost: up.test\r\nConnection: close\r\n\r\n');
  t.deepEqual(statuses(forged.text), [401]);
  const unknown = await rawRequest(port, 'GET http://nobody.test/ HTTP/1.1\r\nHost: up.test\r\nConnection: close\r\n\r\n');
  t.deepEqual(statuses(unknown.text), [404]);
});

test.serial('1,000 header lines are forwarded, 1,001 answer 431', async (t) => {
  const lines = (n: number): string => Array.from({ length: n }, (_, i) => `X-H${i}: v\r\n`).join('');
  const ok = await rawRequest(port, `GET /many HTTP/1.1\r\nHost: echo.test\r\nConnection: close\r\n${lines(997)}\r\n`);
  t.deepEqual(statuses(ok.text), [200]);
  t.regex(ok.text, /"x-h996":"v"/);
  const before = echo.count();
  const tooMany = await rawRequest(port, `GET /many HTTP/1.1\r\nHost: echo.test\r\n${lines(1_000)}\r\n`);
  t.deepEqual(statuses(tooMany.text), [431]);
  t.is(echo.count(), before);
});

test.serial('Connection cannot remove Host; untrusted X-Forwarded-* and their underscore spellings are stripped', async (t) => {
  const spoofed = ['X-Forwarded-Prefix: /evil', 'X-Forwarded-Uri: /evil', 'X-Forwarded-Method: DELETE', 'X-Forwarded-Tls-Client-Cert: forged', 'X-Forwarded-Tls-Client-Cert-Info: forged', 'X_Forwarded_For: 6.6.6.6', 'X-Real_Ip: 6.6.6.6'];
  const { text } = await rawRequest(port, `GET /h HTTP/1.1\r\nHost: echo.test\r\nConnection: host, close\r\n${spoofed.join('\r\n')}\r\n\r\n`);
  // The echo backend answers chunked: its JSON is the only object in the stream.
  const body = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as { headers: Record<string, string> };
  t.is(body.headers.host, 'echo.test');
  for (const name of ['x-forwarded-prefix', 'x-forwarded-uri', 'x-forwarded-method', 'x-forwarded-tls-client-cert', 'x-forwarded-tls-client-cert-info', 'x_forwarded_for', 'x-real_ip']) t.false(name in body.headers, name);
  t.is(body.headers['x-forwarded-for'], '127.0.0.1');
});

test.serial('CONNECT answers 405; a slow head 408; an oversized head 431; an unknown method 400', async (t) => {
  t.deepEqual(statuses((await rawRequest(port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')).text), [405]);
  const slow = await rawRequest(port, 'GET / HTTP/1.1\r\nHost: echo.test\r\n', { timeoutMs: 4_000 });
  t.deepEqual(statuses(slow.text), [408]);
  t.deepEqual(statuses((await rawRequest(port, `GET / HTTP/1.1\r\nHost: echo.test\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).text), [431]);
  // llhttp knows a fixed list of methods (see docs/connection-handling.md).
  t.deepEqual(statuses((await rawRequest(port, 'FOO / HTTP/1.1\r\nHost: echo.test\r\n\r\n')).text), [400]);
});

test.serial('responseHeaderTimeout answers 504 on time', async (t) => {
  const started = performance.now();
  const res = await request(wharf.urls.web! + '/slow', { headers: { host: 'late.test' } });
  await res.body.text();
  const elapsed = performance.now() - started;
  t.is(res.statusCode, 504);
  // undici's own headersTimeout fired about 500 ms late; Wharf's timer is native.
  t.true(elapsed >= 990 && elapsed < 1_250, `504 after ${Math.round(elapsed)} ms`);
});

// Shutdown: each test has its own Wharf.

async function shutdownWharf(backendUrl: string, extra: string[] = []): Promise<{ wharf: WharfProcess; port: number }> {
  const config = await ExampleConfig.create({
    http: { routers: { app: { rule: 'Host(`app.test`)', service: 'app' } }, services: { app: { loadBalancer: { servers: [{ url: backendUrl }] } } } },
  });
  const w = await startWharf(['web'], ['--log.level=INFO', '--entryPoints.web.transport.lifeCycle.graceTimeOut=10s', ...extra, ...config.args()]);
  await waitFor(async () => (await request(w.urls.web! + '/', { headers: { host: 'app.test' } }).then((r) => r.body.text().then(() => r.statusCode))) === 200, 10_000, 'route');
  return { wharf: w, port: Number(new URL(w.urls.web!).port) };
}

test('SIGTERM under load from 20 keep-alive clients loses no request and exits well within the grace period', async (t) => {
  const backend = await startBackend('slow');
  const { wharf: w, port: p } = await shutdownWharf(backend.url);
  const { Agent, get } = await import('node:http');
  let ok = 0;
  let refused = 0;
  const lost: string[] = [];
  let stop = false;
  const client = async (): Promise<void> => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (!stop) {
      const outcome = await new Promise<string>((resolve) => {
        const req = get({ host: '127.0.0.1', port: p, path: '/delay/200', agent, headers: { host: 'app.test' } }, (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode === 200 ? 'ok' : `status ${res.statusCode}`));
          res.once('error', (err) => resolve(err.message));
        });
        req.once('error', (err: Error & { code?: string }) => resolve(err.code === 'ECONNREFUSED' ? 'refused' : `${err.code ?? ''} ${err.message}`));
      });
      if (outcome === 'ok') ok++;
      else if (outcome === 'refused') {
        refused++;
        break;
      } else lost.push(outcome);
    }
    agent.destroy();
  };
  const clients = Array.from({ length: 20 }, () => client());
  await new Promise((r) => setTimeout(r, 1_000));
  const okBeforeStop = ok;
  const stoppedAt = performance.now();
  const code = await w.stop('SIGTERM');
  const exitMs = performance.now() - stoppedAt;
  stop = true;
  await Promise.all(clients);
  await backend.close();
  t.log(`${ok} answered, ${okBeforeStop} before SIGTERM, exit ${Math.round(exitMs)} ms, ${w.output().match(/ stopped .*/)?.[0] ?? ''}`);
  t.is(code, 0);
  t.deepEqual(lost, [], `lost requests: ${lost.join('; ')}`);
  t.true(ok > okBeforeStop, 'requests in flight at SIGTERM were answered');
  t.is(refused, 20, 'each client ends on a refused new connection');
  t.true(exitMs < 2_000, `exit took ${Math.round(exitMs)} ms with a 200 ms backend`);
  t.regex(w.output(), / stopped connections=\d+ served=\d+ cut=0/);
});

test('a connection accepted just before SIGTERM gets its request answered with Connection: close', async (t) => {
  const backend = await startBackend('late');
  const { wharf: w, port: p } = await shutdownWharf(backend.url);
  const socket = connect({ host: '127.0.0.1', port: p });
  await new Promise((r) => socket.once('connect', r));
  let text = '';
  socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
  const closed = new Promise((r) => socket.once('close', r));
  const exited = w.stop('SIGTERM');
  await new Promise((r) => setTimeout(r, 100));
  socket.write(head('app.test', '/late'));
  await closed;
  t.deepEqual(statuses(text), [200]);
  t.regex(text, /connection: close/i);
  t.is(await exited, 0);
  await backend.close();
});

test('an idle Wharf with an idle keep-alive connection exits at once', async (t) => {
  const backend = await startBackend('idle');
  const { wharf: w, port: p } = await shutdownWharf(backend.url);
  const { Agent, get } = await import('node:http');
  const agent = new Agent({ keepAlive: true });
  await new Promise<void>((resolve) => get({ host: '127.0.0.1', port: p, path: '/', agent, headers: { host: 'app.test' } }, (res) => res.resume().once('end', resolve)));
  await new Promise((r) => setTimeout(r, 400));
  const started = performance.now();
  t.is(await w.stop('SIGTERM'), 0);
  const ms = performance.now() - started;
  agent.destroy();
  await backend.close();
  t.log(`idle exit ${Math.round(ms)} ms`);
  t.true(ms < 1_000, `exit took ${Math.round(ms)} ms`);
  t.regex(w.output(), / stopped connections=\d+ served=\d+ cut=0/);
});
