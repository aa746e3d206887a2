import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProviderContract } from '@wharf/core/testing';
import test from 'ava';
import { request } from 'undici';
import kvPlugin from 'wharf-provider-kv';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { startWharf } from './helpers/wharf-process.js';

// A KV-layout provider of ~50 lines written against @wharf/core's exported decoder
// (test/fixtures/wharf-provider-kv): it passes the contract kit, and a real Wharf serves it.

let backend: Backend;
test.before(async () => {
  backend = await startBackend('kv');
});
test.after.always(async () => {
  await backend?.close();
});

async function pairsFile(pairs: Record<string, string>): Promise<{ path: string; write: (p: Record<string, string>) => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-kv-'));
  const path = join(dir, 'pairs.json');
  let n = 0;
  const write = async (next: Record<string, string>): Promise<void> => {
    const tmp = `${path}.${n++}.tmp`;
    await writeFile(tmp, JSON.stringify(next));
    await rename(tmp, path);
  };
  await write(pairs);
  return { path, write };
}

const store = (url: string): Record<string, string> => ({
  'traefik/http/routers/app/rule': 'Host(`kv.test`)',
  'traefik/http/routers/app/entrypoints/0': 'web',
  'traefik/http/routers/app/priority': '10',
  'traefik/http/routers/app/service': 'app',
  'traefik/http/services/app/loadbalancer/servers/0/url': url,
  'traefik/http/services/app/loadbalancer/passhostheader': 'true',
});

test('the KV provider passes the contract kit', async (t) => {
  const { path } = await pairsFile(store(backend.url));
  await t.notThrowsAsync(runProviderContract({ plugin: kvPlugin, options: { file: path, rootKey: 'traefik', pollMs: 50 } }));
});

test('a real Wharf serves the KV provider; a bad key disables only its router, named by key path', async (t) => {
  const kv = await pairsFile(store(backend.url));
  const wharf = await startWharf(['web', 'traefik'], ['--api.insecure', '--providers.plugins.kv.package=wharf-provider-kv', `--providers.plugins.kv.file=${kv.path}`, '--providers.plugins.kv.pollMs=50', '--providers.providersThrottleDuration=0s']);
  try {
    const get = async (host: string): Promise<number> => {
      const res = await request(wharf.urls.web!, { headers: { host } });
      await res.body.dump();
      return res.statusCode;
    };
    await waitFor(async () => (await get('kv.test')) === 200, 10_000, 'the KV router');
    const app = (await (await request(`${wharf.urls.traefik!}/api/http/routers/app@kv`)).body.json()) as { priority: number; status: string };
    t.is(app.priority, 10, 'the text "10" is read as a priority');
    t.is(app.status, 'enabled');

    await kv.write({ ...store(backend.url), 'traefik/http/routers/other/rule': 'Host(`other.test`)', 'traefik/http/routers/other/service': 'app', 'traefik/http/routers/other/priority': 'high' });
    const other = async (): Promise<{ status?: string; error?: string[] }> => (await (await request(`${wharf.urls.traefik!}/api/http/routers/other@kv`)).body.json()) as { status?: string; error?: string[] };
    await waitFor(async () => (await other()).status === 'disabled', 10_000, 'other@kv disabled');
    t.regex(((await other()).error ?? []).join('\n'), /provider "kv", router "other@kv", key http\.routers\.other\.priority: expected an integer, got the string "high"/);
    t.is(await get('kv.test'), 200, 'the good router keeps serving');
    t.is(await get('other.test'), 404);
  } finally {
    await wharf.stop();
  }
});
