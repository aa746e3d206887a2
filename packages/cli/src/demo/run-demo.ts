import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../main.js';
import { resolvePackage } from '../plugin-loader.js';
import { DEMO_HELP, parseDemoOptions, wantsHelp, type DemoOptions } from './demo-options.js';
import { startWhoami } from './whoami-server.js';

/** The part of `@wharf/ecs-emulator` the demo drives (loaded at run time, like providers). */
interface Emulator {
  url: string;
  region: string;
  state: {
    createCluster(name: string): unknown;
    registerTaskDefinition(input: Record<string, unknown>): { taskDefinitionArn: string };
    runTask(options: Record<string, unknown>): Array<{ taskArn: string }>;
    stopTask(reference: { cluster: string; task: string }): unknown;
  };
  taskRoleCredentials(options: { roleArn?: string; allow?: string[] }): { fullUri: string; roleArn: string };
  close(): Promise<void>;
}

/** The seven read-only actions of the hands-on's IAM policy: the task role may do nothing else. */
const ROLE_ACTIONS = ['ecs:ListClusters', 'ecs:DescribeClusters', 'ecs:ListTasks', 'ecs:DescribeTasks', 'ecs:DescribeContainerInstances', 'ecs:DescribeTaskDefinition', 'ec2:DescribeInstances'];
const CLUSTER = 'wharf-demo';

interface RunningTask {
  arn: string;
  ip: string;
  server: Server;
}

/**
 * `wharf demo`: the ECS + Fargate hands-on on one machine. Starts the ECS emulator with a Fargate
 * cluster and the `whoami` task definition, runs the tasks as real HTTP servers on their own
 * loopback addresses (as Fargate gives each task its own ENI), serves the task role's
 * credentials (no access key anywhere), and runs Wharf with the hands-on's flags.
 */
export async function runDemo(args: string[], io: CliIo, env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  if (wantsHelp(args)) {
    io.out(DEMO_HELP);
    return 0;
  }
  let options: DemoOptions;
  try {
    options = parseDemoOptions(args);
  } catch (err) {
    io.err((err as Error).message);
    return 1;
  }
  const emulatorUrl = resolvePackage('@wharf/ecs-emulator', cwd);
  if (!emulatorUrl || !resolvePackage('@wharf/provider-ecs', cwd)) {
    io.err('wharf demo needs @wharf/ecs-emulator and @wharf/provider-ecs: run `npm install @wharf/ecs-emulator @wharf/provider-ecs`');
    return 1;
  }
  const { startEcsEmulator } = (await import(emulatorUrl)) as { startEcsEmulator(o: { region: string }): Promise<Emulator> };
  const emu = await startEcsEmulator({ region: 'us-east-1' });
  const tasks: RunningTask[] = [];
  // Stopped tasks still answering during their deregistration delay: their addresses are taken.
  const draining = new Set<RunningTask>();
  let wharf: ChildProcess | undefined;
  // However the demo ends (an exception included), Wharf must not outlive it holding the ports.
  const killWharf = (): void => {
    if (wharf && wharf.exitCode === null && wharf.signalCode === null) wharf.kill('SIGTERM');
  };
  process.once('exit', killWharf);
  const cleanup = async (): Promise<void> => {
    if (wharf && wharf.exitCode === null && wharf.signalCode === null) {
      const exited = new Promise((r) => wharf!.once('exit', r));
      killWharf();
      await exited;
    }
    process.removeListener('exit', killWharf);
    await Promise.all([...tasks, ...draining].map((t) => new Promise((r) => t.server.close(r))));
    await emu.close();
  };
  try {
    const port = await commonFreePort(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    emu.state.createCluster(CLUSTER);
    emu.state.registerTaskDefinition({
      family: 'whoami',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'whoami',
          image: 'containous/whoami:v1.5.0',
          essential: true,
          portMappings: [{ containerPort: port, hostPort: port }],
          dockerLabels: { 'traefik.http.routers.whoami.rule': `Host(\`${options.host}\`)`, 'traefik.enable': 'true' },
        },
      ],
    });
    const scale = async (count: number): Promise<void> => {
      while (tasks.length < count) {
        const ip = `127.0.0.${nextOctet([...tasks, ...draining])}`;
        const [task] = emu.state.runTask({ cluster: CLUSTER, taskDefinition: 'whoami', count: 1, launchType: 'FARGATE', group: 'service:whoami', ip });
        const id = task!.taskArn.split('/').pop()!;
        try {
          tasks.push({ arn: task!.taskArn, ip, server: await startWhoami(ip, port, `ip-${ip.replaceAll('.', '-')}-${id.slice(0, 8)}`) });
        } catch (err) {
          emu.state.stopTask({ cluster: CLUSTER, task: task!.taskArn });
          throw new Error(`cannot start a task on ${ip}:${port}: ${(err as Error).message}`, { cause: err });
        }
      }
      while (tasks.length > count) {
        const task = tasks.pop()!;
        emu.state.stopTask({ cluster: CLUSTER, task: task.arn });
        draining.add(task);
        // Like ECS's deregistration delay: keep answering until Wharf's next refresh has dropped it.
        setTimeout(() => {
          draining.delete(task);
          task.server.close();
        }, (options.refreshSeconds + 3) * 1000).unref();
      }
    };
    await scale(options.tasks);

    const role = emu.taskRoleCredentials({ roleArn: 'arn:aws:iam::123456789012:role/wharf-demo-task-role', allow: ROLE_ACTIONS });
    const logDir = await mkdtemp(join(tmpdir(), 'wharf-demo-'));
    const logFile = join(logDir, 'wharf.log');
    const flags = [
      `--entryPoints.web.address=127.0.0.1:${options.webPort}`,
      `--entryPoints.traefik.address=127.0.0.1:${options.apiPort}`,
      `--providers.ecs.clusters=${CLUSTER}`,
      `--providers.ecs.region=${emu.region}`,
      `--providers.ecs.refreshSeconds=${options.refreshSeconds}`,
      '--log.level=DEBUG',
      `--log.filePath=${logFile}`,
      '--api.insecure',
      ...options.wharfArgs,
    ];
    // The SDK's notice that its 2027 releases need Node 22 is noise in a demo; users can re-enable it.
    const childEnv: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env, AWS_ENDPOINT_URL: emu.url, AWS_CONTAINER_CREDENTIALS_FULL_URI: role.fullUri, AWS_EC2_METADATA_DISABLED: 'true' };
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']) delete childEnv[key];
    const bin = fileURLToPath(new URL('../bin.js', import.meta.url));
    // The IPC channel closes when the demo dies, even by SIGKILL: exit-with-parent stops Wharf then.
    const exitWithParent = new URL('./exit-with-parent.js', import.meta.url).href;
    const child = spawn(process.execPath, ['--max-semi-space-size=64', `--import=${exitWithParent}`, bin, ...flags], { cwd, env: childEnv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    wharf = child;
    const failed = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
    const ready = waitForRoute(`http://127.0.0.1:${options.webPort}/`, options.host, 30_000);
    const first = await Promise.race([ready.then(() => 'ready' as const), failed]);
    if (first !== 'ready') {
      io.err(`wharf demo: Wharf exited with code ${first} before discovering the tasks; see ${logFile}`);
      await cleanup();
      return 1;
    }
    io.out(banner(options, emu, port, tasks, logFile));
    io.out('READY');
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
      void failed.then(() => resolve());
    });
    const input = createInterface({ input: process.stdin });
    // One scaling at a time: two quick commands must not pick the same address.
    let scaling = Promise.resolve();
    input.on('line', (line) => {
      const m = /^\s*scale\s+(\d+)\s*$/.exec(line);
      if (!m) {
        if (line.trim()) io.out('commands: "scale N" (run N whoami tasks)');
        return;
      }
      const target = Math.min(Number(m[1]), 200);
      scaling = scaling
        .then(() => scale(target))
        .then(
          () => io.out(`scaled to ${target} task(s): ${tasks.map((t) => t.ip).join(', ')}; Wharf picks it up within ${options.refreshSeconds} s`),
          (err: unknown) => io.err(`wharf demo: scaling to ${target} failed: ${(err as Error).message}; ${tasks.length} task(s) running`),
        );
    });
    await stopped;
    input.close();
    await cleanup();
    return 0;
  } catch (err) {
    io.err(`wharf demo: ${(err as Error).message}`);
    await cleanup();
    return 1;
  }
}

