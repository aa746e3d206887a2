import test from 'ava';
import type { ConfigMessage } from '@wharf/core';
import { emulator, fargateDefinition, POLICY_ACTIONS, provider, recordingLogger, serverUrls } from './emulator-helpers.js';

const NAME = 'service-whoami-whoami';
const ip = (base: number) => (i: number) => `10.${base}.${Math.floor(i / 250)}.${(i % 250) + 1}`;

test('discovers > 100 tasks per cluster across clusters, paging ListTasks and batching DescribeTasks', async (t) => {
  const emu = await emulator();
  t.teardown(() => emu.close());
  for (const [n, cluster] of ['a', 'b'].entries()) {
    emu.state.createCluster(cluster);
    fargateDefinition(emu);
    emu.state.runTask({ cluster, taskDefinition: 'whoami', count: 150, group: 'service:whoami', ip: ip(n) });
  }
  const p = provider(emu, { clusters: ['a', 'b'] });
  await p.init();
  const result = await p.refresh();
  t.is(serverUrls(result.configuration, NAME).length, 300);
  const ecs = emu.calls.filter((c) => c.service === 'ecs');
  t.is(ecs.filter((c) => c.operation === 'ListTasks').length, 4);
  const describe = ecs.filter((c) => c.operation === 'DescribeTasks');
  t.is(describe.length, 4);
  t.true(describe.every((c) => ((c.input as { tasks: string[] }).tasks.length <= 100)));
  t.true(emu.calls.every((c) => c.statusCode === 200));
});

test('tasks started and stopped appear and disappear on the next cycle', async (t) => {
  const emu = await emulator();
  t.teardown(() => emu.close());
  emu.state.createCluster('default');
  fargateDefinition(emu);
  const [first] = emu.state.runTask({ taskDefinition: 'whoami', count: 2, group: 'service:whoami', ip: (i) => `10.0.0.${i + 1}` });
  const p = provider(emu, {});
  await p.init();
  t.deepEqual(serverUrls((await p.refresh()).configuration, NAME), ['http://10.0.0.1:80', 'http://10.0.0.2:80']);
  emu.state.stopTask({ task: first!.taskArn });
  emu.state.runTask({ taskDefinition: 'whoami', group: 'service:whoami', ip: '10.0.0.9' });
  t.deepEqual(serverUrls((await p.refresh()).configuration, NAME), ['http://10.0.0.2:80', 'http://10.0.0.9:80']);
});

test('task definitions are described once per ARN and then cached', async (t) => {
  const emu = await emulator();
  t.teardown(() => emu.close());
  emu.state.createCluster('default');
  fargateDefinition(emu);
  emu.state.runTask({ taskDefinition: 'whoami', count: 30, group: 'service:whoami', ip: ip(0) });
  const p = provider(emu, {});
  await p.init();
  await p.refresh();
  const described = () => emu.calls.filter((c) => c.operation === 'DescribeTaskDefinition').length;
  t.is(described(), 1);
  emu.state.runTask({ taskDefinition: 'whoami', count: 5, group: 'service:whoami', ip: ip(1) });
  await p.refresh();
  t.is(described(), 1, 'replacement tasks of a known revision cost no call (Traefik #13884)');
});

test('throttling: no emit while AWS refuses, the last configuration stays, recovery on the next good cycle', async (t) => {
  const emu = await emulator();
  t.teardown(() => emu.close());
  emu.state.createCluster('default');
  fargateDefinition(emu);
  emu.state.runTask({ taskDefinition: 'whoami', group: 'service:whoami', ip: '10.0.0.1' });
  const logger = recordingLogger();
  const p = provider(emu, {}, { logger });
  await p.init();
  const messages: ConfigMessage[] = [];
  const abort = new AbortController();
  const running = p.provide((m) => messages.push(m), abort.signal);
  t.teardown(() => abort.abort());
  await waitUntil(() => messages.length >= 1);
  const fault = emu.faults.inject({ operation: 'ListTasks', kind: 'throttle', times: 5 });
  const before = messages.length;
  await waitUntil(() => fault.hits >= 5);
  t.true(messages.length - before <= 1, 'at most the cycle already in flight emits');
  const during = messages.length;
  emu.state.runTask({ taskDefinition: 'whoami', group: 'service:whoami', ip: '10.0.0.2' });
  await waitUntil(() => messages.length > during && serverUrls(messages.at(-1)!.configuration, NAME).length === 2);
  t.true(logger.warnings.some((w) => /ECS discovery failed; keeping the last configuration/.test(w) && /ThrottlingException/.test(w)));
  abort.abort();
  await running;
});

