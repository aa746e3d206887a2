import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import test from 'ava';
import { request } from 'undici';
import { startEcsEmulator, type EcsEmulator } from '@wharf/ecs-emulator';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { startWharf, type WharfProcess } from './helpers/wharf-process.js';

// Existing Express middleware, for real: the npm packages helmet, compression,
// express-rate-limit and cors, loaded as middleware plugins (`experimental.plugins.<name>.package`)
// and used with Traefik's plugin syntax from a dynamic file and from ECS task labels, in a real
// Wharf process.

const PLUGINS = ['--experimental.plugins.helmet.package=helmet', '--experimental.plugins.compression.package=compression', '--experimental.plugins.ratelimit.package=express-rate-limit', '--experimental.plugins.cors.package=cors'];

let wharf: WharfProcess;
let backend: Backend;
let emu: EcsEmulator;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

async function send(host: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const res = await request(wharf.urls.web! + path, { method: (options.method ?? 'GET') as 'GET', headers: { host, ...options.headers } });
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

const FILE = `
http:
  routers:
    helmet: { rule: "Host(\`files.test\`) && PathPrefix(\`/helmet\`)", service: app, middlewares: [secure] }
    gzip: { rule: "Host(\`files.test\`) && PathPrefix(\`/gzip\`)", service: app, middlewares: [squeeze] }
    limited: { rule: "Host(\`files.test\`) && PathPrefix(\`/limited\`)", service: app, middlewares: [three-a-minute] }
    cors: { rule: "Host(\`files.test\`) && PathPrefix(\`/cors\`)", service: app, middlewares: [cross-origin] }
    broken: { rule: "Host(\`files.test\`) && PathPrefix(\`/broken\`)", service: app, middlewares: [not-loaded] }
  middlewares:
    secure: { plugin: { helmet: {} } }
    squeeze: { plugin: { compression: { threshold: 0 } } }
    three-a-minute: { plugin: { ratelimit: { windowMs: 60000, limit: 3 } } }
    cross-origin: { plugin: { cors: { origin: "https://app.example", methods: [GET, PUT] } } }
    not-loaded: { plugin: { nope: {} } }
  services:
    app: { loadBalancer: { servers: [{ url: "BACKEND" }] } }
`;

test.before(async () => {
  backend = await startBackend('app', undefined, '127.0.0.2');
  const dir = await mkdtemp(join(tmpdir(), 'wharf-express-'));
  await writeFile(join(dir, 'dynamic.yml'), FILE.replace('BACKEND', backend.url));

  emu = await startEcsEmulator({ region: 'us-east-1' });
  emu.state.createCluster('express');
  emu.state.registerTaskDefinition({
    family: 'app',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [{
      name: 'app', image: 'app', essential: true,
      portMappings: [{ containerPort: backend.port, hostPort: backend.port }],
      dockerLabels: {
        'traefik.http.routers.app.rule': 'Host(`labels.test`)',
        'traefik.http.routers.app.middlewares': 'lbl-cors,lbl-limit,lbl-helmet,lbl-gzip',
        'traefik.http.middlewares.lbl-cors.plugin.cors.origin': 'https://app.example',
        'traefik.http.middlewares.lbl-limit.plugin.ratelimit.limit': '2',
        'traefik.http.middlewares.lbl-limit.plugin.ratelimit.windowMs': '60000',
        'traefik.http.middlewares.lbl-helmet.plugin.helmet.contentSecurityPolicy': 'false',
        'traefik.http.middlewares.lbl-gzip.plugin.compression.threshold': '0',
      },
    }],
  });
  emu.state.runTask({ cluster: 'express', taskDefinition: 'app', group: 'service:app', ip: '127.0.0.2' });
  const role = emu.taskRoleCredentials({ allow: ['ecs:ListClusters', 'ecs:DescribeClusters', 'ecs:ListTasks', 'ecs:DescribeTasks', 'ecs:DescribeContainerInstances', 'ecs:DescribeTaskDefinition', 'ec2:DescribeInstances', 'ssm:DescribeInstanceInformation'] });
  wharf = await startWharf(['web', 'traefik'], [
    '--api.insecure',
    ...PLUGINS,
    `--providers.file.directory=${dir}`,
    '--providers.ecs.clusters=express',
    '--providers.ecs.region=us-east-1',
    '--providers.ecs.refreshSeconds=1',
    '--providers.providersThrottleDuration=0s',
  ], {
    env: {
      AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_REGION: '', AWS_DEFAULT_REGION: '',
      AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', ECS_CONTAINER_METADATA_URI_V4: '',
      AWS_ENDPOINT_URL: emu.url, AWS_CONTAINER_CREDENTIALS_FULL_URI: role.fullUri,
    },
  });
  await waitFor(async () => (await send('files.test', '/helmet')).status === 200, 10_000, 'file routes');
  await waitFor(async () => (await send('labels.test', '/warm', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } })).status === 204, 15_000, 'label routes');
});

