import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { ConfigSchemaFragment } from '@wharf/core';
import { loadStaticConfig, type LoadedStaticConfig } from '../src/static-config/index.js';

export interface LoadOptions {
  env?: Record<string, string>;
  /** Files written into the working directory, by name. */
  files?: Record<string, string>;
  schemas?: Record<string, ConfigSchemaFragment>;
}

/** A fresh working directory, removed when the test ends. */
export async function workDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-static-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function load(t: ExecutionContext, argv: string[], options: LoadOptions = {}): Promise<LoadedStaticConfig> {
  const cwd = await workDir(t);
  for (const [name, content] of Object.entries(options.files ?? {})) await writeFile(join(cwd, name), content);
  return loadStaticConfig({ argv, env: options.env ?? {}, cwd }, new Map(Object.entries(options.schemas ?? {})));
}

/** Reads a dotted path out of a loaded configuration. */
export function at(config: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config);
}

/** A provider fragment the way a plugin package would declare it. */
export const ecsFragment: ConfigSchemaFragment = {
  region: { doc: 'AWS region', format: String, default: '' },
  clusters: { doc: 'Clusters to watch', format: 'string-list', default: ['default'] },
  refreshSeconds: { doc: 'Polling period', format: 'duration', default: '15s' },
  autoDiscoverClusters: { doc: 'Watch every cluster', format: Boolean, default: false },
  accessKeyID: { doc: 'Static access key', format: String, default: '' },
  secretAccessKey: { doc: 'Static secret key', format: String, default: '', sensitive: true },
};
