import { awsErrors } from '../aws-error.js';
import { type ArnFactory, epochSeconds } from './ids.js';
import type { ContainerDefinition, LaunchType, NetworkMode, TaskDefinition } from './types.js';

/** The input of RegisterTaskDefinition that the emulator understands. */
export interface RegisterTaskDefinitionInput {
  readonly family: string;
  readonly containerDefinitions: readonly ContainerDefinition[];
  /** Defaults to `bridge`, as in ECS when nothing is given. */
  readonly networkMode?: NetworkMode;
  readonly requiresCompatibilities?: readonly LaunchType[];
  readonly taskRoleArn?: string;
  readonly executionRoleArn?: string;
  readonly cpu?: string;
  readonly memory?: string;
}

const FAMILY_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

/** Task definition families and their immutable revisions. */
export class TaskDefinitionRegistry {
  readonly #families = new Map<string, TaskDefinition[]>();

  constructor(private readonly arns: ArnFactory) {}

  /** Adds the next revision of `input.family`; fails with ClientException like ECS on bad input. */
  register(input: RegisterTaskDefinitionInput): TaskDefinition {
    if (!FAMILY_PATTERN.test(input.family)) {
      throw awsErrors.client('Family contains invalid characters or is longer than 255 characters.');
    }
    if (input.containerDefinitions.length === 0) {
      throw awsErrors.client('Container list cannot be empty.');
    }
    const networkMode = input.networkMode ?? 'bridge';
    const requires = [...(input.requiresCompatibilities ?? [])];
    if (requires.includes('FARGATE') && networkMode !== 'awsvpc') {
      throw awsErrors.client('Fargate only supports network mode ‘awsvpc’.');
    }
    const revisions = this.#families.get(input.family) ?? [];
    const revision = revisions.length + 1;
    const definition: TaskDefinition = {
      taskDefinitionArn: this.arns.taskDefinition(input.family, revision),
      family: input.family,
      revision,
      status: 'ACTIVE',
      networkMode,
      containerDefinitions: input.containerDefinitions.map((def) => echoContainerDefinition(def, networkMode)),
      requiresCompatibilities: requires,
      compatibilities: networkMode === 'awsvpc' ? ['EC2', 'FARGATE', 'EXTERNAL'] : ['EC2', 'EXTERNAL'],
      requiresAttributes: [],
      placementConstraints: [],
      volumes: [],
      ...(input.taskRoleArn === undefined ? {} : { taskRoleArn: input.taskRoleArn }),
      ...(input.executionRoleArn === undefined ? {} : { executionRoleArn: input.executionRoleArn }),
      ...(input.cpu === undefined ? {} : { cpu: input.cpu }),
      ...(input.memory === undefined ? {} : { memory: input.memory }),
      registeredAt: epochSeconds(),
    };
    revisions.push(definition);
    this.#families.set(input.family, revisions);
    return definition;
  }

  /**
   * Resolves `family`, `family:revision` or a full ARN; a bare family means its latest ACTIVE
   * revision. Unknown references fail with ECS's `ClientException`.
   */
  describe(reference: string): TaskDefinition {
    const found = this.find(reference);
    if (found === undefined) throw awsErrors.client('Unable to describe task definition.');
    return found;
  }

  /** Like {@link TaskDefinitionRegistry.describe}, but undefined for unknown references. */
  find(reference: string): TaskDefinition | undefined {
    const name = reference.startsWith('arn:') ? reference.slice(reference.indexOf('task-definition/') + 16) : reference;
    const [family = '', revisionText] = name.split(':');
    const revisions = this.#families.get(family) ?? [];
    if (revisionText === undefined) return revisions.filter((d) => d.status === 'ACTIVE').at(-1);
    const revision = Number(revisionText);
    return revisions.find((d) => d.revision === revision);
  }

  /** Marks a revision INACTIVE, as DeregisterTaskDefinition does; it stays describable. */
  deregister(reference: string): TaskDefinition {
    const definition = this.describe(reference);
    definition.status = 'INACTIVE';
    return definition;
  }
}

// ECS echoes defaults back: protocol tcp, and for awsvpc/host a hostPort equal to the containerPort.
function echoContainerDefinition(def: ContainerDefinition, networkMode: NetworkMode): ContainerDefinition {
  const portMappings = (def.portMappings ?? []).map((mapping) => ({
    ...mapping,
    protocol: mapping.protocol ?? 'tcp',
    hostPort: networkMode === 'awsvpc' || networkMode === 'host' ? (mapping.hostPort ?? mapping.containerPort) : (mapping.hostPort ?? 0),
  }));
  return {
    ...structuredClone(def),
    essential: def.essential ?? true,
    portMappings,
    dockerLabels: { ...(def.dockerLabels ?? {}) },
    environment: [...(def.environment ?? [])],
  };
}
