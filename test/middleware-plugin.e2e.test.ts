import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { request } from 'undici';
import { startBackend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { startWharf } from './helpers/wharf-process.js';

// A Wharf middleware plugin package (test/fixtures/wharf-middleware-example, the one
// docs/writing-a-middleware.md describes) in a real Wharf: options validated at build, state per
// router, dispose() on reload and at shutdown.

const yaml = (backend: string, value: string, journal: string): string => `
http:
  routers:
    one: { rule: "Host(\`one.test\`)", service: app, middlewares: [stamped] }
    two: { rule: "Host(\`two.test\`)", service: app, middlewares: [stamped] }
    bad: { rule: "Host(\`bad.test\`)", service: app, middlewares: [no-header] }
  middlewares:
    stamped: { plugin: { stamp: { header: X-Stamp, value: ${value}, journal: "${journal}" } } }
    no-header: { plugin: { stamp: { value: x } } }
  services:
    app: { loadBalancer: { servers: [{ url: "${backend}" }] } }
`;

test('a middleware plugin: validated options, state per router, dispose on reload and at shutdown', async (t) => {
  const backend = await startBackend('app');
  const dir = await mkdtemp(join(tmpdir(), 'wharf-mwplugin-'));
  const journal = join(dir, 'journal.log');
  await writeFile(journal, '');
  const file = join(dir, 'dynamic.yml');
  const write = async (value: string): Promise<void> => {
    await writeFile(`${file}.tmp`, yaml(backend.url, value, journal));
    await rename(`${file}.tmp`, file);
  };
  await write('blue');
  const wharf = await startWharf(['web', 'traefik'], ['--api.insecure', '--experimental.plugins.stamp.package=wharf-middleware-example', `--providers.file.filename=${file}`, '--providers.providersThrottleDuration=0s']);
  try {
    const get = async (host: string): Promise<{ status: number; stamp?: string; count?: string }> => {
      const res = await request(wharf.urls.web!, { headers: { host } });
      await res.body.dump();
      return { status: res.statusCode, stamp: res.headers['x-stamp'] as string | undefined, count: res.headers['x-stamp-count'] as string | undefined };
    };
    await waitFor(async () => (await get('one.test')).stamp === 'blue', 10_000, 'stamped responses');
    const counts = [(await get('one.test')).count, (await get('one.test')).count, (await get('two.test')).count];
    t.deepEqual(counts.map(Number).slice(1), [Number(counts[0]) + 1, 1], 'each router has its own instance and count');

    const bad = (await (await request(`${wharf.urls.traefik!}/api/http/middlewares/no-header@file`)).body.json()) as { status: string; error: string[] };
    t.is(bad.status, 'disabled');
    t.regex(bad.error.join('\n'), /plugin\.stamp\.header: is required: a header name/);
    t.is((await get('bad.test')).status, 404);

    const lines = async (): Promise<string[]> => (await readFile(journal, 'utf8')).split('\n').filter(Boolean);
    const created = (await lines()).filter((l) => l.startsWith('create')).length;
    t.true(created >= 3, `validation + two routers created ${created}`);
    await write('green');
    await waitFor(async () => (await get('one.test')).stamp === 'green', 10_000, 'the reload applied');
    await waitFor(async () => {
      const all = await lines();
      const firstGeneration = all.slice(0, created).map((l) => l.split(' ')[1]);
      return firstGeneration.every((id) => all.includes(`dispose ${id}`));
    }, 5_000, 'every handler of the first configuration disposed');
  } finally {
    await wharf.stop();
    await backend.close();
  }
  const all = (await readFile(journal, 'utf8')).split('\n').filter(Boolean);
  const creates = all.filter((l) => l.startsWith('create')).map((l) => l.split(' ')[1]).sort();
  const disposes = all.filter((l) => l.startsWith('dispose')).map((l) => l.split(' ')[1]).sort();
  t.deepEqual(disposes, creates, 'after shutdown, every handler ever created was disposed exactly once');
});
