import test from 'ava';
import { ConfigError } from '@wharf/core';
import { discoverProviders, StaticConfigErrors } from '../src/static-config/index.js';
import { ecsFragment, load, workDir } from './static-config-helpers.js';

const pluginFragment = {
  apiToken: { doc: 'Token', format: String, default: '', sensitive: true },
  interval: { doc: 'Polling period', format: 'duration', default: '30s' },
};

test('provider discovery: first-party sections and plugins by package', async (t) => {
  const cases: Array<{ argv?: string[]; env?: Record<string, string>; expected: Array<{ name: string; packageName: string }> }> = [
    { argv: [], expected: [] },
    { argv: ['--providers.ecs.clusters=a'], expected: [{ name: 'ecs', packageName: '@wharf/provider-ecs' }] },
    { argv: ['--providers.file'], expected: [{ name: 'file', packageName: '@wharf/provider-file' }] },
    { argv: ['--providers.ECS.region=x'], expected: [{ name: 'ecs', packageName: '@wharf/provider-ecs' }] },
    { argv: ['--providers.file', '--providers.file=false'], expected: [] },
    { env: { WHARF_PROVIDERS_ECS_REGION: 'eu-west-1' }, expected: [{ name: 'ecs', packageName: '@wharf/provider-ecs' }] },
    { argv: ['--providers.plugins.Consul.package=@acme/wharf-consul'], expected: [{ name: 'Consul', packageName: '@acme/wharf-consul' }] },
    { env: { WHARF_PROVIDERS_PLUGINS_MY_CONSUL_PACKAGE: 'wharf-consul' }, expected: [{ name: 'my_consul', packageName: 'wharf-consul' }] },
    { argv: ['--providers.providersThrottleDuration=1s', '--providers.precedence=file,ecs'], expected: [] },
  ];
  for (const c of cases) {
    const cwd = await workDir(t);
    const found = await discoverProviders({ argv: c.argv ?? [], env: c.env ?? {}, cwd });
    t.deepEqual(found, c.expected, JSON.stringify(c));
  }
});

test('discovery rejects a plugin without package and a name used twice', async (t) => {
  const cwd = await workDir(t);
  const cases: Array<{ argv: string[]; path: string }> = [
    { argv: ['--providers.plugins.consul.interval=5s'], path: 'providers.plugins.consul.package' },
    { argv: ['--providers.ecs.region=x', '--providers.plugins.ecs.package=other'], path: 'providers.ecs' },
  ];
  for (const c of cases) {
    const err = await t.throwsAsync(discoverProviders({ argv: c.argv, env: {}, cwd }), { instanceOf: ConfigError }, c.argv.join(' '));
    t.is(err?.path, c.path);
  }
});

test('a core typo does not stop discovery: the second pass reports it with the provider\'s own errors', async (t) => {
  const cwd = await workDir(t);
  const argv = ['--log.levle=INFO', '--providers.ecs.regoin=x', '--providers.providersThrotleDuration=1s'];
  t.deepEqual(await discoverProviders({ argv, env: {}, cwd }), [{ name: 'ecs', packageName: '@wharf/provider-ecs' }]);
  const err = await t.throwsAsync(load(t, argv, { schemas: { ecs: ecsFragment } }), { instanceOf: StaticConfigErrors });
  t.deepEqual((err as StaticConfigErrors).errors.map((e) => e.path), ['log.levle', 'providers.ecs.regoin', 'providers.providersThrotleDuration']);
  t.regex(err!.message, /did you mean --providers\.ecs\.region\?/);
});

test('plugin fragments are joined under their section, validated, defaults applied', async (t) => {
  const loaded = await load(t, ['--providers.ecs.clusters=a,b', '--providers.plugins.Acme.package=@acme/wharf', '--providers.plugins.Acme.interval=1m'], {
    env: { WHARF_PROVIDERS_ECS_REGION: 'eu-west-1', WHARF_PROVIDERS_ECS_AUTODISCOVERCLUSTERS: 'true' },
    schemas: { ecs: ecsFragment, Acme: pluginFragment },
  });
  const ecs = {
    region: 'eu-west-1',
    clusters: ['a', 'b'],
    refreshSeconds: 15_000,
    autoDiscoverClusters: true,
    accessKeyID: '',
    secretAccessKey: '',
  };
  t.deepEqual(loaded.providerOptions.get('ecs'), { packageName: '@wharf/provider-ecs', options: ecs });
  t.deepEqual(loaded.config.providers.ecs, ecs);
  t.deepEqual(loaded.providerOptions.get('Acme'), { packageName: '@acme/wharf', options: { apiToken: '', interval: 60_000 } });
  t.deepEqual(loaded.config.providers.plugins.Acme, { package: '@acme/wharf', apiToken: '', interval: 60_000 });
  t.deepEqual([...loaded.providerOptions.keys()].sort(), ['Acme', 'ecs']);

  const bare = await load(t, ['--providers.ecs'], { schemas: { ecs: ecsFragment } });
  t.deepEqual(bare.providerOptions.get('ecs')?.options.clusters, ['default']);
});

