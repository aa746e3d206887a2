import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import test from 'ava';
import { startEcsEmulator, type RecordedCall, type Task } from '../src/index.js';
import { container, definition, harness } from './helpers.js';

async function control<T>(url: string, operation: string, input: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'x-amz-target': `WharfEmulator.${operation}`, 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as T };
}

test('control operations run tasks with chosen IPs, inject faults and list calls', async (t) => {
  const { emu, ecs } = await harness(t);
  emu.state.createCluster('default');
  definition(emu, 'web', 'awsvpc', container('web', 80));
  const run = await control<{ tasks: Task[] }>(emu.url, 'RunTask', { taskDefinition: 'web', count: 2, ip: ['127.0.0.4', '127.0.0.5'] });
  t.is(run.status, 200);
  const described = await ecs.send(new DescribeTasksCommand({ tasks: run.body.tasks.map((task) => task.taskArn) }));
  t.deepEqual(described.tasks?.map((task) => task.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address), ['127.0.0.4', '127.0.0.5']);

  t.is((await control(emu.url, 'InjectFault', { operation: 'ListTasks', kind: 'throttle', times: 1 })).status, 200);
  await t.throwsAsync(ecs.send(new ListTasksCommand({})), { name: 'ThrottlingException' });
  const calls = await control<{ calls: RecordedCall[] }>(emu.url, 'ListCalls', {});
  t.deepEqual(calls.body.calls.map((c) => [c.operation, c.errorCode ?? null]), [['DescribeTasks', null], ['ListTasks', 'ThrottlingException']]);

  const bad = await control<{ __type: string }>(emu.url, 'RunTask', { taskDefinition: 'missing' });
  t.deepEqual([bad.status, bad.body.__type], [400, 'ClientException']);
  const unknown = await control<{ __type: string }>(emu.url, 'Nope', {});
  t.is(unknown.body.__type, 'UnknownOperationException');
});

test('the control API can be switched off', async (t) => {
  const emu = await startEcsEmulator({ controlApi: false });
  t.teardown(() => emu.close());
  const response = await control<{ __type: string }>(emu.url, 'ListCalls', {});
  t.deepEqual([response.status, response.body.__type], [400, 'UnknownOperationException']);
});
