import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Where the kernel says how much CPU time the process's cgroup may use (v2, then v1). */
export interface CpuQuotaFiles {
  readonly v2Max: string;
  readonly v1Quota: string;
  readonly v1Period: string;
}

const CGROUP_FILES: CpuQuotaFiles = {
  v2Max: '/sys/fs/cgroup/cpu.max',
  v1Quota: '/sys/fs/cgroup/cpu/cpu.cfs_quota_us',
  v1Period: '/sys/fs/cgroup/cpu/cpu.cfs_period_us',
};

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * The CPUs the cgroup's quota allows (`quota / period`, e.g. 2 for a 2-vCPU Fargate task), or
 * undefined when there is no quota. cgroup v2 writes `max 100000` for none, v1 writes `-1`.
 */
export function cgroupCpuLimit(files: CpuQuotaFiles = CGROUP_FILES): number | undefined {
  const v2 = read(files.v2Max);
  if (v2 !== undefined) {
    const [quota, period] = v2.split(/\s+/);
    if (quota === 'max' || quota === undefined) return undefined;
    const limit = Number(quota) / Number(period ?? 100_000);
    return Number.isFinite(limit) && limit > 0 ? limit : undefined;
  }
  const quota = Number(read(files.v1Quota));
  const period = Number(read(files.v1Period));
  if (!Number.isFinite(quota) || quota <= 0 || !Number.isFinite(period) || period <= 0) return undefined;
  return quota / period;
}

/**
 * How many serving processes `--workers` asks for. `auto` is the number of CPUs this process may
 * use: `os.availableParallelism()` (the CPUs of its affinity mask) capped by the cgroup's CPU quota,
 * rounded down and at least 1 — a task with 1.5 vCPUs gets 1 worker, as Go's automaxprocs does,
 * because a second worker would only be throttled.
 */
export function resolveWorkerCount(workers: number | 'auto', cpus: number = availableParallelism(), quota: number | undefined = cgroupCpuLimit()): number {
  if (workers !== 'auto') return workers;
  const limit = quota === undefined ? cpus : Math.min(cpus, Math.floor(quota));
  return Math.max(1, limit);
}
