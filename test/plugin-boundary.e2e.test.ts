import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { request } from 'undici';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { ExampleConfig, startWharf, type WharfProcess } from './helpers/wharf-process.js';

// The plugin boundary (issue 8): the example third-party provider emits garbage next to the file
// provider. Whatever it sends, the file provider's routes keep serving, each bad element of the
// plugin is disabled with the provider, the element and the key path, and a snapshot that cannot
// be used at all keeps the plugin's last good one and marks the plugin errored.

interface RouterView {
  name: string;
  status: string;
  error?: string[];
  priority?: number;
}

interface ProviderView {
  name: string;
  status: string;
  error?: string[];
}

let wharf: WharfProcess;
let web: string;
let api: string;
let backend: Backend;
let example: ExampleConfig;

async function get(host: string, path = '/'): Promise<number> {
  const res = await request(web + path, { headers: { host } });
  await res.body.dump();
  return res.statusCode;
}

async function apiGet<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await request(api + path);
  return { status: res.statusCode, body: (await res.body.json()) as T };
}

const router = async (name: string): Promise<RouterView | undefined> => {
  const { status, body } = await apiGet<RouterView>(`/api/http/routers/${encodeURIComponent(name)}`);
  return status === 200 ? body : undefined;
};

const lb = (url: string): unknown => ({ loadBalancer: { servers: [{ url }] } });