test('plugin options are checked like core options', async (t) => {
  const schemas = { ecs: ecsFragment, Acme: pluginFragment };
  const cases: Array<{ argv: string[]; code: string; path: string; hint?: string }> = [
    { argv: ['--providers.ecs.regoin=x'], code: 'CONFIG_UNKNOWN_KEY', path: 'providers.ecs.regoin', hint: '--providers.ecs.region' },
    { argv: ['--providers.ecs.autoDiscoverClusters=sometimes'], code: 'CONFIG_INVALID', path: 'providers.ecs.autoDiscoverClusters' },
    { argv: ['--providers.plugins.Acme.package=x', '--providers.plugins.Acme.interval=soon'], code: 'CONFIG_INVALID', path: 'providers.plugins.Acme.interval' },
    { argv: ['--providers.plugins.Acme.package=x', '--providers.plugins.Acme.apiTokn=s'], code: 'CONFIG_UNKNOWN_KEY', path: 'providers.plugins.Acme.apiTokn', hint: '--providers.plugins.Acme.apiToken' },
  ];
  for (const c of cases) {
    const err = await t.throwsAsync(load(t, c.argv, { schemas }), { instanceOf: ConfigError }, c.argv.join(' '));
    t.is(err?.code, c.code);
    t.is(err?.path, c.path);
    t.is(err?.source, `flag ${c.argv[c.argv.length - 1].split('=')[0]}`);
    if (c.hint) t.true(err?.message.includes(`did you mean ${c.hint}?`), err?.message);
  }
  const noDoc = await t.throwsAsync(load(t, ['--providers.ecs'], { schemas: { ecs: { region: { format: String, default: '' } } } }), { instanceOf: ConfigError });
  t.is(noDoc?.code, 'CONFIG_SCHEMA');
  t.is(noDoc?.path, 'providers.ecs.region');
});

test('default entry points follow Traefik', async (t) => {
  const cases: Array<{ argv: string[]; expected: Record<string, string> }> = [
    { argv: [], expected: { http: ':80' } },
    { argv: ['--entryPoints.web.address=:8000'], expected: { web: ':8000' } },
    { argv: ['--api.insecure'], expected: { http: ':80', traefik: ':8080' } },
    { argv: ['--api.insecure', '--entryPoints.web.address=:8000'], expected: { web: ':8000', traefik: ':8080' } },
    { argv: ['--api.insecure', '--entryPoints.traefik.address=:9000'], expected: { traefik: ':9000' } },
    { argv: ['--api'], expected: { http: ':80' } },
    { argv: ['--ping'], expected: { http: ':80', traefik: ':8080' } },
    { argv: ['--ping', '--ping.manualRouting'], expected: { http: ':80' } },
    { argv: ['--ping.entryPoint=web', '--entryPoints.web.address=:8000'], expected: { web: ':8000' } },
    { argv: ['--metrics.prometheus'], expected: { http: ':80', traefik: ':8080' } },
    { argv: ['--metrics.prometheus.entryPoint=http'], expected: { http: ':80' } },
  ];
  for (const c of cases) {
    const loaded = await load(t, c.argv);
    const addresses = Object.fromEntries(Object.entries(loaded.config.entryPoints).map(([name, ep]) => [name, ep.address]));
    t.deepEqual(addresses, c.expected, c.argv.join(' '));
  }
  const loaded = await load(t, ['--api.insecure']);
  t.like(loaded.config.entryPoints.traefik, { asDefault: false, http: { sanitizePath: true, middlewares: [] } });
});

test('sensitive values are redacted, in core and plugin sections alike', async (t) => {
  const loaded = await load(t, ['--providers.ecs.secretAccessKey=s3cr3t', '--providers.ecs.accessKeyID=AKIA', '--providers.plugins.Acme.package=acme'], {
    env: { WHARF_PROVIDERS_PLUGINS_ACME_APITOKEN: 'tok' },
    schemas: { ecs: ecsFragment, Acme: pluginFragment },
  });
  t.is(loaded.config.providers.plugins.Acme.apiToken, 'tok', 'the env name reuses the flag\'s spelling of the plugin');
  const redacted = loaded.redacted() as { providers: { ecs: Record<string, unknown>; plugins: Record<string, Record<string, unknown>> } };
  t.is(redacted.providers.ecs.secretAccessKey, '<redacted>');
  t.is(redacted.providers.ecs.accessKeyID, 'AKIA');
  t.is(redacted.providers.plugins.Acme.apiToken, '<redacted>');
  t.false(JSON.stringify(redacted).includes('s3cr3t'));
  t.is((loaded.config.providers.ecs as Record<string, unknown>).secretAccessKey, 's3cr3t', 'the configuration itself keeps the value');
});

test('describe lists every option with its default and environment variable', async (t) => {
  const loaded = await load(t, ['--providers.ecs'], { schemas: { ecs: ecsFragment } });
  const lines = new Map(loaded.describe().map((line) => [line.key, line]));
  t.like(lines.get('entryPoints.<name>.address'), { env: 'WHARF_ENTRYPOINTS_<NAME>_ADDRESS' });
  t.like(lines.get('entryPoints.<name>.transport.respondingTimeouts.readTimeout'), { default: '60s' });
  t.like(lines.get('log.level'), { default: 'ERROR', env: 'WHARF_LOG_LEVEL' });
  t.like(lines.get('providers.ecs.region'), { env: 'WHARF_PROVIDERS_ECS_REGION', doc: 'AWS region' });
  t.like(lines.get('metrics.prometheus.buckets'), { default: [0.1, 0.3, 1.2, 5] });
  for (const line of lines.values()) t.true(line.doc.length > 0, line.key);
});
