import test from 'ava';
import { spawn } from 'node:child_process';
import { request } from 'undici';
import { freePort, waitFor } from './helpers/net.js';
import { repoRoot, wharfBin } from './helpers/wharf-process.js';

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
