import { randomUUID } from 'node:crypto';
import type { CredentialStore, EmulatorCredentials } from './credential-store.js';
import type { EcsState } from './state/ecs-state.js';
import { resourceId } from './state/ids.js';
import type { Container, Task } from './state/types.js';

/** Options for {@link ContainerEndpoints.addTaskRole}. */
export interface TaskRoleOptions {
  /** Defaults to `arn:aws:iam::<account>:role/wharf-task-role`. */
  readonly roleArn?: string;
  /** Allow list for the issued credentials (see `EmulatorCredentials.allow`). */
  readonly allow?: readonly string[];
  /** Lifetime of each issued key pair; a new pair is issued once one expires. 6 hours by default. */
  readonly ttlMs?: number;
  /** When set, requests must send it as `Authorization` (`AWS_CONTAINER_AUTHORIZATION_TOKEN`). */
  readonly authorizationToken?: string;
}

/** A task role served by the container-credentials endpoint. */
export interface TaskRole {
  readonly id: string;
  readonly roleArn: string;
  /** Value for `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (resolved against 169.254.170.2 by SDKs). */
  readonly relativeUri: string;
  /** Value for `AWS_CONTAINER_CREDENTIALS_FULL_URI`: the same path on the emulator. */
  readonly fullUri: string;
  /** The key pair currently handed out; rotates after expiry. */
  readonly credentials: EmulatorCredentials;
}

/** Identifies the task (and container) a metadata endpoint describes. */
export interface TaskMetadataOptions {
  readonly cluster?: string;
  readonly task: string;
  /** Container the endpoint belongs to; the task's first container by default. */
  readonly container?: string;
}

/** An answer of one of the container endpoints. */
export interface EndpointAnswer {
  readonly statusCode: number;
  readonly body: unknown;
  readonly service: 'container-credentials' | 'task-metadata';
  readonly operation: string;
  readonly errorCode?: string;
}

interface RoleRecord {
  role: Omit<TaskRole, 'credentials'>;
  options: TaskRoleOptions;
  credentials: EmulatorCredentials;
}

const iso = (seconds: number | undefined): string | undefined =>
  seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();

/** The ECS agent's local endpoints: task-role credentials (`/v2/credentials/…`) and task metadata v4 (`/v4/…`). */
export class ContainerEndpoints {
  readonly #roles = new Map<string, RoleRecord>();
  readonly #metadata = new Map<string, TaskMetadataOptions>();

  constructor(
    private readonly store: CredentialStore,
    private readonly state: EcsState,
    private readonly baseUrl: () => string,
  ) {}

  /** Issues temporary credentials for a role and serves them at `/v2/credentials/<id>`. */
  addTaskRole(options: TaskRoleOptions = {}): TaskRole {
    const id = randomUUID();
    const roleArn = options.roleArn ?? `arn:aws:iam::${this.state.accountId}:role/wharf-task-role`;
    const relativeUri = `/v2/credentials/${id}`;
    const record: RoleRecord = {
      role: { id, roleArn, relativeUri, fullUri: `${this.baseUrl()}${relativeUri}` },
      options,
      credentials: this.#issue(roleArn, options),
    };
    this.#roles.set(id, record);
    return { ...record.role, credentials: record.credentials };
  }

  /** Registers a metadata endpoint for a task; returns the value of `ECS_CONTAINER_METADATA_URI_V4`. */
  addTaskMetadata(options: TaskMetadataOptions): { id: string; uri: string } {
    if (this.state.findTask(options.cluster, options.task) === undefined) {
      throw new RangeError(`Unknown task ${options.task}`);
    }
    const id = `${resourceId(options.task)}-${randomUUID().slice(0, 8)}`;
    this.#metadata.set(id, options);
    return { id, uri: `${this.baseUrl()}/v4/${id}` };
  }

  /** Answers a GET on one of these endpoints, or undefined if `path` is not one of them. */
  handle(path: string, authorization: string | undefined): EndpointAnswer | undefined {
    const credentials = /^\/v2\/credentials\/([^/?]+)$/.exec(path);
    if (credentials !== null) return this.#credentials(credentials[1] ?? '', authorization);
    const metadata = /^\/v4\/([^/?]+)(\/task|\/taskWithTags)?$/.exec(path);
    if (metadata !== null) return this.#taskMetadata(metadata[1] ?? '', metadata[2] !== undefined);
    return undefined;
  }

