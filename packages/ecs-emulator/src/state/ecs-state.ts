import { awsErrors } from '../aws-error.js';
import { HostRegistry } from './hosts.js';
import { ArnFactory, epochSeconds, hexId, IpAllocator, resourceId } from './ids.js';
import { buildTask } from './task-builder.js';
import { TaskDefinitionRegistry, type RegisterTaskDefinitionInput } from './task-definition-registry.js';
import type {
  PerTask,
  RegisterContainerInstanceOptions,
  RunTaskOptions,
  TaskFilter,
  TaskReference,
  TaskUpdate,
} from './state-options.js';
import type { Cluster, ContainerInstance, HealthStatus, LaunchType, Task, TaskDefinition, TaskStatus } from './types.js';

interface ClusterRecord {
  cluster: Cluster;
  instances: Map<string, ContainerInstance>;
  tasks: Map<string, Task>;
  nextPlacement: number;
}

/** The emulated ECS control plane: clusters, task definitions, container instances and tasks. */
export class EcsState {
  /** Builds ARNs in this state's region and account. */
  readonly arns: ArnFactory;
  /** EC2 instances and SSM managed instances (what EC2 DescribeInstances and SSM report). */
  readonly hosts: HostRegistry;
  /** Task definition families and revisions. */
  readonly taskDefinitions: TaskDefinitionRegistry;
  readonly #clusters = new Map<string, ClusterRecord>();
  readonly #taskIps = new IpAllocator('10.0', 128);
  readonly #dynamicPorts = new Map<string, number>();

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {
    this.arns = new ArnFactory(region, accountId);
    this.hosts = new HostRegistry(region);
    this.taskDefinitions = new TaskDefinitionRegistry(this.arns);
  }

  /** Creates a cluster, or returns the existing one of that name (CreateCluster is idempotent). */
  createCluster(name = 'default'): Cluster {
    const existing = this.#clusters.get(name);
    if (existing !== undefined) return this.#withCounts(existing);
    const cluster: Cluster = {
      clusterArn: this.arns.cluster(name),
      clusterName: name,
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      statistics: [],
      tags: [],
      settings: [{ name: 'containerInsights', value: 'disabled' }],
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    };
    this.#clusters.set(name, { cluster, instances: new Map(), tasks: new Map(), nextPlacement: 0 });
    return cluster;
  }

