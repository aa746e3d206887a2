import { DescribeInstancesCommand, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, paginateDescribeInstanceInformation } from '@aws-sdk/client-ssm';
import test from 'ava';
import { harness } from './helpers.js';

test('EC2 DescribeInstances XML is parsed by the SDK: ids, private IPs and states', async (t) => {
  const { emu, ec2 } = await harness(t);
  const a = emu.state.hosts.addEc2Instance({ privateIp: '10.0.0.5' });
  const b = emu.state.hosts.addEc2Instance({ instanceId: 'i-0a1b2c3d', privateIp: '10.0.0.6' });
  emu.state.hosts.setEc2InstanceState(b.instanceId, 'stopping');
  const response = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [a.instanceId, b.instanceId] }));
  const instances = response.Reservations?.flatMap((r) => r.Instances ?? []);
  t.deepEqual(
    instances?.map((i) => [i.InstanceId, i.PrivateIpAddress, i.State?.Name, i.State?.Code]),
    [
      [a.instanceId, '10.0.0.5', 'running', 16],
      ['i-0a1b2c3d', '10.0.0.6', 'stopping', 64],
    ],
  );
  t.is(response.NextToken, undefined);
  const call = emu.calls.at(-1);
  t.like(call, { service: 'ec2', operation: 'DescribeInstances', statusCode: 200 });
  t.like(call?.input, { Action: 'DescribeInstances', Version: '2016-11-15' });
});

test('EC2 errors come back in the EC2 XML error shape', async (t) => {
  const { emu, ec2 } = await harness(t);
  const known = emu.state.hosts.addEc2Instance();
  const cases = [
    { input: { InstanceIds: ['mi-0123456789abcdef0'] }, name: 'InvalidInstanceID.Malformed', message: /mi-0123456789abcdef0/ },
    { input: { InstanceIds: ['i-0123456789abcdef0'] }, name: 'InvalidInstanceID.NotFound', message: /does not exist/ },
    { input: { InstanceIds: [known.instanceId], MaxResults: 5 }, name: 'InvalidParameterCombination', message: /maxResults/ },
    { input: { MaxResults: 2 }, name: 'InvalidParameterValue', message: /maxResults/ },
    { input: { Filters: [{ Name: 'tag:x', Values: ['y'] }] }, name: 'InvalidParameterValue', message: /filter/ },
  ];
  for (const c of cases) {
    const error = await t.throwsAsync(ec2.send(new DescribeInstancesCommand(c.input)), { name: c.name, message: c.message });
    t.is((error as unknown as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 400);
  }
});

test('EC2 DescribeInstances paginates with MaxResults and NextToken, and filters', async (t) => {
  const { emu, ec2 } = await harness(t);
  const ids = Array.from({ length: 12 }, () => emu.state.hosts.addEc2Instance().instanceId);
  emu.state.hosts.setEc2InstanceState(ids[3]!, 'stopped');
  const pages: string[][] = [];
  for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, {})) {
    pages.push(page.Reservations?.flatMap((r) => r.Instances?.map((i) => i.InstanceId ?? '') ?? []) ?? []);
  }
  t.deepEqual(pages.map((p) => p.length), [5, 5, 2]);
  t.deepEqual(pages.flat(), ids);

  const stopped = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }));
  t.deepEqual(stopped.Reservations?.flatMap((r) => r.Instances?.map((i) => i.InstanceId)), [ids[3]]);
});

test('SSM DescribeInstanceInformation filters by InstanceIds and reports IPAddress', async (t) => {
  const { emu, ssm } = await harness(t);
  emu.state.createCluster('default');
  const external = emu.state.registerContainerInstance({ kind: 'external', privateIp: '192.168.7.7' });
  emu.state.registerContainerInstance({ kind: 'external' });
  const response = await ssm.send(
    new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [external.ec2InstanceId] }] }),
  );
  t.deepEqual(
    response.InstanceInformationList?.map((i) => [i.InstanceId, i.IPAddress, i.PingStatus]),
    [[external.ec2InstanceId, '192.168.7.7', 'Online']],
  );
  t.true(response.InstanceInformationList?.[0]?.LastPingDateTime instanceof Date);
  t.like(emu.calls.at(-1), { service: 'ssm', operation: 'DescribeInstanceInformation' });
});

test('SSM pages by 10 by default and rejects unknown filter keys', async (t) => {
  const { emu, ssm } = await harness(t);
  const ids = Array.from({ length: 23 }, () => emu.state.hosts.addManagedInstance().InstanceId);
  const pages: number[] = [];
  const seen: string[] = [];
  for await (const page of paginateDescribeInstanceInformation({ client: ssm }, { Filters: [{ Key: 'InstanceIds', Values: ids }] })) {
    pages.push(page.InstanceInformationList?.length ?? 0);
    seen.push(...(page.InstanceInformationList?.map((i) => i.InstanceId ?? '') ?? []));
  }
  t.deepEqual(pages, [10, 10, 3]);
  t.deepEqual(seen, ids);
  await t.throwsAsync(ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'Bogus', Values: ['x'] }] })), {
    name: 'InvalidFilterKey',
  });
  await t.throwsAsync(ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 51 })), { name: 'ValidationException' });
});
