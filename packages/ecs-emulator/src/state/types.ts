/**
 * The resources the emulator stores, in the exact JSON shapes the ECS, EC2 and SSM APIs return
 * (lowerCamelCase for ECS, as on the wire). Timestamps are epoch seconds, as AWS JSON 1.1 sends them.
 */

/** `RUNNING`, `PENDING`, `STOPPED`, … as ECS reports task and container states. */
export type TaskStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED'
  | 'DELETED';

export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
export type LaunchType = 'EC2' | 'FARGATE' | 'EXTERNAL';
export type NetworkMode = 'bridge' | 'host' | 'awsvpc' | 'none';
/** EC2 instance state names; the code of each is in `EC2_STATE_CODES`. */
export type Ec2InstanceState = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export const EC2_STATE_CODES: Readonly<Record<Ec2InstanceState, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface KeyValuePair {
  name: string;
  value: string;
}

export interface Cluster {
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE';
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
  statistics: KeyValuePair[];
  tags: { key: string; value: string }[];
  settings: KeyValuePair[];
  capacityProviders: string[];
  defaultCapacityProviderStrategy: unknown[];
}

export interface PortMapping {
  containerPort?: number;
  hostPort?: number;
  protocol?: 'tcp' | 'udp';
  name?: string;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  cpu?: number;
  memory?: number;
  essential?: boolean;
  portMappings?: PortMapping[];
  dockerLabels?: Record<string, string>;
  environment?: KeyValuePair[];
  healthCheck?: { command: string[]; interval?: number; timeout?: number; retries?: number; startPeriod?: number };
  [extra: string]: unknown;
}

export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  networkMode: NetworkMode;
  containerDefinitions: ContainerDefinition[];
  requiresCompatibilities: LaunchType[];
  compatibilities: LaunchType[];
  requiresAttributes: { name: string }[];
  placementConstraints: unknown[];
  volumes: unknown[];
  taskRoleArn?: string;
  executionRoleArn?: string;
  cpu?: string;
  memory?: string;
  registeredAt: number;
}

export interface NetworkBinding {
  bindIP: string;
  containerPort: number;
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

export interface NetworkInterface {
  attachmentId: string;
  privateIpv4Address?: string;
  ipv6Address?: string;
}

export interface Container {
  containerArn: string;
  taskArn: string;
  name: string;
  image: string;
  runtimeId: string;
  lastStatus: TaskStatus;
  healthStatus: HealthStatus;
  networkBindings: NetworkBinding[];
  networkInterfaces: NetworkInterface[];
  cpu?: string;
  memory?: string;
}

export interface Attachment {
  id: string;
  type: 'ElasticNetworkInterface';
  status: 'PRECREATED' | 'ATTACHING' | 'ATTACHED' | 'DETACHING' | 'DETACHED' | 'DELETED';
  details: KeyValuePair[];
}

export interface Task {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  containerInstanceArn?: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED' | 'PENDING';
  healthStatus: HealthStatus;
  launchType: LaunchType;
  platformVersion?: string;
  group: string;
  startedBy?: string;
  availabilityZone: string;
  connectivity: 'CONNECTED' | 'DISCONNECTED';
  containers: Container[];
  attachments: Attachment[];
  overrides: { containerOverrides: { name: string }[]; inferenceAcceleratorOverrides: unknown[] };
  tags: { key: string; value: string }[];
  version: number;
  createdAt: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  enableExecuteCommand: boolean;
  cpu?: string;
  memory?: string;
}

export interface ContainerInstance {
  containerInstanceArn: string;
  ec2InstanceId: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  agentConnected: boolean;
  runningTasksCount: number;
  pendingTasksCount: number;
  version: number;
  versionInfo: { agentVersion: string; agentHash: string; dockerVersion: string };
  registeredResources: unknown[];
  remainingResources: unknown[];
  attributes: { name: string; value?: string }[];
  attachments: unknown[];
  tags: { key: string; value: string }[];
  registeredAt: number;
}

/** An EC2 instance (`i-…`) as DescribeInstances reports it. */
export interface Ec2Instance {
  instanceId: string;
  privateIpAddress: string;
  state: Ec2InstanceState;
  availabilityZone: string;
  instanceType: string;
  launchTime: Date;
}

/** An SSM managed instance (`mi-…`, ECS Anywhere) as DescribeInstanceInformation reports it. */
export interface ManagedInstance {
  InstanceId: string;
  IPAddress: string;
  PingStatus: 'Online' | 'ConnectionLost' | 'Inactive';
  ComputerName: string;
  registeredAt: Date;
}
