import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { SecureVersion } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import test from 'ava';
import { request } from 'undici';
import { issueCertificate, type Issued } from './helpers/certificates.js';
import { waitFor } from './helpers/net.js';
import { ExampleConfig, runWharf, startWharf, type WharfProcess } from './helpers/wharf-process.js';

// One Wharf process, real `node:https` backends on loopback with certificates made at run time.
// Every request carries `Host: app.example`: SNI and verification must ignore it (Traefik).

interface HttpsBackend {
  readonly port: number;
  /** `servername` (SNI) of each TLS connection that sent a request, `false` when none was sent. */
  readonly sni: Array<string | false | null>;
  /** Path and SNI of each request. */
  readonly seen: Array<{ path: string; sni: string | false | null }>;
  close(): Promise<void>;
}

/** What every backend answers: the Host it saw and the client certificate's CN (mTLS). */
interface Echo {
  host: string;
  clientCN?: string;
  /** The TLS version of the connection (`TLSv1.3`). */
  protocol?: string | null;
}

async function startHttpsBackend(cert: Issued, clientCa?: Issued, tlsOptions: { maxVersion?: SecureVersion } = {}): Promise<HttpsBackend> {
  const sni: Array<string | false | null> = [];
  const seen: HttpsBackend['seen'] = [];
  const options = clientCa ? { requestCert: true, rejectUnauthorized: true, ca: clientCa.cert } : {};
  const server: Server = createServer({ cert: cert.cert, key: cert.key, ...options, ...tlsOptions }, (req, res) => {
    const socket = req.socket as TLSSocket;
    sni.push(socket.servername);
    seen.push({ path: req.url ?? '', sni: socket.servername });
    const echo: Echo = { host: req.headers.host ?? '', protocol: socket.getProtocol(), ...(clientCa ? { clientCN: String(socket.getPeerCertificate().subject.CN) } : {}) };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(echo));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sni,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let wharf: WharfProcess;
let config: ExampleConfig;
let dir: string;
let ca: Issued;
let caFile: string;
let forIp: HttpsBackend;
let forInternal: HttpsBackend;
let withMtls: HttpsBackend;
let plain: HttpsBackend;
const routes: Record<string, unknown> = {};
const services: Record<string, unknown> = {};
const transports: Record<string, unknown> = {};

/** Routes `/<name>` (any Host) to one https server through `transport`. */
function route(name: string, backend: HttpsBackend, transport?: string): void {
  routes[name] = { rule: `PathPrefix(\`/${name}\`)`, service: name };
  services[name] = { loadBalancer: { servers: [{ url: `https://127.0.0.1:${backend.port}` }], ...(transport ? { serversTransport: transport } : {}) } };
}

async function get(path: string): Promise<{ status: number; body: string }> {
  const res = await request(wharf.urls.web + path, { headers: { host: 'app.example' } });
  return { status: res.statusCode, body: await res.body.text() };
}

async function api(path: string): Promise<{ status: string; error?: string[] }> {
  const res = await request(`${wharf.urls.traefik}/api${path}`);
  return (await res.body.json()) as { status: string; error?: string[] };
}

/** Publishes the configuration and waits until `/<name>` is routed (answers anything but 404). */
async function applied(name: string): Promise<void> {
  await config.write({ http: { routers: routes, services, serversTransports: transports } });
  await waitFor(async () => (await get(`/${name}`)).status !== 404, 10_000, `route /${name}`);
}

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wharf-tls-'));
  ca = issueCertificate({ commonName: 'Wharf Test CA', ca: true });
  const otherCa = issueCertificate({ commonName: 'Other CA', ca: true });
  const client = issueCertificate({ commonName: 'wharf-client', issuer: ca });
  caFile = join(dir, 'ca.pem');
  await writeFile(caFile, ca.cert);
  await writeFile(join(dir, 'client.pem'), client.cert);
  await writeFile(join(dir, 'client-key.pem'), client.key);
  forIp = await startHttpsBackend(issueCertificate({ commonName: 'backend', altNames: ['IP:127.0.0.1', 'DNS:localhost'], issuer: ca }));
  forInternal = await startHttpsBackend(issueCertificate({ commonName: 'app.internal', altNames: ['DNS:app.internal'], issuer: ca }));
  withMtls = await startHttpsBackend(issueCertificate({ commonName: 'mtls', altNames: ['IP:127.0.0.1'], issuer: ca }), ca);
  plain = await startHttpsBackend(issueCertificate({ commonName: 'other', altNames: ['IP:127.0.0.1'], issuer: otherCa }));
  config = await ExampleConfig.create({ http: {} });
  wharf = await startWharf(['web', 'traefik'], ['--api.insecure', '--log.level=WARN', `--serversTransport.rootCAs=${caFile}`, ...config.args()]);
});

