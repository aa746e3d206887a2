import test from 'ava';
import { connect } from 'node:net';
import { request } from 'undici';
import { startBackend, type Backend } from './helpers/backend.js';
import { freePort, waitFor } from './helpers/net.js';
import { ExampleConfig, runWharf, startWharf, type WharfProcess } from './helpers/wharf-process.js';

/** A backend, and a Wharf with one router `Host(<host>)` to it, ready to serve. */
async function routedWharf(host: string, entryPoints: string[], extraArgs: string[] = []): Promise<{ backend: Backend; wharf: WharfProcess; web: string }> {
  const backend = await startBackend(host);
  const config = await ExampleConfig.create({ http: { routers: { r: { rule: `Host(\`${host}\`)`, service: 's' } }, services: { s: { loadBalancer: { servers: [{ url: backend.url }] } } } } });
  const wharf = await startWharf(entryPoints, [...config.args(), ...extraArgs]);
  const web = wharf.urls.web!;
  await waitFor(async () => (await request(web, { headers: { host } })).statusCode === 200, 10_000, 'route');
  return { backend, wharf, web };
}

async function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

test('an unknown option names the key, its source and a suggestion, and no port is opened', async (t) => {
  const port = await freePort();
  const { code, stderr } = await runWharf([`--entryPoints.web.address=127.0.0.1:${port}`, '--entryPoints.web.transport.lifeCycle.graceTimout=1s']);
  t.is(code, 1);
  t.regex(stderr, /entryPoints\.web\.transport\.lifeCycle\.graceTimout/);
  t.regex(stderr, /flag --entryPoints\.web\.transport\.lifeCycle\.graceTimout/);
  t.regex(stderr, /did you mean .*graceTimeOut/);
  t.true(await refused(port));
});

test('a bad value from the environment names the variable', async (t) => {
  const { code, stderr } = await runWharf(['check'], { env: { WHARF_PROVIDERS_PROVIDERSTHROTTLEDURATION: 'soon' } });
  t.is(code, 1);
  t.regex(stderr, /WHARF_PROVIDERS_PROVIDERSTHROTTLEDURATION/);
});

test('a configured provider that is not installed stops wharf with the package to install', async (t) => {
  const { code, stderr } = await runWharf(['--providers.acme.endpoint=http://127.0.0.1:1']);
  t.is(code, 1);
  t.is(stderr.trim().split('\n').length, 1);
  t.regex(stderr, /npm install @wharf\/provider-acme/);
});

test('wharf check prints the effective configuration with secrets redacted', async (t) => {
  // The example provider needs a file: `wharf` would refuse to start without it, so `check` does too.
  const { code, stdout, stderr } = await runWharf(['check', '--providers.plugins.example.package=wharf-provider-example', '--providers.plugins.example.file=missing.json', '--providers.plugins.example.token=s3cr3t', '--entryPoints.web.address=127.0.0.1:8000']);
  t.is(code, 0);
  t.notRegex(stdout, /s3cr3t/);
  t.is(stderr.trim(), 'configuration OK', 'standard output holds only the JSON');
  const json = JSON.parse(stdout) as { entryPoints: Record<string, { address: string }>; providers: { plugins: Record<string, { token: string; pollMs: number }> } };
  t.is(json.providers.plugins.example!.token, '<redacted>');
  t.is(json.providers.plugins.example!.pollMs, 100, 'plugin defaults are applied');
  t.is(json.entryPoints.web!.address, '127.0.0.1:8000');
});

