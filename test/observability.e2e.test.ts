import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { request } from 'undici';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { rawRequest, startRawBackend, statuses } from './helpers/raw-http.js';
import { ExampleConfig, runWharf, startWharf } from './helpers/wharf-process.js';
import { sample } from '../packages/core/test/prometheus-text.js';

let backend: Backend;
test.before(async () => {
  backend = await startBackend('a');
});
test.after.always(() => backend?.close());

const routes = (): unknown => ({
  http: {
    routers: { app: { rule: 'Host(`app.test`)', service: 'app', entryPoints: ['web'] } },
    services: { app: { loadBalancer: { servers: [{ url: backend.url }] } } },
  },
});

async function get(url: string, host: string, init: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number }> {
  const res = await request(url, { method: init.method ?? 'GET', ...(init.body ? { body: init.body } : {}), headers: { host, 'user-agent': 'e2e-agent', ...init.headers } });
  await res.body.arrayBuffer();
  return { status: res.statusCode };
}

test('metrics after known traffic, JSON access log, ping and healthcheck', async (t) => {
  const config = await ExampleConfig.create(routes());
  const logFile = join(await mkdtemp(join(tmpdir(), 'wharf-al-')), 'access.json');
  const wharf = await startWharf(['web', 'traefik'], ['--metrics.prometheus', '--metrics.prometheus.addRoutersLabels', '--ping', '--accessLog.format=json', `--accessLog.filePath=${logFile}`, '--accessLog.fields.headers.names.Content-Type=keep', ...config.args()]);
  try {
    const web = wharf.urls.web!;
    await waitFor(async () => (await get(web + '/', 'app.test')).status === 200, 10_000, 'the app route');
    const metricsBefore = await (await fetch(wharf.urls.traefik + '/metrics')).text();
    const before = sample(metricsBefore, 'traefik_service_requests_total', { code: '200', method: 'GET', service: 'app@example' }) ?? 0;
    // startWharf's readiness probe already produced 404s on the entry point.
    const notFoundBefore = sample(metricsBefore, 'traefik_entrypoint_requests_total', { code: '404', method: 'GET', entrypoint: 'web', protocol: 'http' }) ?? 0;
    for (let i = 0; i < 3; i++) await get(web + '/hello?i=' + i, 'app.test');
    await get(web + '/post', 'app.test', { method: 'POST', body: 'x'.repeat(42) });
    await get(web + '/', 'nobody.test');
    const text = await waitFor(async () => {
      const m = await (await fetch(wharf.urls.traefik + '/metrics')).text();
      return sample(m, 'traefik_service_requests_total', { code: '200', method: 'GET', service: 'app@example' }) === before + 3 ? m : undefined;
    }, 5_000, 'the service counter');
    t.is(sample(text, 'traefik_router_requests_total', { code: '200', method: 'GET', router: 'app@example', service: 'app@example' }), before + 3);
    t.is(sample(text, 'traefik_service_requests_total', { code: '200', method: 'POST', service: 'app@example' }), 1);
    t.is(sample(text, 'traefik_service_requests_bytes_total', { code: '200', method: 'POST', service: 'app@example' }), 42);
    t.true((sample(text, 'traefik_service_responses_bytes_total', { code: '200', method: 'GET', service: 'app@example' }) ?? 0) > 0);
    t.is(sample(text, 'traefik_entrypoint_requests_total', { code: '404', method: 'GET', entrypoint: 'web', protocol: 'http' }), notFoundBefore + 1);
    t.is(sample(text, 'traefik_service_request_duration_seconds_bucket', { code: '200', method: 'GET', service: 'app@example', le: '+Inf' }), before + 3);
    t.true((sample(text, 'traefik_config_reloads_total') ?? 0) >= 1);
    t.true((sample(text, 'traefik_config_last_reload_success') ?? 0) > 1_600_000_000);
    t.is(sample(text, 'traefik_service_server_up', { service: 'app@example', url: backend.url }), 1);
    t.true((sample(text, 'traefik_open_connections', { entrypoint: 'traefik', protocol: 'TCP' }) ?? 0) >= 1);
    t.false(text.includes('prometheus@internal'), 'scrapes are not counted');

    const ping = await fetch(wharf.urls.traefik + '/ping');
    t.is(ping.status, 200);
    t.is(await ping.text(), 'OK');
    const health = await runWharf(['healthcheck', '--ping', `--entryPoints.traefik.address=${new URL(wharf.urls.traefik!).host}`]);
    t.is(health.code, 0, health.stderr + health.stdout);

    const lines = await waitFor(async () => {
      const l = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((x) => JSON.parse(x) as Record<string, unknown>);
      return l.some((e) => e.RequestHost === 'nobody.test') ? l : undefined;
    }, 5_000, 'access log lines');
    const hello = lines.filter((e) => String(e.RequestPath).startsWith('/hello'));
    t.deepEqual(hello.map((e) => e.RequestPath), ['/hello?i=0', '/hello?i=1', '/hello?i=2']);
    t.like(hello[0], { RequestMethod: 'GET', RequestHost: 'app.test', DownstreamStatus: 200, RouterName: 'app@example', ServiceName: 'app@example', ServiceURL: backend.url, ClientHost: '127.0.0.1', RequestProtocol: 'HTTP/1.1' });
    t.like(lines.find((e) => e.RequestHost === 'nobody.test'), { DownstreamStatus: 404, RouterName: '' });
    const first = hello[0]!;
    t.is(first.OriginStatus, 200);
    t.true(typeof first.OriginDuration === 'number' && first.OriginDuration > 0 && first.OriginDuration <= Number(first.Duration), 'OriginDuration in nanoseconds, within Duration');
    t.is(first.Overhead, Number(first.Duration) - Number(first.OriginDuration));
    t.regex(String(first['origin_Content-Type']), /application\/json/, 'origin headers as origin_<Name>');
    t.regex(String(first['downstream_Content-Type']), /application\/json/, 'relayed headers as downstream_<Name>');
    t.false(lines.some((e) => String(e.RequestPath).startsWith('/metrics') || String(e.RequestPath).startsWith('/ping')), 'internal routers are not logged');
  } finally {
    await wharf.stop();
  }
  const after = await runWharf(['healthcheck', '--ping', `--entryPoints.traefik.address=${new URL(wharf.urls.traefik!).host}`]);
  t.is(after.code, 1, 'healthcheck fails once Wharf is gone');
});

