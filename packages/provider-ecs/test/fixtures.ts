/** Small builders for the pure tests: one task = one call with overrides. */
import type { EcsContainerDefinition, EcsHost, EcsTask, EcsTaskContainer } from '../src/index.js';
import { compileConstraints, compileRuleTemplate, selectInstances, buildConfiguration, type InstanceFilter } from '../src/index.js';

let serial = 0;

export interface TaskSpec {
  group?: string;
  cluster?: string;
  arn?: string;
  mode?: 'awsvpc' | 'bridge' | 'host';
  lastStatus?: string;
  healthStatus?: string;
  launchType?: string;
  labels?: Record<string, string>;
  /** awsvpc: definition port mappings; bridge/host: task network bindings. */
  ports?: Array<{ containerPort?: number; hostPort?: number; protocol?: string }>;
  ip?: string;
  ipv6?: string;
  host?: EcsHost | null;
  containers?: Array<{ name: string; labels?: Record<string, string>; ports?: TaskSpec['ports'] }>;
  noInterfaces?: boolean;
}

/** A task; defaults: Fargate awsvpc `service:whoami`, container `whoami`, port 80, 10.0.0.x. */
export function task(spec: TaskSpec = {}): EcsTask {
  serial++;
  const mode = spec.mode ?? 'awsvpc';
  const containers = spec.containers ?? [{ name: 'whoami', labels: spec.labels ?? {}, ports: spec.ports ?? [{ containerPort: 80, hostPort: 80 }] }];
  const definitions: EcsContainerDefinition[] = containers.map((c) => ({ name: c.name, dockerLabels: c.labels ?? {}, portMappings: mode === 'awsvpc' ? (c.ports ?? []) : [] }));
  const taskContainers: EcsTaskContainer[] = containers.map((c) => ({
    name: c.name,
    networkInterfaces: mode === 'awsvpc' && !spec.noInterfaces ? [{ privateIpv4Address: spec.ip ?? `10.0.0.${serial % 250}`, ...(spec.ipv6 ? { ipv6Address: spec.ipv6 } : {}) }] : [],
    networkBindings: mode === 'awsvpc' ? [] : (c.ports ?? []),
  }));
  const host: EcsHost | undefined = spec.host === null ? undefined : (spec.host ?? (mode === 'awsvpc' ? undefined : { kind: 'ec2', instanceId: 'i-1', privateIp: '10.1.0.1', state: 'running' }));
  return {
    cluster: spec.cluster ?? 'default',
    arn: spec.arn ?? `arn:aws:ecs:us-east-1:123456789012:task/default/${String(serial).padStart(32, '0')}`,
    group: spec.group ?? 'service:whoami',
    lastStatus: spec.lastStatus ?? 'RUNNING',
    ...(spec.healthStatus ? { healthStatus: spec.healthStatus } : {}),
    ...(spec.launchType ? { launchType: spec.launchType } : {}),
    hasAttachments: mode === 'awsvpc',
    containers: taskContainers,
    definition: { arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/whoami:1', networkMode: mode, containerDefinitions: definitions },
    ...(host ? { host } : {}),
  };
}

export interface Options {
  exposedByDefault?: boolean;
  healthyTasksOnly?: boolean;
  constraints?: string;
  defaultRule?: string;
  labelPrefix?: string;
}

/** selectInstances + buildConfiguration as the provider runs them. */
export function build(tasks: EcsTask[], options: Options = {}) {
  const filter: InstanceFilter = {
    exposedByDefault: options.exposedByDefault ?? true,
    healthyTasksOnly: options.healthyTasksOnly ?? false,
    constraint: compileConstraints(options.constraints ?? ''),
    labelPrefix: options.labelPrefix ?? 'traefik',
  };
  const { instances, skipped } = selectInstances(tasks, filter);
  const built = buildConfiguration(instances, { defaultRule: compileRuleTemplate(options.defaultRule ?? 'Host(`{{ normalize .Name }}`)'), labelPrefix: filter.labelPrefix });
  return { ...built, instances, skipped };
}

/** The server URLs of an HTTP service. */
export function urls(result: ReturnType<typeof build>, service: string): string[] | undefined {
  return result.configuration.http?.services?.[service]?.loadBalancer?.servers?.map((s) => s.url ?? '');
}
