import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerCertificate } from 'node:tls';
import test from 'ava';
import { REDACTED, redact } from '../src/api/redact.js';
import type { ServersTransportConfig } from '../src/config/dynamic/types.js';
import { ConfigError } from '../src/errors.js';
import type { TransportSettings } from '../src/proxy/pool-registry.js';
import { checkPeerCertUri, loadTransportTls, tlsConnectOptions, type TransportTlsConfig } from '../src/proxy/transport-tls.js';
import { unsupportedTransportOptions } from '../src/services/servers-transport.js';
import { issueCertificate } from '../../../test/helpers/certificates.js';

const ca = issueCertificate({ commonName: 'Unit CA', ca: true });
const client = issueCertificate({ commonName: 'client', issuer: ca });

function transport(tls?: TransportTlsConfig): TransportSettings {
  const base = { name: 't@file', dialTimeout: 30_000, responseHeaderTimeout: 0, idleConnTimeout: 90_000, maxIdleConnsPerHost: 200 };
  return tls ? { ...base, tls: loadTransportTls(tls, 'serversTransport "t@file"') } : base;
}

const peer = (subjectaltname: string): PeerCertificate => ({ subjectaltname }) as PeerCertificate;

const sniCases: Array<{ name: string; tls?: TransportTlsConfig; host: string; servername: string }> = [
  { name: 'no transport TLS, DNS host: the URL host', host: 'backend.internal', servername: 'backend.internal' },
  { name: 'no transport TLS, IP host: no SNI', host: '127.0.0.1', servername: '' },
  { name: 'serverName wins over an IP host', tls: { serverName: 'app.internal' }, host: '127.0.0.1', servername: 'app.internal' },
  { name: 'serverName wins over a DNS host', tls: { serverName: 'app.internal' }, host: 'backend', servername: 'app.internal' },
  { name: 'an IP serverName is never sent as SNI', tls: { serverName: '10.0.0.1' }, host: 'backend', servername: '' },
];

for (const c of sniCases) {
  test(`tlsConnectOptions servername: ${c.name}`, (t) => {
    t.is(tlsConnectOptions(transport(c.tls), c.host).servername, c.servername);
  });
}

test('tlsConnectOptions: an IP serverName is still the name the certificate must match', (t) => {
  const options = tlsConnectOptions(transport({ serverName: '10.0.0.1' }), 'backend');
  t.truthy(options.checkServerIdentity?.('backend', peer('IP Address:10.0.0.2')));
  t.is(options.checkServerIdentity?.('backend', peer('IP Address:10.0.0.1')), undefined);
});

test('tlsConnectOptions: verification on by default, off with insecureSkipVerify', (t) => {
  t.true(tlsConnectOptions(transport(), 'h').rejectUnauthorized);
  t.true(tlsConnectOptions(transport({}), 'h').rejectUnauthorized);
  t.false(tlsConnectOptions(transport({ insecureSkipVerify: true }), 'h').rejectUnauthorized);
});

test('tlsConnectOptions: rootCAs replace the trust store, the first certificate is the client certificate', (t) => {
  const options = tlsConnectOptions(transport({ rootCAs: [ca.cert], certificates: [{ certFile: client.cert, keyFile: client.key }] }), 'h');
  t.deepEqual(options.ca, [ca.cert]);
  t.is(options.cert, client.cert);
  t.is(options.key, client.key);
  t.is(tlsConnectOptions(transport({}), 'h').ca, undefined);
});

test('tlsConnectOptions: peerCertURI with insecureSkipVerify checks the chain and the first URI SAN, not the host name', (t) => {
  const options = tlsConnectOptions(transport({ peerCertURI: 'spiffe://dc1/svc/web', insecureSkipVerify: true }), 'h');
  t.true(options.rejectUnauthorized);
  t.is(options.checkServerIdentity?.('h', peer('DNS:other, URI:SPIFFE://dc1/svc/web')), undefined);
  t.regex(options.checkServerIdentity?.('h', peer('URI:spiffe://dc1/svc/db, URI:spiffe://dc1/svc/web'))?.message ?? '', /spiffe:\/\/dc1\/svc\/db/);
});

test('tlsConnectOptions: peerCertURI without insecureSkipVerify checks the host name too', (t) => {
  const options = tlsConnectOptions(transport({ peerCertURI: 'spiffe://dc1/svc/web' }), 'h');
  t.is(options.checkServerIdentity?.('h', peer('DNS:h, URI:spiffe://dc1/svc/web')), undefined);
  t.truthy(options.checkServerIdentity?.('h', peer('DNS:other, URI:spiffe://dc1/svc/web')));
  t.truthy(options.checkServerIdentity?.('h', peer('DNS:h, URI:spiffe://dc1/svc/db')));
});