test('common access log on stdout, buffered and flushed at exit; JSON process logs at DEBUG', async (t) => {
  const config = await ExampleConfig.create(routes());
  const wharf = await startWharf(['web'], ['--accessLog', '--accessLog.bufferingSize=100', '--log.level=DEBUG', '--log.format=json', ...config.args()]);
  const web = wharf.urls.web!;
  await waitFor(async () => (await get(web + '/', 'app.test')).status === 200, 10_000, 'the app route');
  await get(web + '/common-line', 'app.test', { headers: { referer: 'http://ref.test/' } });
  t.false(wharf.output().includes('/common-line'), 'the line waits in the buffer');
  t.is(await wharf.stop(), 0);
  const line = wharf.output().split('\n').find((l) => l.includes('/common-line'));
  t.truthy(line, wharf.output());
  const m = /^(\S+) - (\S+) \[([^\]]+)\] "GET \/common-line HTTP\/1\.1" (\d{3}) (\d+) "([^"]*)" "([^"]*)" (\d+) "([^"]*)" "([^"]*)" (\d+)ms$/.exec(line!);
  t.truthy(m, line);
  t.deepEqual([m![1], m![4], m![6], m![7], m![9], m![10]], ['127.0.0.1', '200', 'http://ref.test/', 'e2e-agent', 'app@example', backend.url]);
  const jsonLogs = wharf.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: string });
  t.true(jsonLogs.some((l) => l.level === 'debug' || l.level === 'info'), 'process logs are JSON at the chosen level');
});

