import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { authenticate, claimedIdentity } from './authenticate.js';
import { AwsServiceError, type AwsService } from './aws-error.js';
import { sdkAttempt, type RecordedCall } from './call-log.js';
import type { ContainerEndpoints } from './container-endpoints.js';
import type { CredentialStore } from './credential-store.js';
import type { FaultInjector } from './faults.js';
import { ec2ErrorXml, ec2ResponseXml, invalidAction, type QueryOperation } from './protocols/ec2-api.js';
import type { JsonOperation } from './protocols/ecs-api.js';
import type { SignedRequest } from './sigv4.js';

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** JSON target prefixes of the emulated services. */
export const TARGET_PREFIXES: Readonly<Record<string, AwsService>> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AmazonSSM: 'ssm',
};

/** Target prefix of the emulator's own, unauthenticated control operations. */
export const CONTROL_PREFIX = 'WharfEmulator';

/** Everything the dispatcher routes to. */
export interface DispatchTargets {
  readonly region: string;
  readonly store: CredentialStore;
  readonly faults: FaultInjector;
  readonly endpoints: ContainerEndpoints;
  readonly json: Readonly<Record<'ecs' | 'ssm', Readonly<Record<string, JsonOperation>>>>;
  readonly ec2: Readonly<Record<string, QueryOperation>>;
  readonly control: Readonly<Record<string, JsonOperation>>;
  readonly record: (call: RecordedCall) => void;
}

interface Reply {
  readonly statusCode: number;
  readonly contentType: string;
  readonly body: string;
  readonly errorCode?: string;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new AwsServiceError('RequestEntityTooLargeException', 413, 'Request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const jsonReply = (statusCode: number, body: unknown): Reply => ({
  statusCode,
  contentType: 'application/x-amz-json-1.1',
  body: JSON.stringify(body),
});

const jsonError = (error: AwsServiceError): Reply => ({
  ...jsonReply(error.statusCode, { __type: error.code, message: error.message }),
  errorCode: error.code,
});

const xmlError = (error: AwsServiceError, requestId: string): Reply => ({
  statusCode: error.statusCode,
  contentType: 'text/xml;charset=UTF-8',
  body: ec2ErrorXml(error, requestId),
  errorCode: error.code,
});

function asServiceError(error: unknown): AwsServiceError {
  if (error instanceof AwsServiceError) return error;
  return new AwsServiceError('InternalFailure', 500, error instanceof Error ? error.message : String(error));
}

/** Routes one HTTP request to the right protocol, records it and writes the answer. */
export async function dispatch(targets: DispatchTargets, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  let reply: Reply;
  try {
    const body = await readBody(req);
    reply = await route(targets, { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body }, requestId);
  } catch (error) {
    reply = jsonError(asServiceError(error));
  }
  res.writeHead(reply.statusCode, {
    'content-type': reply.contentType,
    'content-length': Buffer.byteLength(reply.body),
    'x-amzn-requestid': requestId,
    ...(reply.errorCode === undefined ? {} : { 'x-amzn-errortype': reply.errorCode }),
  });
  res.end(reply.body);
}

async function route(targets: DispatchTargets, request: SignedRequest, requestId: string): Promise<Reply> {
  const path = request.url.split('?')[0] ?? '/';
  if (request.method === 'GET') {
    const header = request.headers.authorization;
    const answer = targets.endpoints.handle(path, Array.isArray(header) ? header[0] : header);
    if (answer === undefined) return { ...jsonReply(404, { message: 'Not Found' }), contentType: 'application/json' };
    targets.record({
      time: new Date(),
      service: answer.service,
      operation: answer.operation,
      input: { path },
      statusCode: answer.statusCode,
      ...(answer.errorCode === undefined ? {} : { errorCode: answer.errorCode }),
    });
    return { statusCode: answer.statusCode, contentType: 'application/json', body: JSON.stringify(answer.body) };
  }
  if (request.method !== 'POST' || path !== '/') return jsonReply(404, { message: 'Not Found' });
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return routeJson(targets, request, target);
  const contentType = String(request.headers['content-type'] ?? '');
  if (contentType.startsWith('application/x-www-form-urlencoded')) return routeQuery(targets, request, requestId);
  return jsonError(new AwsServiceError('UnknownOperationException', 400, 'Missing X-Amz-Target and not an EC2 Query request.'));
}

