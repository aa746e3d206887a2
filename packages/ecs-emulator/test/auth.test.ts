import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import test from 'ava';
import type { EcsEmulator, EmulatorCredentials } from '../src/index.js';
import { computeSignature } from '../src/sigv4.js';
import { harness } from './helpers.js';

interface AuthCase {
  readonly title: string;
  readonly credentials: (emu: EcsEmulator) => { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  readonly region?: string;
  readonly ecs: string;
  readonly ec2: string;
}

const cases: AuthCase[] = [
  {
    title: 'unknown access key',
    credentials: () => ({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' }),
    ecs: 'UnrecognizedClientException',
    ec2: 'AuthFailure',
  },
  {
    title: 'wrong secret (bad signature)',
    credentials: (emu) => ({ ...emu.issueCredentials(), secretAccessKey: 'not-the-secret' }),
    ecs: 'InvalidSignatureException',
    ec2: 'SignatureDoesNotMatch',
  },
  {
    title: 'signed for another region',
    credentials: (emu) => emu.issueCredentials(),
    region: 'eu-west-1',
    ecs: 'InvalidSignatureException',
    ec2: 'SignatureDoesNotMatch',
  },
  {
    title: 'temporary key without its session token',
    credentials: (emu) => {
      const { accessKeyId, secretAccessKey } = emu.issueCredentials({ temporary: true });
      return { accessKeyId, secretAccessKey };
    },
    ecs: 'UnrecognizedClientException',
    ec2: 'AuthFailure',
  },
  {
    title: 'temporary key with a wrong session token',
    credentials: (emu) => ({ ...emu.issueCredentials({ temporary: true }), sessionToken: 'forged' }),
    ecs: 'UnrecognizedClientException',
    ec2: 'AuthFailure',
  },
  {
    title: 'expired temporary key',
    credentials: (emu) =>
      emu.addCredentials({ accessKeyId: 'ASIAEXPIREDEXPIRED00', secretAccessKey: 's', sessionToken: 't', expiresAt: new Date(Date.now() - 1000) }),
    ecs: 'ExpiredTokenException',
    ec2: 'RequestExpired',
  },
];

for (const c of cases) {
  test(`refuses: ${c.title}`, async (t) => {
    const { emu } = await harness(t);
    const config = { region: c.region ?? emu.region, endpoint: emu.url, credentials: c.credentials(emu), maxAttempts: 1 };
    const ecs = new ECSClient(config);
    const ec2 = new EC2Client(config);
    t.teardown(() => (ecs.destroy(), ec2.destroy()));
    await t.throwsAsync(ecs.send(new ListClustersCommand({})), { name: c.ecs });
    await t.throwsAsync(ec2.send(new DescribeInstancesCommand({})), { name: c.ec2 });
    const [ecsCall] = emu.calls;
    t.like(ecsCall, { operation: 'ListClusters', accessKeyId: config.credentials.accessKeyId, region: config.region, errorCode: c.ecs });
  });
}

test('accepts temporary credentials with their token and records key, region and token of every call', async (t) => {
  const { emu } = await harness(t);
  const temporary = emu.issueCredentials({ temporary: true });
  const ecs = new ECSClient({ region: emu.region, endpoint: emu.url, credentials: temporary, maxAttempts: 1 });
  t.teardown(() => ecs.destroy());
  emu.state.createCluster('default');
  const listed = await ecs.send(new ListClustersCommand({}));
  t.is(listed.clusterArns?.length, 1);
  t.regex(temporary.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  const [call] = emu.calls;
  t.like(call, {
    service: 'ecs',
    operation: 'ListClusters',
    accessKeyId: temporary.accessKeyId,
    region: 'us-east-1',
    sessionToken: temporary.sessionToken,
    statusCode: 200,
    attempt: 1,
  });
  t.true(call!.time instanceof Date);
});

test('an allow list per key yields AccessDenied/UnauthorizedOperation for other actions', async (t) => {
  const { emu } = await harness(t);
  emu.state.createCluster('default');
  const limited: EmulatorCredentials = emu.issueCredentials({ allow: ['ecs:List*'] });
  const config = { region: emu.region, endpoint: emu.url, credentials: limited, maxAttempts: 1 };
  const ecs = new ECSClient(config);
  const ec2 = new EC2Client(config);
  t.teardown(() => (ecs.destroy(), ec2.destroy()));
  await t.notThrowsAsync(ecs.send(new ListClustersCommand({})));
  await t.throwsAsync(ecs.send(new DescribeClustersCommand({})), {
    name: 'AccessDeniedException',
    message: /not authorized to perform: ecs:DescribeClusters/,
  });
  await t.throwsAsync(ec2.send(new DescribeInstancesCommand({})), { name: 'UnauthorizedOperation' });
});

test('unsigned requests, tampered bodies and wrong service scopes are refused', async (t) => {
  const { emu, credentials } = await harness(t);
  emu.state.createCluster('default');
  const send = async (target: string, body: string, signedBody: string, service: string) => {
    const host = new URL(emu.url).host;
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const headers: Record<string, string> = {
      host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-date': amzDate,
      'x-amz-target': target,
    };
    const signedHeaders = ['content-type', 'host', 'x-amz-date', 'x-amz-target'];
    const scope = { date: amzDate.slice(0, 8), region: emu.region, service, signedHeaders };
    const signature = computeSignature({ method: 'POST', url: '/', headers, body: Buffer.from(signedBody) }, scope, credentials.secretAccessKey, amzDate);
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope.date}/${emu.region}/${service}/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
    const response = await fetch(emu.url, { method: 'POST', headers, body });
    return { status: response.status, body: (await response.json()) as { __type: string } };
  };
  const ok = await send('AmazonEC2ContainerServiceV20141113.ListClusters', '{}', '{}', 'ecs');
  t.is(ok.status, 200, 'the hand-signed control request is accepted');
  const tampered = await send('AmazonEC2ContainerServiceV20141113.ListClusters', '{"maxResults":1}', '{}', 'ecs');
  t.deepEqual([tampered.status, tampered.body.__type], [400, 'InvalidSignatureException']);
  const wrongService = await send('AmazonSSM.DescribeInstanceInformation', '{}', '{}', 'ecs');
  t.deepEqual([wrongService.status, wrongService.body.__type], [400, 'InvalidSignatureException']);

  const unsigned = await fetch(emu.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters' },
    body: '{}',
  });
  t.is(unsigned.status, 400);
  t.is(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
});
