import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import test from 'ava';
import type { EmulatorSeed } from '../src/index.js';

const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const credentials = { accessKeyId: 'AKIASEEDSEEDSEEDSEED', secretAccessKey: 'seed-secret' };

const seed: EmulatorSeed = {
  credentials: [credentials],
  clusters: [{ name: 'demo', containerInstances: [{ privateIp: '127.0.0.1' }] }],
  taskDefinitions: [
    { family: 'whoami', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], containerDefinitions: [{ name: 'whoami', image: 'traefik/whoami', portMappings: [{ containerPort: 8080 }] }] },
    { family: 'legacy', networkMode: 'bridge', containerDefinitions: [{ name: 'app', image: 'example/app', portMappings: [{ containerPort: 80 }] }] },
  ],
  tasks: [
    { cluster: 'demo', taskDefinition: 'whoami', count: 2, ip: ['127.0.0.2', '127.0.0.3'], group: 'service:whoami' },
    { cluster: 'demo', taskDefinition: 'legacy', hostPorts: { '80': [18080] } },
  ],
  taskRoles: [{}],
};

test('the CLI serves a seeded emulator, prints its URL and obeys control operations', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-ecs-emulator-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const seedFile = join(dir, 'seed.json');
  await writeFile(seedFile, JSON.stringify(seed));
  const child = spawn(process.execPath, ['--import', 'tsx', bin, '--port', '0', '--region', 'us-west-2', '--seed', seedFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('tasks:')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  t.truthy(url, output);
  t.regex(output, /AWS_CONTAINER_CREDENTIALS_FULL_URI=http:\/\/127\.0\.0\.1:\d+\/v2\/credentials\//);
  t.regex(output, /tasks: 3, container instances: 1/);

  const ecs = new ECSClient({ region: 'us-west-2', endpoint: url!, credentials, maxAttempts: 1 });
  t.teardown(() => ecs.destroy());
  const listed = await ecs.send(new ListTasksCommand({ cluster: 'demo' }));
  const described = await ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: listed.taskArns }));
  t.deepEqual(
    described.tasks?.map((task) => task.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address ?? task.containers?.[0]?.networkBindings?.[0]?.hostPort),
    ['127.0.0.2', '127.0.0.3', 18080],
  );

  const control = await fetch(url!, {
    method: 'POST',
    headers: { 'x-amz-target': 'WharfEmulator.UpdateTask', 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ cluster: 'demo', task: listed.taskArns?.[0], healthStatus: 'UNHEALTHY' }),
  });
  t.is(control.status, 200);
  const after = await ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: [listed.taskArns![0]!] }));
  t.is(after.tasks?.[0]?.healthStatus, 'UNHEALTHY');

  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.is(code, 0);
});
