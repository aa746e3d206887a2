import test from 'ava';
import { request } from 'undici';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { ExampleConfig, startWharf, type WharfProcess } from './helpers/wharf-process.js';

// One Wharf with --api.insecure, fed by the example provider; the API is read on the `traefik` entry point.
let wharf: WharfProcess;
let config: ExampleConfig;
let backend: Backend;
let api: string;

const HASH = '$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/';

function configuration(extra: Record<string, unknown> = {}): unknown {
  return {
    http: {
      routers: {
        app: { rule: 'Host(`app.test`)', service: 'app', middlewares: ['auth', 'strip'], entryPoints: ['web'] },
        broken: { rule: 'Host(`broken.test`', service: 'app', entryPoints: ['web'] },
        orphan: { rule: 'Host(`orphan.test`)', service: 'nope', entryPoints: ['web'] },
        ...extra,
      },
      services: { app: { loadBalancer: { servers: [{ url: backend.url }] } } },
      middlewares: { auth: { headers: { customRequestHeaders: { Authorization: 'Basic c2VjcmV0OnRva2Vu' } } }, strip: { stripPrefix: { prefixes: ['/x'] } }, users: { basicAuth: { users: [`alice:${HASH}`] } } },
    },
  };
}

async function getJson(path: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(api + path);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

test.before(async () => {
  backend = await startBackend('a');
  config = await ExampleConfig.create({ http: {} });
  await config.write(configuration());
  wharf = await startWharf(['web', 'traefik'], ['--api.insecure', ...config.args()]);
  api = wharf.urls.traefik!;
  await waitFor(async () => (await getJson('/api/http/routers/app@example')).status === 200, 10_000, 'the example configuration in the API');
});

test.after.always(async () => {
  await wharf?.stop();
  await backend?.close();
});

test.serial('overview counts the live configuration, internal routers included', async (t) => {
  const { body } = await getJson('/api/overview');
  // app, broken, orphan + api@internal, dashboard@internal
  t.is(body.http.routers.total, 5);
  t.is(body.http.routers.errors, 2);
  t.true(body.http.middlewares.total >= 3);
  t.true(body.providers.includes('Example'));
});

test.serial('routers: list with paging, detail, disabled errors, internal routers', async (t) => {
  const list = await getJson('/api/http/routers?per_page=2');
  t.is(list.body.length, 2);
  t.is(list.headers.get('x-next-page'), '2');
  const all = await getJson('/api/http/routers');
  const names = (all.body as Array<{ name: string }>).map((r) => r.name);
  t.deepEqual(names, ['api@internal', 'app@example', 'broken@example', 'dashboard@internal', 'orphan@example']);
  const app = (await getJson('/api/http/routers/app@example')).body;
  t.like(app, { name: 'app@example', provider: 'example', status: 'enabled', service: 'app@example', rule: 'Host(`app.test`)', using: ['web'] });
  t.deepEqual(app.middlewares, ['auth@example', 'strip@example']);
  const broken = (await getJson('/api/http/routers/broken%40example')).body;
  t.is(broken.status, 'disabled');
  t.true(broken.error.length > 0);
  const orphan = (await getJson('/api/http/routers?status=disabled&search=orphan')).body;
  t.regex(orphan[0].error.join(';'), /nope@example/);
  const internal = (await getJson('/api/http/routers/api@internal')).body;
  t.like(internal, { provider: 'internal', rule: 'PathPrefix(`/api`)', using: ['traefik'], service: 'api@internal' });
});

test.serial('services show serverStatus and usedBy; middlewares their type; secrets are redacted', async (t) => {
  const svc = (await getJson('/api/http/services/app@example')).body;
  t.like(svc, { type: 'loadbalancer', status: 'enabled' });
  t.deepEqual(svc.serverStatus, { [backend.url]: 'UP' });
  t.true(svc.usedBy.includes('app@example'));
  // Wharf's own services are listed too, as Traefik lists them.
  const api = (await getJson('/api/http/services/api@internal')).body;
  t.like(api, { name: 'api@internal', provider: 'internal', status: 'enabled' });
  t.deepEqual(api.usedBy, ['api@internal']);
  t.is(api.type, undefined);
  const users = (await getJson('/api/http/middlewares/users@example')).body;
  t.is(users.type, 'basicauth');
  const raw = JSON.stringify((await getJson('/api/rawdata')).body);
  t.false(raw.includes(HASH));
  t.false(raw.includes('c2VjcmV0OnRva2Vu'));
  t.true(raw.includes('alice:REDACTED'));
});

test.serial('unknown names are 404 JSON; a page past the end is 400', async (t) => {
  const missing = await getJson('/api/http/services/ghost@example');
  t.is(missing.status, 404);
  t.deepEqual(missing.body, { message: 'service not found: ghost@example' });
  t.is((await getJson('/api/http/routers?page=99')).status, 400);
});

test.serial('entry points, version, and the dashboard redirect', async (t) => {
  const eps = (await getJson('/api/entrypoints')).body as Array<{ name: string; address: string }>;
  t.deepEqual(eps.map((e) => e.name).sort(), ['traefik', 'web']);
  t.is((await getJson('/api/entrypoints/web')).body.address, new URL(wharf.urls.web!).host);
  t.regex((await getJson('/api/version')).body.Version, /^\d+\.\d+/);
  const root = await fetch(api + '/', { redirect: 'manual' });
  t.is(root.status, 302);
  t.is(root.headers.get('location'), '/dashboard/');
  t.regex(await (await fetch(api + '/dashboard/')).text(), /<title>Wharf dashboard<\/title>/);
});

test.serial('a configuration change shows in the API without restart', async (t) => {
  await config.write(configuration({ added: { rule: 'Host(`added.test`)', service: 'app', entryPoints: ['web'] } }));
  await waitFor(async () => (await getJson('/api/http/routers/added@example')).status === 200, 10_000, 'the new router');
  t.is((await getJson('/api/overview')).body.http.routers.total, 6);
});

test('without api.insecure the API is served only through a router targeting api@internal', async (t) => {
  const cfg = await ExampleConfig.create({ http: { routers: { admin: { rule: 'Host(`admin.test`) && (PathPrefix(`/api`) || PathPrefix(`/dashboard`))', service: 'api@internal', entryPoints: ['web'] } } } });
  const secure = await startWharf(['web'], ['--api', ...cfg.args()]);
  try {
    const web = secure.urls.web!;
    const get = async (path: string, host: string): Promise<{ status: number; text: string }> => {
      const res = await request(web + path, { headers: { host } });
      return { status: res.statusCode, text: await res.body.text() };
    };
    const viaRouter = await waitFor(async () => {
      const res = await get('/api/overview', 'admin.test');
      return res.status === 200 ? res : undefined;
    }, 10_000, 'api@internal through the admin router');
    t.is((JSON.parse(viaRouter.text) as { http: { routers: { total: number } } }).http.routers.total, 1);
    t.is((await get('/api/overview', 'other.test')).status, 404);
    t.regex((await get('/dashboard/', 'admin.test')).text, /Wharf dashboard/);
  } finally {
    await secure.stop();
  }
});
