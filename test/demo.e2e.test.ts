import test from 'ava';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { request } from 'undici';
import { freePort, waitFor } from './helpers/net.js';
import { repoRoot, runWharf, wharfBin } from './helpers/wharf-process.js';

// `wharf demo` is the README's first command: the ECS + Fargate hands-on on one machine.
test('wharf demo load-balances over three Fargate tasks and follows scaling', async (t) => {
  const webPort = await freePort();
  const apiPort = await freePort();
  const demo = spawn(process.execPath, [wharfBin, 'demo', `--web-port=${webPort}`, `--api-port=${apiPort}`, '--refresh-seconds=1'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  demo.stdout.on('data', (c: Buffer) => (output += c.toString()));
  demo.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (demo.exitCode === null) demo.kill('SIGKILL');
  });
  await waitFor(() => output.includes('READY') || demo.exitCode !== null, 60_000, 'the demo to be ready');
  t.true(output.includes('READY'), output);

  const ask = async (): Promise<string> => {
    const res = await request(`http://127.0.0.1:${webPort}/`, { headers: { host: 'whoami.localhost' } });
    const body = await res.body.text();
    t.is(res.statusCode, 200);
    return /^IP: (.+)$/m.exec(body)![1]!;
  };
  const ips = [await ask(), await ask(), await ask()];
  t.deepEqual(ips.slice().sort(), ['127.0.0.2', '127.0.0.3', '127.0.0.4'], 'three requests, three different tasks');

  const routers = await request(`http://127.0.0.1:${apiPort}/api/http/routers`);
  t.is(routers.statusCode, 200);
  t.regex(await routers.body.text(), /"provider":"ecs"/);

  demo.stdin.write('scale 4\n');
  await waitFor(async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) seen.add(await ask());
    return seen.has('127.0.0.5');
  }, 15_000, 'the fourth task to be routed');
  t.pass();

  demo.kill('SIGINT');
  t.is(await exited, 0);
});

// Issue 12, bug 6: a task stopped a moment ago still holds its address (deregistration delay), so
// scaling down then up at once used to die on EADDRINUSE and orphan Wharf holding the ports.
test('wharf demo: scale down then up at once, the real task count, and Wharf ends with the demo', async (t) => {
  const webPort = await freePort();
  const apiPort = await freePort();
  const demo = spawn(process.execPath, [wharfBin, 'demo', `--web-port=${webPort}`, `--api-port=${apiPort}`, '--refresh-seconds=1', '--tasks=2'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  demo.stdout.on('data', (c: Buffer) => (output += c.toString()));
  demo.stderr.on('data', (c: Buffer) => (output += c.toString()));
  t.teardown(() => {
    if (demo.exitCode === null) demo.kill('SIGKILL');
  });
  await waitFor(() => output.includes('READY') || demo.exitCode !== null, 60_000, 'the demo to be ready');
  t.true(output.includes('READY'), output);
  t.regex(output, /tasks {9}2 x whoami/);
  t.regex(output, /run it 2 times: 2 different IPs answer/);
  t.regex(output, /type "scale 4"/);

  demo.stdin.write('scale 1\n');
  await waitFor(() => output.includes('scaled to 1 task(s)'), 10_000, 'scaling down');
  demo.stdin.write('scale 3\n');
  await waitFor(() => output.includes('scaled to 3 task(s)') || demo.exitCode !== null, 10_000, 'scaling up');
  t.is(demo.exitCode, null, output);
  t.notRegex(output, /EADDRINUSE|failed/);
  // 127.0.0.3 still answers during its deregistration delay: the new tasks take other addresses.
  t.regex(output, /scaled to 3 task\(s\): 127\.0\.0\.2, 127\.0\.0\.4, 127\.0\.0\.5;/);
  await waitFor(async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 9; i++) {
      const res = await request(`http://127.0.0.1:${webPort}/`, { headers: { host: 'whoami.localhost' } });
      const body = await res.body.text();
      if (res.statusCode === 200) seen.add(/^IP: (.+)$/m.exec(body)![1]!);
    }
    return seen.has('127.0.0.4') && seen.has('127.0.0.5');
  }, 20_000, 'the new tasks to be routed');

  // SIGKILL leaves the demo no chance to clean up: Wharf notices its parent is gone and stops.
  demo.kill('SIGKILL');
  await waitFor(async () => {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: webPort });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    return refused;
  }, 20_000, "Wharf to release the demo's web port");
  t.pass();
});

test('wharf demo --help prints the demo options', async (t) => {
  const { code, stdout, stderr } = await runWharf(['demo', '--help']);
  t.is(code, 0, stderr);
  t.regex(stdout, /Usage: wharf demo/);
  t.regex(stdout, /--tasks=N/);
  t.regex(stdout, /scale N/);
});
