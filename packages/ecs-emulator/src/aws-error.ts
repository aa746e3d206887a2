/**
 * An error as an AWS service reports it: a code (the `__type` of the JSON protocols, the
 * `<Code>` of EC2's XML), an HTTP status and a message. State methods throw it too, so a
 * library caller and an SDK client see the same codes.
 */
export class AwsServiceError extends Error {
  override readonly name = 'AwsServiceError';

  /**
   * @param code - AWS error code, for example `ClusterNotFoundException`.
   * @param statusCode - HTTP status the service answers with.
   * @param message - human-readable message, worded like AWS's.
   */
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Builders for the errors the emulated services raise; wording follows the real services. */
export const awsErrors = {
  clusterNotFound: (): AwsServiceError => new AwsServiceError('ClusterNotFoundException', 400, 'Cluster not found.'),
  invalidParameter: (message: string): AwsServiceError =>
    new AwsServiceError('InvalidParameterException', 400, message),
  client: (message: string): AwsServiceError => new AwsServiceError('ClientException', 400, message),
  serialization: (message: string): AwsServiceError => new AwsServiceError('SerializationException', 400, message),
  unknownOperation: (): AwsServiceError => new AwsServiceError('UnknownOperationException', 400, ''),
} as const;

/** Which emulated API a request addresses; also the SigV4 service name. */
export type AwsService = 'ecs' | 'ec2' | 'ssm';

/** Why a request was refused before it reached an operation. */
export type AuthFailure =
  | 'missing'
  | 'unknown-key'
  | 'bad-signature'
  | 'bad-scope'
  | 'bad-token'
  | 'expired-token'
  | 'clock-skew'
  | 'denied';

const jsonAuthErrors: Record<AuthFailure, [code: string, status: number]> = {
  missing: ['MissingAuthenticationTokenException', 400],
  'unknown-key': ['UnrecognizedClientException', 400],
  'bad-token': ['UnrecognizedClientException', 400],
  'bad-signature': ['InvalidSignatureException', 400],
  'bad-scope': ['InvalidSignatureException', 400],
  'clock-skew': ['InvalidSignatureException', 400],
  'expired-token': ['ExpiredTokenException', 400],
  denied: ['AccessDeniedException', 400],
};

// EC2 reports authentication problems with its own codes (and 401/403), not the JSON services' ones.
const ec2AuthErrors: Record<AuthFailure, [code: string, status: number]> = {
  missing: ['MissingAuthenticationToken', 401],
  'unknown-key': ['AuthFailure', 401],
  'bad-token': ['AuthFailure', 401],
  'bad-signature': ['SignatureDoesNotMatch', 403],
  'bad-scope': ['SignatureDoesNotMatch', 403],
  'clock-skew': ['RequestExpired', 400],
  'expired-token': ['RequestExpired', 400],
  denied: ['UnauthorizedOperation', 403],
};

/** Translates an authentication failure into the error `service` would answer with. */
export function authError(service: AwsService, failure: AuthFailure, message: string): AwsServiceError {
  const [code, status] = (service === 'ec2' ? ec2AuthErrors : jsonAuthErrors)[failure];
  return new AwsServiceError(code, status, message);
}
