import test from 'ava';
import { request as httpRequest } from 'node:http';
import { mkdtemp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEcsEmulator } from '@wharf/ecs-emulator';
import { sample } from '../packages/core/test/prometheus-text.js';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { runWharf, startWharf, type WharfProcess } from './helpers/wharf-process.js';

// `--workers`: real `wharf` processes whose primary forks worker processes. The suite's other
// tests run one process (WHARF_WORKERS=1 in the ava configuration); these ask for 2 with a flag.
let a: Backend;
let b: Backend;

test.before(async () => {
  a = await startBackend('a');
  b = await startBackend('b');
});

test.after.always(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

function routerYaml(host: string, backend: Backend): string {
  return `http:\n  routers:\n    r:\n      rule: Host(\`${host}\`)\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: ${backend.url}\n`;
}

async function dynamicDir(text: string): Promise<{ dir: string; write(text: string): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-workers-'));
  const write = async (content: string): Promise<void> => {
    await writeFile(join(dir, 'routes.yml.tmp'), content);
    await rename(join(dir, 'routes.yml.tmp'), join(dir, 'routes.yml'));
  };
  await write(text);
  return { dir, write };
}

/** One request on a connection of its own (`agent: false`), so that successive requests reach the workers in turn. */
function fresh(base: string, host: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(base + path, { agent: false, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Worker id → pid, from the primary's `worker started` log lines (the latest per id). */
function workerPids(output: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const m of output.matchAll(/worker started worker=(\d+) pid=(\d+)/g)) pids.set(m[1]!, Number(m[2]));
  return pids;
}

/** Pids whose parent is `pid`, read from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name (field 2) may hold spaces; the parent pid is the second field after it.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startTwoWorkers(dir: string, extra: string[] = []): Promise<WharfProcess> {
  const wharf = await startWharf(['web', 'traefik'], ['--workers=2', `--providers.file.directory=${dir}`, '--providers.providersThrottleDuration=0s', '--metrics.prometheus', '--api.insecure', '--log.level=INFO', ...extra]);
  await waitFor(() => /Wharf started/.test(wharf.output()) && workerPids(wharf.output()).size === 2, 15_000, 'both workers and discovery started');
  return wharf;
}

test.serial('two workers serve the file provider\'s route, a file change reaches both, /metrics sums over them', async (t) => {
  const files = await dynamicDir(routerYaml('app.test', a));
  const wharf = await startTwoWorkers(files.dir);
  try {
    const pids = [...workerPids(wharf.output()).values()];
    t.deepEqual((await childrenOf(wharf.process.pid!)).sort(), [...pids].sort(), 'the primary\'s children are the two workers');
    // The primary runs the file provider once: one "file configuration loaded" line, not one per worker.
    await waitFor(async () => (await fresh(wharf.urls.web!, 'app.test')).status === 200, 10_000, 'the route');
    t.is(wharf.output().match(/file configuration loaded/g)?.length, 1);

    // Connections are handed to the workers in turn: 10 fresh ones reach both.
    for (let i = 0; i < 10; i++) t.is(JSON.parse((await fresh(wharf.urls.web!, 'app.test')).body).name, 'a');

    const applied = (worker: string): number => wharf.output().match(new RegExp(`configuration applied worker=${worker} `, 'g'))?.length ?? 0;
    const appliedBefore = [applied('1'), applied('2')];
    await files.write(routerYaml('app.test', b));
    await waitFor(() => applied('1') > appliedBefore[0]! && applied('2') > appliedBefore[1]!, 10_000, 'both workers applying the change');
    for (let i = 0; i < 10; i++) t.is(JSON.parse((await fresh(wharf.urls.web!, 'app.test')).body).name, 'b', `request ${i} after the change`);

    // Each /metrics answer (from either worker) counts every request of both.
    const count = async (): Promise<number | undefined> => sample((await fresh(wharf.urls.traefik!, 'x', '/metrics')).body, 'traefik_entrypoint_requests_total', { code: '200', entrypoint: 'web' });
    const before = (await count()) ?? 0;
    for (let i = 0; i < 20; i++) t.is((await fresh(wharf.urls.web!, 'app.test')).status, 200);
    const seen = [await count(), await count(), await count(), await count()];
    t.deepEqual(seen, [before + 20, before + 20, before + 20, before + 20], 'four scrapes on fresh connections (both workers answer) agree');
    t.true(before >= 21, `the earlier requests were counted too (${before})`);
  } finally {
    t.is(await wharf.stop(), 0);
  }
});

test.serial('ECS discovery runs once, in the primary: AWS calls do not grow with the workers', async (t) => {
  const emu = await startEcsEmulator({ region: 'us-east-1' });
  const task = await startBackend('task', undefined, '127.0.0.5');
  const cluster = 'workers-cluster';
  emu.state.createCluster(cluster);
  emu.state.registerTaskDefinition({
    family: 'whoami',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [{ name: 'whoami', image: 'whoami', essential: true, portMappings: [{ containerPort: task.port, hostPort: task.port }], dockerLabels: { 'traefik.http.routers.whoami.rule': 'Host(`ecs.test`)' } }],
  });
  emu.state.runTask({ cluster, taskDefinition: 'whoami', group: 'service:whoami', ip: '127.0.0.5' });
  const role = emu.taskRoleCredentials({ allow: ['ecs:ListTasks', 'ecs:DescribeTasks', 'ecs:DescribeTaskDefinition', 'ecs:DescribeContainerInstances', 'ec2:DescribeInstances', 'ecs:ListClusters', 'ecs:DescribeClusters'] });
  const env = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: emu.url, AWS_CONTAINER_CREDENTIALS_FULL_URI: role.fullUri };
  const wharf = await startWharf(['web'], ['--workers=2', `--providers.ecs.clusters=${cluster}`, '--providers.ecs.region=us-east-1', '--providers.ecs.refreshSeconds=1', '--providers.providersThrottleDuration=0s', '--log.level=INFO'], { env });
  try {
    await waitFor(async () => (await fresh(wharf.urls.web!, 'ecs.test')).status === 200, 15_000, 'the ECS route');
    for (let i = 0; i < 6; i++) t.is((await fresh(wharf.urls.web!, 'ecs.test')).status, 200, `request ${i} (either worker)`);
    emu.resetCalls();
    const windowMs = 4_000;
    await new Promise((r) => setTimeout(r, windowMs));
    const listTasks = emu.calls.filter((c) => c.operation === 'ListTasks').length;
    // One provider polling every second makes about 4 ListTasks calls in 4 s; one per worker would make about 8.
    t.true(listTasks >= 2 && listTasks <= 5, `${listTasks} ListTasks calls in ${windowMs} ms`);
    t.is(wharf.output().match(/ECS provider configured/g)?.length, 1, 'one ECS provider, in the primary');
  } finally {
    t.is(await wharf.stop(), 0);
    await task.close();
    await emu.close();
  }
});

test.serial('a killed worker is restarted, logged, and serves the configuration in force', async (t) => {
  const files = await dynamicDir(routerYaml('app.test', a));
  const wharf = await startTwoWorkers(files.dir);
  try {
    await waitFor(async () => (await fresh(wharf.urls.web!, 'app.test')).status === 200, 10_000, 'the route');
    const before = workerPids(wharf.output());
    const victim = before.get('1')!;
    process.kill(victim, 'SIGKILL');
    await waitFor(() => workerPids(wharf.output()).size === 3, 10_000, 'a new worker');
    t.regex(wharf.output(), new RegExp(`worker exited unexpectedly; starting a new one worker=1 pid=${victim} code=null signal=SIGKILL`));
    const replacement = workerPids(wharf.output()).get('3')!;
    t.false(alive(victim));
    t.true(alive(replacement));
    t.deepEqual((await childrenOf(wharf.process.pid!)).sort(), [before.get('2')!, replacement].sort());
    // Both the old worker and the new one route app.test without another file change.
    for (let i = 0; i < 10; i++) t.is((await fresh(wharf.urls.web!, 'app.test')).status, 200, `request ${i}`);
  } finally {
    t.is(await wharf.stop(), 0);
  }
});

test.serial('SIGTERM drains every worker, then the primary exits 0', async (t) => {
  const files = await dynamicDir(routerYaml('app.test', a));
  const wharf = await startTwoWorkers(files.dir);
  await waitFor(async () => (await fresh(wharf.urls.web!, 'app.test')).status === 200, 10_000, 'the route');
  const pids = [...workerPids(wharf.output()).values()];
  // A request in flight when SIGTERM arrives is still answered.
  const slow = fresh(wharf.urls.web!, 'app.test', '/delay/300');
  await new Promise((r) => setTimeout(r, 100));
  t.is(await wharf.stop('SIGTERM'), 0);
  t.is((await slow).status, 200);
  for (const pid of pids) t.false(alive(pid), `worker ${pid} exited`);
  const out = wharf.output();
  t.is(out.match(/ stopped worker=\d connections=\d+ served=\d+ cut=0/g)?.length, 2, 'each worker drained (its own stopped line)');
  t.regex(out, /all workers stopped code=0/);
  t.true(out.lastIndexOf('all workers stopped') > out.lastIndexOf(' stopped worker='), 'the primary exits after its workers');
});

test.serial('--workers=1 runs one process, as before workers existed', async (t) => {
  const files = await dynamicDir(routerYaml('app.test', a));
  const wharf = await startWharf(['web'], ['--workers=1', `--providers.file.directory=${files.dir}`, '--log.level=INFO']);
  try {
    await waitFor(async () => (await fresh(wharf.urls.web!, 'app.test')).status === 200, 10_000, 'the route');
    t.deepEqual(await childrenOf(wharf.process.pid!), []);
    t.notRegex(wharf.output(), /worker=/);
  } finally {
    t.is(await wharf.stop(), 0);
  }
});

test.serial('access log lines stay whole when two workers write to one pipe', async (t) => {
  const files = await dynamicDir(routerYaml('app.test', a));
  // 200 buffered lines of ~1.5 kB make writes of ~300 kB, more than a pipe holds: without pipe-sized
  // writes, another worker's lines can land inside them (this test failed in one of two runs without them).
  const wharf = await startTwoWorkers(files.dir, ['--accessLog.format=json', '--accessLog.bufferingSize=200']);
  let lines: string[] = [];
  try {
    await waitFor(async () => (await fresh(wharf.urls.web!, 'app.test')).status === 200, 10_000, 'the route');
    // Long request paths make each line ~1.5 kB, so a burst of lines spans several pipe buffers.
    const path = `/${'p'.repeat(1_400)}`;
    const total = 1_000;
    let next = 0;
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < total) {
        next++;
        t.is((await fresh(wharf.urls.web!, 'app.test', `${path}?n=${next}`)).status, 200);
      }
    }));
  } finally {
    t.is(await wharf.stop(), 0);
    lines = wharf.output().split('\n').filter((line) => line.includes('"RequestPath"'));
  }
  const parsed = lines.map((line) => {
    try {
      return JSON.parse(line) as { RequestPath: string };
    } catch {
      return undefined;
    }
  });
  t.is(parsed.filter((p) => p === undefined).length, 0, 'every access log line is whole JSON');
  t.true(parsed.filter((p) => p?.RequestPath.startsWith('/ppp')).length >= 1_000);
});

test.serial('SIGUSR1 to the primary makes every worker reopen the access log file (logrotate)', async (t) => {
  const files = await dynamicDir(routerYaml('app.test', a));
  const logDir = await mkdtemp(join(tmpdir(), 'wharf-workers-log-'));
  const accessLog = join(logDir, 'access.log');
  const wharf = await startTwoWorkers(files.dir, [`--accessLog.filePath=${accessLog}`, '--accessLog.format=json']);
  try {
    await waitFor(async () => (await fresh(wharf.urls.web!, 'app.test')).status === 200, 10_000, 'the route');
    await rename(accessLog, `${accessLog}.1`);
    wharf.process.kill('SIGUSR1');
    await waitFor(() => (wharf.output().match(/SIGUSR1: log files reopened/g)?.length ?? 0) >= 3, 5_000, 'the primary and both workers reopening');
    for (let i = 0; i < 10; i++) t.is((await fresh(wharf.urls.web!, 'app.test', `/after-${i}`)).status, 200);
    const lines = await waitFor(async () => {
      const text = await readFile(accessLog, 'utf8').catch(() => '');
      const found = text.split('\n').filter((line) => line.includes('/after-'));
      return found.length === 10 ? found : undefined;
    }, 5_000, 'ten lines in the new file');
    t.is(lines.length, 10, 'requests served by either worker land in the new file');
    t.false((await readFile(`${accessLog}.1`, 'utf8')).includes('/after-'));
  } finally {
    t.is(await wharf.stop(), 0);
  }
});

test.serial('a worker that cannot listen stops Wharf with an error', async (t) => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    const files = await dynamicDir(routerYaml('app.test', a));
    const result = await runWharf(['--workers=2', `--entryPoints.web.address=127.0.0.1:${port}`, `--providers.file.directory=${files.dir}`]);
    t.is(result.code, 1);
    t.regex(result.stderr + result.stdout, /EADDRINUSE/);
  } finally {
    taken.close();
  }
});

test('--workers takes "auto" or a whole number of at least 1', async (t) => {
  const auto = await runWharf(['check', '--workers=AUTO']);
  t.is(auto.code, 0, auto.stderr);
  t.regex(auto.stdout, /"workers": "auto"/);
  const three = await runWharf(['check'], { env: { WHARF_WORKERS: '3' } });
  t.regex(three.stdout, /"workers": 3/);
  for (const bad of ['0', 'two', '1.5']) {
    const result = await runWharf(['check', `--workers=${bad}`]);
    t.is(result.code, 1, bad);
    t.regex(result.stderr, /workers/);
  }
});
