#!/usr/bin/env node
// Wharf side by side with nginx on loopback. See bench/README.md for what is measured and how to
// read it. Plain ESM JavaScript so that it runs without a build step of its own.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { backendConf, nginxVersion, proxyConf, startNginx } from './lib/nginx.js';
import { cpuSeconds, freePort, get, hasCommand, installCleanup, rssKb, run, stop, stopAll } from './lib/processes.js';
import { formatTable, ratios, writeResults } from './lib/report.js';
import { dynamicConfiguration, pickProvider, startWharf } from './lib/wharf.js';
import { wrk, wrkVersion } from './lib/wrk.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);

const USAGE = `Usage: node bench/run.js [options]   (or: pnpm bench, which builds first)
  --duration=<s>      seconds of each measured wrk run (default 10; "10s" accepted)
  --warmup=<s>        seconds of the warm-up run before each measurement (default 3)
  --connections=<n>   wrk keep-alive connections (default 50)
  --routers=<n>       routers in the many-router scenario (default 10000)
  --runs=<n>          measured runs per scenario and proxy, nginx and Wharf alternating; the
                      median (by req/s) is reported (default 1; use 3+ on a busy machine)
  --only=wharf|nginx  run one proxy only (no ratios, no direct-backend baseline)
  --only=workers      run the workers scenario only
  --cpu-prof          run Wharf under node --cpu-prof; profiles land in bench/results/
  --no-workers        skip the workers scenario (Wharf with --workers=1, then --workers=2)
  --no-reload         skip the reload scenario (10,000 routers rebuilt 5 times under load)
  --help`;

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      routers: { type: 'string', default: '10000' },
      runs: { type: 'string', default: '1' },
      only: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'no-workers': { type: 'boolean', default: false },
      'no-reload': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) { console.log(USAGE); process.exit(0); }
  const int = (name, text, min) => {
    const n = Number(String(text).replace(/s$/, ''));
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got "${text}"\n${USAGE}`);
    return n;
  };
  if (values.only !== undefined && !['wharf', 'nginx', 'workers'].includes(values.only)) {
    throw new Error(`--only must be wharf, nginx or workers, got "${values.only}"\n${USAGE}`);
  }
  return {
    duration: int('duration', values.duration, 1),
    warmup: int('warmup', values.warmup, 0),
    connections: int('connections', values.connections, 1),
    routers: int('routers', values.routers, 2),
    runs: int('runs', values.runs, 1),
    only: /** @type {'wharf' | 'nginx' | 'workers' | undefined} */ (values.only),
    cpuProf: values['cpu-prof'],
    workers: !values['no-workers'],
    reload: !values['no-reload'],
  };
}

/** Stops with install instructions when a tool is missing. */
function checkPrerequisites() {
  const missing = ['nginx', 'wrk'].filter((c) => !hasCommand(c));
  const problems = [];
  if (missing.length > 0) {
    problems.push(`missing: ${missing.join(', ')}. On Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n` +
      '  (the benchmark runs its own nginx processes; the system nginx service need not run: sudo systemctl disable --now nginx)');
  }
  if (!existsSync(join(root, 'packages/cli/dist/bin.js'))) problems.push('Wharf is not built: run `pnpm exec tsc -b` (or `pnpm bench`, which builds first)');
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** Core layout: the proxy under test alone on core 0, wrk and the backend together on core 1. */
function pinning() {
  const count = availableParallelism();
  if (!hasCommand('taskset')) return { proxyCpu: undefined, loadCpu: undefined, note: 'taskset not found: processes are not pinned' };
  if (count < 2) return { proxyCpu: undefined, loadCpu: undefined, note: `only ${count} core: processes are not pinned` };
  return { proxyCpu: 0, loadCpu: 1, note: `proxy under test pinned to core 0; wrk and the backend pinned to core 1 (${count} cores)` };
}

/**
 * Warm-up, measured run, the CPU time the target used during it, and Wharf's memory around it.
 * @param {{ port: number, host: string, pid?: number, rss?: boolean }} target
 */
async function measure(target, opts, cpu) {
  const load = { port: target.port, host: target.host, path: target.path, connections: opts.connections, cpu };
  const loadBefore = loadavg()[0];
  const rssKbIdle = target.rss ? await rssKb(target.pid) : undefined;
  if (opts.warmup > 0) await wrk({ ...load, seconds: opts.warmup });
  const cpuBefore = target.pid ? await cpuSeconds(target.pid) : undefined;
  const result = await wrk({ ...load, seconds: opts.duration });
  const cpuUsed = target.pid ? (await cpuSeconds(target.pid)) - cpuBefore : undefined;
  const rssKbAfter = target.rss ? await rssKb(target.pid) : undefined;
  const perCpuSecond = cpuUsed && result.requests ? result.requests / cpuUsed : undefined;
  const cpuCores = cpuUsed === undefined ? undefined : cpuUsed / opts.duration;
  return { ...result, rssKbIdle, rssKbAfter, cpuSeconds: cpuUsed, cpuCores, perCpuSecond, loadBefore, loadAfter: loadavg()[0] };
}

/** The run whose req/s is the median (the lower middle one for an even count). */
function median(runs) {
  const sorted = [...runs].sort((a, b) => a.requestsPerSec - b.requestsPerSec);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], allRequestsPerSec: runs.map((r) => r.requestsPerSec) };
}

/** Both proxies must route the same way: 200 "ok\n" for the host, 404 for an unknown one. */
async function checkEquivalent(name, port, host, path = '/') {
  const hit = await get(port, host, path);
  const miss = await get(port, 'unknown.invalid');
  const missPath = path === '/' ? { status: 404 } : await get(port, host, '/nowhere/');
  if (hit.status !== 200 || hit.body !== 'ok\n' || miss.status !== 404 || missPath.status !== 404) {
    throw new Error(`${name} does not route as expected: ${host}${path} → ${hit.status} ${JSON.stringify(hit.body)}, unknown host → ${miss.status}, unknown path → ${missPath.status}`);
  }
}

/**
 * The cost of a reload: Wharf (one process on core 0) serves `opts.routers` host routers under a
 * wrk run while the configuration file changes five times (one router more each time) and SIGHUP
 * makes the file provider reload it. Each rebuild's `ms` (merge, build and swap: time the event
 * loop did not serve) comes from Wharf's `configuration applied` log lines; wrk's errors must stay 0.
 */
async function reloadScenario({ opts, pins, work, provider, backendPort, record, log }) {
  const reloads = 5;
  const hosts = Array.from({ length: opts.routers }, (_, i) => `h${i}.bench`);
  const host = hosts[0];
  const port = await freePort();
  log(`reload: ${opts.routers} routers rebuilt ${reloads} times while wrk runs for ${opts.duration} s`);
  const wharf = await startWharf({ root, dir: work, provider, hosts, host, port, backendPort, cpu: pins.proxyCpu, extraArgs: ['--workers=1', '--log.level=INFO'] });
  const configFile = join(work, `wharf-${hosts.length}-0.json`);
  const loadDone = wrk({ port, host, connections: opts.connections, seconds: opts.duration, cpu: pins.loadCpu });
  for (let i = 1; i <= reloads; i++) {
    await new Promise((resolve) => setTimeout(resolve, (opts.duration * 1000) / (reloads + 1)));
    writeFileSync(configFile, JSON.stringify(dynamicConfiguration([...hosts, ...Array.from({ length: i }, (_, k) => `extra${k}.bench`)], backendPort)));
    process.kill(wharf.proc.pid, 'SIGHUP');
  }
  const m = await loadDone;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const builds = readFileSync(wharf.logFile, 'utf8').split('\n').map((line) => /configuration applied.*\bms=(\d+)/.exec(line)?.[1]).filter((v) => v !== undefined).map(Number);
  // The first build is the start-up; the others are the reloads.
  const rebuilds = builds.slice(1);
  const sorted = [...rebuilds].sort((a, b) => a - b);
  const buildMs = { count: rebuilds.length, median: sorted[Math.floor((sorted.length - 1) / 2)], max: sorted[sorted.length - 1] };
  log(`  ${rebuilds.length} rebuilds of ${opts.routers} routers: median ${buildMs.median} ms, max ${buildMs.max} ms; wrk errors ${m.errors}`);
  record('reload', opts.routers, 'wharf', host, m, { buildMs });
  await stop(wharf.proc, 15_000);
}

/**
 * Wharf with `--workers=1`, then `--workers=2`, 1 router, on the same layout: Wharf unpinned (its
 * processes may use both cores), wrk and the backend still on core 1, so the second worker shares
 * that core with the load side. The ratio of the two is the scaling the machine allows, load
 * generator included; requests per CPU-second show what each worker costs.
 */
async function workersScenario({ opts, pins, work, provider, backendPort, record, log }) {
  const host = 'bench.local';
  log('workers (1 router, Wharf not pinned; wrk and the backend on core 1)');
  /** @type {{ proxy: string, port: number, pid: number, runs: object[], extra: object, stop: () => Promise<void> }[]} */
  const targets = [];
  for (const workers of [1, 2]) {
    const port = await freePort();
    const dir = join(work, `workers-${workers}`);
    mkdirSync(dir, { recursive: true });
    const wharf = await startWharf({ root, dir, provider, hosts: [host], host, port, backendPort, extraArgs: [`--workers=${workers}`] });
    await checkEquivalent(`wharf --workers=${workers}`, port, host);
    targets.push({ proxy: `wharf ${workers} worker${workers > 1 ? 's' : ''}`, port, pid: wharf.proc.pid, runs: [], extra: { workers, readyMs: wharf.readyMs }, stop: () => stop(wharf.proc, 15_000) });
  }
  // Both run side by side (idle when not measured), taking turns as nginx and Wharf do above.
  for (let i = 1; i <= opts.runs; i++) {
    for (const t of targets) {
      const m = await measure({ port: t.port, host, pid: t.pid, rss: true }, opts, pins.loadCpu);
      t.runs.push(m);
      log(`  run ${i}/${opts.runs} ${t.proxy}: ${Math.round(m.requestsPerSec)} req/s, ${m.cpuSeconds?.toFixed(1)} CPU-s used`);
    }
  }
  for (const t of targets) {
    const runs = t.runs.map(({ raw, ...numbers }) => numbers);
    record('workers', 1, t.proxy, host, median(t.runs), { ...t.extra, ...(opts.runs > 1 ? { runs } : {}) });
    await t.stop();
  }
}

async function main() {
  const opts = options();
  checkPrerequisites();
  installCleanup();
  const pins = pinning();
  const work = mkdtempSync(join(tmpdir(), 'wharf-bench-'));
  const resultsDir = join(here, 'results');
  const startedAt = new Date().toISOString();
  const provider = pickProvider(root);
  const log = (line) => process.stderr.write(`${line}\n`);
  const busy = loadavg()[0];
  if (busy > 0.5) log(`warning: 1-minute load average is ${busy.toFixed(2)} before starting: other work on this machine will skew the numbers`);
  log(`${pins.note}; Wharf reads its routes through the ${provider} provider; scratch files in ${work}`);

  const backendPort = await freePort();
  const backend = await startNginx({ name: 'backend nginx', dir: join(work, 'backend'), conf: backendConf(join(work, 'backend'), backendPort), port: backendPort, host: 'backend', cpu: pins.loadCpu });

  /** @type {import('./lib/report.js').Row[]} */
  const rows = [];
  const record = (scenario, routers, proxy, host, m, extra = {}) => {
    rows.push({ scenario, routers, proxy, host, requestsPerSec: m.requestsPerSec, p50Ms: m.p50Ms, p99Ms: m.p99Ms, errors: m.errors, non2xx: m.non2xx, socketErrors: m.socketErrors, requests: m.requests, rssKbIdle: m.rssKbIdle, rssKbAfter: m.rssKbAfter, cpuSeconds: m.cpuSeconds, cpuCores: m.cpuCores, perCpuSecond: m.perCpuSecond, loadavg1m: { before: m.loadBefore, after: m.loadAfter }, allRequestsPerSec: m.allRequestsPerSec, ...extra, wrk: m.raw });
    log(`  ${scenario} / ${proxy}: ${Math.round(m.requestsPerSec)} req/s, p50 ${m.p50Ms.toFixed(2)}ms, p99 ${m.p99Ms.toFixed(2)}ms, errors ${m.errors}`);
    if (m.errors > 0) log(`  warning: ${proxy} had ${m.non2xx} non-2xx responses and socket errors ${JSON.stringify(m.socketErrors)}`);
  };

  if (!opts.only) {
    log('baseline: wrk straight to the backend (the ceiling of the load side, core 1)');
    record('baseline', 0, 'backend direct', 'backend', await measure({ port: backendPort, host: 'backend', pid: backend.pid }, opts, pins.loadCpu));
  }

  const many = Array.from({ length: opts.routers }, (_, i) => `h${i}.bench`);
  const paths = Array.from({ length: opts.routers }, (_, i) => `/p${i}/`);
  const scenarios = [
    { name: '1 router', hosts: ['bench.local'], host: 'bench.local' },
    { name: `${opts.routers} routers`, hosts: many, host: many[Math.floor(opts.routers / 2)] },
    // The common ECS layout: one public host, one PathPrefix per service; requests for the last one.
    { name: `${opts.routers} path routers`, hosts: ['api.bench'], paths, host: 'api.bench', path: `/p${opts.routers - 1}/x` },
  ];
  for (const s of opts.only === 'workers' ? [] : scenarios) {
    log(`${s.name} (requests for ${s.host}${s.path ?? ''})`);
    /** @type {{ proxy: string, port: number, pid: number, rss: boolean, runs: object[], extra?: object, stop: () => Promise<void> }[]} */
    const targets = [];
    if (opts.only !== 'wharf') {
      const port = await freePort();
      const dir = join(work, `proxy-${s.hosts.length}-${s.paths?.length ?? 0}`);
      const nginx = await startNginx({ name: 'proxy nginx', dir, conf: proxyConf(dir, port, backendPort, s.hosts, s.paths), port, host: s.host, path: s.path, cpu: pins.proxyCpu });
      await checkEquivalent('nginx', port, s.host, s.path);
      targets.push({ proxy: 'nginx', port, pid: nginx.pid, rss: false, runs: [], stop: () => stop(nginx) });
    }
    if (opts.only !== 'nginx') {
      const port = await freePort();
      const nodeArgs = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${resultsDir}`, `--cpu-prof-name=wharf-${s.hosts.length}-${startedAt.replace(/[:.]/g, '-')}.cpuprofile`] : [];
      // One process on one core, beside nginx's one worker: the default (--workers=auto) would fork
      // a worker per core, and both would then share core 0.
      const wharf = await startWharf({ root, dir: work, provider, hosts: s.hosts, paths: s.paths, host: s.host, path: s.path, port, backendPort, cpu: pins.proxyCpu, nodeArgs, extraArgs: ['--workers=1'] });
      await checkEquivalent('wharf', port, s.host, s.path);
      log(`  Wharf routed ${s.host} ${wharf.readyMs} ms after start`);
      targets.push({ proxy: 'wharf', port, pid: wharf.proc.pid, rss: true, runs: [], extra: { readyMs: wharf.readyMs }, stop: () => stop(wharf.proc, 15_000) });
    }
    // Alternating the proxies spreads any burst of outside load over both instead of one.
    for (let i = 1; i <= opts.runs; i++) {
      for (const t of targets) {
        const m = await measure({ port: t.port, host: s.host, path: s.path, pid: t.pid, rss: t.rss }, opts, pins.loadCpu);
        t.runs.push(m);
        log(`  run ${i}/${opts.runs} ${t.proxy}: ${Math.round(m.requestsPerSec)} req/s, ${m.cpuSeconds?.toFixed(1)} CPU-s used`);
      }
    }
    for (const t of targets) {
      const runs = t.runs.map(({ raw, ...numbers }) => numbers);
      record(s.name, s.paths?.length ?? s.hosts.length, t.proxy, s.path ? `${s.host}${s.path}` : s.host, median(t.runs), { ...t.extra, ...(s.paths ? { pathRouters: true } : {}), ...(opts.runs > 1 ? { runs } : {}) });
      await t.stop();
    }
  }
  if (opts.workers && opts.only !== 'nginx') await workersScenario({ opts, pins, work, provider, backendPort, record, log });
  if (opts.reload && !opts.only && provider === 'file') await reloadScenario({ opts, pins, work, provider, backendPort, record, log });
  await stop(backend);

  const table = formatTable(rows);
  console.log(`\n${table}\n`);
  const versions = { node: process.version, nginx: nginxVersion(await run('nginx -v', 'nginx', ['-v'])), wrk: await wrkVersion() };
  const file = writeResults(resultsDir, {
    startedAt, settings: opts, pinning: pins, provider, versions,
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model },
    rows, ratios: ratios(rows), table,
  });
  console.log(`results: ${file}`);
  rmSync(work, { recursive: true, force: true });
}

main().catch(async (err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : err}\n`);
  process.exitCode = 1;
}).finally(() => stopAll());
