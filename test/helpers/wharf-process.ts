import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from './net.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const testDir = join(repoRoot, 'test');
export const wharfBin = join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');
/**
 * Preloaded into every Wharf a test starts, with an IPC channel to the test: when the test's
 * process ends in any way (an ava timeout kills it), Wharf stops too instead of running on as an
 * orphan that loads the machine for the tests after it.
 */
const exitWithParent = join(repoRoot, 'packages', 'cli', 'dist', 'demo', 'exit-with-parent.js');
const childArgs = (args: string[]): string[] => ['--import', exitWithParent, wharfBin, ...args];
const STDIO: ['ignore', 'pipe', 'pipe', 'ipc'] = ['ignore', 'pipe', 'pipe', 'ipc'];

/** A real `wharf` process. */
export interface WharfProcess {
  readonly process: ChildProcess;
  /** `http://127.0.0.1:<port>` of each entry point. */
  readonly urls: Record<string, string>;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Runs `wharf` to completion (check, version, a failing start) and returns what it printed. */
export async function runWharf(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, childArgs(args), { cwd: options.cwd ?? testDir, env: { ...process.env, ...options.env }, stdio: STDIO });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/**
 * Starts `wharf` with the given entry point names on free loopback ports, plus `args`, and waits
 * until every entry point accepts connections.
 */
export async function startWharf(entryPoints: string[], args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<WharfProcess> {
  // A port found free can be taken by another test's process before Wharf binds it: new ports, again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startWharfOnce(entryPoints, args, options);
    } catch (err) {
      if (attempt >= 3 || !String((err as Error).message).includes('EADDRINUSE')) throw err;
    }
  }
}

async function startWharfOnce(entryPoints: string[], args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<WharfProcess> {
  const urls: Record<string, string> = {};
  const epArgs: string[] = [];
  for (const name of entryPoints) {
    const port = await freePort();
    urls[name] = `http://127.0.0.1:${port}`;
    epArgs.push(`--entryPoints.${name}.address=127.0.0.1:${port}`);
  }
  const child = spawn(process.execPath, childArgs([...epArgs, ...args]), { cwd: options.cwd ?? testDir, env: { ...process.env, ...options.env }, stdio: STDIO });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c === null ? -1 : c));
  for (const url of Object.values(urls)) {
    await waitFor(async () => {
      if (exitCode !== undefined) throw new Error(`wharf exited with ${exitCode}: ${output}`);
      await fetch(url + '/__wharf_probe__', { signal: AbortSignal.timeout(1_000) });
      return true;
    }, 45_000, `wharf entry point ${url}`);
  }
  return {
    process: child,
    urls,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (exitCode === undefined) child.kill(signal);
      return exited;
    },
  };
}

/** The JSON file the example provider watches; `write` replaces it atomically. */
export class ExampleConfig {
  private counter = 0;
  private constructor(readonly path: string) {}

  static async create(initial: unknown): Promise<ExampleConfig> {
    const dir = await mkdtemp(join(tmpdir(), 'wharf-example-'));
    const config = new ExampleConfig(join(dir, 'dynamic.json'));
    await config.write(initial);
    return config;
  }

  /** Flags that load the example third-party provider on this file. */
  args(pollMs = 50): string[] {
    return ['--providers.plugins.example.package=wharf-provider-example', `--providers.plugins.example.file=${this.path}`, `--providers.plugins.example.pollMs=${pollMs}`, '--providers.providersThrottleDuration=0s'];
  }

  async write(configuration: unknown): Promise<void> {
    const tmp = `${this.path}.${this.counter++}.tmp`;
    await writeFile(tmp, JSON.stringify(configuration));
    await rename(tmp, this.path);
  }
}
