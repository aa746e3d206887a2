import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  paginateListClusters,
  paginateListTasks,
} from '@aws-sdk/client-ecs';
import test from 'ava';
import { container, definition, harness } from './helpers.js';

test('ListClusters pages with fresh tokens and DescribeClusters reports missing clusters', async (t) => {
  const { emu, ecs } = await harness(t);
  for (const name of ['a', 'b', 'c', 'd', 'e']) emu.state.createCluster(name);
  const pages: string[][] = [];
  for await (const page of paginateListClusters({ client: ecs, pageSize: 2 }, {})) pages.push(page.clusterArns ?? []);
  t.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
  t.deepEqual(pages.flat(), ['a', 'b', 'c', 'd', 'e'].map((n) => `arn:aws:ecs:us-east-1:123456789012:cluster/${n}`));

  const described = await ecs.send(new DescribeClustersCommand({ clusters: ['a', 'nope'] }));
  t.is(described.clusters?.[0]?.clusterName, 'a');
  t.deepEqual(described.failures, [{ arn: 'nope', reason: 'MISSING' }]);
});

test('ListTasks pages 250 tasks by 100 with nextToken and DescribeTasks takes each page', async (t) => {
  const { emu, ecs } = await harness(t);
  emu.state.createCluster('big');
  definition(emu, 'web', 'awsvpc', container('web', 80));
  emu.state.runTask({ cluster: 'big', taskDefinition: 'web', count: 250 });

  const pages: string[][] = [];
  for await (const page of paginateListTasks({ client: ecs }, { cluster: 'big', desiredStatus: 'RUNNING' })) {
    pages.push(page.taskArns ?? []);
    const described = await ecs.send(new DescribeTasksCommand({ cluster: 'big', tasks: page.taskArns }));
    t.is(described.tasks?.length, page.taskArns?.length);
  }
  t.deepEqual(pages.map((p) => p.length), [100, 100, 50]);
  t.is(new Set(pages.flat()).size, 250);
  const tokens = emu.calls.filter((c) => c.operation === 'ListTasks').map((c) => (c.input as { nextToken?: string }).nextToken);
  t.is(tokens[0], undefined);
  t.is(new Set(tokens.slice(1)).size, 2, 'each page has its own token');
});

test('ListTasks honours desiredStatus (RUNNING by default) and launchType', async (t) => {
  const { emu, ecs } = await harness(t);
  emu.state.createCluster('default');
  emu.state.registerContainerInstance({});
  definition(emu, 'fargate', 'awsvpc', container('app', 80));
  definition(emu, 'bridge', 'bridge', container('app', 80));
  const [fargate] = emu.state.runTask({ taskDefinition: 'fargate' });
  const [ec2, stopped] = emu.state.runTask({ taskDefinition: 'bridge', count: 2 });
  emu.state.stopTask({ task: stopped!.taskArn, lastStatus: 'RUNNING' });

  const list = async (input: Record<string, string>) => (await ecs.send(new ListTasksCommand({ cluster: 'default', ...input }))).taskArns;
  t.deepEqual(await list({}), [fargate!.taskArn, ec2!.taskArn]);
  t.deepEqual(await list({ desiredStatus: 'STOPPED' }), [stopped!.taskArn]);
  t.deepEqual(await list({ launchType: 'FARGATE' }), [fargate!.taskArn]);
  t.deepEqual(await list({ launchType: 'EC2', desiredStatus: 'RUNNING' }), [ec2!.taskArn]);
});

test('read operations refuse bad input the way ECS does', async (t) => {
  const { emu, ecs } = await harness(t);
  emu.state.createCluster('default');
  const cases = [
    { command: new ListTasksCommand({ cluster: 'missing' }), name: 'ClusterNotFoundException' },
    { command: new ListTasksCommand({ maxResults: 101 }), name: 'InvalidParameterException' },
    { command: new ListTasksCommand({ desiredStatus: 'DONE' as never }), name: 'InvalidParameterException' },
    { command: new ListTasksCommand({ nextToken: 'garbage' }), name: 'InvalidParameterException' },
    { command: new DescribeTasksCommand({ tasks: Array.from({ length: 101 }, (_, i) => `t${i}`) }), name: 'InvalidParameterException' },
    { command: new DescribeTasksCommand({ tasks: [] }), name: 'InvalidParameterException' },
    { command: new DescribeTasksCommand({ cluster: 'missing', tasks: ['x'] }), name: 'ClusterNotFoundException' },
    { command: new DescribeContainerInstancesCommand({ containerInstances: Array.from({ length: 101 }, (_, i) => `c${i}`) }), name: 'InvalidParameterException' },
    { command: new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' }), name: 'ClientException' },
  ];
  for (const { command, name } of cases) {
    const error = await t.throwsAsync(ecs.send(command as never), { name }, `${command.constructor.name} ${name}`);
    t.is((error as unknown as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 400);
  }
});

test('DescribeTasks reports unknown tasks as MISSING failures next to the found ones', async (t) => {
  const { emu, ecs } = await harness(t);
  emu.state.createCluster('default');
  definition(emu, 'web', 'awsvpc', container('web', 80));
  const [task] = emu.state.runTask({ taskDefinition: 'web' });
  const unknown = 'arn:aws:ecs:us-east-1:123456789012:task/default/00000000000000000000000000000000';
  const described = await ecs.send(new DescribeTasksCommand({ cluster: 'default', tasks: [task!.taskArn, unknown] }));
  t.deepEqual(described.tasks?.map((x) => x.taskArn), [task!.taskArn]);
  t.deepEqual(described.failures, [{ arn: unknown, reason: 'MISSING' }]);
});

test('DescribeContainerInstances maps ARNs to EC2 and managed instance ids', async (t) => {
  const { emu, ecs } = await harness(t);
  emu.state.createCluster('default');
  const ec2 = emu.state.registerContainerInstance({ privateIp: '10.1.2.3' });
  const external = emu.state.registerContainerInstance({ kind: 'external' });
  const response = await ecs.send(
    new DescribeContainerInstancesCommand({ containerInstances: [ec2.containerInstanceArn, external.containerInstanceArn, 'nope'] }),
  );
  t.deepEqual(
    response.containerInstances?.map((ci) => [ci.containerInstanceArn, ci.ec2InstanceId]),
    [
      [ec2.containerInstanceArn, ec2.ec2InstanceId],
      [external.containerInstanceArn, external.ec2InstanceId],
    ],
  );
  t.regex(ec2.ec2InstanceId, /^i-[0-9a-f]{17}$/);
  t.regex(external.ec2InstanceId, /^mi-[0-9a-f]{17}$/);
  t.deepEqual(response.failures, [{ arn: 'nope', reason: 'MISSING' }]);
});

test('DescribeTaskDefinition resolves family, family:revision and ARN, echoing ports and labels', async (t) => {
  const { emu, ecs } = await harness(t);
  const labels = { 'traefik.http.routers.web.rule': 'Host(`a`)' };
  const first = definition(emu, 'web', 'awsvpc', container('web', 80, labels));
  definition(emu, 'web', 'awsvpc', container('web', 8080));
  const byFamily = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
  t.is(byFamily.taskDefinition?.revision, 2);
  t.is(byFamily.taskDefinition?.taskDefinitionArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
  for (const reference of ['web:1', first.taskDefinitionArn]) {
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference }));
    t.is(taskDefinition?.networkMode, 'awsvpc');
    t.deepEqual(taskDefinition?.containerDefinitions?.[0]?.dockerLabels, labels);
    t.deepEqual(taskDefinition?.containerDefinitions?.[0]?.portMappings, [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }]);
  }
});
