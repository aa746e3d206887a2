import { authError, type AwsService, type AwsServiceError } from './aws-error.js';
import { isActionAllowed, type CredentialStore, type EmulatorCredentials } from './credential-store.js';
import {
  computeSignature,
  parseAmzDate,
  parseAuthorization,
  signaturesMatch,
  type SigV4Authorization,
  type SignedRequest,
} from './sigv4.js';

/** Who signed a request, once the signature checked out. */
export interface Caller {
  readonly credentials: EmulatorCredentials;
  readonly auth: SigV4Authorization;
}

/** What a request claimed, whether or not it verified; recorded with every call. */
export interface ClaimedIdentity {
  readonly accessKeyId?: string;
  readonly region?: string;
  readonly sessionToken?: string;
}

// AWS refuses requests signed more than 15 minutes away from its clock.
const MAX_SKEW_MS = 15 * 60 * 1000;

/** Reads the identity a request claims, without verifying it. */
export function claimedIdentity(request: SignedRequest): ClaimedIdentity {
  const auth = parseAuthorization(single(request.headers.authorization));
  const token = single(request.headers['x-amz-security-token']);
  return {
    ...(auth === undefined ? {} : { accessKeyId: auth.accessKeyId, region: auth.region }),
    ...(token === undefined ? {} : { sessionToken: token }),
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies the SigV4 signature, the credential scope (service and region), the session token and
 * the allow list for `action`. Returns the caller, or the error the real service would answer with.
 */
export function authenticate(
  request: SignedRequest,
  service: AwsService,
  action: string,
  store: CredentialStore,
  region: string,
  now: Date = new Date(),
): Caller | AwsServiceError {
  const header = single(request.headers.authorization);
  if (header === undefined) return authError(service, 'missing', 'Missing Authentication Token');
  const auth = parseAuthorization(header);
  if (auth === undefined) {
    return authError(service, 'bad-signature', `Authorization header requires AWS4-HMAC-SHA256 fields: ${header}`);
  }
  const credentials = store.get(auth.accessKeyId);
  if (credentials === undefined) {
    return authError(service, 'unknown-key', 'The security token included in the request is invalid.');
  }
  if (auth.service !== service) {
    return authError(service, 'bad-scope', `Credential should be scoped to correct service: '${service}'.`);
  }
  if (auth.region !== region) {
    return authError(service, 'bad-scope', `Credential should be scoped to a valid region, not '${auth.region}'.`);
  }
  const amzDateHeader = single(request.headers['x-amz-date']);
  const signedAt = parseAmzDate(amzDateHeader);
  if (signedAt === undefined || amzDateHeader === undefined || !amzDateHeader.startsWith(auth.date)) {
    return authError(service, 'bad-signature', 'X-Amz-Date is missing or does not match the credential scope date.');
  }
  if (!auth.signedHeaders.includes('host')) {
    return authError(service, 'bad-signature', "'Host' must be a signed header.");
  }
  const expected = computeSignature(request, auth, credentials.secretAccessKey, amzDateHeader);
  if (!signaturesMatch(expected, auth.signature)) {
    return authError(
      service,
      'bad-signature',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
    return authError(service, 'clock-skew', `Signature expired: ${amzDateHeader} is now earlier or later than the allowed window.`);
  }
  const token = single(request.headers['x-amz-security-token']);
  if (credentials.sessionToken !== token) {
    return authError(service, 'bad-token', 'The security token included in the request is invalid.');
  }
  if (token !== undefined && !auth.signedHeaders.includes('x-amz-security-token')) {
    return authError(service, 'bad-signature', "'X-Amz-Security-Token' must be a signed header.");
  }
  if (credentials.expiresAt !== undefined && credentials.expiresAt.getTime() <= now.getTime()) {
    return authError(service, 'expired-token', 'The security token included in the request is expired');
  }
  if (!isActionAllowed(credentials.allow, action)) {
    const principal = credentials.principalArn ?? `arn:aws:iam::000000000000:user/${credentials.accessKeyId}`;
    return authError(
      service,
      'denied',
      `User: ${principal} is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`,
    );
  }
  return { credentials, auth };
}
