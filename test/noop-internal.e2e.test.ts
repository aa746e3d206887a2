import test from 'ava';
import { request } from 'undici';
import { waitFor } from './helpers/net.js';
import { ExampleConfig, startWharf } from './helpers/wharf-process.js';

test('noop@internal: a router may name it as its service; it answers 418 like Traefik\'s, after the router\'s middlewares', async (t) => {
  const config = await ExampleConfig.create({
    http: {
      routers: {
        open: { rule: 'Host(`open.test`)', service: 'noop@internal', entryPoints: ['web'] },
        guarded: { rule: 'Host(`guarded.test`)', service: 'noop@internal', middlewares: ['auth'], entryPoints: ['web'] },
      },
      middlewares: { auth: { basicAuth: { users: ['alice:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/'] } } },
    },
  });
  const wharf = await startWharf(['web', 'traefik'], ['--api.insecure', ...config.args()]);
  t.teardown(() => wharf.stop());
  const status = async (host: string): Promise<number> => {
    const res = await request(wharf.urls.web + '/', { headers: { host } });
    await res.body.dump();
    return res.statusCode;
  };
  await waitFor(async () => (await status('open.test')) === 418, 10_000, 'noop router applied');
  t.is(await status('guarded.test'), 401, 'the middleware answers first');
  const res = await request(wharf.urls.traefik + '/api/http/routers/open@example');
  const router = (await res.body.json()) as { status: string; service: string };
  t.is(router.status, 'enabled');
  t.is(router.service, 'noop@internal');
});