test('checkPeerCertUri: no URI SAN is a mismatch', (t) => {
  t.regex(checkPeerCertUri('spiffe://a', peer('DNS:a'))?.message ?? '', /no URI SAN/);
});

test('loadTransportTls: files and inline PEM give the same material', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-tls-unit-'));
  await writeFile(join(dir, 'ca.pem'), ca.cert);
  await writeFile(join(dir, 'c.pem'), client.cert);
  await writeFile(join(dir, 'k.pem'), client.key);
  const fromFiles = loadTransportTls({ rootCAs: [join(dir, 'ca.pem')], certificates: [{ certFile: join(dir, 'c.pem'), keyFile: join(dir, 'k.pem') }] }, 'x');
  const inline = loadTransportTls({ rootCAs: [ca.cert], certificates: [{ certFile: client.cert, keyFile: client.key }] }, 'x');
  t.deepEqual(fromFiles, inline);
  t.not(inline.fingerprint, loadTransportTls({ rootCAs: [ca.cert] }, 'x').fingerprint);
});

const loadErrors: Array<{ name: string; config: TransportTlsConfig; message: RegExp }> = [
  { name: 'a missing rootCAs file', config: { rootCAs: ['/nonexistent/ca.pem'] }, message: /^serversTransport "t@file": rootCAs\[0\]: cannot read the file "\/nonexistent\/ca\.pem"/ },
  { name: 'a missing keyFile', config: { certificates: [{ certFile: client.cert, keyFile: '/nonexistent/k.pem' }] }, message: /certificates\[0\]\.keyFile: cannot read the file "\/nonexistent\/k\.pem"/ },
  { name: 'a certificate without key', config: { certificates: [{ certFile: client.cert }] }, message: /needs both certFile and keyFile/ },
  { name: 'a key that does not match the certificate', config: { certificates: [{ certFile: client.cert, keyFile: ca.key }] }, message: /unusable TLS material/ },
  { name: 'a CA that does not parse', config: { rootCAs: ['-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n'] }, message: /rootCAs\[0\]: the inline PEM holds a certificate that cannot be parsed/ },
  { name: 'a CA file without certificate', config: { rootCAs: [new URL('../package.json', import.meta.url).pathname] }, message: /rootCAs\[0\]: the file ".*package\.json" holds no PEM certificate/ },
];

for (const c of loadErrors) {
  test(`loadTransportTls fails with a ConfigError naming the transport: ${c.name}`, (t) => {
    const err = t.throws(() => loadTransportTls(c.config, 'serversTransport "t@file"'), { instanceOf: ConfigError });
    t.regex(err!.message, c.message);
    t.true(err!.message.startsWith('serversTransport "t@file"'));
  });
}

const unsupported: Array<{ config: ServersTransportConfig; expect: RegExp[] }> = [
  { config: { rootCAs: ['x'], serverName: 'a', insecureSkipVerify: true, disableHTTP2: true, peerCertURI: 'u' }, expect: [] },
  { config: { forwardingTimeouts: { dialTimeout: '30s', idleConnTimeout: '90s', pingTimeout: '15s' } }, expect: [] },
  { config: { spiffe: {} }, expect: [/^spiffe is not supported yet/] },
  { config: { maxIdleConnsPerHost: 5 }, expect: [/^maxIdleConnsPerHost is not supported yet/] },
  { config: { forwardingTimeouts: { readIdleTimeout: '10s', pingTimeout: '5s' } }, expect: [/^forwardingTimeouts\.readIdleTimeout is not supported yet/, /^forwardingTimeouts\.pingTimeout is not supported yet/] },
  { config: { certificates: [{ certFile: 'a', keyFile: 'b' }, { certFile: 'c', keyFile: 'd' }] }, expect: [/only the first of certificates/] },
];

for (const [i, c] of unsupported.entries()) {
  test(`unsupportedTransportOptions #${i}: ${JSON.stringify(c.config)}`, (t) => {
    const messages = unsupportedTransportOptions(c.config);
    t.is(messages.length, c.expect.length, messages.join('; '));
    c.expect.forEach((re, j) => t.regex(messages[j]!, re));
  });
}

test('an inline private key is redacted from API output, the certificate is not', (t) => {
  const out = redact({ certificates: [{ certFile: client.cert, keyFile: client.key }] }) as { certificates: Array<{ certFile: string; keyFile: string }> };
  t.is(out.certificates[0]!.keyFile, REDACTED);
  t.is(out.certificates[0]!.certFile, client.cert);
});
