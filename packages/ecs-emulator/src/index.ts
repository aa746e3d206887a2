export { startEcsEmulator, type EcsEmulator, type EcsEmulatorOptions } from './emulator.js';
export { AwsServiceError, type AwsService } from './aws-error.js';
export type { RecordedCall, RecordedService } from './call-log.js';
export { FaultInjector, type FaultDecision, type FaultKind, type FaultSpec, type InjectedFault } from './faults.js';
export type { EmulatorCredentials, IssueCredentialsOptions } from './credential-store.js';
export type { TaskMetadataOptions, TaskRole, TaskRoleOptions } from './container-endpoints.js';
export { applySeed, runTaskOptionsFromJson, type EmulatorSeed, type JsonRunTaskOptions, type SeedResult } from './seed.js';
export { EcsState } from './state/ecs-state.js';
export { HostRegistry, type AddEc2InstanceOptions, type AddManagedInstanceOptions } from './state/hosts.js';
export { TaskDefinitionRegistry, type RegisterTaskDefinitionInput } from './state/task-definition-registry.js';
export type { HostPortChooser } from './state/task-builder.js';
export type {
  PerTask,
  RegisterContainerInstanceOptions,
  RunTaskOptions,
  TaskFilter,
  TaskReference,
  TaskUpdate,
} from './state/state-options.js';
export type {
  Attachment,
  Cluster,
  Container,
  ContainerDefinition,
  ContainerInstance,
  Ec2Instance,
  Ec2InstanceState,
  HealthStatus,
  LaunchType,
  ManagedInstance,
  NetworkBinding,
  NetworkInterface,
  NetworkMode,
  PortMapping,
  Task,
  TaskDefinition,
  TaskStatus,
} from './state/types.js';
export { CONTROL_PREFIX } from './dispatch.js';