  #issue(roleArn: string, options: TaskRoleOptions): EmulatorCredentials {
    return this.store.issue({
      temporary: true,
      ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
      ...(options.allow === undefined ? {} : { allow: options.allow }),
      principalArn: roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/ecs-task',
    });
  }

  #credentials(id: string, authorization: string | undefined): EndpointAnswer {
    const service = 'container-credentials';
    const operation = 'GetCredentials';
    const record = this.#roles.get(id);
    if (record === undefined) {
      const body = { code: 'InvalidIdInRequest', message: 'CredentialsV2Request: Credentials not found' };
      return { statusCode: 400, service, operation, errorCode: body.code, body };
    }
    if (record.options.authorizationToken !== undefined && authorization !== record.options.authorizationToken) {
      const body = { code: 'Unauthorized', message: 'Invalid authorization token' };
      return { statusCode: 401, service, operation, errorCode: body.code, body };
    }
    const expiresAt = record.credentials.expiresAt;
    if (expiresAt !== undefined && expiresAt.getTime() <= Date.now()) {
      record.credentials = this.#issue(record.role.roleArn, record.options);
    }
    const current = record.credentials;
    return {
      statusCode: 200,
      service,
      operation,
      body: {
        RoleArn: record.role.roleArn,
        AccessKeyId: current.accessKeyId,
        SecretAccessKey: current.secretAccessKey,
        Token: current.sessionToken,
        Expiration: current.expiresAt?.toISOString(),
      },
    };
  }

  #taskMetadata(id: string, wholeTask: boolean): EndpointAnswer {
    const service = 'task-metadata';
    const operation = wholeTask ? 'GetTaskMetadata' : 'GetContainerMetadata';
    const options = this.#metadata.get(id);
    const task = options === undefined ? undefined : this.state.findTask(options.cluster, options.task);
    if (options === undefined || task === undefined) {
      return { statusCode: 404, service, operation, errorCode: 'NotFound', body: { message: 'Unable to find task metadata' } };
    }
    const definition = this.state.taskDefinitions.find(task.taskDefinitionArn);
    const containers = task.containers.map((c) => {
      const labels = definition?.containerDefinitions.find((d) => d.name === c.name)?.dockerLabels;
      return containerMetadata(task, c, labels, definition?.networkMode);
    });
    if (!wholeTask) {
      const own = containers.find((c) => c.Name === (options.container ?? task.containers[0]?.name)) ?? containers[0];
      return { statusCode: 200, service, operation, body: own };
    }
    return {
      statusCode: 200,
      service,
      operation,
      body: {
        Cluster: task.clusterArn,
        TaskARN: task.taskArn,
        Family: definition?.family,
        Revision: String(definition?.revision ?? ''),
        DesiredStatus: task.desiredStatus,
        KnownStatus: task.lastStatus,
        Limits: { CPU: Number(task.cpu ?? 256) / 1024, Memory: Number(task.memory ?? 512) },
        PullStartedAt: iso(task.createdAt),
        PullStoppedAt: iso(task.startedAt),
        AvailabilityZone: task.availabilityZone,
        LaunchType: task.launchType,
        Containers: containers,
        ...(task.containerInstanceArn === undefined ? {} : { ContainerInstanceARN: task.containerInstanceArn }),
      },
    };
  }
}

function containerMetadata(
  task: Task,
  container: Container,
  labels: Record<string, string> | undefined,
  networkMode: string | undefined,
): Record<string, unknown> & { Name: string } {
  const family = task.taskDefinitionArn.slice(task.taskDefinitionArn.indexOf('task-definition/') + 16);
  const [familyName = '', revision = ''] = family.split(':');
  const ipv4 = container.networkInterfaces.flatMap((ni) => (ni.privateIpv4Address === undefined ? [] : [ni.privateIpv4Address]));
  return {
    DockerId: container.runtimeId,
    Name: container.name,
    DockerName: `ecs-${familyName}-${revision}-${container.name}`,
    Image: container.image,
    Labels: {
      ...labels,
      'com.amazonaws.ecs.cluster': task.clusterArn,
      'com.amazonaws.ecs.container-name': container.name,
      'com.amazonaws.ecs.task-arn': task.taskArn,
      'com.amazonaws.ecs.task-definition-family': familyName,
      'com.amazonaws.ecs.task-definition-version': revision,
    },
    DesiredStatus: task.desiredStatus,
    KnownStatus: container.lastStatus,
    Type: 'NORMAL',
    ContainerARN: container.containerArn,
    Networks: [{ NetworkMode: networkMode ?? 'awsvpc', IPv4Addresses: ipv4 }],
    ...(container.healthStatus === 'UNKNOWN' ? {} : { Health: { status: container.healthStatus } }),
  };
}
