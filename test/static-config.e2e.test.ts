import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { request } from 'undici';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { ExampleConfig, runWharf, startWharf } from './helpers/wharf-process.js';

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

async function get(url: string, host = 'app.test'): Promise<{ status: number; body: string }> {
  const res = await request(url, { headers: { host } });
  return { status: res.statusCode, body: await res.body.text() };
}

const lines = async (path: string): Promise<string[]> => (await readFile(path, 'utf8').catch(() => '')).split('\n').filter(Boolean);

test.serial('SIGUSR1 reopens the log and access-log files after logrotate moved them', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-usr1-'));
  const [log, access] = [join(dir, 'wharf.log'), join(dir, 'access.log')];
  const config = await ExampleConfig.create(routes());
  const wharf = await startWharf(['web'], ['--log.level=INFO', `--log.filePath=${log}`, `--accessLog.filePath=${access}`, ...config.args()]);
  t.teardown(() => wharf.stop());
  await waitFor(async () => (await get(wharf.urls.web + '/')).status === 200, 10_000, 'route applied');
  await waitFor(async () => (await lines(access)).length > 0, 5_000, 'first access-log line');
  t.regex((await lines(log))[0] ?? '', /INF Wharf \d+\.\d+\.\d+ starting .*sources=.*flags/, 'the first log line gives the version and the sources');
  await rename(log, log + '.1');
  await rename(access, access + '.1');
  wharf.process.kill('SIGUSR1');
  await waitFor(async () => (await lines(log)).some((l) => /SIGUSR1: log files reopened files=2/.test(l)), 5_000, 'reopen logged in the new log file');
  t.is((await get(wharf.urls.web + '/x')).status, 200);
  await waitFor(async () => (await lines(access)).length === 1, 5_000, 'a line in the new access log');
  t.regex((await lines(access))[0]!, /"GET \/x HTTP\/1\.1" 200 /);
  t.false((await lines(access + '.1')).some((l) => l.includes('GET /x ')), 'nothing more in the moved file');
  t.is(await wharf.stop(), 0);
  const end = await lines(log);
  t.true(end.some((l) => /INF shutting down: draining connections signal=SIGTERM/.test(l)), end.join('\n'));
  t.regex(end[end.length - 1]!, /INF stopped connections=\d+ served=\d+ cut=0 /);
});

test.serial('addInternals: requests to Wharf\'s own services reach the access log and the metrics; process_ and nodejs_ metrics exist', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-internals-'));
  const access = join(dir, 'access.log');
  const config = await ExampleConfig.create(routes());
  const start = (extra: string[]) => startWharf(['web', 'traefik'], ['--ping', '--metrics.prometheus', '--accessLog.format=json', `--accessLog.filePath=${access}`, ...extra, ...config.args()]);
  const counted = async (url: string): Promise<{ pings: number; metrics: string }> => {
    for (let i = 0; i < 3; i++) t.is((await get(url + '/ping', 'x')).status, 200);
    const metrics = (await get(url + '/metrics', 'x')).body;
    const pings = (await lines(access)).filter((l) => (JSON.parse(l) as { RouterName?: string }).RouterName === 'ping@internal').length;
    return { pings, metrics };
  };
  const without = await start([]);
  const before = await counted(without.urls.traefik);
  await without.stop();
  t.is(before.pings, 0);
  t.notRegex(before.metrics, /traefik_entrypoint_requests_total\{code="200"[^}]*entrypoint="traefik"/);
  t.regex(before.metrics, /^process_cpu_user_seconds_total \d/m);
  t.regex(before.metrics, /^process_resident_memory_bytes \d/m);
  t.regex(before.metrics, /^nodejs_eventloop_lag_seconds \d/m);
  t.regex(before.metrics, /^nodejs_heap_size_used_bytes \d/m);

  const withInternals = await start(['--accessLog.addInternals', '--metrics.addInternals']);
  t.teardown(() => withInternals.stop());
  await waitFor(async () => (await counted(withInternals.urls.traefik)).pings >= 3, 5_000, 'ping requests in the access log');
  const after = await counted(withInternals.urls.traefik);
  t.regex(after.metrics, /traefik_entrypoint_requests_total\{code="200",method="GET",protocol="http",entrypoint="traefik"\} \d+/);
  t.regex(after.metrics, /traefik_service_requests_total\{code="200",method="GET",protocol="http",service="ping@internal"\} \d+/);
});