test.after.always(async () => {
  await wharf?.stop();
  await Promise.all([forIp, forInternal, withMtls, plain].map((b) => b?.close()));
});

test.serial('insecureSkipVerify: true reaches a server whose CA nobody trusts', async (t) => {
  transports.skip = { insecureSkipVerify: true };
  route('skip', plain, 'skip');
  await applied('skip');
  const res = await get('/skip');
  t.is(res.status, 200, res.body);
  t.is((JSON.parse(res.body) as Echo).host, 'app.example');
});

test.serial('rootCAs file verifies an IP SAN; no SNI is sent for an IP URL, whatever the Host', async (t) => {
  transports.ca = { rootCAs: [caFile] };
  route('ca', forIp, 'ca');
  forIp.sni.length = 0;
  await applied('ca');
  const res = await get('/ca');
  t.is(res.status, 200, res.body);
  t.is((JSON.parse(res.body) as Echo).host, 'app.example');
  t.true(forIp.sni.length > 0 && forIp.sni.every((name) => name === false), `SNI seen: ${forIp.sni.join(',')}`);
});

test.serial('serverName sets SNI and the verified name; inline PEM rootCAs', async (t) => {
  transports.internal = { rootCAs: [ca.cert], serverName: 'app.internal' };
  route('internal', forInternal, 'internal');
  forInternal.sni.length = 0;
  await applied('internal');
  const res = await get('/internal');
  t.is(res.status, 200, res.body);
  t.is((JSON.parse(res.body) as Echo).host, 'app.example');
  t.deepEqual([...new Set(forInternal.sni)], ['app.internal']);
});

test.serial('a certificate for another name fails verification: 500 and a log line with the reason', async (t) => {
  // Trusted CA, but the certificate names app.internal and the URL is 127.0.0.1.
  route('altname', forInternal, 'ca');
  await applied('altname');
  t.is((await get('/altname')).status, 500);
  const port = forInternal.port;
  await waitFor(() => wharf.output().split('\n').some((line) => line.includes('ERR_TLS_CERT_ALTNAME_INVALID') && line.includes(`https://127.0.0.1:${port}`)), 5_000, 'the TLS failure log line');
});

test.serial('an untrusted CA answers 500 with the reason logged; adding rootCAs on reload fixes it', async (t) => {
  transports.untrusted = { serverName: 'app.internal' };
  route('untrusted', forInternal, 'untrusted');
  await applied('untrusted');
  t.is((await get('/untrusted')).status, 500);
  const port = forInternal.port;
  await waitFor(() => wharf.output().split('\n').some((line) => line.includes('UNABLE_TO_VERIFY_LEAF_SIGNATURE') && line.includes(`https://127.0.0.1:${port}`)), 5_000, 'the TLS failure log line');
  // New TLS material gives the transport new pools: no connection of the old settings is reused.
  transports.untrusted = { serverName: 'app.internal', rootCAs: [caFile] };
  await config.write({ http: { routers: routes, services, serversTransports: transports } });
  await waitFor(async () => (await get('/untrusted')).status === 200, 10_000, 'the reloaded transport');
  t.pass();
});

test.serial('mTLS: certificates are presented to a server that requires one; without them it fails', async (t) => {
  transports.mtls = { rootCAs: [caFile], certificates: [{ certFile: join(dir, 'client.pem'), keyFile: join(dir, 'client-key.pem') }] };
  transports.nocert = { rootCAs: [caFile] };
  route('mtls', withMtls, 'mtls');
  route('nocert', withMtls, 'nocert');
  await applied('mtls');
  await applied('nocert');
  const res = await get('/mtls');
  t.is(res.status, 200, res.body);
  t.is((JSON.parse(res.body) as Echo).clientCN, 'wharf-client');
  const refused = await get('/nocert');
  // The server refuses after the TLS 1.3 handshake: a connection failure, 502 as in Traefik (a net.OpError).
  t.is(refused.status, 502);
});

test.serial('the static serversTransport.rootCAs applies to services without serversTransport', async (t) => {
  route('static', forIp);
  await applied('static');
  const res = await get('/static');
  t.is(res.status, 200, res.body);
});

