import { AwsServiceError } from '../aws-error.js';
import type { HostRegistry } from '../state/hosts.js';
import type { ManagedInstance } from '../state/types.js';
import type { JsonOperation } from './ecs-api.js';
import { objectList, optionalString, stringList, type JsonInput } from './input.js';
import { paginate } from './pagination.js';

type Predicate = (instance: ManagedInstance) => boolean;

const FILTER_KEYS: Readonly<Record<string, (values: readonly string[]) => Predicate>> = {
  InstanceIds: (values) => (i) => values.includes(i.InstanceId),
  PingStatus: (values) => (i) => values.includes(i.PingStatus),
  ResourceType: (values) => () => values.includes('ManagedInstance'),
  PlatformTypes: (values) => () => values.includes('Linux'),
};

function predicates(input: JsonInput): Predicate[] {
  const filters = (objectList(input, 'Filters') ?? []).map((f) => [optionalString(f, 'Key'), stringList(f, 'Values')] as const);
  const legacy = (objectList(input, 'InstanceInformationFilterList') ?? []).map(
    (f) => [optionalString(f, 'key'), stringList(f, 'valueSet')] as const,
  );
  return [...filters, ...legacy].map(([key, values]) => {
    const build = key === undefined ? undefined : FILTER_KEYS[key];
    if (build === undefined) throw new AwsServiceError('InvalidFilterKey', 400, `The filter key ${key ?? ''} is not valid.`);
    if (values === undefined || values.length === 0 || values.length > 100) {
      throw new AwsServiceError('InvalidFilterValue', 400, `The filter ${key} needs between 1 and 100 values.`);
    }
    return build(values);
  });
}

function informationOf(instance: ManagedInstance): Record<string, unknown> {
  const registered = instance.registeredAt.getTime() / 1000;
  return {
    InstanceId: instance.InstanceId,
    PingStatus: instance.PingStatus,
    LastPingDateTime: Date.now() / 1000,
    AgentVersion: '3.3.40.0',
    IsLatestVersion: false,
    PlatformType: 'Linux',
    PlatformName: 'Amazon Linux',
    PlatformVersion: '2023',
    ResourceType: 'ManagedInstance',
    IamRole: 'ecsAnywhereRole',
    RegistrationDate: registered,
    ActivationId: '00000000-0000-4000-8000-000000000000',
    IPAddress: instance.IPAddress,
    ComputerName: instance.ComputerName,
  };
}

/** The SSM operations (target prefix `AmazonSSM`) the emulator serves. */
export function ssmOperations(hosts: HostRegistry): Record<string, JsonOperation> {
  return {
    DescribeInstanceInformation: (input) => {
      const filters = predicates(input);
      const selected = hosts.managedInstances().filter((instance) => filters.every((p) => p(instance)));
      // SSM pages by 10 unless told otherwise, and never by more than 50.
      const page = paginate(
        selected,
        (i) => i.InstanceId,
        { maxResults: input.MaxResults, nextToken: input.NextToken },
        {
          scope: 'DescribeInstanceInformation',
          defaultSize: 10,
          minSize: 5,
          maxSize: 50,
          invalid: (message) =>
            message.startsWith('maxResults')
              ? new AwsServiceError('ValidationException', 400, `1 validation error detected: ${message}`)
              : new AwsServiceError('InvalidNextToken', 400, 'The specified token is not valid.'),
        },
      );
      return {
        InstanceInformationList: page.items.map(informationOf),
        ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
      };
    },
  };
}