test('wharf --help lists core and plugin options with their docs and defaults', async (t) => {
  const { code, stdout } = await runWharf(['--help', '--providers.plugins.example.package=wharf-provider-example']);
  t.is(code, 0);
  t.regex(stdout, /--entryPoints\.<name>\.address|--entryPoints\.[^.]+\.address/);
  t.regex(stdout, /--providers\.providersThrottleDuration\n\s+.*default: "?2s|2000/);
  t.regex(stdout, /--providers\.plugins\.example\.pollMs\n\s+How often to look at the file/);
  t.regex(stdout, /--providers\.ecs\.region\n/, 'installed first-party providers are documented even when not configured');
  t.regex(stdout, /--providers\.file\.directory\n/);
});

test('wharf version prints the version', async (t) => {
  const { code, stdout } = await runWharf(['version']);
  t.is(code, 0);
  t.regex(stdout, /Version:\s+\d+\.\d+\.\d+/);
});

test('SIGTERM stops accepting, drains in-flight requests and exits 0', async (t) => {
  const { backend, wharf, web } = await routedWharf('drain.test', ['web']);
  const inFlight = request(web + '/delay/1500', { headers: { host: 'drain.test' } });
  await waitFor(() => backend.open() === 1, 5_000, 'request in flight');
  wharf.process.kill('SIGTERM');
  await waitFor(async () => refused(Number(new URL(web).port)), 5_000, 'listener closed');
  const res = await inFlight;
  t.is(res.statusCode, 200);
  t.is(((await res.body.json()) as { name: string }).name, 'drain.test');
  t.is(await wharf.exited, 0);
  await backend.close();
});

test('graceTimeOut bounds the drain', async (t) => {
  const { backend, wharf, web } = await routedWharf('stuck.test', ['web'], ['--entryPoints.web.transport.lifeCycle.graceTimeOut=500ms']);
  const inFlight = request(web + '/slow', { headers: { host: 'stuck.test' } }).catch((err: Error) => err);
  await waitFor(() => backend.open() === 1, 5_000, 'request in flight');
  const started = Date.now();
  wharf.process.kill('SIGTERM');
  t.is(await wharf.exited, 0);
  const elapsed = Date.now() - started;
  t.true(elapsed >= 450 && elapsed < 3_000, `exited after ${elapsed} ms`);
  t.true((await inFlight) instanceof Error, 'the stuck request was cut');
  await backend.close();
});

test('during requestAcceptGraceTimeout ping answers 503 and routes keep serving, then wharf exits 0', async (t) => {
  const { backend, wharf, web } = await routedWharf('grace.test', ['web', 'traefik'], ['--ping', '--entryPoints.web.transport.lifeCycle.requestAcceptGraceTimeout=1500ms', '--entryPoints.traefik.transport.lifeCycle.requestAcceptGraceTimeout=1500ms']);
  t.is((await request(wharf.urls.traefik + '/ping')).statusCode, 200);
  const started = Date.now();
  wharf.process.kill('SIGTERM');
  await waitFor(async () => (await request(wharf.urls.traefik + '/ping')).statusCode === 503, 1_000, 'ping to turn 503');
  const res = await request(web, { headers: { host: 'grace.test' } });
  t.is(res.statusCode, 200, 'new requests are still served during the grace period');
  await res.body.dump();
  t.is(await wharf.exited, 0);
  t.true(Date.now() - started >= 1_400, 'the listeners stayed open for requestAcceptGraceTimeout');
  await backend.close();
});

test('writeTimeout cuts a response that takes too long to write', async (t) => {
  const { backend, wharf, web } = await routedWharf('write.test', ['web'], ['--entryPoints.web.transport.respondingTimeouts.writeTimeout=500ms']);
  t.is((await request(web + '/delay/100', { headers: { host: 'write.test' } })).statusCode, 200);
  const started = Date.now();
  const slow = await request(web + '/delay/3000', { headers: { host: 'write.test' } }).catch((err: Error) => err);
  t.true(slow instanceof Error, 'the connection was closed');
  t.true(Date.now() - started < 2_000);
  await wharf.stop();
  await backend.close();
});

test('forwardedHeaders.trustedIPs keeps the X-Forwarded-* of a trusted peer', async (t) => {
  const { backend, wharf, web } = await routedWharf('trust.test', ['web'], ['--entryPoints.web.forwardedHeaders.trustedIPs=10.0.0.0/8,127.0.0.1/32']);
  const res = await request(web, { headers: { host: 'trust.test', 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'x-real-ip': '203.0.113.9' } });
  const seen = (await res.body.json()) as { headers: Record<string, string> };
  t.is(seen.headers['x-forwarded-for'], '203.0.113.9, 127.0.0.1');
  t.is(seen.headers['x-forwarded-proto'], 'https');
  t.is(seen.headers['x-real-ip'], '203.0.113.9');
  await wharf.stop();
  await backend.close();
});

test('a provider that fails to initialise stops wharf before any port opens', async (t) => {
  const port = await freePort();
  const child = runWharf([`--entryPoints.web.address=127.0.0.1:${port}`, '--providers.plugins.example.package=wharf-provider-example']);
  const { code, stderr } = await child;
  t.is(code, 1);
  t.regex(stderr, /provider "example" failed to start: providers\.plugins\.example\.file is required/);
  t.true(await refused(port));
});