test.after.always(async () => {
  await wharf?.stop();
  await backend?.close();
  await emu?.close();
});

test.serial('helmet sets its security headers (file)', async (t) => {
  const res = await send('files.test', '/helmet');
  t.is(res.status, 200);
  t.is(res.headers['x-content-type-options'], 'nosniff');
  t.regex(String(res.headers['content-security-policy']), /default-src 'self'/);
  t.regex(String(res.headers['strict-transport-security']), /max-age=\d+/);
  t.is(res.headers['x-powered-by'], undefined);
});

test.serial('compression gzips the upstream response (file)', async (t) => {
  const res = await send('files.test', '/gzip/echo', { headers: { 'accept-encoding': 'gzip' } });
  t.is(res.status, 200);
  t.is(res.headers['content-encoding'], 'gzip');
  const body = JSON.parse(gunzipSync(res.body).toString()) as { name: string; url: string };
  t.is(body.name, 'app');
  t.is(body.url, '/gzip/echo');
  const plain = await send('files.test', '/gzip/echo');
  t.is(plain.headers['content-encoding'], undefined, 'no gzip without Accept-Encoding');
});

test.serial('express-rate-limit answers 429 after the limit (file)', async (t) => {
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await send('files.test', '/limited')).status);
  t.deepEqual(statuses, [200, 200, 200, 429, 429]);
  const last = await send('files.test', '/limited');
  t.is(last.headers['x-ratelimit-limit'], '3', "the package's own headers, written with Express's res.set");
  t.is(last.headers['retry-after'], '60');
});

test.serial('cors answers the preflight and decorates the response (file)', async (t) => {
  const preflight = await send('files.test', '/cors', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' } });
  t.is(preflight.status, 204);
  t.is(preflight.headers['access-control-allow-origin'], 'https://app.example');
  t.is(preflight.headers['access-control-allow-methods'], 'GET,PUT');
  const before = backend.count();
  const simple = await send('files.test', '/cors', { headers: { origin: 'https://app.example' } });
  t.is(simple.status, 200);
  t.is(simple.headers['access-control-allow-origin'], 'https://app.example');
  t.is(backend.count(), before + 1, 'only the actual request reaches the backend');
});

test.serial('a plugin that is not loaded disables its middleware and router only, with a clear error', async (t) => {
  t.is((await send('files.test', '/broken')).status, 404);
  const mw = (await (await request(`${wharf.urls.traefik!}/api/http/middlewares/not-loaded@file`)).body.json()) as { status: string; error: string[] };
  t.is(mw.status, 'disabled');
  t.regex(mw.error.join('\n'), /plugin "nope" is not loaded: add --experimental\.plugins\.nope\.package=<npm package> \(loaded: helmet, compression, ratelimit, cors\)/);
  t.is((await send('files.test', '/helmet')).status, 200);
});

test.serial('the four packages through ECS labels: text options read as booleans and numbers', async (t) => {
  const preflight = await send('labels.test', '/x', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } });
  t.is(preflight.headers['access-control-allow-origin'], 'https://app.example');
  const first = await send('labels.test', '/x', { headers: { 'accept-encoding': 'gzip' } });
  t.is(first.status, 200);
  t.is(first.headers['content-encoding'], 'gzip', 'threshold "0" read as the number 0');
  t.is(first.headers['x-content-type-options'], 'nosniff');
  t.is(first.headers['content-security-policy'], undefined, 'contentSecurityPolicy "false" read as false');
  // The warm-up preflight never reached the rate limiter (cors answered it first); the limit is 2.
  t.is((await send('labels.test', '/x')).status, 200);
  t.is((await send('labels.test', '/x')).status, 429);
});