function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsServiceError('SerializationException', 400, 'Start of structure or map found where not expected.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsServiceError('SerializationException', 400, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

async function routeJson(targets: DispatchTargets, request: SignedRequest, target: string): Promise<Reply> {
  const time = new Date();
  const dot = target.lastIndexOf('.');
  const prefix = target.slice(0, dot);
  const operation = target.slice(dot + 1);
  if (prefix === CONTROL_PREFIX) {
    try {
      const handler = targets.control[operation];
      if (handler === undefined) throw new AwsServiceError('UnknownOperationException', 400, `Unknown operation ${operation}`);
      return jsonReply(200, (await handler(parseJson(request.body))) ?? {});
    } catch (error) {
      return jsonError(asServiceError(error));
    }
  }
  const service = TARGET_PREFIXES[prefix];
  if (service === undefined) return jsonError(new AwsServiceError('UnknownOperationException', 400, ''));
  let input: unknown = undefined;
  const reply = await serve(targets, request, service, operation, jsonError, async () => {
    const parsed = parseJson(request.body);
    input = parsed;
    const handler = targets.json[service as 'ecs' | 'ssm'][operation];
    if (handler === undefined) throw new AwsServiceError('UnknownOperationException', 400, '');
    return jsonReply(200, await handler(parsed));
  });
  return finish(targets, request, { time, service, operation }, () => input, reply);
}

async function routeQuery(targets: DispatchTargets, request: SignedRequest, requestId: string): Promise<Reply> {
  const time = new Date();
  const params = new Map(new URLSearchParams(request.body.toString('utf8')));
  const action = params.get('Action') ?? '';
  const reply = await serve(targets, request, 'ec2', action, (error) => xmlError(error, requestId), async () => {
    const handler = targets.ec2[action];
    if (handler === undefined) throw invalidAction(action);
    return { statusCode: 200, contentType: 'text/xml;charset=UTF-8', body: ec2ResponseXml(action, handler(params), requestId) };
  });
  return finish(targets, request, { time, service: 'ec2', operation: action }, () => Object.fromEntries(params), reply);
}

interface ServedReply extends Reply {
  readonly fault?: RecordedCall['fault'];
}

async function serve(
  targets: DispatchTargets,
  request: SignedRequest,
  service: AwsService,
  operation: string,
  toError: (error: AwsServiceError) => Reply,
  run: () => Promise<Reply>,
): Promise<ServedReply> {
  const caller = authenticate(request, service, `${service}:${operation}`, targets.store, targets.region);
  if (caller instanceof AwsServiceError) return toError(caller);
  const decision = targets.faults.decide(service, operation);
  if (decision.delayMs > 0) await delay(decision.delayMs);
  if (decision.error !== undefined) return { ...toError(decision.error), ...(decision.kind ? { fault: decision.kind } : {}) };
  try {
    const reply = await run();
    return decision.delayMs > 0 ? { ...reply, fault: 'latency' } : reply;
  } catch (error) {
    return toError(asServiceError(error));
  }
}

function finish(
  targets: DispatchTargets,
  request: SignedRequest,
  call: { time: Date; service: AwsService; operation: string },
  input: () => unknown,
  reply: ServedReply,
): Reply {
  const identity = claimedIdentity(request);
  targets.record({
    ...call,
    ...identity,
    ...sdkAttempt(request.headers),
    input: input() ?? safeJson(request.body),
    statusCode: reply.statusCode,
    ...(reply.errorCode === undefined ? {} : { errorCode: reply.errorCode }),
    ...(reply.fault === undefined ? {} : { fault: reply.fault }),
  });
  return reply;
}

function safeJson(body: Buffer): unknown {
  try {
    return body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    return body.toString('utf8');
  }
}