/** Requests to the file provider's router until `stop`, counting every answer that is not 200. */
function load(): { stop: () => Promise<{ ok: number; failed: number }> } {
  let running = true;
  let ok = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (running) {
      try {
        if ((await get('file.test')) === 200) ok++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  const workers = [worker(), worker(), worker(), worker()];
  return {
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return { ok, failed };
    },
  };
}

/** Writes a plugin snapshot and waits until the API shows `ready`. */
async function emit(configuration: unknown, ready: () => Promise<boolean>, what: string): Promise<void> {
  await example.write(configuration);
  await waitFor(ready, 10_000, what);
}

test.before(async () => {
  backend = await startBackend('shared');
  const dir = await mkdtemp(join(tmpdir(), 'wharf-boundary-'));
  await writeFile(
    join(dir, 'file.yml'),
    `http:\n  routers:\n    from-file:\n      rule: Host(\`file.test\`)\n      service: svc\n  services:\n    svc:\n      loadBalancer:\n        servers:\n          - url: ${backend.url}\n`,
  );
  example = await ExampleConfig.create({ http: { routers: { good: { rule: 'Host(`plugin.test`)', service: 'svc' } }, services: { svc: lb(backend.url) } } });
  wharf = await startWharf(['web', 'traefik'], ['--api.insecure', `--providers.file.directory=${dir}`, ...example.args()]);
  web = wharf.urls.web!;
  api = wharf.urls.traefik!;
  await waitFor(async () => (await get('file.test')) === 200 && (await get('plugin.test')) === 200, 10_000, 'both providers serving');
});

test.after.always(async () => {
  await wharf?.stop();
  await backend?.close();
});

test.serial('garbage from a plugin never stops the file provider serving, and each bad element names provider, element and key', async (t) => {
  const traffic = load();

  // A router whose middlewares are not a list: that router is disabled, the plugin's other router serves.
  await emit(
    { http: { routers: { good: { rule: 'Host(`plugin.test`)', service: 'svc' }, bad: { rule: 'Host(`bad.test`)', service: 'svc', middlewares: 'oops', bogus: 1 } }, services: { svc: lb(backend.url) } } },
    async () => (await router('bad@example'))?.status === 'disabled',
    'bad@example disabled',
  );
  const bad = (await router('bad@example'))!;
  const errors = (bad.error ?? []).join('\n');
  t.regex(errors, /provider "example", router "bad@example", key http\.routers\.bad\.bogus: unknown field "bogus"/);
  t.is(await get('plugin.test'), 200, "the plugin's good router still serves");
  t.is(await get('bad.test'), 404);

  // Traefik reads text by the field's type: "10" is a priority of 10, a rule of 42 is the text "42" (an invalid rule).
  await emit(
    { http: { routers: { good: { rule: 'Host(`plugin.test`)', service: 'svc', priority: '10' }, numeric: { rule: 42, service: 'svc' } }, services: { svc: lb(backend.url) } } },
    async () => (await router('numeric@example'))?.status === 'disabled' && (await router('good@example'))?.priority === 10,
    'priority "10" read as 10, rule 42 disabled',
  );
  t.regex(((await router('numeric@example'))!.error ?? []).join('\n'), /42/);

  // A service of the wrong shape disables the service, and the routers using it say so.
  await emit(
    { http: { routers: { good: { rule: 'Host(`plugin.test`)', service: 'svc' } }, services: { svc: { loadBalancer: { servers: 'http://x' } } } } },
    async () => (await router('good@example'))?.status === 'disabled',
    'good@example disabled through its service',
  );
  const svc = await apiGet<{ status: string; error?: string[] }>('/api/http/services/svc@example');
  t.is(svc.body.status, 'disabled');
  t.regex((svc.body.error ?? []).join('\n'), /service "svc@example", key http\.services\.svc\.loadBalancer\.servers\.0: expected an object/);

  // Not an object at all: the last good snapshot of the plugin stays, and the plugin is marked errored.
  await emit({ http: { routers: { good: { rule: 'Host(`plugin.test`)', service: 'svc' } }, services: { svc: lb(backend.url) } } }, async () => (await get('plugin.test')) === 200, 'plugin fixed');
  await emit(
    'oops',
    async () => (await apiGet<ProviderView>('/api/providers/example')).body.status === 'error',
    'the example provider marked errored',
  );
  const provider = (await apiGet<ProviderView>('/api/providers/example')).body;
  t.regex((provider.error ?? []).join('\n'), /provider "example": expected an object/);
  t.is(await get('plugin.test'), 200, "the plugin's last good snapshot stays in force");
  await emit({ http: 'oops' }, async () => ((await apiGet<ProviderView>('/api/providers/example')).body.error ?? []).join('\n').includes('key http'), 'http section of the wrong type');
  t.is(await get('plugin.test'), 200);

  // Fixed: the provider is ok again and applies the new snapshot.
  await emit(
    { http: { routers: { good: { rule: 'Host(`plugin.test`)', service: 'svc' }, again: { rule: 'Host(`again.test`)', service: 'svc' } }, services: { svc: lb(backend.url) } } },
    async () => (await apiGet<ProviderView>('/api/providers/example')).body.status === 'ok' && (await get('again.test')) === 200,
    'the provider recovered',
  );
  const providers = (await apiGet<ProviderView[]>('/api/providers')).body;
  t.deepEqual(providers.map((p) => `${p.name}:${p.status}`).sort(), ['example:ok', 'file:ok']);

  const { ok, failed } = await traffic.stop();
  t.log(`file provider route: ${ok} answered 200, ${failed} failed while the plugin sent garbage`);
  t.is(failed, 0);
  t.true(ok > 50);
  t.is((await router('from-file@file'))?.status, 'enabled');
  t.regex(wharf.output(), /provider=example router=bad@example path=http\.routers\.bad\.bogus/, 'the log names provider, element and key');
});

test.serial('two sections loading one package are two providers: elements are qualified by section and never overwrite each other', async (t) => {
  const config = (host: string): unknown => ({ http: { routers: { r: { rule: `Host(\`${host}\`)`, service: 's' } }, services: { s: lb(backend.url) } } });
  const a = await ExampleConfig.create(config('a.test'));
  const b = await ExampleConfig.create(config('b.test'));
  const section = (name: string, file: ExampleConfig): string[] => [`--providers.plugins.${name}.package=wharf-provider-example`, `--providers.plugins.${name}.file=${file.path}`, `--providers.plugins.${name}.pollMs=50`];
  const twin = await startWharf(['web', 'traefik'], ['--api.insecure', '--providers.providersThrottleDuration=0s', ...section('kv', a), ...section('kv2', b)]);
  try {
    const status = async (host: string): Promise<number> => {
      const res = await request(twin.urls.web!, { headers: { host } });
      await res.body.dump();
      return res.statusCode;
    };
    await waitFor(async () => (await status('a.test')) === 200 && (await status('b.test')) === 200, 10_000, 'both sections serving');
    const names = ((await (await request(`${twin.urls.traefik!}/api/http/routers`)).body.json()) as RouterView[]).map((r) => r.name).filter((n) => !n.endsWith('@internal'));
    t.deepEqual(names.sort(), ['r@kv', 'r@kv2']);
    const providers = ((await (await request(`${twin.urls.traefik!}/api/providers`)).body.json()) as ProviderView[]).map((p) => p.name);
    t.deepEqual(providers.sort(), ['kv', 'kv2']);
  } finally {
    await twin.stop();
  }
});

test.serial('a file with an unknown key in one router and a bad tcp field still serves its other routers (Traefik decodes per element)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-element-'));
  await writeFile(
    join(dir, 'mixed.yml'),
    [
      'http:',
      '  routers:',
      '    ok: { rule: "Host(`ok.test`)", service: svc }',
      '    typo: { rule: "Host(`typo.test`)", service: svc, servce: svc }',
      '    quiet: { rule: "Host(`quiet.test`)", service: svc, observability: { accessLogs: false } }',
      '  services:',
      `    svc: { loadBalancer: { servers: [{ url: "${backend.url}" }] } }`,
      'tcp:',
      '  routers:',
      '    t: { rule: "HostSNI(`*`)", bogus: 1 }',
      '',
    ].join('\n'),
  );
  const mixed = await startWharf(['web', 'traefik'], ['--api.insecure', '--log.level=WARN', `--providers.file.directory=${dir}`, '--providers.providersThrottleDuration=0s']);
  try {
    const status = async (host: string): Promise<number> => {
      const res = await request(mixed.urls.web!, { headers: { host } });
      await res.body.dump();
      return res.statusCode;
    };
    await waitFor(async () => (await status('ok.test')) === 200, 10_000, 'the good router of the file');
    t.is(await status('typo.test'), 404);
    const typo = (await (await request(`${mixed.urls.traefik!}/api/http/routers/typo@file`)).body.json()) as RouterView;
    t.is(typo.status, 'disabled');
    t.regex((typo.error ?? []).join('\n'), /provider "file", router "typo@file", key http\.routers\.typo\.servce: unknown field "servce"; did you mean "service"\?/);
    t.regex(mixed.output(), /mixed\.yml:4:\d+: http\.routers\.typo\.servce: unknown field "servce"/, 'the log has the file position');
    t.regex(mixed.output(), /tcp\.routers\.t\.bogus/, 'the tcp error is reported');
    // Accepted, not applied: the router serves, with status warning and the reason.
    t.is(await status('quiet.test'), 200);
    const quiet = (await (await request(`${mixed.urls.traefik!}/api/http/routers/quiet@file`)).body.json()) as RouterView;
    t.is(quiet.status, 'warning');
    t.regex((quiet.error ?? []).join('\n'), /key http\.routers\.quiet\.observability: observability is not applied yet/);
  } finally {
    await mixed.stop();
  }
});
