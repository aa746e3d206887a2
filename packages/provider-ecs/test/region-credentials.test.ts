import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { silentLogger } from '@wharf/core';
import { runProviderContract } from '@wharf/core/testing';
import plugin, { EcsProvider, resolveRegion } from '../src/index.js';
import { emulator, fargateDefinition, POLICY_ACTIONS, serverUrls } from './emulator-helpers.js';

test('region: option, then AWS_REGION / AWS_DEFAULT_REGION, then task metadata, then IMDS, else an error', async (t) => {
  const emu = await emulator();
  t.teardown(() => emu.close());
  emu.state.createCluster('default');
  fargateDefinition(emu);
  const [task] = emu.state.runTask({ taskDefinition: 'whoami', group: 'service:whoami', ip: '10.0.0.1' });
  const metadata = emu.taskMetadataEndpoint({ task: task!.taskArn });
  let imdsHits = 0;
  const imds = createServer((req, res) => {
    imdsHits++;
    if (req.method === 'PUT' && req.url === '/latest/api/token') return res.end('token-1');
    if (req.url === '/latest/meta-data/placement/region' && req.headers['x-aws-ec2-metadata-token'] === 'token-1') return res.end('ap-south-1');
    res.statusCode = 401;
    res.end();
  }).listen(0, '127.0.0.1');
  t.teardown(() => imds.close());
  await new Promise((r) => imds.once('listening', r));
  const imdsUrl = `http://127.0.0.1:${(imds.address() as AddressInfo).port}`;
  const cases: Array<[string, NodeJS.ProcessEnv, boolean, string, string]> = [
    ['eu-west-3', { AWS_REGION: 'us-west-2' }, false, 'eu-west-3', 'option'],
    ['', { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-north-1' }, false, 'us-west-2', 'env'],
    ['', { AWS_DEFAULT_REGION: 'eu-north-1' }, false, 'eu-north-1', 'env'],
    ['', { ECS_CONTAINER_METADATA_URI_V4: metadata.uri, AWS_EC2_METADATA_SERVICE_ENDPOINT: imdsUrl }, true, 'us-east-1', 'task-metadata'],
    ['', { AWS_EC2_METADATA_SERVICE_ENDPOINT: imdsUrl }, true, 'ap-south-1', 'imds'],
  ];
  for (const [option, env, isEc2, region, source] of cases) {
    t.deepEqual(await resolveRegion(option, { env, isEc2: () => isEc2 }), { region, source }, JSON.stringify(env));
  }
  const hits = imdsHits;
  await t.throwsAsync(resolveRegion('', { env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imdsUrl }, isEc2: () => false }), { code: 'ECS_NO_REGION', message: /--providers\.ecs\.region.*AWS_REGION/ });
  await t.throwsAsync(resolveRegion('', { env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imdsUrl, AWS_EC2_METADATA_DISABLED: 'true' }, isEc2: () => true }), { code: 'ECS_NO_REGION' });
  t.is(imdsHits, hits, 'IMDS is not called when not on EC2 or when disabled');
});

test('region: a missing region makes init fail (a start-up error)', async (t) => {
  const p = new EcsProvider({}, silentLogger(), { env: {}, isEc2: () => false });
  await t.throwsAsync(p.init(), { code: 'ECS_NO_REGION' });
});

test('options: unsupported defaultRule and refreshSeconds <= 0 are start-up errors', async (t) => {
  t.throws(() => new EcsProvider({ refreshSeconds: 0 }, silentLogger()), { code: 'ECS_OPTIONS' });
  const p = new EcsProvider({ region: 'us-east-1', defaultRule: 'Host(`{{ .Toto }}`)' }, silentLogger());
  await t.throwsAsync(p.init(), { code: 'ECS_DEFAULT_RULE', message: /\.Toto/ });
});

// Serial: the SDK's default chain and AWS_ENDPOINT_URL are read from process.env.
test.serial('credentials: the task role through the container endpoint signs every call (Traefik #7096)', async (t) => {
  const emu = await emulator();
  t.teardown(() => emu.close());
  emu.state.createCluster('default');
  fargateDefinition(emu);
  emu.state.runTask({ taskDefinition: 'whoami', group: 'service:whoami', ip: '10.0.0.1' });
  const role = emu.taskRoleCredentials({ allow: POLICY_ACTIONS });
  const saved = { ...process.env };
  t.teardown(() => {
    process.env = saved;
  });
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete process.env[key];
  Object.assign(process.env, { AWS_CONTAINER_CREDENTIALS_FULL_URI: role.fullUri, AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: emu.url, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
  const p = new EcsProvider({ region: 'us-east-1', refreshSeconds: 1 }, silentLogger());
  await p.init();
  const result = await p.refresh();
  t.deepEqual(serverUrls(result.configuration, 'service-whoami-whoami'), ['http://10.0.0.1:80']);
  const signed = emu.calls.filter((c) => c.service === 'ecs');
  t.true(signed.length >= 2);
  t.true(signed.every((c) => c.accessKeyId === role.credentials.accessKeyId && c.sessionToken === role.credentials.sessionToken && c.statusCode === 200));
  t.true(emu.calls.some((c) => c.service === 'container-credentials'));
});

test('credentials: static keys are used when both are set', async (t) => {
  const emu = await emulator();
  t.teardown(() => emu.close());
  emu.state.createCluster('default');
  const keys = emu.issueCredentials();
  const p = new EcsProvider({ region: 'us-east-1', endpoint: emu.url, accessKeyID: keys.accessKeyId, secretAccessKey: keys.secretAccessKey }, silentLogger(), { env: {} });
  await p.init();
  await p.refresh();
  t.true(emu.calls.length > 0);
  t.true(emu.calls.every((c) => c.accessKeyId === keys.accessKeyId && c.statusCode === 200));
});

test('passes the provider contract', async (t) => {
  const emu = await emulator();
  t.teardown(() => emu.close());
  emu.state.createCluster('default');
  fargateDefinition(emu, 'whoami', 80, { 'traefik.http.routers.w.rule': 'Host(`w.example`)' });
  emu.state.runTask({ taskDefinition: 'whoami', group: 'service:whoami', ip: '10.0.0.1' });
  const keys = emu.issueCredentials();
  await t.notThrowsAsync(
    runProviderContract({
      plugin,
      options: { region: 'us-east-1', endpoint: emu.url, accessKeyID: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, refreshSeconds: 1 },
      checkSnapshot: (m) => {
        if (m.configuration.http?.routers?.w?.rule !== 'Host(`w.example`)') throw new Error('router w missing');
      },
    }),
  );
});
