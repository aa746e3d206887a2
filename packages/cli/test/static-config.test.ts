import test from 'ava';
import { at, load } from './static-config-helpers.js';

const YAML_FILE = 'log:\n  level: INFO\n';

test('sources merge, later wins: defaults < file < env < flags', async (t) => {
  const cases: Array<{ file: boolean; env: boolean; flag: boolean; expected: string }> = [
    { file: false, env: false, flag: false, expected: 'ERROR' },
    { file: true, env: false, flag: false, expected: 'INFO' },
    { file: true, env: true, flag: false, expected: 'WARN' },
    { file: true, env: true, flag: true, expected: 'DEBUG' },
    { file: false, env: true, flag: true, expected: 'DEBUG' },
    { file: true, env: false, flag: true, expected: 'DEBUG' },
  ];
  for (const c of cases) {
    const loaded = await load(t, c.flag ? ['--log.level=DEBUG'] : [], {
      files: c.file ? { 'wharf.yml': YAML_FILE } : {},
      env: c.env ? { WHARF_LOG_LEVEL: 'WARN' } : {},
    });
    t.is(loaded.config.log.level as string, c.expected, JSON.stringify(c));
  }
});

test('sources merge key by key instead of excluding each other', async (t) => {
  const loaded = await load(t, ['--api.insecure'], {
    files: { 'wharf.yml': 'log:\n  level: INFO\nentryPoints:\n  web:\n    address: ":8000"\n' },
    env: { WHARF_LOG_FORMAT: 'json' },
  });
  t.is(loaded.config.log.level, 'INFO');
  t.is(loaded.config.log.format, 'json');
  t.true(loaded.config.api.insecure);
  t.is(loaded.config.entryPoints.web.address, ':8000');
});

test('a Traefik static file loads unchanged', async (t) => {
  const traefikYml = [
    'global:',
    '  checkNewVersion: true',
    '  sendAnonymousUsage: false',
    'entryPoints:',
    '  web:',
    '    address: ":80/tcp"',
    '    transport:',
    '      lifeCycle:',
    '        graceTimeOut: 42',
    '  websecure:',
    '    address: "[::]:443"',
    'api:',
    '  dashboard: true',
    'log:',
    '  level: info',
    'ping: {}',
    '',
  ].join('\n');
  const loaded = await load(t, [], { files: { 'wharf.yaml': traefikYml } });
  t.deepEqual(Object.keys(loaded.config.entryPoints).sort(), ['traefik', 'web', 'websecure']);
  t.is(loaded.config.entryPoints.web.address, ':80');
  t.is(loaded.config.entryPoints.websecure.address, '[::]:443');
  t.is(loaded.config.entryPoints.web.transport.lifeCycle.graceTimeOut, 42_000);
  t.true(loaded.config.api.enabled);
  t.true(loaded.config.ping.enabled);
  t.is(loaded.config.log.level, 'INFO');
});

test('option names are case-insensitive; map keys keep their case', async (t) => {
  const spellings = [
    ['--entryPoints.web.address=:81'],
    ['--entrypoints.web.address=:81'],
    ['--ENTRYPOINTS.web.ADDRESS=:81'],
    ['--entryPoints.web.Address', ':81'],
  ];
  for (const argv of spellings) {
    const loaded = await load(t, argv);
    t.deepEqual(Object.keys(loaded.config.entryPoints), ['web'], argv.join(' '));
    t.is(loaded.config.entryPoints.web.address, ':81');
  }
  const mixed = await load(t, ['--entryPoints.WebSecure.address=:443']);
  t.deepEqual(Object.keys(mixed.config.entryPoints), ['WebSecure']);
  const file = await load(t, [], { files: { 'wharf.yml': 'ENTRYPOINTS:\n  Web:\n    ADDRESS: ":82"\nLog:\n  Level: debug\n' } });
  t.is(file.config.entryPoints.Web.address, ':82');
  t.is(file.config.log.level, 'DEBUG', 'enum values match without case and come out as the schema spells them');
});

