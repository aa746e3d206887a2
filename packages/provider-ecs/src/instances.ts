/**
 * Task containers → routable instances, with Traefik's filters (spec/ecs-provider.md §3, §5).
 * Deliberate deviations (docs/ecs-provider.md): health and the task's lastStatus are checked on
 * every network path, not only on awsvpc.
 */
import { parseLabelBool, readProviderOptions } from '@wharf/core';
import type { LabelConstraint } from './constraints.js';
import type { EcsInstance, EcsPortMapping, EcsTask, EcsTaskContainer } from './model.js';
import { instanceId, instanceName, normalizeName } from './naming.js';

/** Settings of {@link selectInstances}. */
export interface InstanceFilter {
  readonly exposedByDefault: boolean;
  readonly healthyTasksOnly: boolean;
  readonly constraint: LabelConstraint;
  readonly labelPrefix: string;
}

/** Why a container got no routes; `warn` for what a user must fix, `debug` for expected cases. */
export interface SkippedContainer {
  readonly taskArn: string;
  readonly container: string;
  readonly reason: string;
  readonly level: 'debug' | 'warn';
}

/** `<prefix>.enable` and `<prefix>.ecs.*`, read as Traefik does (§3.3); errors skip the container. */
export function readEnable(labels: Readonly<Record<string, string>>, prefix: string): { enable?: boolean; error?: string } {
  for (const key of Object.keys(labels)) {
    const lower = key.toLowerCase();
    const relevant = lower === `${prefix}.enable` || lower.startsWith(`${prefix}.ecs.`);
    if (relevant && !key.startsWith(`${prefix}.`)) return { error: `label ${key}: the root must be "${prefix}" in lower case` };
  }
  const { options, errors } = readProviderOptions(labels, { prefix });
  if (errors.length > 0) return { error: errors[0] };
  for (const [path, value] of Object.entries(options.others)) {
    if (!path.startsWith('ecs.')) continue;
    if (path !== 'ecs.anywhere') return { error: `label ${prefix}.${path}: field not found` };
    if (!parseLabelBool(value.trim()).ok) return { error: `label ${prefix}.${path}=${JSON.stringify(value)}: not a boolean` };
  }
  return options.enable === undefined ? {} : { enable: options.enable };
}

/** The containers of `tasks` that get routes, and why the others do not. */
export function selectInstances(tasks: readonly EcsTask[], filter: InstanceFilter): { instances: EcsInstance[]; skipped: SkippedContainer[] } {
  const instances: EcsInstance[] = [];
  const skipped: SkippedContainer[] = [];
  for (const task of tasks) {
    for (const container of task.containers) {
      const result = instanceOf(task, container, filter);
      if (typeof result === 'string') skipped.push({ taskArn: task.arn, container: container.name, reason: result, level: 'debug' });
      else if ('warn' in result) skipped.push({ taskArn: task.arn, container: container.name, reason: result.warn, level: 'warn' });
      else instances.push(result);
    }
  }
  return { instances, skipped };
}

function instanceOf(task: EcsTask, container: EcsTaskContainer, filter: InstanceFilter): EcsInstance | string | { warn: string } {
  if (filter.healthyTasksOnly && task.healthStatus !== 'HEALTHY') return `task health is ${task.healthStatus ?? 'UNKNOWN'}, not HEALTHY (healthyTasksOnly)`;
  const definition = task.definition.containerDefinitions.find((d) => d.name === container.name);
  if (!definition) return `no container definition named ${container.name} in ${task.definition.arn}`;
  const labels = definition.dockerLabels ?? {};
  const where = addressOf(task, container, definition.portMappings ?? []);
  if ('warn' in where) return where;
  const { enable, error } = readEnable(labels, filter.labelPrefix);
  if (error !== undefined) return { warn: error };
  if (task.lastStatus.toUpperCase() !== 'RUNNING') return `task is ${task.lastStatus}, not RUNNING`;
  if (where.hostState !== undefined && where.hostState !== 'running') return `its EC2 instance is ${where.hostState}`;
  if (task.healthStatus === 'UNHEALTHY') return 'task is UNHEALTHY';
  if (where.ip === '') return 'no IP address';
  if (!(enable ?? filter.exposedByDefault)) return `not exposed (${filter.labelPrefix}.enable)`;
  if (!filter.constraint(labels)) return 'does not match the constraints';
  const name = instanceName(task.group, container.name);
  return {
    serviceName: normalizeName(name),
    id: instanceId(task.arn),
    cluster: task.cluster,
    taskArn: task.arn,
    containerName: container.name,
    labels,
    ip: where.ip,
    ports: where.ports,
  };
}

interface Address {
  ip: string;
  ports: readonly EcsPortMapping[];
  /** The EC2 instance state on the EC2 path. */
  hostState?: string;
}

/** §3.2: awsvpc tasks are reached through their ENI, others through their container instance. */
function addressOf(task: EcsTask, container: EcsTaskContainer, mappings: readonly EcsPortMapping[]): Address | { warn: string } {
  if (task.definition.networkMode === 'awsvpc' && task.hasAttachments) {
    const eni = container.networkInterfaces?.[0];
    if (!eni) return { warn: 'awsvpc task container without a network interface (ECS Service Connect?)' };
    return { ip: eni.privateIpv4Address || eni.ipv6Address || '', ports: mappings };
  }
  const ports = container.networkBindings ?? [];
  if (task.host?.kind === 'ec2') return { ip: task.host.privateIp, ports, hostState: task.host.state };
  if (task.host?.kind === 'external') return { ip: task.host.ip, ports };
  return { warn: `unable to find container instance information${task.launchType === 'EXTERNAL' ? ' (an ECS Anywhere task: set providers.ecs.ecsAnywhere)' : ''}` };
}

/** A mapping's reachable port: `hostPort`, or `containerPort` when ECS echoed no host port. */
export function effectiveHostPort(mapping: EcsPortMapping): number | undefined {
  const port = mapping.hostPort || mapping.containerPort;
  return port !== undefined && Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
}

/**
 * §4: a port label naming a container port becomes that mapping's host port; any other label
 * value is used as is; without a label, the lowest host port.
 */
export function selectPort(ports: readonly EcsPortMapping[], label: string | undefined): number | string {
  if (label !== undefined && label.trim() !== '') {
    const wanted = Number(label.trim());
    if (!Number.isInteger(wanted) || wanted <= 0 || wanted > 65535) return `port label ${JSON.stringify(label)} is not a port number`;
    const mapping = ports.find((p) => p.containerPort === wanted);
    return (mapping && effectiveHostPort(mapping)) ?? wanted;
  }
  const candidates = ports.map(effectiveHostPort).filter((p): p is number => p !== undefined);
  if (candidates.length === 0) return 'port is missing';
  return Math.min(...candidates);
}
