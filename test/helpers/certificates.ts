import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIPv4 } from 'node:net';

// A minimal X.509 v3 writer (DER by hand, ECDSA P-256 via node:crypto) so the TLS tests need
// neither the openssl CLI nor an npm package.

/** A certificate and its private key, both PEM. */
export interface Issued {
  readonly cert: string;
  readonly key: string;
  /** For issuing further certificates (CA only). */
  readonly signer: { readonly name: Buffer; readonly key: KeyObject; readonly keyId: Buffer };
}

export interface CertificateRequest {
  readonly commonName: string;
  /** `DNS:name`, `IP:127.0.0.1` or `URI:spiffe://…`. */
  readonly altNames?: readonly string[];
  readonly ca?: boolean;
  /** Signed by this CA; self-signed without it. */
  readonly issuer?: Issued;
}

/** Issues a certificate valid from one hour ago for one day. */
export function issueCertificate(request: CertificateRequest): Issued {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha1').update(spki).digest();
  const subject = name(request.commonName);
  const signer = request.issuer?.signer ?? { name: subject, key: privateKey, keyId };
  const extensions: Buffer[] = [extension('2.5.29.14', octets(keyId)), extension('2.5.29.35', seq(tlv(0x80, signer.keyId)))];
  if (request.ca) {
    extensions.push(extension('2.5.29.19', seq(tlv(0x01, Buffer.from([0xff]))), true));
    // digitalSignature, keyCertSign, cRLSign.
    extensions.push(extension('2.5.29.15', tlv(0x03, Buffer.from([0x01, 0x86])), true));
  }
  if (request.altNames?.length) extensions.push(extension('2.5.29.17', seq(...request.altNames.map(altName))));
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const now = Date.now();
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    ECDSA_SHA256,
    signer.name,
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    subject,
    spki,
    tlv(0xa3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, signer.key);
  const der = seq(tbs, ECDSA_SHA256, bitString(signature));
  const cert = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { cert, key, signer: { name: subject, key: privateKey, keyId } };
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

function seq(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function octets(content: Buffer): Buffer {
  return tlv(0x04, content);
}

function bitString(content: Buffer): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const bytes = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const base128: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      base128.unshift((v % 128) | (base128.length ? 0x80 : 0));
      if (v < 128) break;
    }
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function name(commonName: string): Buffer {
  return seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString();
  return tlv(0x17, Buffer.from(`${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`));
}

function extension(id: string, value: Buffer, critical = false): Buffer {
  return seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), octets(value));
}

function altName(entry: string): Buffer {
  const [kind, value = ''] = entry.split(/:(.*)/s);
  if (kind === 'DNS') return tlv(0x82, Buffer.from(value, 'ascii'));
  if (kind === 'URI') return tlv(0x86, Buffer.from(value, 'ascii'));
  if (kind === 'IP' && isIPv4(value)) return tlv(0x87, Buffer.from(value.split('.').map(Number)));
  throw new Error(`unsupported alt name ${entry}`);
}
