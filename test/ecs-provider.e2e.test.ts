import { createServer, type Server } from 'node:http';
import test from 'ava';
import { request } from 'undici';
import { startEcsEmulator, type EcsEmulator } from '@wharf/ecs-emulator';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { runWharf, startWharf, type WharfProcess } from './helpers/wharf-process.js';

// The ECS hands-on, end to end: a Fargate cluster running three `whoami` tasks (awsvpc, one
// address each on 127.0.0.2-4, all on the same port as real tasks would be), a real `wharf`
// process discovering them through the real AWS SDK against the emulator, signed with the task
// role's temporary credentials (no access keys anywhere, Traefik #7096).
const HOST = 'alb.example';
const CLUSTER = 'whoami-cluster';
const POLICY = ['ecs:ListClusters', 'ecs:DescribeClusters', 'ecs:ListTasks', 'ecs:DescribeTasks', 'ecs:DescribeContainerInstances', 'ecs:DescribeTaskDefinition', 'ec2:DescribeInstances', 'ssm:DescribeInstanceInformation'];

let emu: EcsEmulator;
let first: Backend;
const extra: Server[] = [];
let wharf: WharfProcess;
let roleKey: string;
const taskByIp = new Map<string, string>();

/** Env for wharf: endpoint and task role from the emulator, no keys, no region, no IMDS. */
function awsEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_REGION: '', AWS_DEFAULT_REGION: '',
    AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', ECS_CONTAINER_METADATA_URI_V4: '',
    AWS_ENDPOINT_URL: emu.url,
    ...overrides,
  };
}

function whoami(name: string, host: string, port: number): Promise<Server> {
  const server = createServer((_req, res) => res.end(JSON.stringify({ name })));
  return new Promise((resolve, reject) => server.once('error', reject).listen(port, host, () => resolve(server)));
}

async function hit(): Promise<{ status: number; name?: string }> {
  const response = await request(wharf.urls.web!, { headers: { host: HOST } });
  const text = await response.body.text();
  return response.statusCode === 200 ? { status: 200, name: (JSON.parse(text) as { name: string }).name } : { status: response.statusCode };
}

async function namesSeen(requests: number): Promise<Set<string | undefined>> {
  const seen = new Set<string | undefined>();
  for (let i = 0; i < requests; i++) seen.add((await hit()).name);
  return seen;
}

function runTask(ip: string): void {
  const [task] = emu.state.runTask({ cluster: CLUSTER, taskDefinition: 'whoami', group: 'service:whoami', ip });
  taskByIp.set(ip, task!.taskArn);
}

test.before(async () => {
  emu = await startEcsEmulator({ region: 'us-east-1' });
  first = await startBackend('task-2', undefined, '127.0.0.2');
  extra.push(await whoami('task-3', '127.0.0.3', first.port), await whoami('task-4', '127.0.0.4', first.port));
  emu.state.createCluster(CLUSTER);
  emu.state.registerTaskDefinition({
    family: 'whoami',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [{
      name: 'whoami', image: 'containous/whoami:v1.5.0', essential: true,
      portMappings: [{ containerPort: first.port, hostPort: first.port }],
      dockerLabels: { 'traefik.http.routers.whoami.rule': `Host(\`${HOST}\`)`, 'traefik.enable': 'true' },
    }],
  });
  for (const ip of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) runTask(ip);
  const role = emu.taskRoleCredentials({ allow: POLICY });
  roleKey = role.credentials.accessKeyId;
  wharf = await startWharf(['web'], [`--providers.ecs.clusters=${CLUSTER}`, '--providers.ecs.region=us-east-1', '--providers.ecs.refreshSeconds=1', '--providers.providersThrottleDuration=0s', '--log.level=DEBUG'], {
    env: awsEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: role.fullUri }),
  });
});

test.after.always(async () => {
  await wharf?.stop();
  await first?.close();
  for (const server of extra) server.close();
  await emu?.close();
});

test.serial('requests with the Host are load-balanced over the three tasks', async (t) => {
  const seen = await waitFor(async () => {
    const names = await namesSeen(6);
    return names.size === 3 && !names.has(undefined) ? names : false;
  }, 10_000, 'three tasks serving');
  t.deepEqual([...seen].sort(), ['task-2', 'task-3', 'task-4']);
});

test.serial('a stopped task leaves, a new task joins, within about refreshSeconds', async (t) => {
  emu.state.stopTask({ cluster: CLUSTER, task: taskByIp.get('127.0.0.3')! });
  const started = Date.now();
  await waitFor(async () => !(await namesSeen(6)).has('task-3'), 5_000, 'task-3 removed');
  t.true(Date.now() - started < 3_500, `removed after ${Date.now() - started} ms`);
  t.deepEqual([...(await namesSeen(8))].sort(), ['task-2', 'task-4']);
  runTask('127.0.0.3');
  await waitFor(async () => (await namesSeen(6)).has('task-3'), 5_000, 'task-3 back');
  t.pass();
});

test.serial('throttled AWS: wharf keeps serving the last configuration with zero failed requests', async (t) => {
  const fault = emu.faults.inject({ operation: 'ListTasks', kind: 'throttle', times: 6 });
  let failed = 0;
  let total = 0;
  const until = Date.now() + 3_000;
  while (Date.now() < until || fault.hits < 6) {
    const { status } = await hit();
    total++;
    if (status !== 200) failed++;
    if (Date.now() > until + 20_000) break;
  }
  t.true(fault.hits >= 3, 'the fault was met');
  t.is(failed, 0, `${failed} of ${total} requests failed`);
  t.regex(wharf.output(), /ECS discovery failed; keeping the last configuration/);
  await waitFor(async () => (await namesSeen(6)).size === 3, 10_000, 'recovery');
});

test.serial('every AWS call was signed by the task role, with only the policy actions', (t) => {
  const aws = emu.calls.filter((c) => c.service === 'ecs' || c.service === 'ec2' || c.service === 'ssm');
  t.true(aws.length > 5);
  t.true(aws.every((c) => c.accessKeyId === roleKey && c.sessionToken !== undefined));
  t.deepEqual([...new Set(aws.map((c) => `${c.service}:${c.operation}`))].sort(), ['ecs:DescribeTaskDefinition', 'ecs:DescribeTasks', 'ecs:ListTasks']);
  t.true(emu.calls.some((c) => c.service === 'container-credentials'));
});

test('a missing region is a start-up error that says how to set it', async (t) => {
  const { code, stdout, stderr } = await runWharf(['--entryPoints.web.address=127.0.0.1:0', `--providers.ecs.clusters=${CLUSTER}`], { env: awsEnv() });
  t.not(code, 0);
  t.regex(stdout + stderr, /--providers\.ecs\.region/);
  t.regex(stdout + stderr, /AWS_REGION/);
});
