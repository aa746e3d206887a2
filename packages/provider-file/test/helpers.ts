import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMessage, DynamicConfiguration, Logger } from '@wharf/core';
import { FileProvider, type FileProviderOptions } from '../src/index.js';

/** A logger that keeps what it is given, to assert on logs. */
export class RecordingLogger implements Logger {
  readonly records: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
  private log(level: string, a: object | string, b?: string): void {
    this.records.push(typeof a === 'string' ? { level, msg: a, fields: {} } : { level, msg: b ?? '', fields: a as Record<string, unknown> });
  }
  debug(a: object | string, b?: string): void {
    this.log('debug', a, b);
  }
  info(a: object | string, b?: string): void {
    this.log('info', a, b);
  }
  warn(a: object | string, b?: string): void {
    this.log('warn', a, b);
  }
  error(a: object | string, b?: string): void {
    this.log('error', a, b);
  }
  child(): Logger {
    return this;
  }
  isLevelEnabled(): boolean {
    return true;
  }
  errors(): string[] {
    return this.records.filter((r) => r.level === 'error').map((r) => r.msg);
  }
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'wharf-file-provider-'));
}

/** Writes a file atomically (temp file + rename), as editors and kubectl-style tools do. */
export async function replaceFile(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** A YAML file defining one router `name` → service `name` with the given rule. */
export function routerYaml(name: string, rule = `Host(\`${name}.test\`)`, url = 'http://127.0.0.1:9'): string {
  return `http:\n  routers:\n    ${name}:\n      rule: "${rule}"\n      service: ${name}\n  services:\n    ${name}:\n      loadBalancer:\n        servers:\n          - url: ${url}\n`;
}

/** A running provider and the snapshots it published. */
export interface RunningProvider {
  readonly provider: FileProvider;
  readonly logger: RecordingLogger;
  readonly messages: ConfigMessage[];
  /** The newest snapshot once `check` holds for it; fails after `timeoutMs`. Returns the time it took. */
  until(check: (configuration: DynamicConfiguration) => boolean, timeoutMs?: number): Promise<{ configuration: DynamicConfiguration; elapsedMs: number }>;
  stop(): Promise<void>;
}

export async function runProvider(options: FileProviderOptions, pollIntervalMs = 60_000): Promise<RunningProvider> {
  const logger = new RecordingLogger();
  // A long poll by default, so that tests prove the fs.watch path and not the safety net.
  const provider = new FileProvider(options, logger, { timing: { pollIntervalMs }, reloadOnSighup: options.watch === false });
  await provider.init();
  const messages: ConfigMessage[] = [];
  const abort = new AbortController();
  const running = provider.provide((message) => messages.push(structuredClone(message)), abort.signal);
  return {
    provider,
    logger,
    messages,
    async until(check, timeoutMs = 3_000) {
      const start = Date.now();
      for (;;) {
        const last = messages.at(-1);
        if (last && check(last.configuration)) return { configuration: last.configuration, elapsedMs: Date.now() - start };
        if (Date.now() - start > timeoutMs) throw new Error(`no matching snapshot within ${timeoutMs} ms; last: ${JSON.stringify(last?.configuration)}; errors: ${logger.errors().join(' | ')}`);
        await delay(10);
      }
    },
    async stop() {
      abort.abort();
      await running;
    },
  };
}

export function routers(configuration: DynamicConfiguration): string[] {
  return Object.keys(configuration.http?.routers ?? {}).sort();
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Polls `check` until it holds (for effects whose timing depends on the machine's load). */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await delay(20);
  }
}
