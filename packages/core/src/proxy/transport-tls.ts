import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { checkServerIdentity, createSecureContext, type ConnectionOptions, type PeerCertificate, type SecureVersion } from 'node:tls';
import { buildConnector } from 'undici';
import { ConfigError, errorMessage } from '../errors.js';
import type { TransportSettings } from './pool-registry.js';

/** The TLS settings of a servers transport, with every file already read (PEM text). */
export interface TransportTls {
  /** SNI and the name the server's certificate must match; unset: the host of the server URL. */
  readonly serverName?: string;
  readonly insecureSkipVerify: boolean;
  /** CA certificates that replace the default trust store (as Go's `RootCAs`); unset: Node's default store. */
  readonly ca?: readonly string[];
  /** Client certificate presented to servers that ask for one (mTLS). */
  readonly certificate?: { readonly cert: string; readonly key: string };
  /** When set, the first URI SAN of the server's certificate must equal it; the chain is checked even with `insecureSkipVerify`. */
  readonly peerCertURI?: string;
  /** Lowest and highest TLS versions offered to servers (`minVersion`/`maxVersion`, Go's `VersionTLS12` spellings). */
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
  /** A digest of every setting above: pools of a transport whose TLS material changes are replaced. */
  readonly fingerprint: string;
}

/** The TLS fields of a servers transport (dynamic `serversTransports.<n>` or static `serversTransport`). */
export interface TransportTlsConfig {
  serverName?: string;
  insecureSkipVerify?: boolean;
  rootCAs?: string[];
  certificates?: Array<{ certFile?: string; keyFile?: string }>;
  peerCertURI?: string;
  minVersion?: string;
  maxVersion?: string;
}

/** Go's TLS version names (Traefik's `minVersion`/`maxVersion`) → node:tls's. */
const TLS_VERSIONS: Readonly<Record<string, SecureVersion>> = { VersionTLS10: 'TLSv1', VersionTLS11: 'TLSv1.1', VersionTLS12: 'TLSv1.2', VersionTLS13: 'TLSv1.3' };
const VERSION_ORDER: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

function tlsVersion(value: string | undefined, where: string, key: string): SecureVersion | undefined {
  if (value === undefined || value === '') return undefined;
  const version = TLS_VERSIONS[value];
  if (!version) throw new ConfigError(`${where}: ${key}`, `${where}: ${key} "${value}" is not a TLS version (${Object.keys(TLS_VERSIONS).join(', ')})`);
  return version;
}

/**
 * Reads the TLS settings of a transport. `rootCAs` entries and `certFile`/`keyFile` are file paths
 * or inline PEM contents, as Traefik's `FileOrContent`. Throws a {@link ConfigError} whose message
 * starts with `where` (the transport) and names the file when a file cannot be read or its PEM is
 * not usable. Only the first of `certificates` is read (the caller reports the others).
 *
 * @example
 * loadTransportTls({ rootCAs: ['/etc/ssl/internal-ca.pem'], serverName: 'app.internal' }, 'serversTransport "internal@file"')
 */
export function loadTransportTls(config: TransportTlsConfig, where: string): TransportTls {
  const ca = config.rootCAs?.length ? config.rootCAs.map((entry, i) => readCertificates(entry, where, `rootCAs[${i}]`)) : undefined;
  const first = config.certificates?.[0];
  let certificate: TransportTls['certificate'];
  if (first) {
    if (!first.certFile || !first.keyFile) throw new ConfigError(`${where}: certificates[0]`, `${where}: certificates[0] needs both certFile and keyFile`);
    certificate = { cert: readPem(first.certFile, where, 'certificates[0].certFile'), key: readPem(first.keyFile, where, 'certificates[0].keyFile') };
  }
  try {
    // Parses every certificate and checks that the key matches, so a bad file fails the build, not each request.
    createSecureContext({ ...(ca ? { ca: [...ca] } : {}), ...(certificate ?? {}) });
  } catch (err) {
    throw new ConfigError(where, `${where}: unusable TLS material in rootCAs or certificates: ${errorMessage(err)}`, { cause: err });
  }
  const minVersion = tlsVersion(config.minVersion, where, 'minVersion');
  const maxVersion = tlsVersion(config.maxVersion, where, 'maxVersion');
  if (minVersion && maxVersion && VERSION_ORDER.indexOf(minVersion) > VERSION_ORDER.indexOf(maxVersion)) {
    throw new ConfigError(`${where}: minVersion`, `${where}: minVersion ${config.minVersion} is above maxVersion ${config.maxVersion}`);
  }
  const settings = {
    ...(minVersion ? { minVersion } : {}),
    ...(maxVersion ? { maxVersion } : {}),
    ...(config.serverName ? { serverName: config.serverName } : {}),
    insecureSkipVerify: config.insecureSkipVerify === true,
    ...(ca ? { ca } : {}),
    ...(certificate ? { certificate } : {}),
    ...(config.peerCertURI ? { peerCertURI: config.peerCertURI } : {}),
  };
  return { ...settings, fingerprint: createHash('sha256').update(JSON.stringify(settings)).digest('base64url').slice(0, 16) };
}

