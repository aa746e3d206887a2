import type { AddEc2InstanceOptions, AddManagedInstanceOptions } from './hosts.js';
import type { HostPortChooser } from './task-builder.js';
import type { HealthStatus, LaunchType, Task, TaskStatus } from './types.js';

/** Options for {@link EcsState.registerContainerInstance}. */
export interface RegisterContainerInstanceOptions {
  readonly cluster?: string;
  /** `ec2` (an `i-…` EC2 instance, the default) or `external` (an `mi-…` ECS Anywhere instance). */
  readonly kind?: 'ec2' | 'external';
  readonly instanceId?: string;
  /** The EC2 private IP, or the SSM `IPAddress` of an external instance. */
  readonly privateIp?: string;
  readonly ec2?: Omit<AddEc2InstanceOptions, 'instanceId' | 'privateIp'>;
  readonly managed?: Omit<AddManagedInstanceOptions, 'instanceId' | 'ipAddress'>;
}

/** A value given once for every task, or computed from the task's index within the call. */
export type PerTask<T> = T | ((index: number) => T);

/** Options for {@link EcsState.runTask}. */
export interface RunTaskOptions {
  readonly cluster?: string;
  /** `family`, `family:revision` or a task-definition ARN. */
  readonly taskDefinition: string;
  readonly count?: number;
  /** Defaults to FARGATE for definitions that require it, otherwise EC2. */
  readonly launchType?: LaunchType;
  /** Defaults to `family:<family>`; ECS services use `service:<name>`. */
  readonly group?: string;
  readonly startedBy?: string;
  readonly subnetId?: string;
  /** Place every task on this container instance (ARN, id, or its `i-…`/`mi-…` instance id) instead of round-robin. */
  readonly containerInstance?: string;
  /** awsvpc: the task's private IPv4 (for example a 127.0.0.x loopback address); allocated when absent. */
  readonly ip?: PerTask<string>;
  /** awsvpc: an IPv6 address for the ENI. With `ip: ''` the task is IPv6-only. */
  readonly ipv6?: PerTask<string>;
  /** bridge/host: choose host ports; return undefined to let ECS assign one. */
  readonly hostPort?: HostPortChooser;
  /** Emulator shortcut: tasks start in this state (RUNNING by default, PENDING in real ECS). */
  readonly lastStatus?: TaskStatus;
  /** Health of the task and of its containers that declare a health check; UNKNOWN by default. */
  readonly healthStatus?: HealthStatus;
}

/** Identifies a task for updates. */
export interface TaskReference {
  readonly cluster?: string;
  /** Task ARN or id. */
  readonly task: string;
}

/** A change to a task's reported status; every field is optional. */
export interface TaskUpdate extends TaskReference {
  readonly lastStatus?: TaskStatus;
  readonly desiredStatus?: Task['desiredStatus'];
  readonly healthStatus?: HealthStatus;
}

/** Filters of ListTasks. */
export interface TaskFilter {
  readonly desiredStatus?: string;
  readonly launchType?: string;
  readonly family?: string;
  readonly startedBy?: string;
  readonly serviceName?: string;
  readonly containerInstance?: string;
}