test.serial('api.dashboardName names the dashboard; disableDashboardAd is accepted', async (t) => {
  const wharf = await startWharf(['traefik'], ['--api.insecure', '--api.dashboardName=Prod <eu-west-1>', '--api.disableDashboardAd']);
  t.teardown(() => wharf.stop());
  const page = await get(wharf.urls.traefik + '/dashboard/', 'x');
  t.is(page.status, 200);
  t.true(page.body.includes('<title>Prod &#60;eu-west-1&#62; · Wharf dashboard</title>'), page.body.slice(0, 400));
  t.true(page.body.includes('Wharf · Prod &#60;eu-west-1&#62;</a>'));
});

test.serial('a Traefik static file loads: unsupported Traefik options and dynamic sections are warnings, not errors', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-traefik-static-'));
  const file = join(dir, 'traefik.yml');
  await writeFile(file, [
    'log:', '  level: TRACE', '  noColor: true',
    'entryPoints:', '  web:', '    address: "127.0.0.1:0"', '    http2:', '      maxConcurrentStreams: 100',
    'tracing:', '  otlp:', '    http:', '      endpoint: http://127.0.0.1:4318/v1/traces',
    'http:', '  routers:', '    r:', '      rule: Host(`a`)', '      service: s',
    '',
  ].join('\n'));
  const { code, stdout, stderr } = await runWharf(['check', `--configFile=${file}`]);
  t.is(code, 0, stderr);
  t.is((JSON.parse(stdout) as { log: { level: string } }).log.level, 'TRACE');
  t.deepEqual(stderr.trim().split('\n'), [
    `wharf: warning: entryPoints.web.http2 (file ${file}) is a Traefik option that Wharf does not support yet (ignored)`,
    `wharf: warning: tracing (file ${file}) is a Traefik option that Wharf does not support yet (ignored)`,
    `wharf: warning: file ${file}: http: is a section of the dynamic configuration, ignored in the static configuration (as Traefik does): put it in a file that providers.file reads`,
    'configuration OK',
  ]);
});

test.serial('wharf check rejects what wharf rejects and validates the file provider\'s files, every error in one run', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-check-'));
  await writeFile(join(dir, 'good.yml'), 'http:\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: http://127.0.0.1:1\n');
  await writeFile(join(dir, 'broken.yml'), 'http:\n  routers:\n    r:\n      rule: [Host(`a`)\n');
  const noRegion = { AWS_REGION: '', AWS_DEFAULT_REGION: '', ECS_CONTAINER_METADATA_URI_V4: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:1' };
  const { code, stdout, stderr } = await runWharf(['check', `--providers.file.directory=${dir}`, '--providers.ecs.clusters=prod'], { env: noRegion, timeoutMs: 30_000 });
  t.is(code, 1);
  t.is(stdout, '', 'nothing on standard output');
  t.regex(stderr, /providers\.ecs\.region: no AWS region found/);
  t.regex(stderr, new RegExp(`${join(dir, 'broken.yml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `), 'the YAML error is located');
  t.notRegex(stderr, /configuration OK/);
  // Static errors: all of them, one per line.
  const typos = await runWharf(['check', '--log.levle=INFO', '--api.insecur', '--entryPoints.web.address=:80', '--entryPoints.web.transport.keepAliveMaxRequests=10']);
  t.is(typos.code, 1);
  const errors = typos.stderr.trim().split('\n').filter((l) => l.startsWith('wharf: configuration error'));
  t.is(errors.length, 2, typos.stderr);
  t.regex(typos.stderr, /did you mean --log\.level\?/);
  t.regex(typos.stderr, /did you mean --api\.insecure\?/);
});

test.serial('--log.level=TRACE is accepted and wharf --version prints the version', async (t) => {
  const version = await runWharf(['--version']);
  t.is(version.code, 0);
  t.regex(version.stdout, /^Version:\s+\d+\.\d+\.\d+/);
  const trace = await runWharf(['check', '--log.level=TRACE']);
  t.is(trace.code, 0, trace.stderr);
});