test.serial('https health checks use the service transport: SNI from serverName, not the check hostname', async (t) => {
  routes.hc = { rule: 'PathPrefix(`/hc`)', service: 'hc' };
  const server = `https://127.0.0.1:${forInternal.port}`;
  services.hc = { loadBalancer: { servers: [{ url: server }], serversTransport: 'internal', healthCheck: { path: '/health', interval: '100ms', hostname: 'app.example' } } };
  await applied('hc');
  await waitFor(() => forInternal.seen.filter((r) => r.path === '/health').length >= 2, 5_000, 'two health checks');
  t.deepEqual([...new Set(forInternal.seen.filter((r) => r.path === '/health').map((r) => r.sni))], ['app.internal']);
  const service = (await api('/http/services/hc@example')) as { serverStatus?: Record<string, string> };
  t.deepEqual(service.serverStatus, { [server]: 'UP' });
  t.is((await get('/hc')).status, 200);
});

test.serial('a rootCAs file that cannot be read disables only the services using that transport', async (t) => {
  transports.missing = { rootCAs: [join(dir, 'nope.pem')] };
  route('missing', forIp, 'missing');
  route('healthy', forIp, 'ca');
  await applied('healthy');
  await waitFor(async () => (await api('/http/services/missing@example')).status === 'disabled', 10_000, 'the disabled service');
  const service = await api('/http/services/missing@example');
  t.true(service.error?.some((e) => e.includes('missing@example') && e.includes(join(dir, 'nope.pem'))), JSON.stringify(service.error));
  t.is((await get('/healthy')).status, 200);
  t.is((await get('/ca')).status, 200);
  t.not((await get('/missing')).status, 200);
});

test.serial('minVersion and maxVersion bound the TLS versions offered to servers; a bad version disables the services using it', async (t) => {
  const tls12Only = await startHttpsBackend(issueCertificate({ commonName: 'old', altNames: ['IP:127.0.0.1'], issuer: ca }), undefined, { maxVersion: 'TLSv1.2' });
  t.teardown(() => tls12Only.close());
  transports.tls13 = { rootCAs: [caFile], minVersion: 'VersionTLS13' };
  transports.tls12 = { rootCAs: [caFile], maxVersion: 'VersionTLS12' };
  transports.badversion = { rootCAs: [caFile], minVersion: 'TLS1.3' };
  // Names that no earlier route's PathPrefix covers (`/ca` would match `/capped`).
  route('v13min', tls12Only, 'tls13');
  route('v12cap', forIp, 'tls12');
  route('vbad', forIp, 'badversion');
  await applied('v12cap');
  const capped = await get('/v12cap');
  t.is(capped.status, 200, capped.body);
  t.is((JSON.parse(capped.body) as Echo).protocol, 'TLSv1.2', `maxVersion VersionTLS12 caps a TLS 1.3 server at 1.2: ${capped.body}`);
  t.is((await get('/v13min')).status, 500, 'minVersion VersionTLS13 refuses a TLS 1.2-only server');
  const bad = await api('/http/services/vbad@example');
  t.is(bad.status, 'disabled');
  t.regex((bad.error ?? []).join('\n'), /minVersion "TLS1\.3" is not a TLS version \(VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13\)/);
  for (const name of ['v13min', 'v12cap', 'vbad']) {
    delete routes[name];
    delete services[name];
  }
});

test.serial('options that are decoded but not applied are reported as not supported yet', async (t) => {
  transports.h2 = { rootCAs: [caFile], spiffe: { trustDomain: 'example.org' }, forwardingTimeouts: { readIdleTimeout: '10s' } };
  route('h2', forIp, 'h2');
  await applied('h2');
  t.is((await get('/h2')).status, 200);
  const service = await api('/http/services/h2@example');
  t.is(service.status, 'warning');
  t.true(service.error?.some((e) => e.includes('spiffe is not supported yet')), JSON.stringify(service.error));
  t.true(service.error?.some((e) => e.includes('readIdleTimeout is not supported yet')), JSON.stringify(service.error));
  t.regex(wharf.output(), /spiffe is not supported yet/);
});

test('a static rootCAs file that cannot be read stops Wharf before it listens', async (t) => {
  const missing = join(dir, 'static-missing.pem');
  const { code, stderr } = await runWharf(['--entryPoints.web.address=127.0.0.1:0', `--serversTransport.rootCAs=${missing}`]);
  t.is(code, 1);
  t.true(stderr.includes(missing) && stderr.includes('serversTransport'), stderr);
});
