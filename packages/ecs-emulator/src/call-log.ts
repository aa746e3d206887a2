import type { AwsService } from './aws-error.js';
import type { FaultKind } from './faults.js';

/** Which endpoint a recorded call reached. */
export type RecordedService = AwsService | 'container-credentials' | 'task-metadata';

/** One request the emulator answered (every SDK attempt is its own call, retries included). */
export interface RecordedCall {
  readonly time: Date;
  readonly service: RecordedService;
  /** ECS/SSM target operation, EC2 `Action`, or `GetCredentials` / `GetTaskMetadata` / `GetContainerMetadata`. */
  readonly operation: string;
  /** From the SigV4 credential scope, recorded even when the request was refused. */
  readonly accessKeyId?: string;
  readonly region?: string;
  readonly sessionToken?: string;
  /** The SDK attempt number, from `amz-sdk-request: attempt=N; max=M`. */
  readonly attempt?: number;
  /** The SDK's `amz-sdk-invocation-id`: equal across the retries of one command. */
  readonly invocationId?: string;
  /** Decoded JSON body, or the EC2 query parameters as an object. */
  readonly input: unknown;
  readonly statusCode: number;
  readonly errorCode?: string;
  /** Set when an injected fault shaped the answer. */
  readonly fault?: FaultKind;
}

/** Reads the SDK's attempt counter and invocation id from the request headers. */
export function sdkAttempt(headers: Readonly<Record<string, string | string[] | undefined>>): {
  attempt?: number;
  invocationId?: string;
} {
  const request = headers['amz-sdk-request'];
  const invocation = headers['amz-sdk-invocation-id'];
  const match = typeof request === 'string' ? /attempt=(\d+)/.exec(request) : null;
  return {
    ...(match === null ? {} : { attempt: Number(match[1]) }),
    ...(typeof invocation === 'string' ? { invocationId: invocation } : {}),
  };
}
