import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The parts of an `Authorization: AWS4-HMAC-SHA256 …` header. */
export interface SigV4Authorization {
  readonly accessKeyId: string;
  /** `yyyymmdd` from the credential scope. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** A request as the signer saw it: what a SigV4 canonical request is computed from. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query, as sent on the request line. */
  readonly url: string;
  /** Lower-case header names, as `node:http` delivers them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;

/** Parses an Authorization header; `undefined` when it is absent or not SigV4 with HMAC-SHA256. */
export function parseAuthorization(header: string | undefined): SigV4Authorization | undefined {
  const match = header === undefined ? null : AUTH_PATTERN.exec(header.trim());
  if (match === null) return undefined;
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match as unknown as string[];
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

// RFC 3986 unreserved characters stay; everything else is percent-encoded, as SigV4 requires.
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalUri(path: string): string {
  // Every service except S3 normalises the path and escapes the (already encoded) path once more.
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalised = `/${segments.join('/')}${path.endsWith('/') && segments.length > 0 ? '/' : ''}`;
  return uriEncode(normalised).replace(/%2F/g, '/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
      return [uriEncode(key), uriEncode(value)] as const;
    })
    .sort(([ka, va], [kb, vb]) => (ka === kb ? (va < vb ? -1 : 1) : ka < kb ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

/** The hex SHA-256 of the payload the signer committed to. */
export function payloadHash(request: SignedRequest): string {
  const declared = request.headers['x-amz-content-sha256'];
  return typeof declared === 'string' ? declared : sha256Hex(request.body);
}

/** The SigV4 canonical request for `request` over the headers `signedHeaders`. */
export function canonicalRequest(request: SignedRequest, signedHeaders: readonly string[]): string {
  const q = request.url.indexOf('?');
  const path = q < 0 ? request.url : request.url.slice(0, q);
  const query = q < 0 ? '' : request.url.slice(q + 1);
  const headers = signedHeaders.map((name) => `${name}:${headerValue(request.headers[name])}\n`).join('');
  return [
    request.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    headers,
    signedHeaders.join(';'),
    payloadHash(request),
  ].join('\n');
}

/** The hex signature of `request` made with `secretAccessKey` at `amzDate` (`yyyymmddThhmmssZ`). */
export function computeSignature(
  request: SignedRequest,
  auth: Omit<SigV4Authorization, 'signature' | 'accessKeyId'>,
  secretAccessKey: string,
  amzDate: string,
): string {
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest(request, auth.signedHeaders))].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, auth.date);
  key = hmac(key, auth.region);
  key = hmac(key, auth.service);
  key = hmac(key, 'aws4_request');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function signaturesMatch(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(actual, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** Parses `X-Amz-Date` (`20150830T123600Z`) into a Date; `undefined` if malformed. */
export function parseAmzDate(value: string | undefined): Date | undefined {
  const m = value === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}
