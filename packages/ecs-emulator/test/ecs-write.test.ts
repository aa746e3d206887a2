import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import test from 'ava';
import type { EcsEmulator, LaunchType, NetworkMode, RunTaskOptions } from '../src/index.js';
import { container, definition, harness } from './helpers.js';

const detail = (task: Task, name: string): string | undefined =>
  task.attachments?.[0]?.details?.find((d) => d.name === name)?.value;

interface ShapeCase {
  readonly title: string;
  readonly networkMode: NetworkMode;
  readonly launchType: LaunchType;
  readonly run?: Partial<RunTaskOptions>;
  readonly check: (t: import('ava').ExecutionContext, task: Task, emu: EcsEmulator) => void;
}

const shapeCases: ShapeCase[] = [
  {
    title: 'awsvpc on Fargate: own IP on the ENI and the container, no container instance',
    networkMode: 'awsvpc',
    launchType: 'FARGATE',
    check: (t, task) => {
      t.is(task.containerInstanceArn, undefined);
      t.is(task.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address, '127.0.0.2');
      t.is(detail(task, 'privateIPv4Address'), '127.0.0.2');
      t.regex(detail(task, 'networkInterfaceId') ?? '', /^eni-[0-9a-f]{17}$/);
      t.deepEqual(task.containers?.[0]?.networkBindings, []);
    },
  },
  {
    title: 'IPv6-only awsvpc: the interface has ipv6Address and no IPv4',
    networkMode: 'awsvpc',
    launchType: 'FARGATE',
    run: { ip: '', ipv6: '2600:1f18::5' },
    check: (t, task) => {
      t.deepEqual(task.containers?.[0]?.networkInterfaces?.map((ni) => [ni.privateIpv4Address, ni.ipv6Address]), [[undefined, '2600:1f18::5']]);
      t.is(detail(task, 'privateIPv4Address'), undefined);
    },
  },
  {
    title: 'awsvpc on EC2: own ENI and a container instance',
    networkMode: 'awsvpc',
    launchType: 'EC2',
    check: (t, task, emu) => {
      t.is(task.containerInstanceArn, emu.state.containerInstances()[0]?.containerInstanceArn);
      t.is(task.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address, '127.0.0.2');
    },
  },
  {
    title: 'bridge on EC2: dynamic host ports on the container instance',
    networkMode: 'bridge',
    launchType: 'EC2',
    check: (t, task, emu) => {
      const [instance] = emu.state.containerInstances();
      t.is(task.containerInstanceArn, instance?.containerInstanceArn);
      t.deepEqual(task.attachments, []);
      t.deepEqual(task.containers?.[0]?.networkBindings, [{ bindIP: '0.0.0.0', containerPort: 80, hostPort: 32768, protocol: 'tcp' }]);
    },
  },
  {
    title: 'host mode: the host port is the container port',
    networkMode: 'host',
    launchType: 'EC2',
    check: (t, task) => t.is(task.containers?.[0]?.networkBindings?.[0]?.hostPort, 80),
  },
  {
    title: 'EXTERNAL: placed on the mi- instance',
    networkMode: 'bridge',
    launchType: 'EXTERNAL',
    check: (t, task, emu) => {
      const external = emu.state.containerInstances().find((ci) => ci.ec2InstanceId.startsWith('mi-'));
      t.is(task.containerInstanceArn, external?.containerInstanceArn);
    },
  },
];

for (const c of shapeCases) {
  test(`task shape — ${c.title}`, async (t) => {
    const { emu, ecs } = await harness(t);
    emu.state.createCluster('default');
    emu.state.registerContainerInstance({ privateIp: '10.0.0.7' });
    emu.state.registerContainerInstance({ kind: 'external', privateIp: '192.168.1.5' });
    const def = definition(emu, 'app', c.networkMode, container('web', 80));
    const [run] = emu.state.runTask({
      taskDefinition: 'app',
      launchType: c.launchType,
      ip: (i) => `127.0.0.${i + 2}`,
      group: 'service:app',
      ...c.run,
    });
    const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: 'default', tasks: [run!.taskArn] }))).tasks ?? [];
    t.truthy(task);
    t.is(task!.taskDefinitionArn, def.taskDefinitionArn);
    t.is(task!.clusterArn, 'arn:aws:ecs:us-east-1:123456789012:cluster/default');
    t.is(task!.launchType, c.launchType);
    t.is(task!.group, 'service:app');
    t.regex(task!.taskArn ?? '', /^arn:aws:ecs:us-east-1:123456789012:task\/default\/[0-9a-f]{32}$/);
    c.check(t, task!, emu);
  });
}

