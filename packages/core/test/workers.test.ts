import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { aggregateWorkerMetrics } from '../src/cluster/cluster-metrics.js';
import { fromSnapshotMessage, toSnapshotMessage } from '../src/cluster/snapshot-message.js';
import { cgroupCpuLimit, resolveWorkerCount } from '../src/cluster/worker-count.js';
import type { DynamicConfiguration } from '../src/config/dynamic/types.js';
import { pipeChunks, PIPE_BUF } from '../src/observability/access-log/pipe-chunks.js';
import { PrometheusMetrics } from '../src/observability/prometheus-metrics.js';
import { mergeSnapshots } from '../src/runtime/merge.js';
import { ProviderSnapshots } from '../src/runtime/provider-snapshot.js';
import { RuntimeState } from '../src/runtime/runtime-state.js';
import { sample } from './prometheus-text.js';

/** cgroup files in a temporary folder: `v2` is cpu.max's content, `v1` the quota and period. */
async function cgroup(files: { v2?: string; v1?: [string, string] }): Promise<{ v2Max: string; v1Quota: string; v1Period: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-cgroup-'));
  const paths = { v2Max: join(dir, 'cpu.max'), v1Quota: join(dir, 'cpu.cfs_quota_us'), v1Period: join(dir, 'cpu.cfs_period_us') };
  if (files.v2 !== undefined) await writeFile(paths.v2Max, `${files.v2}\n`);
  if (files.v1) {
    await writeFile(paths.v1Quota, `${files.v1[0]}\n`);
    await writeFile(paths.v1Period, `${files.v1[1]}\n`);
  }
  return paths;
}

const quotas: Array<[string, { v2?: string; v1?: [string, string] }, number | undefined]> = [
  ['cgroup v2 without a quota', { v2: 'max 100000' }, undefined],
  ['cgroup v2, 2 vCPUs (a Fargate task)', { v2: '200000 100000' }, 2],
  ['cgroup v2, half a vCPU', { v2: '50000 100000' }, 0.5],
  ['cgroup v1 without a quota', { v1: ['-1', '100000'] }, undefined],
  ['cgroup v1, 4 vCPUs', { v1: ['400000', '100000'] }, 4],
  ['no cgroup files', {}, undefined],
];
for (const [name, files, expected] of quotas) {
  test(`cgroupCpuLimit: ${name}`, async (t) => {
    t.is(cgroupCpuLimit(await cgroup(files)), expected);
  });
}

const counts: Array<[number | 'auto', number, number | undefined, number]> = [
  ['auto', 2, undefined, 2],
  ['auto', 8, 2, 2],
  ['auto', 8, 1.5, 1],
  ['auto', 2, 0.25, 1],
  ['auto', 2, 16, 2],
  [3, 2, 1, 3],
];
for (const [workers, cpus, quota, expected] of counts) {
  test(`resolveWorkerCount(${workers}) with ${cpus} CPUs and a quota of ${quota ?? 'none'} is ${expected}`, (t) => {
    t.is(resolveWorkerCount(workers, cpus, quota), expected);
  });
}

const config = (host: string): DynamicConfiguration => ({ http: { routers: { r: { rule: `Host(\`${host}\`)`, service: 's' } }, services: { s: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:1' }] } } } } });

test('a snapshot message survives structured cloning (the workers IPC) with its reports, and merges as the original', (t) => {
  const snapshots = new ProviderSnapshots([['file', config('a.test')]]);
  snapshots.reports.set('file', { elementIssues: [], errors: [] });
  snapshots.reports.set('ecs', { elementIssues: [], errors: ['provider "ecs": the snapshot could not be read'] });
  const received = fromSnapshotMessage(structuredClone(toSnapshotMessage(snapshots)));
  t.true(received instanceof ProviderSnapshots);
  t.deepEqual([...received], [...snapshots]);
  t.deepEqual([...received.reports], [...snapshots.reports]);
  const [sent, got] = [mergeSnapshots(snapshots), mergeSnapshots(received)];
  t.deepEqual([...got.routers.keys()], [...sent.routers.keys()]);
  t.deepEqual([...got.providerStatus], [...sent.providerStatus]);
  t.is(got.providerStatus.get('ecs')?.status, 'error');
});

test('a plain map of snapshots (no reports) makes a message without reports', (t) => {
  const message = toSnapshotMessage(new Map([['file', config('b.test')]]));
  t.false('reports' in message);
  t.deepEqual([...fromSnapshotMessage(message).keys()], ['file']);
});

test('aggregated metrics sum requests over workers and keep one value for reloads', async (t) => {
  const options = { enabled: true, entryPoint: 'traefik', manualRouting: false, buckets: [0.1, 1], addEntryPointsLabels: true, addRoutersLabels: false, addServicesLabels: true, prefix: 'traefik' };
  const workers = [new PrometheusMetrics(options, new RuntimeState()), new PrometheusMetrics(options, new RuntimeState())];
  const counts = [3, 4];
  for (const [i, metrics] of workers.entries()) {
    const requests = metrics.registry.getSingleMetric('traefik_entrypoint_requests_total') as unknown as { inc(labels: Record<string, string>, n: number): void };
    requests.inc({ code: '200', method: 'GET', protocol: 'http', entrypoint: 'web' }, counts[i]!);
    const reloads = metrics.registry.getSingleMetric('traefik_config_reloads_total') as unknown as { inc(n: number): void };
    reloads.inc(2);
    metrics.connectionOpened('web');
  }
  const { text } = await aggregateWorkerMetrics(await Promise.all(workers.map((m) => m.registry.getMetricsAsJSON())));
  t.is(sample(text, 'traefik_entrypoint_requests_total', { code: '200', entrypoint: 'web' }), 7);
  t.is(sample(text, 'traefik_open_connections', { entrypoint: 'web' }), 2);
  t.is(sample(text, 'traefik_config_reloads_total'), 2, 'one reload applied by two workers is one reload');
});

test('pipeChunks: writes of at most PIPE_BUF bytes, each ending on a line boundary, nothing lost', (t) => {
  const lines = Array.from({ length: 500 }, (_, i) => `{"n":${i},"pad":"${'é'.repeat(i % 40)}"}\n`);
  const text = lines.join('');
  const chunks = pipeChunks(text);
  t.true(chunks.length > 1);
  t.is(chunks.join(''), text);
  for (const chunk of chunks) {
    t.true(Buffer.byteLength(chunk) <= PIPE_BUF);
    t.true(chunk.endsWith('\n'));
  }
  t.deepEqual(pipeChunks('short\n'), ['short\n']);
  const long = `${'x'.repeat(PIPE_BUF + 10)}\n`;
  t.deepEqual(pipeChunks(`a\n${long}b\n`), ['a\n', long, 'b\n'], 'a line longer than PIPE_BUF goes alone');
});