  /** All clusters, in creation order. */
  clusters(): Cluster[] {
    return [...this.#clusters.values()].map((record) => this.#withCounts(record));
  }

  /** A cluster by name or ARN (default `default`), or undefined. */
  findCluster(reference = 'default'): Cluster | undefined {
    const record = this.#record(reference);
    return record === undefined ? undefined : this.#withCounts(record);
  }

  /** Registers a new revision of a task definition family (see {@link TaskDefinitionRegistry.register}). */
  registerTaskDefinition(input: RegisterTaskDefinitionInput): TaskDefinition {
    return this.taskDefinitions.register(input);
  }

  /** Registers a container instance backed by a new EC2 or managed instance. */
  registerContainerInstance(options: RegisterContainerInstanceOptions = {}): ContainerInstance {
    const record = this.#require(options.cluster);
    const external = options.kind === 'external' || options.instanceId?.startsWith('mi-') === true;
    const ec2InstanceId = external
      ? this.hosts.addManagedInstance({ ...options.managed, instanceId: options.instanceId, ipAddress: options.privateIp })
          .InstanceId
      : this.hosts.addEc2Instance({ ...options.ec2, instanceId: options.instanceId, privateIp: options.privateIp }).instanceId;
    const containerInstance: ContainerInstance = {
      containerInstanceArn: this.arns.containerInstance(record.cluster.clusterName, hexId(32)),
      ec2InstanceId,
      status: 'ACTIVE',
      agentConnected: true,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      version: 1,
      versionInfo: { agentVersion: '1.82.0', agentHash: hexId(8), dockerVersion: 'DockerVersion: 20.10.25' },
      registeredResources: [],
      remainingResources: [],
      attributes: [{ name: 'ecs.capability.task-eni' }],
      attachments: [],
      tags: [],
      registeredAt: epochSeconds(),
    };
    record.instances.set(containerInstance.containerInstanceArn, containerInstance);
    return containerInstance;
  }

  /** The container instances of a cluster, in registration order. */
  containerInstances(cluster?: string): ContainerInstance[] {
    const record = this.#require(cluster);
    return [...record.instances.values()].map((instance) => this.#instanceWithCounts(record, instance));
  }

  /** A container instance by ARN or id, or undefined. */
  findContainerInstance(cluster: string | undefined, reference: string): ContainerInstance | undefined {
    const record = this.#require(cluster);
    const id = resourceId(reference);
    const instance = [...record.instances.values()].find((ci) => resourceId(ci.containerInstanceArn) === id);
    return instance === undefined ? undefined : this.#instanceWithCounts(record, instance);
  }

  /** Starts `count` tasks of a definition and returns them as RunTask does. */
  runTask(options: RunTaskOptions): Task[] {
    const record = this.#require(options.cluster);
    const definition = this.taskDefinitions.describe(options.taskDefinition);
    const launchType = options.launchType ?? (definition.requiresCompatibilities.includes('FARGATE') ? 'FARGATE' : 'EC2');
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw awsErrors.invalidParameter('count must be a positive integer.');
    if (launchType === 'FARGATE' && definition.networkMode !== 'awsvpc') {
      throw awsErrors.invalidParameter('Task definition does not support launch_type FARGATE.');
    }
    const candidates = launchType === 'FARGATE' ? [] : this.#placementCandidates(record, launchType, options.containerInstance);
    const tasks: Task[] = [];
    for (let index = 0; index < count; index++) {
      const host = candidates.length === 0 ? undefined : candidates[record.nextPlacement++ % candidates.length];
      const ipv4 = pick(options.ip, index);
      const ipv6 = pick(options.ipv6, index);
      const task = buildTask({
        arns: this.arns,
        clusterName: record.cluster.clusterName,
        definition,
        index,
        launchType,
        group: options.group ?? `family:${definition.family}`,
        ...(options.startedBy === undefined ? {} : { startedBy: options.startedBy }),
        ...(host === undefined ? {} : { containerInstanceArn: host.containerInstanceArn }),
        ...(definition.networkMode === 'awsvpc'
          ? {
              eni: {
                ...(ipv4 === '' ? {} : { ipv4: ipv4 ?? this.#taskIps.next() }),
                ...(ipv6 === undefined ? {} : { ipv6 }),
                subnetId: options.subnetId ?? 'subnet-0123456789abcdef0',
              },
            }
          : {}),
        nextDynamicPort: () => this.#nextDynamicPort(host?.containerInstanceArn ?? ''),
        ...(options.hostPort === undefined ? {} : { hostPort: options.hostPort }),
        lastStatus: options.lastStatus ?? 'RUNNING',
        healthStatus: options.healthStatus ?? 'UNKNOWN',
        availabilityZone: `${this.region}a`,
      });
      record.tasks.set(task.taskArn, task);
      tasks.push(structuredClone(task));
    }
    return tasks;
  }

  /** Sets desiredStatus STOPPED; lastStatus becomes `lastStatus` (STOPPED unless draining is emulated). */
  stopTask(reference: TaskReference & { reason?: string; lastStatus?: TaskStatus }): Task {
    const task = this.#requireTask(reference);
    const now = epochSeconds();
    const lastStatus = reference.lastStatus ?? 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.stoppingAt ??= now;
    task.stopCode = 'UserInitiated';
    task.stoppedReason = reference.reason ?? 'Task stopped by user';
    this.#setLastStatus(task, lastStatus);
    return structuredClone(task);
  }

  /** Changes a task's lastStatus, desiredStatus and/or health (containers follow the task). */
  updateTask(update: TaskUpdate): Task {
    const task = this.#requireTask(update);
    if (update.lastStatus !== undefined) this.#setLastStatus(task, update.lastStatus);
    if (update.desiredStatus !== undefined) task.desiredStatus = update.desiredStatus;
    if (update.healthStatus !== undefined) {
      task.healthStatus = update.healthStatus;
      for (const container of task.containers) container.healthStatus = update.healthStatus;
    }
    task.version++;
    return structuredClone(task);
  }

  /** Shorthand for {@link EcsState.updateTask} with a health status only. */
  setTaskHealth(reference: TaskReference, healthStatus: HealthStatus): Task {
    return this.updateTask({ ...reference, healthStatus });
  }

  /** Copies of the tasks of a cluster that pass `filter`, in creation order (desiredStatus RUNNING by default, as ListTasks). */
  listTasks(cluster: string | undefined, filter: TaskFilter = {}): Task[] {
    const record = this.#require(cluster);
    const desired = filter.desiredStatus ?? 'RUNNING';
    const instanceId = filter.containerInstance === undefined ? undefined : resourceId(filter.containerInstance);
    return [...record.tasks.values()]
      .filter(
        (task) =>
          task.desiredStatus === desired &&
          (filter.launchType === undefined || task.launchType === filter.launchType) &&
          (filter.family === undefined || task.taskDefinitionArn.includes(`task-definition/${filter.family}:`)) &&
          (filter.startedBy === undefined || task.startedBy === filter.startedBy) &&
          (filter.serviceName === undefined || task.group === `service:${filter.serviceName}`) &&
          (instanceId === undefined || (task.containerInstanceArn !== undefined && resourceId(task.containerInstanceArn) === instanceId)),
      )
      .map((task) => structuredClone(task));
  }

  /** A copy of a task by ARN or id, or undefined. */
  findTask(cluster: string | undefined, reference: string): Task | undefined {
    const task = this.#findTask(cluster, reference);
    return task === undefined ? undefined : structuredClone(task);
  }

  /** Copies of every task of every cluster, whatever its status. */
  allTasks(): Task[] {
    return [...this.#clusters.values()].flatMap((record) => [...record.tasks.values()].map((t) => structuredClone(t)));
  }

  #findTask(cluster: string | undefined, reference: string): Task | undefined {
    const record = this.#require(cluster);
    const id = resourceId(reference);
    return record.tasks.get(reference) ?? [...record.tasks.values()].find((task) => resourceId(task.taskArn) === id);
  }

  #record(reference = 'default'): ClusterRecord | undefined {
    const name = reference.startsWith('arn:') ? resourceId(reference) : reference;
    const record = this.#clusters.get(name);
    return record !== undefined && (!reference.startsWith('arn:') || record.cluster.clusterArn === reference) ? record : undefined;
  }

  #require(reference?: string): ClusterRecord {
    const record = this.#record(reference);
    if (record === undefined) throw awsErrors.clusterNotFound();
    return record;
  }

  #requireTask(reference: TaskReference): Task {
    const task = this.#findTask(reference.cluster, reference.task);
    if (task === undefined) throw awsErrors.invalidParameter('The referenced task was not found.');
    return task;
  }

  #setLastStatus(task: Task, lastStatus: TaskStatus): void {
    task.lastStatus = lastStatus;
    for (const container of task.containers) container.lastStatus = lastStatus;
    const now = epochSeconds();
    if (lastStatus === 'RUNNING') task.startedAt ??= now;
    if (lastStatus === 'STOPPED') task.stoppedAt ??= now;
  }