/**
 * `node:tls` connection options for a server of `transport` whose URL host is `hostname`, shared
 * by the pools and the WebSocket path. As in Traefik, SNI and the certificate check use the
 * transport's `serverName`, else the URL host, never the client's Host header; `servername` is ''
 * (no SNI) when that name is an IP address. The caller adds `host` and `port`.
 */
export function tlsConnectOptions(transport: TransportSettings, hostname: string): ConnectionOptions {
  const tls = transport.tls;
  const verifyName = tls?.serverName || hostname;
  const options: ConnectionOptions = { rejectUnauthorized: tls?.insecureSkipVerify !== true };
  // No IP address as SNI (RFC 6066; Node warns): '' sends none, and node:tls then checks the
  // certificate against `host`. '' rather than unset: node:https would take the Host header.
  options.servername = isIP(verifyName) === 0 ? verifyName : '';
  if (isIP(verifyName) !== 0 && verifyName !== hostname) options.checkServerIdentity = (_host, cert) => checkServerIdentity(verifyName, cert);
  if (!tls) return options;
  if (tls.minVersion) options.minVersion = tls.minVersion;
  if (tls.maxVersion) options.maxVersion = tls.maxVersion;
  if (tls.ca) options.ca = [...tls.ca];
  if (tls.certificate) {
    options.cert = tls.certificate.cert;
    options.key = tls.certificate.key;
  }
  if (tls.peerCertURI) {
    // Traefik's VerifyPeerCertificate runs even with insecureSkipVerify (Consul Connect sets both):
    // the chain is checked, then the URI SAN; the host name only without insecureSkipVerify.
    const uri = tls.peerCertURI;
    const checkName = tls.insecureSkipVerify ? undefined : (options.checkServerIdentity ?? checkServerIdentity);
    options.rejectUnauthorized = true;
    options.checkServerIdentity = (host, cert) => checkName?.(host, cert) ?? checkPeerCertUri(uri, cert);
  }
  return options;
}

/**
 * An undici connector with the transport's TLS options. undici passes each request's servername,
 * derived from its Host header; this connector drops it, so SNI and verification follow
 * {@link tlsConnectOptions} whatever Host the client sent. `onError` sees every failed connection.
 */
export function tlsConnector(transport: TransportSettings, hostname: string, timeoutMs: number, onError?: (err: Error & { code?: string }) => void): buildConnector.connector {
  const base = buildConnector({ ...tlsConnectOptions(transport, hostname), timeout: timeoutMs });
  return (connectOptions, callback) => {
    const { servername: _fromHost, ...rest } = connectOptions;
    base(rest, (err, socket) => {
      if (err) onError?.(err);
      callback(...((err ? [err, null] : [null, socket]) as Parameters<buildConnector.Callback>));
    });
  };
}

/** Traefik's `verifyServerCertMatchesURI`: the certificate's first URI SAN must equal `uri` (case-insensitive). */
export function checkPeerCertUri(uri: string, cert: PeerCertificate): Error | undefined {
  const first = (cert.subjectaltname ?? '')
    .split(', ')
    .find((name) => name.startsWith('URI:'))
    ?.slice(4);
  if (first === undefined) return Object.assign(new Error('peer certificate mismatch: the certificate has no URI SAN'), { code: 'ERR_TLS_PEER_CERT_URI' });
  if (first.toLowerCase() !== uri.toLowerCase()) return Object.assign(new Error(`peer certificate mismatch: URI SAN "${first}" is not "${uri}"`), { code: 'ERR_TLS_PEER_CERT_URI' });
  return undefined;
}

/** Reads PEM certificates; node:tls would skip unparsable ones silently, and trust nothing. */
function readCertificates(entry: string, where: string, field: string): string {
  const pem = readPem(entry, where, field);
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  const what = entry.includes('-----BEGIN') ? 'the inline PEM' : `the file "${entry}"`;
  if (blocks.length === 0) throw new ConfigError(`${where}: ${field}`, `${where}: ${field}: ${what} holds no PEM certificate`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new ConfigError(`${where}: ${field}`, `${where}: ${field}: ${what} holds a certificate that cannot be parsed: ${errorMessage(err)}`, { cause: err });
    }
  }
  return pem;
}

/** Traefik's `FileOrContent`: inline PEM as it is, anything else is a path. */
function readPem(entry: string, where: string, field: string): string {
  if (entry.includes('-----BEGIN')) return entry;
  try {
    return readFileSync(entry, 'utf8');
  } catch (err) {
    throw new ConfigError(`${where}: ${field}`, `${where}: ${field}: cannot read the file "${entry}": ${errorMessage(err)}`, { cause: err });
  }
}
