import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../aws-error.js';
import { EC2_ID_PATTERN, type HostRegistry } from '../state/hosts.js';
import { EC2_STATE_CODES, type Ec2Instance } from '../state/types.js';
import { paginate } from './pagination.js';

/** A decoded EC2 Query request: `Action`, `Version` and the flattened members (`InstanceId.1`, …). */
export type QueryParams = ReadonlyMap<string, string>;

/** One EC2 Query action: parameters in, the inner XML of `<ActionResponse>` out. */
export type QueryOperation = (params: QueryParams) => string;

const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** Escapes text for XML element content. */
export function xmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Wraps an action's result in `<ActionResponse xmlns=…><requestId>…` as EC2 answers. */
export function ec2ResponseXml(action: string, inner: string, requestId: string = randomUUID()): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}"><requestId>${requestId}</requestId>${inner}</${action}Response>`;
}

/** The EC2 error document: `<Response><Errors><Error><Code>…`. */
export function ec2ErrorXml(error: AwsServiceError, requestId: string = randomUUID()): string {
  const detail = `<Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>${detail}</Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}

/** Collects `Prefix.1`, `Prefix.2`, … in index order. */
export function queryList(params: QueryParams, prefix: string): string[] {
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)$`);
  return [...params.entries()]
    .flatMap(([key, value]) => {
      const match = pattern.exec(key);
      return match === null ? [] : [[Number(match[1]), value] as const];
    })
    .sort(([a], [b]) => a - b)
    .map(([, value]) => value);
}

const ec2Error = (code: string, message: string): AwsServiceError => new AwsServiceError(code, 400, message);

type Filter = (instance: Ec2Instance) => boolean;
const FILTERS: Readonly<Record<string, (values: readonly string[]) => Filter>> = {
  'instance-id': (values) => (instance) => values.includes(instance.instanceId),
  'instance-state-name': (values) => (instance) => values.includes(instance.state),
  'private-ip-address': (values) => (instance) => values.includes(instance.privateIpAddress),
};

function parseFilters(params: QueryParams): Filter[] {
  const filters: Filter[] = [];
  for (let n = 1; params.has(`Filter.${n}.Name`); n++) {
    const name = params.get(`Filter.${n}.Name`) ?? '';
    const build = FILTERS[name];
    if (build === undefined) throw ec2Error('InvalidParameterValue', `The filter '${name}' is invalid`);
    filters.push(build(queryList(params, `Filter.${n}.Value`)));
  }
  return filters;
}

function instanceXml(instance: Ec2Instance): string {
  const ip = xmlEscape(instance.privateIpAddress);
  return (
    `<item><instanceId>${instance.instanceId}</instanceId><imageId>ami-0123456789abcdef0</imageId>` +
    `<instanceState><code>${EC2_STATE_CODES[instance.state]}</code><name>${instance.state}</name></instanceState>` +
    `<privateDnsName>ip-${ip.replace(/\./g, '-')}.ec2.internal</privateDnsName><dnsName/>` +
    `<instanceType>${xmlEscape(instance.instanceType)}</instanceType><launchTime>${instance.launchTime.toISOString()}</launchTime>` +
    `<placement><availabilityZone>${xmlEscape(instance.availabilityZone)}</availabilityZone><tenancy>default</tenancy></placement>` +
    `<privateIpAddress>${ip}</privateIpAddress><subnetId>subnet-0123456789abcdef0</subnetId><vpcId>vpc-0123456789abcdef0</vpcId>` +
    `<architecture>x86_64</architecture><tagSet/></item>`
  );
}

/** DescribeInstances, with EC2's id validation, filters and MaxResults/NextToken pagination. */
function describeInstances(hosts: HostRegistry, accountId: string, params: QueryParams): string {
  const ids = queryList(params, 'InstanceId');
  const maxResultsText = params.get('MaxResults');
  if (ids.length > 0 && maxResultsText !== undefined) {
    // Real EC2 refuses to paginate an explicit id list.
    throw ec2Error('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  const malformed = ids.find((id) => !EC2_ID_PATTERN.test(id));
  if (malformed !== undefined) throw ec2Error('InvalidInstanceID.Malformed', `Invalid id: "${malformed}"`);
  const missing = ids.filter((id) => hosts.ec2Instance(id) === undefined);
  if (missing.length === 1) throw ec2Error('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  if (missing.length > 1) throw ec2Error('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  const filters = parseFilters(params);
  const selected = hosts
    .ec2Instances()
    .filter((instance) => (ids.length === 0 || ids.includes(instance.instanceId)) && filters.every((f) => f(instance)));
  const maxResults = maxResultsText === undefined ? undefined : Number(maxResultsText);
  if (maxResults !== undefined && !(Number.isInteger(maxResults) && maxResults >= 5 && maxResults <= 1000)) {
    throw ec2Error('InvalidParameterValue', `Value ( ${maxResultsText} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  }
  const page = paginate(
    selected,
    (instance) => instance.instanceId,
    { maxResults: maxResults ?? 1000, nextToken: params.get('NextToken') },
    {
      scope: 'DescribeInstances',
      defaultSize: 1000,
      minSize: 5,
      maxSize: 1000,
      invalid: () => ec2Error('InvalidParameterValue', 'The token is not valid.'),
    },
  );
  // One reservation per instance: each emulated instance is launched on its own.
  const reservations = page.items
    .map(
      (instance) =>
        `<item><reservationId>r-${instance.instanceId.slice(2)}</reservationId><ownerId>${accountId}</ownerId>` +
        `<groupSet/><instancesSet>${instanceXml(instance)}</instancesSet></item>`,
    )
    .join('');
  const token = page.nextToken === undefined ? '' : `<nextToken>${page.nextToken}</nextToken>`;
  return `<reservationSet>${reservations}</reservationSet>${token}`;
}

/** The EC2 Query actions the emulator serves. */
export function ec2Operations(hosts: HostRegistry, accountId: string): Record<string, QueryOperation> {
  return { DescribeInstances: (params) => describeInstances(hosts, accountId, params) };
}

/** EC2's answer to an action it does not know. */
export function invalidAction(action: string): AwsServiceError {
  return ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`);
}
