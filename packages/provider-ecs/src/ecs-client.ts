/**
 * The AWS side of discovery (spec/ecs-provider.md §2): only ecs:ListClusters, ecs:ListTasks,
 * ecs:DescribeTasks, ecs:DescribeContainerInstances, ecs:DescribeTaskDefinition,
 * ec2:DescribeInstances and (ECS Anywhere) ssm:DescribeInstanceInformation. Every list is paged
 * and every Describe call batched to AWS's limits; task definitions are cached by their ARN
 * because revisions are immutable (Traefik caches by task ARN, #13884).
 */
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeContainerInstancesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  paginateListClusters,
  paginateListTasks,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ProviderError } from '@wharf/core';
import type { EcsHost, EcsTask, EcsTaskDefinition } from './model.js';

/** How to reach AWS. */
export interface EcsClientSettings {
  readonly region: string;
  /** Overrides `AWS_ENDPOINT_URL*` for all three services. */
  readonly endpoint?: string;
  /** Static keys; absent → the SDK default chain (env, profile, web identity, task role, instance profile). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** SDK attempts per call, retries included (SDK default 3). */
  readonly maxAttempts?: number;
}

/** AWS's limit for DescribeTasks, DescribeContainerInstances and EC2 InstanceIds. */
const DESCRIBE_BATCH = 100;
/** SSM pages by at most 50; asking for 50 ids per call keeps each call to one page. */
const SSM_BATCH = 50;
const TASK_DEFINITION_CONCURRENCY = 8;
/** Unused cache entries are forgotten after this long (as Traefik's TTL). */
const CACHE_TTL_MS = 30 * 60_000;

/** Reads ECS, EC2 and SSM for the provider. One instance per provider; it owns the caches. */
export class EcsClient {
  private readonly ecs: ECSClient;
  private readonly ec2: EC2Client;
  private readonly ssm: SSMClient;
  private readonly definitions = new Map<string, { definition: EcsTaskDefinition; usedAt: number }>();

  constructor(settings: EcsClientSettings) {
    const config = {
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.credentials ? { credentials: settings.credentials } : {}),
      ...(settings.maxAttempts ? { maxAttempts: settings.maxAttempts } : {}),
    };
    this.ecs = new ECSClient(config);
    this.ec2 = new EC2Client(config);
    this.ssm = new SSMClient(config);
  }

  /** Every cluster ARN of the account and region (`autoDiscoverClusters`). */
  async listClusters(): Promise<string[]> {
    const arns: string[] = [];
    await guard('ecs:ListClusters', undefined, async () => {
      for await (const page of paginateListClusters({ client: this.ecs, pageSize: DESCRIBE_BATCH }, {})) arns.push(...(page.clusterArns ?? []));
    });
    return arns;
  }

  /** The RUNNING-desired tasks of `cluster`, with their definitions and hosts resolved. */
  async discoverCluster(cluster: string, options: { ecsAnywhere: boolean }): Promise<EcsTask[]> {
    const tasks: Task[] = [];
    await guard('ecs:ListTasks', cluster, async () => {
      for await (const page of paginateListTasks({ client: this.ecs, pageSize: DESCRIBE_BATCH }, { cluster, desiredStatus: 'RUNNING' })) {
        const arns = page.taskArns ?? [];
        if (arns.length === 0) continue;
        // ListTasks pages never exceed 100, the DescribeTasks limit.
        const described = await guard('ecs:DescribeTasks', cluster, () => this.ecs.send(new DescribeTasksCommand({ cluster, tasks: arns })));
        tasks.push(...(described.tasks ?? []));
      }
    });
    if (tasks.length === 0) return [];
    const [hosts, definitions] = await Promise.all([this.hosts(cluster, tasks, options.ecsAnywhere), this.taskDefinitions(tasks)]);
    const result: EcsTask[] = [];
    for (const task of tasks) {
      const definition = task.taskDefinitionArn ? definitions.get(task.taskDefinitionArn) : undefined;
      if (!task.taskArn || !definition) continue;
      const host = task.containerInstanceArn ? hosts.get(task.containerInstanceArn) : undefined;
      result.push(toEcsTask(cluster, task, definition, host));
    }
    return result;
  }

  /** Forgets task definitions no task has used for 30 minutes. */
  pruneCache(now = Date.now()): void {
    for (const [arn, entry] of this.definitions) if (now - entry.usedAt > CACHE_TTL_MS) this.definitions.delete(arn);
  }

  /** Cached task definitions (for tests and the benchmark). */
  get cachedDefinitions(): number {
    return this.definitions.size;
  }

  destroy(): void {
    this.ecs.destroy();
    this.ec2.destroy();
    this.ssm.destroy();
  }

  private async taskDefinitions(tasks: Task[]): Promise<Map<string, EcsTaskDefinition>> {
    const now = Date.now();
    const wanted = [...new Set(tasks.map((t) => t.taskDefinitionArn).filter((a): a is string => !!a))];
    const missing = wanted.filter((arn) => !this.definitions.has(arn));
    await forEachLimited(missing, TASK_DEFINITION_CONCURRENCY, async (arn) => {
      const out = await guard('ecs:DescribeTaskDefinition', arn, () => this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })));
      if (out.taskDefinition) this.definitions.set(arn, { definition: toDefinition(arn, out.taskDefinition), usedAt: now });
    });
    const result = new Map<string, EcsTaskDefinition>();
    for (const arn of wanted) {
      const entry = this.definitions.get(arn);
      if (!entry) continue;
      entry.usedAt = now;
      result.set(arn, entry.definition);
    }
    return result;
  }

  /** Container-instance ARN → host, through EC2 (and SSM for `mi-*` with ECS Anywhere). */
  private async hosts(cluster: string, tasks: Task[], ecsAnywhere: boolean): Promise<Map<string, EcsHost>> {
    const arns = [...new Set(tasks.map((t) => t.containerInstanceArn).filter((a): a is string => !!a))];
    const hosts = new Map<string, EcsHost>();
    if (arns.length === 0) return hosts;
    const instanceIds = new Map<string, string>();
    await Promise.all(
      chunks(arns, DESCRIBE_BATCH).map(async (chunk) => {
        const out = await guard('ecs:DescribeContainerInstances', cluster, () => this.ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: chunk })));
        for (const ci of out.containerInstances ?? []) if (ci.containerInstanceArn && ci.ec2InstanceId) instanceIds.set(ci.containerInstanceArn, ci.ec2InstanceId);
      }),
    );
    // `mi-*` ids are SSM managed instances; EC2 rejects them (Traefik #8839).
    const ec2Ids = [...new Set([...instanceIds.values()].filter((id) => !id.startsWith('mi-')))];
    const managedIds = [...new Set([...instanceIds.values()].filter((id) => id.startsWith('mi-')))];
    const byId = new Map<string, EcsHost>();
    await Promise.all(chunks(ec2Ids, DESCRIBE_BATCH).map((chunk) => this.describeEc2(chunk, byId)));
    if (ecsAnywhere) await Promise.all(chunks(managedIds, SSM_BATCH).map((chunk) => this.describeManaged(chunk, byId)));
    for (const [arn, id] of instanceIds) {
      const host = byId.get(id);
      if (host) hosts.set(arn, host);
    }
    return hosts;
  }

  private async describeEc2(ids: string[], into: Map<string, EcsHost>): Promise<void> {
    // No MaxResults: EC2 refuses it together with InstanceIds; NextToken is still followed.
    let nextToken: string | undefined;
    do {
      const out = await guard('ec2:DescribeInstances', undefined, () => this.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids, NextToken: nextToken })));
      for (const reservation of out.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          if (instance.InstanceId) into.set(instance.InstanceId, { kind: 'ec2', instanceId: instance.InstanceId, privateIp: instance.PrivateIpAddress ?? '', state: instance.State?.Name ?? '' });
        }
      }
      nextToken = out.NextToken;
    } while (nextToken);
  }

  private async describeManaged(ids: string[], into: Map<string, EcsHost>): Promise<void> {
    let nextToken: string | undefined;
    do {
      const out = await guard('ssm:DescribeInstanceInformation', undefined, () =>
        this.ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: ids }], MaxResults: SSM_BATCH, NextToken: nextToken })),
      );
      for (const info of out.InstanceInformationList ?? []) {
        if (info.InstanceId) into.set(info.InstanceId, { kind: 'external', instanceId: info.InstanceId, ip: info.IPAddress ?? '' });
      }
      nextToken = out.NextToken;
    } while (nextToken);
  }
}

