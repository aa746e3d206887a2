import { ArnFactory, epochSeconds, hexId, randomUUID } from './ids.js';
import type {
  Attachment,
  Container,
  ContainerDefinition,
  HealthStatus,
  LaunchType,
  NetworkBinding,
  NetworkInterface,
  Task,
  TaskDefinition,
  TaskStatus,
} from './types.js';

/** Chooses the host port of a bridge-mode mapping that has none (ECS's dynamic port). */
export type HostPortChooser = (context: { index: number; container: string; containerPort: number }) => number | undefined;

/** Everything needed to build one task; placement was decided by the caller. */
export interface TaskBlueprint {
  readonly arns: ArnFactory;
  readonly clusterName: string;
  readonly definition: TaskDefinition;
  readonly index: number;
  readonly launchType: LaunchType;
  readonly group: string;
  readonly startedBy?: string;
  readonly containerInstanceArn?: string;
  /** awsvpc only: the task's own ENI addresses. */
  readonly eni?: { readonly ipv4?: string; readonly ipv6?: string; readonly subnetId: string };
  /** bridge only: allocates the next dynamic port on the container instance. */
  readonly nextDynamicPort: () => number;
  readonly hostPort?: HostPortChooser;
  readonly lastStatus: TaskStatus;
  readonly healthStatus: HealthStatus;
  readonly availabilityZone: string;
}

function bindings(blueprint: TaskBlueprint, def: ContainerDefinition): NetworkBinding[] {
  const mode = blueprint.definition.networkMode;
  if (mode !== 'bridge' && mode !== 'host') return [];
  return (def.portMappings ?? []).flatMap((mapping) => {
    const containerPort = mapping.containerPort;
    if (containerPort === undefined) return [];
    const chosen = blueprint.hostPort?.({ index: blueprint.index, container: def.name, containerPort });
    const fixed = mapping.hostPort !== undefined && mapping.hostPort !== 0 ? mapping.hostPort : undefined;
    const hostPort = chosen ?? fixed ?? (mode === 'host' ? containerPort : blueprint.nextDynamicPort());
    return [{ bindIP: '0.0.0.0', containerPort, hostPort, protocol: mapping.protocol ?? 'tcp' }];
  });
}

function eniAttachment(eni: NonNullable<TaskBlueprint['eni']>, attachmentId: string): Attachment {
  const details = [
    { name: 'subnetId', value: eni.subnetId },
    { name: 'networkInterfaceId', value: `eni-${hexId(17)}` },
    { name: 'macAddress', value: Array.from({ length: 6 }, () => hexId(2)).join(':') },
  ];
  if (eni.ipv4 !== undefined) {
    details.push(
      { name: 'privateDnsName', value: `ip-${eni.ipv4.replace(/\./g, '-')}.ec2.internal` },
      { name: 'privateIPv4Address', value: eni.ipv4 },
    );
  }
  if (eni.ipv6 !== undefined) details.push({ name: 'ipv6Address', value: eni.ipv6 });
  return { id: attachmentId, type: 'ElasticNetworkInterface', status: 'ATTACHED', details };
}

/** Builds a task the way DescribeTasks reports it. */
export function buildTask(blueprint: TaskBlueprint): Task {
  const { arns, clusterName, definition } = blueprint;
  const taskId = hexId(32);
  const taskArn = arns.task(clusterName, taskId);
  const attachmentId = randomUUID();
  const now = epochSeconds();
  const networkInterfaces: NetworkInterface[] =
    blueprint.eni === undefined
      ? []
      : [
          {
            attachmentId,
            ...(blueprint.eni.ipv4 === undefined ? {} : { privateIpv4Address: blueprint.eni.ipv4 }),
            ...(blueprint.eni.ipv6 === undefined ? {} : { ipv6Address: blueprint.eni.ipv6 }),
          },
        ];
  const containers: Container[] = definition.containerDefinitions.map((def) => ({
    containerArn: arns.container(clusterName, taskId),
    taskArn,
    name: def.name,
    image: def.image,
    runtimeId: `${taskId}-${hexId(10)}`,
    lastStatus: blueprint.lastStatus,
    healthStatus: def.healthCheck === undefined ? 'UNKNOWN' : blueprint.healthStatus,
    networkBindings: bindings(blueprint, def),
    networkInterfaces: networkInterfaces.map((ni) => ({ ...ni })),
    ...(def.cpu === undefined ? {} : { cpu: String(def.cpu) }),
    ...(def.memory === undefined ? {} : { memory: String(def.memory) }),
  }));
  return {
    taskArn,
    clusterArn: arns.cluster(clusterName),
    taskDefinitionArn: definition.taskDefinitionArn,
    ...(blueprint.containerInstanceArn === undefined ? {} : { containerInstanceArn: blueprint.containerInstanceArn }),
    lastStatus: blueprint.lastStatus,
    desiredStatus: 'RUNNING',
    healthStatus: blueprint.healthStatus,
    launchType: blueprint.launchType,
    ...(blueprint.launchType === 'FARGATE' ? { platformVersion: '1.4.0' } : {}),
    group: blueprint.group,
    ...(blueprint.startedBy === undefined ? {} : { startedBy: blueprint.startedBy }),
    availabilityZone: blueprint.availabilityZone,
    connectivity: 'CONNECTED',
    containers,
    attachments: blueprint.eni === undefined ? [] : [eniAttachment(blueprint.eni, attachmentId)],
    overrides: { containerOverrides: definition.containerDefinitions.map((d) => ({ name: d.name })), inferenceAcceleratorOverrides: [] },
    tags: [],
    version: 1,
    createdAt: now,
    ...(blueprint.lastStatus === 'RUNNING' ? { startedAt: now } : {}),
    enableExecuteCommand: false,
    ...(definition.cpu === undefined ? {} : { cpu: definition.cpu }),
    ...(definition.memory === undefined ? {} : { memory: definition.memory }),
  };
}
