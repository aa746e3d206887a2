/**
 * AWS calls per ECS refresh: 5,000 tasks in 10 clusters (5 Fargate/awsvpc, 5 EC2/bridge with 25
 * container instances each; 10 task definitions per cluster), run through the real provider and
 * SDK clients against the emulator. Prints measured calls next to the theoretical minimum (every
 * page and batch full, each task definition described once, nothing described twice) and next to
 * a model of Traefik's provider (definitions cached by task ARN, #13884; one container-instance
 * ARN per task). Run from the repo root: node --import tsx bench/ecs-calls.ts
 */
import 'reflect-metadata';
import { silentLogger } from '@wharf/core';
import { startEcsEmulator } from '@wharf/ecs-emulator';
import { EcsProvider } from '@wharf/provider-ecs';

const CLUSTERS = 10;
const TASKS_PER_CLUSTER = 500;
const DEFINITIONS_PER_CLUSTER = 10;
const INSTANCES_PER_EC2_CLUSTER = 25;
const CHURN = 250;

const emu = await startEcsEmulator({ region: 'us-east-1' });
const pages = (n: number, size = 100): number => Math.ceil(n / size);
const clusters: Array<{ name: string; ec2: boolean }> = [];
for (let c = 0; c < CLUSTERS; c++) {
  const ec2 = c >= CLUSTERS / 2;
  const name = `cluster-${c}`;
  clusters.push({ name, ec2 });
  emu.state.createCluster(name);
  if (ec2) for (let i = 0; i < INSTANCES_PER_EC2_CLUSTER; i++) emu.state.registerContainerInstance({ cluster: name, privateIp: `10.${c}.1.${i + 1}` });
  for (let d = 0; d < DEFINITIONS_PER_CLUSTER; d++) {
    const family = `svc-${c}-${d}`;
    emu.state.registerTaskDefinition({
      family,
      networkMode: ec2 ? 'bridge' : 'awsvpc',
      requiresCompatibilities: [ec2 ? 'EC2' : 'FARGATE'],
      containerDefinitions: [{ name: 'app', image: 'app', portMappings: [{ containerPort: 8080 }] }],
    });
    const count = TASKS_PER_CLUSTER / DEFINITIONS_PER_CLUSTER;
    emu.state.runTask({ cluster: name, taskDefinition: family, count, group: `service:${family}`, launchType: ec2 ? 'EC2' : 'FARGATE', ...(ec2 ? {} : { ip: (i: number) => `10.${c}.${d + 10}.${i + 1}` }) });
  }
}

const keys = emu.issueCredentials();
const provider = new EcsProvider(
  { clusters: clusters.map((c) => c.name), region: emu.region, endpoint: emu.url, accessKeyID: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
  silentLogger(),
  { env: {}, isEc2: () => false },
);
await provider.init();

/** The minimum for one refresh, given how many task definitions are not known yet. */
function minimum(unknownDefinitions: number): number {
  let calls = unknownDefinitions;
  for (const c of clusters) {
    calls += 2 * pages(TASKS_PER_CLUSTER); // ListTasks pages + one DescribeTasks per page
    if (c.ec2) calls += pages(INSTANCES_PER_EC2_CLUSTER) * 2; // DescribeContainerInstances + ec2:DescribeInstances
  }
  return calls;
}

/** Traefik v3: DescribeContainerInstances gets one ARN per EC2 task; definitions are cached per task ARN. */
function traefikModel(uncachedTasks: number): number {
  let calls = uncachedTasks;
  for (const c of clusters) {
    calls += 2 * pages(TASKS_PER_CLUSTER);
    if (c.ec2) calls += pages(TASKS_PER_CLUSTER) + pages(INSTANCES_PER_EC2_CLUSTER);
  }
  return calls;
}

async function measure(): Promise<{ total: number; byOperation: Record<string, number>; servers: number }> {
  emu.resetCalls();
  const result = await provider.refresh();
  const byOperation: Record<string, number> = {};
  for (const call of emu.calls) byOperation[`${call.service}:${call.operation}`] = (byOperation[`${call.service}:${call.operation}`] ?? 0) + 1;
  const servers = Object.values(result.configuration.http?.services ?? {}).reduce((n, s) => n + (s.loadBalancer?.servers?.length ?? 0), 0);
  return { total: emu.calls.length, byOperation, servers };
}

const rows: Array<[string, Awaited<ReturnType<typeof measure>>, number, number]> = [];
rows.push(['first cycle', await measure(), minimum(CLUSTERS * DEFINITIONS_PER_CLUSTER), traefikModel(CLUSTERS * TASKS_PER_CLUSTER)]);
rows.push(['steady state', await measure(), minimum(0), traefikModel(0)]);
// Churn: replace 250 tasks with new tasks of the same revisions (a scale-in/out or a crash loop).
const running = emu.state.allTasks().filter((t) => t.desiredStatus === 'RUNNING' && t.launchType === 'FARGATE').slice(0, CHURN);
for (const [i, task] of running.entries()) {
  emu.state.stopTask({ cluster: task.clusterArn, task: task.taskArn });
  emu.state.runTask({ cluster: task.clusterArn, taskDefinition: task.taskDefinitionArn, group: task.group, ip: `10.200.${Math.floor(i / 250)}.${(i % 250) + 1}` });
}
rows.push([`after ${CHURN} replaced tasks`, await measure(), minimum(0), traefikModel(CHURN)]);

console.log(`AWS calls per refresh: ${CLUSTERS * TASKS_PER_CLUSTER} tasks in ${CLUSTERS} clusters (${CLUSTERS / 2} Fargate, ${CLUSTERS / 2} EC2 bridge)\n`);
console.log('cycle                      | wharf | minimum | traefik (model) | servers');
console.log('---------------------------|-------|---------|-----------------|--------');
for (const [label, m, min, traefik] of rows) console.log(`${label.padEnd(27)}| ${String(m.total).padStart(5)} | ${String(min).padStart(7)} | ${String(traefik).padStart(15)} | ${m.servers}`);
console.log('\nwharf calls by operation:');
for (const [label, m] of rows) console.log(`  ${label}: ${JSON.stringify(m.byOperation)}`);
await emu.close();
process.exit(0);