function banner(options: DemoOptions, emu: Emulator, port: number, tasks: RunningTask[], logFile: string): string {
  const web = `http://127.0.0.1:${options.webPort}`;
  return [
    '',
    'Wharf demo: the ECS + Fargate hands-on, on this machine',
    `  ECS emulator  ${emu.url}  (cluster ${CLUSTER}, ${emu.region}; Wharf signs with the task role, no access key)`,
    `  tasks         ${tasks.length} x whoami (awsvpc): ${tasks.map((t) => `${t.ip}:${port}`).join(', ')}`,
    `  Wharf         ${web}  (logs at DEBUG: ${logFile})`,
    `  dashboard     http://127.0.0.1:${options.apiPort}/dashboard/   API: http://127.0.0.1:${options.apiPort}/api/http/routers`,
    '',
    'Try:',
    `  curl -H 'Host: ${options.host}' ${web}/      # ${tryLine(tasks.length)}`,
    `  type "scale ${tasks.length + 2}" and Enter: two more tasks start; Wharf routes to them within ${options.refreshSeconds} s`,
    '  Ctrl-C stops everything.',
    '',
  ].join('\n');
}

function tryLine(count: number): string {
  if (count === 0) return 'no task runs yet: Wharf answers 404 until you scale up';
  if (count === 1) return 'one task answers';
  return `run it ${count} times: ${count} different IPs answer`;
}

function nextOctet(tasks: RunningTask[]): number {
  const used = new Set(tasks.map((t) => Number(t.ip.split('.')[3])));
  let octet = 2;
  while (used.has(octet)) octet++;
  return octet;
}

/** A port free on 127.0.0.2 and on the next addresses (each task gets its own address, one port). */
async function commonFreePort(ips: string[]): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, ips[0], () => {
        const a = s.address();
        s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    if (port < 60000) return port;
  }
  throw new Error('no free port found on 127.0.0.2');
}

async function waitForRoute(url: string, host: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(url, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.once('error', reject);
        req.end();
      });
      if (status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Wharf did not route ${host} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