test('write operations through the SDK: cluster, definitions, container instance, run, stop', async (t) => {
  const { ecs } = await harness(t);
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  const register = () =>
    ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'api',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [{ name: 'api', image: 'example/api', portMappings: [{ containerPort: 3000 }] }],
      }),
    );
  await register();
  const second = await register();
  t.is(second.taskDefinition?.taskDefinitionArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:2');

  await t.throwsAsync(ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: 'api' })), {
    name: 'InvalidParameterException',
    message: /Network Configuration must be provided/,
  });
  const run = await ecs.send(
    new RunTaskCommand({
      cluster: 'prod',
      taskDefinition: 'api',
      count: 3,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
    }),
  );
  t.is(run.tasks?.length, 3);
  t.is(run.tasks?.[0]?.taskDefinitionArn, second.taskDefinition?.taskDefinitionArn);
  const ips = run.tasks?.map((task) => task.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address);
  t.is(new Set(ips).size, 3, 'every awsvpc task gets its own IP');

  const stopped = await ecs.send(new StopTaskCommand({ cluster: 'prod', task: run.tasks![0]!.taskArn!, reason: 'scale in' }));
  t.is(stopped.task?.desiredStatus, 'STOPPED');
  t.is(stopped.task?.stoppedReason, 'scale in');
  const running = await ecs.send(new ListTasksCommand({ cluster: 'prod', desiredStatus: 'RUNNING' }));
  t.is(running.taskArns?.length, 2);

  const instance = await ecs.send(
    new RegisterContainerInstanceCommand({
      cluster: 'prod',
      instanceIdentityDocument: JSON.stringify({ instanceId: 'i-0123456789abcdef0', privateIp: '10.9.9.9' }),
    }),
  );
  t.is(instance.containerInstance?.ec2InstanceId, 'i-0123456789abcdef0');
});

test('updateTask and setTaskHealth change what DescribeTasks reports', async (t) => {
  const { emu, ecs } = await harness(t);
  emu.state.createCluster('default');
  emu.state.taskDefinitions.register({
    family: 'hc',
    networkMode: 'awsvpc',
    containerDefinitions: [{ ...container('web', 80), healthCheck: { command: ['CMD', 'true'] } }],
  });
  const [task] = emu.state.runTask({ taskDefinition: 'hc', launchType: 'FARGATE', lastStatus: 'PENDING' });
  const describe = async () => (await ecs.send(new DescribeTasksCommand({ tasks: [task!.taskArn] }))).tasks![0]!;
  t.like(await describe(), { lastStatus: 'PENDING', healthStatus: 'UNKNOWN' });
  emu.state.updateTask({ task: task!.taskArn, lastStatus: 'RUNNING' });
  emu.state.setTaskHealth({ task: task!.taskArn }, 'UNHEALTHY');
  const after = await describe();
  t.like(after, { lastStatus: 'RUNNING', healthStatus: 'UNHEALTHY' });
  t.is(after.containers?.[0]?.healthStatus, 'UNHEALTHY');
  t.truthy(after.startedAt);
});

test('runTask refuses EC2 placement without container instances and Fargate for bridge definitions', async (t) => {
  const { emu } = await harness(t);
  emu.state.createCluster('default');
  definition(emu, 'bridge', 'bridge', container('web', 80));
  t.throws(() => emu.state.runTask({ taskDefinition: 'bridge' }), { message: /No Container Instances/ });
  t.throws(() => emu.state.runTask({ taskDefinition: 'bridge', launchType: 'FARGATE' }), { message: /FARGATE/ });
  t.throws(() => emu.state.runTask({ cluster: 'nope', taskDefinition: 'bridge' }), { message: 'Cluster not found.' });
});
