// Child processes the benchmark starts, tracked by PID so that every exit path (normal end,
// error, Ctrl-C, SIGTERM) stops exactly what this script started and nothing else.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';

/** @typedef {{ name: string, pid: number, child: import('node:child_process').ChildProcess, exited: Promise<number | null>, output: () => string }} Started */

/** @type {Set<Started>} */
const running = new Set();

/** True when `command` is on PATH. */
export function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const tasksetAvailable = hasCommand('taskset');

/**
 * Starts `command`; pinned to `cpu` with taskset when given (taskset execs the command, so the
 * PID we hold is the command's own). Output goes to `logFile`, or is kept in memory when absent.
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, logFile?: string, cpu?: number }} [options]
 * @returns {Started}
 */
export function start(name, command, args, options = {}) {
  const pinned = options.cpu !== undefined && tasksetAvailable;
  const file = pinned ? 'taskset' : command;
  const argv = pinned ? ['-c', String(options.cpu), command, ...args] : args;
  const fd = options.logFile ? openSync(options.logFile, 'a') : undefined;
  const child = spawn(file, argv, { cwd: options.cwd, stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'] });
  if (fd !== undefined) closeSync(fd);
  let text = '';
  child.stdout?.on('data', (chunk) => { text += chunk; });
  child.stderr?.on('data', (chunk) => { text += chunk; });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', () => resolve(127));
  });
  const started = { name, pid: child.pid ?? -1, child, exited, output: () => text };
  running.add(started);
  exited.then(() => running.delete(started));
  return started;
}

/** Runs `command` to completion (tracked, so Ctrl-C stops it too) and returns its output. */
export async function run(name, command, args, options = {}) {
  const started = start(name, command, args, options);
  const code = await started.exited;
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${started.output()}`);
  return started.output();
}

/** Stops one started process: SIGTERM, then SIGKILL if it lingers. */
export async function stop(started, graceMs = 5000) {
  if (!running.has(started)) return;
  signal(started, 'SIGTERM');
  const timer = setTimeout(() => signal(started, 'SIGKILL'), graceMs);
  await started.exited;
  clearTimeout(timer);
}

/** Stops everything still running, last started first. */
export async function stopAll() {
  await Promise.all([...running].reverse().map((s) => stop(s)));
}

function signal(started, sig) {
  try { process.kill(started.pid, sig); } catch { /* already gone */ }
}

/**
 * Makes sure started processes die with this script: on SIGINT/SIGTERM we stop them and exit,
 * and on any other exit (including a crash) we send a last synchronous SIGTERM by PID.
 */
export function installCleanup() {
  const onSignal = (sig) => {
    process.stderr.write(`\n${sig}: stopping benchmark processes\n`);
    stopAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => { for (const s of running) signal(s, 'SIGTERM'); });
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** One GET on loopback with a given Host header; resolves to status and body, or rejects. */
export function get(port, host, path = '/') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Polls `probe` until it returns true; fails early if `started` exits, or after `timeoutMs`.
 * @param {string} what @param {() => Promise<boolean>} probe @param {Started} started @param {number} timeoutMs
 */
export async function waitUntil(what, probe, started, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  started.exited.then(() => { exited = true; });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${started.name} exited before ${what}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Resident set size of a process in kB (VmRSS from /proc), or undefined when unreadable. */
export async function rssKb(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** PIDs of `pid` and all its descendants (nginx master → worker), from /proc. */
async function tree(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const kids = await readFile(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').catch(() => '');
    for (const k of kids.split(' ').filter(Boolean)) out.push(Number(k));
  }
  return out;
}

/**
 * CPU seconds (user + system, all threads) used so far by `pid` and its descendants. Throughput
 * divided by this is what the proxy achieves per core-second actually obtained, which other
 * work on a shared machine skews far less than req/s.
 */
export async function cpuSeconds(pid) {
  let ticks = 0;
  for (const p of await tree(pid)) {
    const stat = await readFile(`/proc/${p}/stat`, 'utf8').catch(() => '');
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / CLK_TCK;
}