// Issue 12, bugs 4 and 5: upgrades are requests too (access log and metrics), the client's port
// is the one it connected from whatever the request carried, and field names are Traefik's.
test('upgrades, requests with a body and JSON field names in the access log and metrics', async (t) => {
  const raw = await startRawBackend();
  t.teardown(() => raw.close());
  const config = await ExampleConfig.create({
    http: {
      routers: {
        app: { rule: 'Host(`app.test`)', service: 'app', entryPoints: ['web'] },
        ws: { rule: 'Host(`ws.test`)', service: 'raw', entryPoints: ['web'] },
        locked: { rule: 'Host(`locked.test`)', service: 'raw', entryPoints: ['web'], middlewares: ['auth'] },
      },
      services: { app: { loadBalancer: { servers: [{ url: backend.url }] } }, raw: { loadBalancer: { servers: [{ url: raw.url }] } } },
      middlewares: { auth: { basicAuth: { users: ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/'] } } },
    },
  });
  const logFile = join(await mkdtemp(join(tmpdir(), 'wharf-al-')), 'access.json');
  const wharf = await startWharf(['web', 'traefik'], ['--metrics.prometheus', '--accessLog.format=json', `--accessLog.filePath=${logFile}`, '--log.level=DEBUG', '--log.format=json', ...config.args()]);
  try {
    const web = wharf.urls.web!;
    const port = Number(new URL(web).port);
    await waitFor(async () => (await get(web + '/', 'app.test')).status === 200 && (await get(web + '/', 'locked.test')).status === 401, 10_000, 'the routes');
    const upgrade = (host: string, path: string): string => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`;
    // A tunnel kept open 300 ms: its line comes when it closes, with the tunnel's lifetime.
    const tunnel = await rawRequest(port, [upgrade('ws.test', '/switch/websocket'), 'ping'], { timeoutMs: 300, gapMs: 50 });
    t.deepEqual(statuses(tunnel.text), [101]);
    t.deepEqual(statuses((await rawRequest(port, upgrade('ws.test', '/refused'))).text), [200]);
    t.deepEqual(statuses((await rawRequest(port, upgrade('locked.test', '/switch/websocket'))).text), [401]);
    // Connected from a known port, with a body: the line must carry that port.
    const socket = connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    const localPort = socket.localPort!;
    // Written, not ended: a client that half-closes has its request aborted by Node (as by Go).
    socket.write('POST /with-body HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello');
    for await (const _ of socket) void _;

    const lines = await waitFor(async () => {
      const l = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((x) => JSON.parse(x) as Record<string, unknown>);
      return l.some((e) => e.RequestPath === '/with-body') && l.filter((e) => e.RouterName === 'ws@example').length === 2 && l.some((e) => e.RouterName === 'locked@example' && e.RequestPath === '/switch/websocket') ? l : undefined;
    }, 5_000, 'access log lines');
    const posted = lines.find((e) => e.RequestPath === '/with-body')!;
    t.like(posted, { RequestMethod: 'POST', DownstreamStatus: 200, ClientHost: '127.0.0.1', ClientPort: String(localPort), ClientAddr: `127.0.0.1:${localPort}`, entryPointName: 'web' });
    const ws = lines.find((e) => e.RequestPath === '/switch/websocket' && e.RouterName === 'ws@example')!;
    t.like(ws, { DownstreamStatus: 101, OriginStatus: 101, ServiceURL: raw.url, RequestScheme: 'ws', entryPointName: 'web' });
    t.true(Number(ws.Duration) >= 250e6, `a tunnel's duration is its lifetime (${Number(ws.Duration) / 1e6} ms)`);
    t.like(lines.find((e) => e.RequestPath === '/refused'), { DownstreamStatus: 200, RouterName: 'ws@example' });
    t.like(lines.find((e) => e.RequestPath === '/switch/websocket' && e.RouterName === 'locked@example'), { DownstreamStatus: 401 });

    const metrics = await (await fetch(wharf.urls.traefik + '/metrics')).text();
    t.is(sample(metrics, 'traefik_entrypoint_requests_total', { code: '101', method: 'GET', entrypoint: 'web', protocol: 'websocket' }), 1);
    t.is(sample(metrics, 'traefik_service_requests_total', { code: '101', method: 'GET', service: 'raw@example', protocol: 'websocket' }), 1);
    t.is(sample(metrics, 'traefik_entrypoint_requests_total', { code: '401', method: 'GET', entrypoint: 'web', protocol: 'websocket' }), 1);
  } finally {
    await wharf.stop();
  }
  // Process logs: the entry point's child logger already carries entryPoint; no line repeats it.
  const json = wharf.output().split('\n').filter((l) => l.startsWith('{'));
  const listening = json.find((l) => l.includes('entry point listening'));
  t.truthy(listening, wharf.output());
  for (const line of json) t.true((line.match(/"entryPoint":/g) ?? []).length <= 1, line);
});
