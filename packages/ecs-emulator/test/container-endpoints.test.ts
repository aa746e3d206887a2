import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { fromContainerMetadata, fromHttp, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import test from 'ava';
import { container, definition, harness } from './helpers.js';

// The credential providers read process.env, so these tests run serially and restore it.
async function withEnv<T>(vars: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(vars);
  try {
    return await run();
  } finally {
    apply(saved);
  }
}

const isolatedChain = {
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  AWS_ROLE_ARN: undefined,
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  AWS_CONTAINER_AUTHORIZATION_TOKEN: undefined,
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/wharf-credentials',
  AWS_CONFIG_FILE: '/nonexistent/wharf-config',
  AWS_EC2_METADATA_DISABLED: 'true',
};

test.serial('fromContainerMetadata reads the task role from AWS_CONTAINER_CREDENTIALS_FULL_URI', async (t) => {
  const { emu } = await harness(t);
  const role = emu.taskRoleCredentials({ roleArn: 'arn:aws:iam::123456789012:role/traefik' });
  t.is(role.relativeUri, `/v2/credentials/${role.id}`);
  const credentials = await withEnv({ ...isolatedChain, AWS_CONTAINER_CREDENTIALS_FULL_URI: role.fullUri }, () =>
    fromContainerMetadata()(),
  );
  t.like(credentials, {
    accessKeyId: role.credentials.accessKeyId,
    secretAccessKey: role.credentials.secretAccessKey,
    sessionToken: role.credentials.sessionToken,
  });
  t.deepEqual(credentials.expiration, role.credentials.expiresAt);
  t.like(emu.calls.at(-1), { service: 'container-credentials', operation: 'GetCredentials', statusCode: 200 });
});

test.serial('the default chain uses the container endpoint and every ECS call carries the session token', async (t) => {
  const { emu } = await harness(t);
  emu.state.createCluster('default');
  const role = emu.taskRoleCredentials();
  await withEnv({ ...isolatedChain, AWS_CONTAINER_CREDENTIALS_FULL_URI: role.fullUri }, async () => {
    const ecs = new ECSClient({ region: emu.region, endpoint: emu.url, credentials: fromNodeProviderChain(), maxAttempts: 1 });
    t.teardown(() => ecs.destroy());
    await ecs.send(new ListClustersCommand({}));
    await ecs.send(new ListClustersCommand({}));
  });
  const ecsCalls = emu.calls.filter((c) => c.service === 'ecs');
  t.is(ecsCalls.length, 2);
  for (const call of ecsCalls) {
    t.like(call, { statusCode: 200, accessKeyId: role.credentials.accessKeyId, sessionToken: role.credentials.sessionToken });
  }
  t.true(emu.calls.some((c) => c.service === 'container-credentials'));
});

test.serial('an authorization token on the endpoint is enforced (fromHttp)', async (t) => {
  const { emu } = await harness(t);
  const role = emu.taskRoleCredentials({ authorizationToken: 'secret-token' });
  const good = await withEnv({ ...isolatedChain, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'secret-token' }, () =>
    fromHttp({ awsContainerCredentialsFullUri: role.fullUri })(),
  );
  t.is(good.accessKeyId, role.credentials.accessKeyId);
  const denied = await fetch(role.fullUri, { headers: { authorization: 'wrong' } });
  t.is(denied.status, 401);
  const unknown = await fetch(`${emu.url}/v2/credentials/unknown`);
  t.is(unknown.status, 400);
});

test('task metadata v4 describes the task (region via AvailabilityZone) and the container', async (t) => {
  const { emu } = await harness(t, { region: 'eu-west-3' });
  emu.state.createCluster('edge');
  definition(emu, 'traefik', 'awsvpc', container('proxy', 80, { 'traefik.enable': 'false' }));
  const [task] = emu.state.runTask({ cluster: 'edge', taskDefinition: 'traefik', ip: '127.0.0.9' });
  const { uri } = emu.taskMetadataEndpoint({ cluster: 'edge', task: task!.taskArn });
  const taskMetadata = (await (await fetch(`${uri}/task`)).json()) as Record<string, unknown>;
  t.like(taskMetadata, {
    Cluster: 'arn:aws:ecs:eu-west-3:123456789012:cluster/edge',
    TaskARN: task!.taskArn,
    AvailabilityZone: 'eu-west-3a',
    LaunchType: 'FARGATE',
    Family: 'traefik',
    Revision: '1',
    KnownStatus: 'RUNNING',
  });
  const own = (await (await fetch(uri)).json()) as { Name: string; Labels: Record<string, string>; Networks: { IPv4Addresses: string[] }[] };
  t.is(own.Name, 'proxy');
  t.is(own.Labels['traefik.enable'], 'false');
  t.is(own.Labels['com.amazonaws.ecs.task-arn'], task!.taskArn);
  t.deepEqual(own.Networks[0]?.IPv4Addresses, ['127.0.0.9']);
  t.is((await fetch(`${emu.url}/v4/nope/task`)).status, 404);
});
