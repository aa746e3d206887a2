import test from 'ava';
import { request } from 'undici';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { ExampleConfig, startWharf, type WharfProcess } from './helpers/wharf-process.js';

// Traefik 3.7 multi-layer routing through a real Wharf fed by the example provider: a parent
// router (rule + basicAuth, no service) and children that only exist below it (`parentRefs`).
// Hash written by htpasswd -m: test/test (apr1); alice/secret (-B, bcrypt cost 4).
const USERS = ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/', 'alice:$2y$04$vyh/D7r/lL8P1RJ2jvvePOmyn8IKIqIljYsuWNW99JJVixrmV8WG6'];
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const TEST = basic('test', 'test');
const ALICE = basic('alice', 'secret');

let wharf: WharfProcess;
let web: string;
let api: string;
const backends: Record<string, Backend> = {};

interface Answer {
  status: number;
  body: string;
  headers: Record<string, unknown>;
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await request(web + path, { headers: { host: 'app.test', ...headers } });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

const backendName = (a: Answer): string => (JSON.parse(a.body) as { name: string }).name;
const lb = (b: Backend): unknown => ({ loadBalancer: { servers: [{ url: b.url }] } });

test.before(async () => {
  for (const name of ['admin', 'user', 'mine', 'orphan', 'both']) backends[name] = await startBackend(name);
  const config = await ExampleConfig.create({
    http: {
      routers: {
        parent: { rule: 'PathPrefix(`/whoami`)', middlewares: ['auth'] },
        admin: { rule: 'Header(`X-User-Role`, `admin`)', service: 'admin', parentRefs: ['parent'] },
        user: { rule: 'Header(`X-User-Role`, `user`)', service: 'user', parentRefs: ['parent'] },
        // basicAuth sets X-WebAuth-User on the request: a child sees the request as the parent's middlewares left it.
        mine: { rule: 'Header(`X-WebAuth-User`, `alice`)', service: 'mine', parentRefs: ['parent'], priority: 1 },
        orphan: { rule: 'Header(`X-Orphan`, `1`)', service: 'orphan', parentRefs: ['ghost'] },
        // A parent that also has a service is an error: neither it nor its child serve.
        both: { rule: 'PathPrefix(`/both`)', service: 'both' },
        'both-child': { rule: 'PathPrefix(`/both/child`)', service: 'both', parentRefs: ['both'] },
      },
      services: { admin: lb(backends.admin!), user: lb(backends.user!), mine: lb(backends.mine!), orphan: lb(backends.orphan!), both: lb(backends.both!) },
      middlewares: { auth: { basicAuth: { users: USERS, headerField: 'X-WebAuth-User' } } },
    },
  });
  wharf = await startWharf(['web', 'traefik'], ['--api.insecure', ...config.args()]);
  web = wharf.urls.web!;
  api = wharf.urls.traefik!;
  await waitFor(async () => (await get('/whoami', { authorization: TEST, 'x-user-role': 'admin' })).status === 200, 10_000, 'the child router');
});

test.after.always(async () => {
  await wharf?.stop();
  await Promise.all(Object.values(backends).map((b) => b.close()));
});

test.serial('a child is never reachable without passing its parent rule and middlewares', async (t) => {
  const before = backends.admin!.count();
  const noCredentials = await get('/whoami', { 'x-user-role': 'admin' });
  t.is(noCredentials.status, 401, 'the parent basicAuth answers first');
  t.is((await get('/whoami/deep', { 'x-user-role': 'admin', authorization: basic('test', 'wrong') })).status, 401);
  // Outside the parent's PathPrefix the child's own rule matches, but the child is not a root router.
  t.is((await get('/anything', { 'x-user-role': 'admin' })).status, 404);
  t.is((await get('/anything', { 'x-user-role': 'admin', authorization: TEST })).status, 404);
  t.is(backends.admin!.count(), before, 'nothing reached the child service');
});

test('with credentials each child serves its own service, chosen by its rule', async (t) => {
  const admin = await get('/whoami/x', { 'x-user-role': 'admin', authorization: TEST });
  t.is(admin.status, 200);
  t.is(backendName(admin), 'admin');
  t.is((JSON.parse(admin.body) as { url: string }).url, '/whoami/x');
  const user = await get('/whoami', { 'x-user-role': 'user', authorization: TEST });
  t.is(user.status, 200);
  t.is(backendName(user), 'user');
});

test('a request matching the parent but no child gets 404', async (t) => {
  const none = await get('/whoami', { authorization: TEST });
  t.is(none.status, 404);
  t.is(none.body, '404 page not found\n');
  t.is((await get('/whoami', { authorization: TEST, 'x-user-role': 'guest' })).status, 404);
});

test('children match the request as modified by the parent middlewares', async (t) => {
  const mine = await get('/whoami', { authorization: ALICE });
  t.is(mine.status, 200);
  t.is(backendName(mine), 'mine');
  // basicAuth overwrites a forged X-WebAuth-User with the authenticated user before the children match.
  t.is((await get('/whoami', { authorization: TEST, 'x-webauth-user': 'alice' })).status, 404);
  // Priority among siblings: the explicit priority 1 of `mine` loses to the admin rule's length.
  t.is(backendName(await get('/whoami', { authorization: ALICE, 'x-user-role': 'admin' })), 'admin');
});

test.serial('a child whose parent is missing is disabled and unreachable; a parent with a service and children is disabled', async (t) => {
  t.is((await get('/', { 'x-orphan': '1' })).status, 404);
  t.is((await get('/both/child')).status, 404);
  t.is((await get('/both')).status, 404);
  t.is(backends.orphan!.count(), 0);
  t.is(backends.both!.count(), 0);
});

test('the API shows parentRefs (qualified), statuses and errors', async (t) => {
  const router = async (name: string): Promise<Record<string, unknown>> => (await (await request(`${api}/api/http/routers/${name}`)).body.json()) as Record<string, unknown>;
  t.like(await router('parent@example'), { status: 'enabled', using: ['web'], middlewares: ['auth@example'] });
  t.false('service' in (await router('parent@example')));
  const admin = await router('admin@example');
  t.like(admin, { status: 'enabled', service: 'admin@example', priority: 30 });
  t.deepEqual(admin.parentRefs, ['parent@example']);
  t.like(await router('mine@example'), { status: 'enabled', priority: 1 });
  const orphan = await router('orphan@example');
  t.is(orphan.status, 'disabled');
  t.deepEqual(orphan.parentRefs, ['ghost@example']);
  t.true((orphan.error as string[]).some((e) => e.includes('"ghost@example"')), JSON.stringify(orphan.error));
  const both = await router('both@example');
  t.is(both.status, 'disabled');
  t.true((both.error as string[]).some((e) => e.includes('service') && e.includes('parent')), JSON.stringify(both.error));
  const bothChild = await router('both-child@example');
  t.is(bothChild.status, 'disabled');
  t.true((bothChild.error as string[]).some((e) => e.includes('"both@example"')), JSON.stringify(bothChild.error));
});
