import type { EmulatorCredentials } from './credential-store.js';
import type { TaskRole, TaskRoleOptions } from './container-endpoints.js';
import type { EcsEmulator } from './emulator.js';
import type { RegisterContainerInstanceOptions, RunTaskOptions } from './state/state-options.js';
import type { RegisterTaskDefinitionInput } from './state/task-definition-registry.js';
import type { ContainerInstance, Task } from './state/types.js';

/** RunTask options in JSON form: per-task values are arrays indexed by the task's position. */
export interface JsonRunTaskOptions extends Omit<RunTaskOptions, 'ip' | 'ipv6' | 'hostPort'> {
  /** awsvpc IPv4 per task (`ips[i]`), or one address for all. */
  readonly ip?: string | readonly string[];
  readonly ipv6?: string | readonly string[];
  /** bridge host ports: `{ "<containerPort>": [port of task 0, port of task 1, …] }`, or one port for all. */
  readonly hostPorts?: Readonly<Record<string, number | readonly number[]>>;
}

/** A JSON document that fills an emulator at start (`wharf-ecs-emulator --seed file.json`). */
export interface EmulatorSeed {
  /** Key pairs to accept; `expiresAt` may be an ISO string. */
  readonly credentials?: readonly (Omit<EmulatorCredentials, 'expiresAt'> & { readonly expiresAt?: string })[];
  readonly clusters?: readonly (string | { readonly name: string; readonly containerInstances?: readonly RegisterContainerInstanceOptions[] })[];
  readonly taskDefinitions?: readonly RegisterTaskDefinitionInput[];
  readonly tasks?: readonly JsonRunTaskOptions[];
  readonly taskRoles?: readonly TaskRoleOptions[];
}

/** What applying a seed created. */
export interface SeedResult {
  readonly containerInstances: ContainerInstance[];
  readonly tasks: Task[];
  readonly taskRoles: TaskRole[];
}

function perTask<T>(value: T | readonly T[] | undefined): T | ((index: number) => T) | undefined {
  if (value === undefined || !Array.isArray(value)) return value as T | undefined;
  const list = value as readonly T[];
  return (index: number) => {
    const item = list[index];
    if (item === undefined) throw new RangeError(`No per-task value for task ${index}`);
    return item;
  };
}

/** Converts JSON RunTask options (arrays per task) into {@link RunTaskOptions}. */
export function runTaskOptionsFromJson(options: JsonRunTaskOptions): RunTaskOptions {
  const { ip, ipv6, hostPorts, ...rest } = options;
  const ipOption = perTask(ip);
  const ipv6Option = perTask(ipv6);
  return {
    ...rest,
    ...(ipOption === undefined ? {} : { ip: ipOption }),
    ...(ipv6Option === undefined ? {} : { ipv6: ipv6Option }),
    ...(hostPorts === undefined
      ? {}
      : {
          hostPort: ({ index, containerPort }) => {
            const ports = hostPorts[String(containerPort)];
            return ports === undefined ? undefined : typeof ports === 'number' ? ports : ports[index];
          },
        }),
  };
}

/** Applies `seed` to `emulator`, in order: credentials, clusters and instances, definitions, tasks, roles. */
export function applySeed(emulator: EcsEmulator, seed: EmulatorSeed): SeedResult {
  for (const credentials of seed.credentials ?? []) {
    const { expiresAt, ...rest } = credentials;
    emulator.addCredentials({ ...rest, ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt) }) });
  }
  const containerInstances: ContainerInstance[] = [];
  for (const entry of seed.clusters ?? []) {
    const cluster = typeof entry === 'string' ? { name: entry } : entry;
    emulator.state.createCluster(cluster.name);
    for (const instance of cluster.containerInstances ?? []) {
      containerInstances.push(emulator.state.registerContainerInstance({ ...instance, cluster: cluster.name }));
    }
  }
  for (const definition of seed.taskDefinitions ?? []) emulator.state.taskDefinitions.register(definition);
  const tasks = (seed.tasks ?? []).flatMap((options) => emulator.state.runTask(runTaskOptionsFromJson(options)));
  const taskRoles = (seed.taskRoles ?? []).map((options) => emulator.taskRoleCredentials(options));
  return { containerInstances, tasks, taskRoles };
}
