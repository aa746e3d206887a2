import test from 'ava';
import { request } from 'undici';
import WebSocket, { WebSocketServer } from 'ws';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { ExampleConfig, startWharf, type WharfProcess } from './helpers/wharf-process.js';

// One Wharf with --api (not insecure) behind a basicAuth middleware, fed by the example provider.
// Hashes written by htpasswd: test/test (-m, apr1) and alice/secret (-B, bcrypt cost 4).
const USERS = ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/', 'alice:$2y$04$vyh/D7r/lL8P1RJ2jvvePOmyn8IKIqIljYsuWNW99JJVixrmV8WG6'];
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let wharf: WharfProcess;
let web: string;
let backend: Backend;
let wss: WebSocketServer;

async function get(host: string, path = '/', authorization?: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const res = await request(web + path, { headers: { host, ...(authorization === undefined ? {} : { authorization }) } });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

test.before(async () => {
  backend = await startBackend('a');
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (socket, req) => socket.send(`hello ${String(req.headers['x-webauth-user'])}`));
  const config = await ExampleConfig.create({
    http: {
      routers: {
        app: { rule: 'Host(`auth.test`)', service: 'app', middlewares: ['auth'] },
        sock: { rule: 'Host(`ws.test`)', service: 'sock', middlewares: ['auth'] },
        api: { rule: 'Host(`api.test`)', service: 'api@internal', middlewares: ['auth'] },
      },
      services: {
        app: { loadBalancer: { servers: [{ url: backend.url }] } },
        sock: { loadBalancer: { servers: [{ url: `http://127.0.0.1:${(wss.address() as { port: number }).port}` }] } },
      },
      middlewares: { auth: { basicAuth: { users: USERS, realm: 'wharf e2e', headerField: 'X-WebAuth-User' } } },
    },
  });
  wharf = await startWharf(['web'], ['--api', '--accessLog', '--accessLog.bufferingSize=0', ...config.args()]);
  web = wharf.urls.web!;
  await waitFor(async () => (await get('auth.test')).status === 401, 10_000, 'the basicAuth router');
});

test.after.always(async () => {
  await wharf?.stop();
  await backend?.close();
  wss?.close();
});

test('a protected router answers 401 with the challenge, and forwards with the right credentials', async (t) => {
  const requestsBefore = backend.count();
  for (const authorization of [undefined, basic('test', 'wrong'), basic('nobody', 'test'), 'Bearer abc']) {
    const denied = await get('auth.test', '/', authorization);
    t.is(denied.status, 401, String(authorization));
    t.is(denied.headers['www-authenticate'], 'Basic realm="wharf e2e"');
    t.is(denied.body, '401 Unauthorized\n');
  }
  t.is(backend.count(), requestsBefore, 'no denied request reached the backend');

  for (const [user, password] of [['test', 'test'], ['alice', 'secret'], ['alice', 'secret']] as const) {
    const ok = await get('auth.test', '/hello', basic(user, password));
    t.is(ok.status, 200);
    const seen = JSON.parse(ok.body) as { name: string; url: string; headers: Record<string, string> };
    t.like(seen, { name: 'a', url: '/hello' });
    t.is(seen.headers['x-webauth-user'], user);
    t.is(seen.headers.authorization, basic(user, password), 'Authorization is forwarded unless removeHeader');
  }
  await waitFor(() => /^127\.0\.0\.1 - alice \[.*"GET \/hello HTTP\/1\.1" 200 /m.test(wharf.output()), 5_000, 'the access log line');
  t.regex(wharf.output(), /^127\.0\.0\.1 - test \[/m, 'the authenticated user is the access log ClientUsername');
});

test('the API (--api, not insecure) is reachable only through its authenticated router', async (t) => {
  const denied = await get('api.test', '/api/http/routers');
  t.is(denied.status, 401);
  t.is(denied.headers['www-authenticate'], 'Basic realm="wharf e2e"');
  const ok = await get('api.test', '/api/http/routers', basic('alice', 'secret'));
  t.is(ok.status, 200);
  t.regex(String(ok.headers['content-type']), /application\/json/);
  const names = (JSON.parse(ok.body) as Array<{ name: string; middlewares?: string[] }>).map((r) => r.name);
  t.true(names.includes('api@example'), names.join(','));
  t.true(names.includes('app@example'), names.join(','));
});

test('WebSocket upgrades are refused with 401 without credentials and proxied with them', async (t) => {
  const refused = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(web.replace('http', 'ws') + '/chat', { headers: { host: 'ws.test' } });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => reject(new Error('the upgrade was accepted without credentials')));
    ws.once('error', () => undefined);
  });
  t.is(refused, 401);

  const greeting = await new Promise<string>((resolve, reject) => {
    const ws = new WebSocket(web.replace('http', 'ws') + '/chat', { headers: { host: 'ws.test', authorization: basic('test', 'test') } });
    ws.once('message', (d) => {
      resolve(String(d));
      ws.close();
    });
    ws.once('error', reject);
  });
  t.is(greeting, 'hello test');
});