test('booleans may be bare; a bare section switches it on', async (t) => {
  const cases: Array<{ argv: string[]; path: string; expected: unknown }> = [
    { argv: ['--api.insecure'], path: 'api.insecure', expected: true },
    { argv: ['--api.insecure=false'], path: 'api.insecure', expected: false },
    { argv: ['--api.insecure', 'false'], path: 'api.insecure', expected: false },
    { argv: ['--api.insecure', '--ping'], path: 'api.insecure', expected: true },
    { argv: ['--api'], path: 'api.enabled', expected: true },
    { argv: [], path: 'api.enabled', expected: false },
    { argv: ['--api.dashboard=false'], path: 'api.enabled', expected: true },
    { argv: ['--api=false', '--api.insecure'], path: 'api.enabled', expected: false },
    { argv: ['--ping'], path: 'ping.enabled', expected: true },
    { argv: ['--metrics.prometheus'], path: 'metrics.prometheus.enabled', expected: true },
    { argv: ['--metrics.prometheus.addRoutersLabels'], path: 'metrics.prometheus.enabled', expected: true },
    { argv: ['--accessLog'], path: 'accessLog.enabled', expected: true },
    { argv: ['--accesslog.format=json'], path: 'accessLog.enabled', expected: true },
    { argv: ['--api.insecure=T'], path: 'api.insecure', expected: true },
  ];
  for (const c of cases) {
    const loaded = await load(t, c.argv);
    t.is(at(loaded.config, c.path), c.expected, c.argv.join(' '));
  }
  const file = await load(t, [], { files: { 'wharf.yml': 'api:\nping: {}\naccessLog:\n  format: json\n' } });
  t.true(file.config.api.enabled, 'an empty section in a file switches it on');
  t.true(file.config.ping.enabled);
  t.true(file.config.accessLog.enabled);
  const env = await load(t, [], { env: { WHARF_API: 'true', WHARF_PING_ENTRYPOINT: 'web', WHARF_ENTRYPOINTS_WEB_ADDRESS: ':80' } });
  t.true(env.config.api.enabled);
  t.true(env.config.ping.enabled);
});

test('lists: comma-separated or repeated; a later source replaces the whole list', async (t) => {
  const ips = 'entryPoints.web.forwardedHeaders.trustedIPs';
  const cases: Array<{ argv: string[]; env?: Record<string, string>; file?: string; expected: string[] }> = [
    { argv: [`--${ips}=10.0.0.0/8,192.168.1.1`], expected: ['10.0.0.0/8', '192.168.1.1'] },
    { argv: [`--${ips}=10.0.0.0/8`, `--${ips}=192.168.1.1`], expected: ['10.0.0.0/8', '192.168.1.1'] },
    { argv: [`--${ips}`, '10.0.0.0/8', `--${ips}`, '::1'], expected: ['10.0.0.0/8', '::1'] },
    { argv: [], env: { WHARF_ENTRYPOINTS_WEB_FORWARDEDHEADERS_TRUSTEDIPS: '10.0.0.1, 10.0.0.2' }, expected: ['10.0.0.1', '10.0.0.2'] },
    { argv: [], file: 'entryPoints:\n  web:\n    forwardedHeaders:\n      trustedIPs: [10.0.0.1, 10.0.0.2]\n', expected: ['10.0.0.1', '10.0.0.2'] },
    {
      argv: [`--${ips}=172.16.0.0/12`],
      file: 'entryPoints:\n  web:\n    forwardedHeaders:\n      trustedIPs: [10.0.0.1, 10.0.0.2]\n',
      expected: ['172.16.0.0/12'],
    },
  ];
  for (const c of cases) {
    const loaded = await load(t, ['--entryPoints.web.address=:80', ...c.argv], { env: c.env, files: c.file ? { 'wharf.yml': c.file } : {} });
    t.deepEqual(at(loaded.config, ips), c.expected, c.argv.join(' '));
  }
  const buckets = await load(t, ['--metrics.prometheus.buckets=0.5,1', '--metrics.prometheus.buckets=2.5']);
  t.deepEqual(buckets.config.metrics.prometheus.buckets, [0.5, 1, 2.5]);
});