test('a failed cluster keeps its own last routes while the other clusters update', async (t) => {
  const emu = await emulator();
  t.teardown(() => emu.close());
  emu.state.createCluster('a');
  emu.state.createCluster('b');
  fargateDefinition(emu, 'alpha');
  fargateDefinition(emu, 'beta');
  emu.state.runTask({ cluster: 'a', taskDefinition: 'alpha', group: 'service:alpha', ip: '10.0.0.1' });
  emu.state.runTask({ cluster: 'b', taskDefinition: 'beta', group: 'service:beta', ip: '10.1.0.1' });
  const p = provider(emu, { clusters: ['a', 'b'] });
  await p.init();
  await p.refresh();
  // Only cluster b needs an uncached task definition, so only b meets the fault.
  fargateDefinition(emu, 'beta');
  emu.state.runTask({ cluster: 'b', taskDefinition: 'beta', group: 'service:beta', ip: '10.1.0.2' });
  emu.state.runTask({ cluster: 'a', taskDefinition: 'alpha', group: 'service:alpha', ip: '10.0.0.2' });
  emu.faults.inject({ operation: 'DescribeTaskDefinition', kind: 'server-error', times: 1 });
  const partial = await p.refresh();
  t.deepEqual(partial.failedClusters.map((f) => f.cluster), ['b']);
  t.deepEqual(serverUrls(partial.configuration, 'service-alpha-whoami'), ['http://10.0.0.1:80', 'http://10.0.0.2:80']);
  t.deepEqual(serverUrls(partial.configuration, 'service-beta-whoami'), ['http://10.1.0.1:80']);
  const healed = await p.refresh();
  t.deepEqual(serverUrls(healed.configuration, 'service-beta-whoami'), ['http://10.1.0.1:80', 'http://10.1.0.2:80']);
  emu.faults.inject({ operation: 'ListTasks', kind: 'throttle', times: 2 });
  await t.throwsAsync(p.refresh(), { code: 'PROVIDER_FAILED' }, 'every cluster failing fails the cycle');
});

test('EC2 bridge and ECS Anywhere: batches of 100, no MaxResults with InstanceIds, only the policy actions', async (t) => {
  const emu = await emulator();
  t.teardown(() => emu.close());
  emu.state.createCluster('ec2');
  emu.state.createCluster('edge');
  for (let i = 0; i < 120; i++) emu.state.registerContainerInstance({ cluster: 'ec2', privateIp: `10.2.${Math.floor(i / 200)}.${(i % 200) + 1}` });
  for (let i = 0; i < 60; i++) emu.state.registerContainerInstance({ cluster: 'edge', kind: 'external', privateIp: `192.168.0.${i + 1}` });
  emu.state.registerTaskDefinition({ family: 'web', networkMode: 'bridge', requiresCompatibilities: ['EC2', 'EXTERNAL'], containerDefinitions: [{ name: 'web', image: 'x', portMappings: [{ containerPort: 80 }] }] });
  emu.state.runTask({ cluster: 'ec2', taskDefinition: 'web', count: 150, group: 'service:web', launchType: 'EC2' });
  emu.state.runTask({ cluster: 'edge', taskDefinition: 'web', count: 60, group: 'service:web', launchType: 'EXTERNAL' });
  const p = provider(emu, { autoDiscoverClusters: true, ecsAnywhere: true });
  await p.init();
  const result = await p.refresh();
  t.deepEqual(result.failedClusters, []);
  const urls = serverUrls(result.configuration, 'service-web-web');
  t.is(urls.length, 210);
  t.true(urls.some((u) => /^http:\/\/10\.2\.0\.\d+:327\d\d$/.test(u)), 'bridge: EC2 private IP and the dynamic host port');
  t.true(urls.some((u) => u.startsWith('http://192.168.0.')), 'ECS Anywhere: the SSM IP');
  const ops = (name: string) => emu.calls.filter((c) => `${c.service}:${c.operation}` === name);
  t.is(ops('ecs:DescribeContainerInstances').length, 3, '120 + 60 instances in chunks of 100');
  t.is(ops('ec2:DescribeInstances').length, 2);
  t.true(ops('ec2:DescribeInstances').every((c) => !('MaxResults' in (c.input as object))));
  t.is(ops('ssm:DescribeInstanceInformation').length, 2, '60 managed instances in chunks of 50');
  const used = new Set(emu.calls.map((c) => `${c.service}:${c.operation}`));
  t.deepEqual([...used].sort(), ['ec2:DescribeInstances', 'ecs:DescribeContainerInstances', 'ecs:DescribeTaskDefinition', 'ecs:DescribeTasks', 'ecs:ListClusters', 'ecs:ListTasks', 'ssm:DescribeInstanceInformation']);
  t.true([...used].every((a) => POLICY_ACTIONS.includes(a)));
  t.true(emu.calls.every((c) => c.statusCode === 200), 'nothing refused by the policy or by AWS limits');
});

test('without ecsAnywhere, EXTERNAL tasks are skipped and SSM is never called', async (t) => {
  const emu = await emulator();
  t.teardown(() => emu.close());
  emu.state.createCluster('edge');
  emu.state.registerContainerInstance({ cluster: 'edge', kind: 'external', privateIp: '192.168.0.1' });
  emu.state.registerTaskDefinition({ family: 'web', networkMode: 'bridge', requiresCompatibilities: ['EXTERNAL'], containerDefinitions: [{ name: 'web', image: 'x', portMappings: [{ containerPort: 80 }] }] });
  emu.state.runTask({ cluster: 'edge', taskDefinition: 'web', group: 'service:web', launchType: 'EXTERNAL' });
  const p = provider(emu, { clusters: ['edge'] });
  await p.init();
  const result = await p.refresh();
  t.deepEqual(result.configuration.http?.services ?? {}, {});
  t.false(emu.calls.some((c) => c.service === 'ssm' || c.service === 'ec2'));
});

async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