function toDefinition(arn: string, definition: TaskDefinition): EcsTaskDefinition {
  return {
    arn,
    ...(definition.networkMode ? { networkMode: definition.networkMode } : {}),
    containerDefinitions: (definition.containerDefinitions ?? []).map((c) => ({
      name: c.name ?? '',
      dockerLabels: c.dockerLabels ?? {},
      portMappings: (c.portMappings ?? []).map((p) => ({ containerPort: p.containerPort, hostPort: p.hostPort, protocol: p.protocol })),
    })),
  };
}

function toEcsTask(cluster: string, task: Task, definition: EcsTaskDefinition, host: EcsHost | undefined): EcsTask {
  return {
    cluster,
    arn: task.taskArn!,
    group: task.group ?? '',
    lastStatus: task.lastStatus ?? '',
    ...(task.healthStatus ? { healthStatus: task.healthStatus } : {}),
    ...(task.launchType ? { launchType: task.launchType } : {}),
    hasAttachments: (task.attachments?.length ?? 0) > 0,
    containers: (task.containers ?? []).map((c) => ({
      name: c.name ?? '',
      networkInterfaces: (c.networkInterfaces ?? []).map((n) => ({ privateIpv4Address: n.privateIpv4Address, ipv6Address: n.ipv6Address })),
      networkBindings: (c.networkBindings ?? []).map((b) => ({ containerPort: b.containerPort, hostPort: b.hostPort, protocol: b.protocol })),
    })),
    definition,
    ...(host ? { host } : {}),
  };
}

/** Runs an AWS call and wraps its failure (after the SDK's own retries) in a ProviderError. */
async function guard<T>(action: string, subject: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    const name = (err as { name?: string }).name ?? 'Error';
    const code = name === 'ThrottlingException' || name === 'RequestLimitExceeded' ? 'ECS_THROTTLED' : 'ECS_API';
    throw new ProviderError('ecs', `${action}${subject ? ` (${subject})` : ''} failed: ${name}: ${(err as Error).message}`, { cause: err, code, transient: true });
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