test('durations: Go syntax or whole seconds, in milliseconds', async (t) => {
  const key = 'entryPoints.web.transport.respondingTimeouts.readTimeout';
  const cases: Array<[string, number]> = [
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['100ms', 100],
    ['1.5h', 5_400_000],
    ['60', 60_000],
    ['0', 0],
  ];
  for (const [written, ms] of cases) {
    const loaded = await load(t, ['--entryPoints.web.address=:80', `--${key}=${written}`]);
    t.is(at(loaded.config, key), ms, written);
  }
  const file = await load(t, [], { files: { 'wharf.yml': 'providers:\n  providersThrottleDuration: 5\n' } });
  t.is(file.config.providers.providersThrottleDuration, 5000, 'a bare number in a file is seconds');
  const defaults = await load(t, []);
  t.like(defaults.config.entryPoints.http.transport, {
    respondingTimeouts: { readTimeout: 60_000, writeTimeout: 0, idleTimeout: 180_000 },
    lifeCycle: { requestAcceptGraceTimeout: 0, graceTimeOut: 10_000 },
  });
  t.is(defaults.config.providers.providersThrottleDuration, 2000);
  for (const bad of ['abc', '-1s', '10 s', '1.5']) {
    await t.throwsAsync(load(t, [`--providers.providersThrottleDuration=${bad}`]), { message: /providersThrottleDuration/ }, bad);
  }
});

test('environment: words resolve against the schema, entry point names included', async (t) => {
  const cases: Array<{ env: Record<string, string>; file?: string; path: string; expected: unknown }> = [
    { env: { WHARF_ENTRYPOINTS_WEB_ADDRESS: ':80' }, path: 'entryPoints.web.address', expected: ':80' },
    { env: { WHARF_ENTRYPOINTS_MY_WEB_ADDRESS: ':81' }, path: 'entryPoints.my_web.address', expected: ':81' },
    { env: { WHARF_ENTRYPOINTS_HTTP_ADDRESS: ':80', WHARF_ENTRYPOINTS_HTTP_HTTP_SANITIZEPATH: 'false' }, path: 'entryPoints.http.http.sanitizePath', expected: false },
    { env: { WHARF_ENTRYPOINTS_WEB_ADDRESS: ':80', WHARF_ENTRYPOINTS_WEB_ASDEFAULT: 'true' }, path: 'entryPoints.web.asDefault', expected: true },
    { env: { WHARF_PROVIDERS_PROVIDERSTHROTTLEDURATION: '1m' }, path: 'providers.providersThrottleDuration', expected: 60_000 },
    { env: { WHARF_PROVIDERS_PROVIDERS_THROTTLE_DURATION: '3s' }, path: 'providers.providersThrottleDuration', expected: 3000 },
    { env: { wharf_log_level: 'info' }, path: 'log.level', expected: 'INFO' },
    { env: { WHARF_ACCESSLOG_FIELDS_NAMES_CLIENTUSERNAME: 'drop' }, path: 'accessLog.fields.names.clientusername', expected: 'drop' },
    // A name the file already uses keeps the file's case.
    { env: { WHARF_ENTRYPOINTS_WEBSECURE_ADDRESS: ':8443' }, file: 'entryPoints:\n  webSecure:\n    address: ":443"\n', path: 'entryPoints.webSecure.address', expected: ':8443' },
    { env: { HOME: '/root', PATH: '/bin', WHARFISH: 'x' }, path: 'log.level', expected: 'ERROR' },
  ];
  for (const c of cases) {
    const loaded = await load(t, [], { env: c.env, files: c.file ? { 'wharf.yml': c.file } : {} });
    t.deepEqual(at(loaded.config, c.path), c.expected, JSON.stringify(c.env));
  }
  const names = await load(t, [], { env: { WHARF_ENTRYPOINTS_WEBSECURE_ADDRESS: ':8443' }, files: { 'wharf.yml': 'entryPoints:\n  webSecure:\n    address: ":443"\n' } });
  t.deepEqual(Object.keys(names.config.entryPoints), ['webSecure']);
});

test('map-valued options take their keys from the name', async (t) => {
  const loaded = await load(t, ['--accessLog.fields.names.ClientUsername=DROP', '--accessLog.fields.headers.names.User-Agent=redact'], {
    files: { 'wharf.yml': 'accessLog:\n  fields:\n    names:\n      StartUTC: drop\n' },
  });
  t.deepEqual(loaded.config.accessLog.fields.names, { StartUTC: 'drop', ClientUsername: 'drop' });
  t.deepEqual(loaded.config.accessLog.fields.headers.names, { 'User-Agent': 'redact' });
  await t.throwsAsync(load(t, ['--accessLog.fields.names.ClientUsername=maybe']), { message: /accessLog\.fields\.names.*flag --accessLog\.fields\.names\.ClientUsername/ });
});
