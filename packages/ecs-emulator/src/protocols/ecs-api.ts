import { AwsServiceError, awsErrors } from '../aws-error.js';
import type { EcsState } from '../state/ecs-state.js';
import type { RegisterTaskDefinitionInput } from '../state/task-definition-registry.js';
import type { LaunchType, Task } from '../state/types.js';
import { objectList, optionalNumber, optionalObject, optionalString, requiredString, stringList, type JsonInput } from './input.js';
import { paginate, type PageRules } from './pagination.js';

/** One operation of a JSON protocol: decoded input in, response structure out. */
export type JsonOperation = (input: JsonInput) => unknown;

// DescribeTasks and DescribeContainerInstances take at most 100 items per call (ECS limit).
const DESCRIBE_LIMIT = 100;
const LAUNCH_TYPES: readonly string[] = ['EC2', 'FARGATE', 'EXTERNAL'];
const DESIRED_STATUSES: readonly string[] = ['RUNNING', 'PENDING', 'STOPPED'];

const pageRules = (scope: string): PageRules => ({
  scope,
  defaultSize: 100,
  minSize: 1,
  maxSize: 100,
  invalid: (message) => awsErrors.invalidParameter(message),
});

function describeList(input: JsonInput, member: string, label: string): string[] {
  const items = stringList(input, member) ?? [];
  if (items.length === 0) throw awsErrors.invalidParameter(`${label} cannot be empty.`);
  if (items.length > DESCRIBE_LIMIT) throw awsErrors.invalidParameter(`${label} cannot be longer than ${DESCRIBE_LIMIT}.`);
  return items;
}

function launchType(input: JsonInput): LaunchType | undefined {
  const value = optionalString(input, 'launchType');
  if (value !== undefined && !LAUNCH_TYPES.includes(value)) {
    throw awsErrors.invalidParameter(`launchType must be one of ${LAUNCH_TYPES.join(', ')}.`);
  }
  return value as LaunchType | undefined;
}

const missing = (member: string) => (): AwsServiceError => awsErrors.invalidParameter(`${member} can not be blank.`);