  #placementCandidates(record: ClusterRecord, launchType: LaunchType, pinned: string | undefined): ContainerInstance[] {
    if (pinned !== undefined) {
      const instance = [...record.instances.values()].find(
        (ci) => resourceId(ci.containerInstanceArn) === resourceId(pinned) || ci.ec2InstanceId === pinned,
      );
      if (instance === undefined) throw awsErrors.invalidParameter('Container instance not found.');
      return [instance];
    }
    const wantExternal = launchType === 'EXTERNAL';
    const candidates = [...record.instances.values()].filter(
      (ci) => ci.status === 'ACTIVE' && ci.ec2InstanceId.startsWith('mi-') === wantExternal,
    );
    if (candidates.length === 0) throw awsErrors.invalidParameter('No Container Instances were found in your cluster.');
    return candidates;
  }

  // ECS hands out dynamic host ports from the ephemeral range, per container instance.
  #nextDynamicPort(containerInstanceArn: string): number {
    const port = this.#dynamicPorts.get(containerInstanceArn) ?? 32768;
    this.#dynamicPorts.set(containerInstanceArn, port + 1);
    return port;
  }

  #withCounts(record: ClusterRecord): Cluster {
    const tasks = [...record.tasks.values()];
    return {
      ...record.cluster,
      registeredContainerInstancesCount: record.instances.size,
      runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
      pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PENDING').length,
    };
  }

  #instanceWithCounts(record: ClusterRecord, instance: ContainerInstance): ContainerInstance {
    const tasks = [...record.tasks.values()].filter((t) => t.containerInstanceArn === instance.containerInstanceArn);
    return {
      ...instance,
      runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
      pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PENDING').length,
    };
  }
}

function pick<T>(value: PerTask<T> | undefined, index: number): T | undefined {
  return typeof value === 'function' ? (value as (index: number) => T)(index) : value;
}

