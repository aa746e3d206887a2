import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { ListClustersCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import test from 'ava';
import { FaultInjector } from '../src/index.js';
import { harness } from './helpers.js';

test('the SDK retries injected ThrottlingException, and every attempt is recorded', async (t) => {
  const { emu, ecs } = await harness(t, {}, 3);
  emu.state.createCluster('default');
  const fault = emu.faults.inject({ operation: 'ListTasks', kind: 'throttle', times: 2 });
  const response = await ecs.send(new ListTasksCommand({ cluster: 'default' }));
  t.is(response.$metadata.attempts, 3);
  t.is(fault.hits, 2);
  const calls = emu.calls.filter((c) => c.operation === 'ListTasks');
  t.deepEqual(
    calls.map((c) => [c.attempt, c.statusCode, c.errorCode, c.fault]),
    [
      [1, 400, 'ThrottlingException', 'throttle'],
      [2, 400, 'ThrottlingException', 'throttle'],
      [3, 200, undefined, undefined],
    ],
  );
  t.is(new Set(calls.map((c) => c.invocationId)).size, 1, 'the three attempts belong to one command');
  t.deepEqual(emu.faults.list(), [], 'a fault with `times` is withdrawn once used up');
});

test('throttling beyond the retry budget surfaces to the caller', async (t) => {
  const { emu, ecs } = await harness(t, {}, 2);
  emu.state.createCluster('default');
  emu.faults.inject({ operation: 'ecs:ListTasks', kind: 'throttle' });
  await t.throwsAsync(ecs.send(new ListTasksCommand({ cluster: 'default' })), { name: 'ThrottlingException', message: 'Rate exceeded' });
  t.is(emu.calls.length, 2);
  await t.notThrowsAsync(ecs.send(new ListClustersCommand({})), 'other operations are unaffected');
});

test('server errors and custom errors per service', async (t) => {
  const { emu, ecs, ec2 } = await harness(t);
  const server = emu.faults.inject({ service: 'ecs', kind: 'server-error', times: 1 });
  const error = await t.throwsAsync(ecs.send(new ListClustersCommand({})), { name: 'ServerException' });
  t.is((error as unknown as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 500);
  server.remove();
  emu.faults.inject({ operation: 'ec2:DescribeInstances', kind: 'throttle', times: 1 });
  await t.throwsAsync(ec2.send(new DescribeInstancesCommand({})), { name: 'RequestLimitExceeded' });
  emu.faults.inject({ operation: 'ListClusters', kind: 'error', code: 'AccessDeniedException', message: 'nope', times: 1 });
  await t.throwsAsync(ecs.send(new ListClustersCommand({})), { name: 'AccessDeniedException', message: 'nope' });
  await t.notThrowsAsync(ecs.send(new ListClustersCommand({})));
});

test('latency faults delay the answer', async (t) => {
  const { emu, ecs } = await harness(t);
  emu.faults.inject({ operation: 'ListClusters', kind: 'latency', latencyMs: 200, times: 1 });
  const started = performance.now();
  await ecs.send(new ListClustersCommand({}));
  t.true(performance.now() - started >= 190);
  t.is(emu.calls[0]?.fault, 'latency');
  const again = performance.now();
  await ecs.send(new ListClustersCommand({}));
  t.true(performance.now() - again < 150);
});

test('ratio faults hit about that share of calls, reproducibly from the seed', (t) => {
  const run = (seed: number) => {
    const injector = new FaultInjector(seed);
    injector.inject({ kind: 'throttle', ratio: 0.3 });
    return Array.from({ length: 1000 }, () => injector.decide('ecs', 'ListTasks').error !== undefined);
  };
  const hits = run(7).filter(Boolean).length;
  t.true(hits > 240 && hits < 360, `${hits} hits`);
  t.deepEqual(run(7), run(7));
  const never = new FaultInjector();
  never.inject({ kind: 'throttle', ratio: 0 });
  t.is(never.decide('ecs', 'ListTasks').error, undefined);
  t.throws(() => never.inject({ kind: 'throttle', ratio: 2 }), { instanceOf: RangeError });
});