/** The ECS operations (target prefix `AmazonEC2ContainerServiceV20141113`) over `state`. */
export function ecsOperations(state: EcsState): Record<string, JsonOperation> {
  return {
    CreateCluster: (input) => ({ cluster: state.createCluster(optionalString(input, 'clusterName') ?? 'default') }),

    ListClusters: (input) => {
      const page = paginate(state.clusters(), (c) => c.clusterArn, input, pageRules('ListClusters'));
      return { clusterArns: page.items.map((c) => c.clusterArn), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },

    DescribeClusters: (input) => {
      const references = stringList(input, 'clusters') ?? ['default'];
      const clusters = references.map((reference) => state.findCluster(reference));
      return {
        clusters: clusters.filter((c) => c !== undefined),
        failures: references.filter((_, i) => clusters[i] === undefined).map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },

    RegisterTaskDefinition: (input) => {
      requiredString(input, 'family', missing('Family'));
      objectList(input, 'containerDefinitions');
      const definition = state.taskDefinitions.register(input as unknown as RegisterTaskDefinitionInput);
      return { taskDefinition: definition, tags: [] };
    },

    DeregisterTaskDefinition: (input) => ({
      taskDefinition: state.taskDefinitions.deregister(requiredString(input, 'taskDefinition', missing('TaskDefinition'))),
    }),

    DescribeTaskDefinition: (input) => ({
      taskDefinition: state.taskDefinitions.describe(requiredString(input, 'taskDefinition', missing('TaskDefinition'))),
      tags: [],
    }),

    RegisterContainerInstance: (input) => {
      const document = parseIdentityDocument(optionalString(input, 'instanceIdentityDocument'));
      const instance = state.registerContainerInstance({
        ...optionalField('cluster', optionalString(input, 'cluster')),
        ...optionalField('instanceId', document.instanceId),
        ...optionalField('privateIp', document.privateIp),
      });
      return { containerInstance: instance };
    },

    ListContainerInstances: (input) => {
      const instances = state.containerInstances(optionalString(input, 'cluster'));
      const page = paginate(instances, (ci) => ci.containerInstanceArn, input, pageRules('ListContainerInstances'));
      return {
        containerInstanceArns: page.items.map((ci) => ci.containerInstanceArn),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },

    DescribeContainerInstances: (input) => {
      const cluster = optionalString(input, 'cluster');
      const references = describeList(input, 'containerInstances', 'ContainerInstances');
      const found = references.map((reference) => state.findContainerInstance(cluster, reference));
      return {
        containerInstances: found.filter((ci) => ci !== undefined),
        failures: references.filter((_, i) => found[i] === undefined).map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },

    ListTasks: (input) => {
      const cluster = optionalString(input, 'cluster');
      const desiredStatus = optionalString(input, 'desiredStatus');
      if (desiredStatus !== undefined && !DESIRED_STATUSES.includes(desiredStatus)) {
        throw awsErrors.invalidParameter(`desiredStatus must be one of ${DESIRED_STATUSES.join(', ')}.`);
      }
      const tasks = state.listTasks(cluster, {
        ...optionalField('desiredStatus', desiredStatus),
        ...optionalField('launchType', launchType(input)),
        ...optionalField('family', optionalString(input, 'family')),
        ...optionalField('startedBy', optionalString(input, 'startedBy')),
        ...optionalField('serviceName', optionalString(input, 'serviceName')),
        ...optionalField('containerInstance', optionalString(input, 'containerInstance')),
      });
      const scope = `ListTasks:${state.findCluster(cluster)?.clusterArn ?? ''}`;
      const page = paginate(tasks, (t) => t.taskArn, input, pageRules(scope));
      return { taskArns: page.items.map((t) => t.taskArn), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },

    DescribeTasks: (input) => {
      const cluster = optionalString(input, 'cluster');
      const references = describeList(input, 'tasks', 'Tasks');
      const found = references.map((reference) => state.findTask(cluster, reference));
      return {
        tasks: found.filter((t): t is Task => t !== undefined),
        failures: references.filter((_, i) => found[i] === undefined).map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },

    RunTask: (input) => ({ tasks: runTask(state, input), failures: [] }),

    StopTask: (input) => ({
      task: state.stopTask({
        ...optionalField('cluster', optionalString(input, 'cluster')),
        task: requiredString(input, 'task', missing('Task')),
        ...optionalField('reason', optionalString(input, 'reason')),
      }),
    }),
  };
}

function runTask(state: EcsState, input: JsonInput): Task[] {
  const reference = requiredString(input, 'taskDefinition', missing('TaskDefinition'));
  const definition = state.taskDefinitions.describe(reference);
  const count = optionalNumber(input, 'count') ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 10) throw awsErrors.invalidParameter('count must be between 1 and 10.');
  const awsvpc = optionalObject(optionalObject(input, 'networkConfiguration') ?? {}, 'awsvpcConfiguration');
  const subnets = awsvpc === undefined ? undefined : stringList(awsvpc, 'subnets');
  if (definition.networkMode === 'awsvpc' && (subnets === undefined || subnets.length === 0)) {
    throw awsErrors.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  if (definition.networkMode !== 'awsvpc' && awsvpc !== undefined) {
    throw awsErrors.invalidParameter('Network Configuration is not valid for the given networkMode of this task definition.');
  }
  return state.runTask({
    ...optionalField('cluster', optionalString(input, 'cluster')),
    taskDefinition: reference,
    count,
    ...optionalField('launchType', launchType(input)),
    ...optionalField('group', optionalString(input, 'group')),
    ...optionalField('startedBy', optionalString(input, 'startedBy')),
    ...optionalField('subnetId', subnets?.[0]),
  });
}

function parseIdentityDocument(document: string | undefined): { instanceId?: string; privateIp?: string } {
  if (document === undefined) return {};
  try {
    const parsed = JSON.parse(document) as { instanceId?: unknown; privateIp?: unknown };
    return {
      ...optionalField('instanceId', typeof parsed.instanceId === 'string' ? parsed.instanceId : undefined),
      ...optionalField('privateIp', typeof parsed.privateIp === 'string' ? parsed.privateIp : undefined),
    };
  } catch {
    throw awsErrors.client('The instance identity document is not valid JSON.');
  }
}

/** `{ [key]: value }` when value is defined, `{}` otherwise: keeps absent members absent on the wire. */
export function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
