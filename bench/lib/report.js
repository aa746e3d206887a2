// The printed table and the JSON record of one benchmark run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Wharf on one core should reach at least this fraction of nginx on one core. */
export const TARGET_VS_NGINX = 0.2;
/** Wharf's many-router throughput should stay within 10% of its one-router throughput. */
export const TARGET_SCALING = 0.9;
/** 10,000 PathPrefix routers on one host should stay within 10% of one router (issue 14). */
export const TARGET_PATH_SCALING = 0.9;
/** Rebuilding 10,000 routers on a reload should block the event loop no longer than this (issue 14). */
export const TARGET_RELOAD_MS = 200;
/** Two workers on this 2-core machine should forward at least this many times what one does. */
export const TARGET_WORKERS = 1.7;

/**
 * @typedef {{ scenario: string, routers: number, proxy: string, host: string, requestsPerSec: number,
 *             p50Ms: number, p99Ms: number, errors: number, non2xx: number, rssKbIdle?: number,
 *             rssKbAfter?: number, readyMs?: number, cpuCores?: number, perCpuSecond?: number,
 *             pathRouters?: boolean, buildMs?: { count: number, median: number, max: number } }} Row
 */

/** Ratios computed from rows of the same run. @param {Row[]} rows */
export function ratios(rows) {
  const find = (scenario, proxy) => rows.find((r) => r.scenario === scenario && r.proxy === proxy);
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const vsNginx = {};
  const perCpuVsNginx = {};
  for (const s of scenarios) {
    const w = find(s, 'wharf');
    const n = find(s, 'nginx');
    if (w && n && n.requestsPerSec > 0) vsNginx[s] = w.requestsPerSec / n.requestsPerSec;
    if (w?.perCpuSecond && n?.perCpuSecond) perCpuVsNginx[s] = w.perCpuSecond / n.perCpuSecond;
  }
  const wharfRows = rows.filter((r) => r.proxy === 'wharf' && !r.pathRouters).sort((a, b) => a.routers - b.routers);
  const one = wharfRows[0];
  const many = wharfRows[wharfRows.length - 1];
  const scaling = one && many && one !== many && one.requestsPerSec > 0
    ? { from: one.routers, to: many.routers, ratio: many.requestsPerSec / one.requestsPerSec,
        perCpuRatio: one.perCpuSecond && many.perCpuSecond ? many.perCpuSecond / one.perCpuSecond : undefined }
    : undefined;
  const w1 = find('workers', 'wharf 1 worker');
  const w2 = find('workers', 'wharf 2 workers');
  const workers = w1 && w2 && w1.requestsPerSec > 0
    ? { ratio: w2.requestsPerSec / w1.requestsPerSec, perCpuRatio: w1.perCpuSecond && w2.perCpuSecond ? w2.perCpuSecond / w1.perCpuSecond : undefined }
    : undefined;
  const paths = rows.find((r) => r.proxy === 'wharf' && r.pathRouters);
  const pathScaling = paths && one && one.requestsPerSec > 0
    ? { routers: paths.routers, ratio: paths.requestsPerSec / one.requestsPerSec, perCpuRatio: one.perCpuSecond && paths.perCpuSecond ? paths.perCpuSecond / one.perCpuSecond : undefined }
    : undefined;
  return { vsNginx, perCpuVsNginx, scaling, pathScaling, workers };
}

const fmtMs = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)}us` : `${ms.toFixed(2)}ms`);
const fmtMb = (kb) => (kb === undefined ? '-' : `${(kb / 1024).toFixed(0)} MB`);
const verdict = (value, target) => `${value.toFixed(3)} (target >= ${target.toFixed(2)}: ${value >= target ? 'met' : 'NOT met'})`;

/** The table as text. @param {Row[]} rows */
export function formatTable(rows) {
  const r = ratios(rows);
  const header = ['scenario', 'proxy', 'req/s', 'p50', 'p99', 'errors', 'CPU used', 'req/CPU-s', 'CPU/req', 'Wharf RSS', 'wharf/nginx req/s'];
  const body = rows.map((row) => [
    row.scenario,
    row.proxy,
    Math.round(row.requestsPerSec).toLocaleString('en-US'),
    fmtMs(row.p50Ms),
    fmtMs(row.p99Ms),
    String(row.errors),
    row.cpuCores === undefined ? '-' : `${row.cpuCores.toFixed(2)} core`,
    row.perCpuSecond === undefined ? '-' : Math.round(row.perCpuSecond).toLocaleString('en-US'),
    // The proxy's CPU time per request (the backend direct row: the backend's).
    row.perCpuSecond === undefined ? '-' : `${(1e6 / row.perCpuSecond).toFixed(0)} us`,
    row.proxy.startsWith('wharf') ? fmtMb(row.rssKbAfter) : '',
    row.proxy === 'wharf' && r.vsNginx[row.scenario] !== undefined ? verdict(r.vsNginx[row.scenario], TARGET_VS_NGINX) : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const right = new Set([2, 3, 4, 5, 6, 7, 8, 9]);
  const line = (cells) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  if (Object.keys(r.perCpuVsNginx).length > 0) out.push('');
  for (const [s, v] of Object.entries(r.perCpuVsNginx)) {
    out.push(`${s}: wharf/nginx requests per CPU-second of the proxy: ${v.toFixed(3)}`);
  }
  if (r.scaling) {
    out.push('', `Wharf ${r.scaling.to} routers / ${r.scaling.from} router req/s: ${verdict(r.scaling.ratio, TARGET_SCALING)}`);
    if (r.scaling.perCpuRatio !== undefined) out.push(`Wharf ${r.scaling.to} routers / ${r.scaling.from} router requests per CPU-second: ${r.scaling.perCpuRatio.toFixed(3)}`);
  }
  const reload = rows.find((row) => row.scenario === 'reload');
  if (reload?.buildMs) {
    out.push('', `Wharf reload of ${reload.routers} routers under load: ${reload.buildMs.count} rebuilds, median ${reload.buildMs.median} ms, max ${reload.buildMs.max} ms (target <= 200 ms: ${reload.buildMs.max <= TARGET_RELOAD_MS ? 'met' : 'NOT met'}), ${reload.errors} failed requests`);
  }
  if (r.pathScaling) {
    out.push('', `Wharf ${r.pathScaling.routers} path routers on one host / 1 router req/s: ${verdict(r.pathScaling.ratio, TARGET_PATH_SCALING)}`);
    if (r.pathScaling.perCpuRatio !== undefined) out.push(`Wharf ${r.pathScaling.routers} path routers on one host / 1 router requests per CPU-second: ${r.pathScaling.perCpuRatio.toFixed(3)}`);
  }
  if (r.workers) {
    out.push('', `Wharf 2 workers / 1 worker req/s: ${verdict(r.workers.ratio, TARGET_WORKERS)}`);
    if (r.workers.perCpuRatio !== undefined) out.push(`Wharf 2 workers / 1 worker requests per CPU-second: ${r.workers.perCpuRatio.toFixed(3)}`);
  }
  return out.join('\n');
}

/** Writes `record` to `<dir>/<timestamp>.json` and returns the path. */
export function writeResults(dir, record) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
