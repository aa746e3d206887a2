import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProviderContract } from '@wharf/core/testing';
import plugin from '../src/index.js';
import { removeDir, routerYaml, tempDir } from './helpers.js';

for (const mode of ['filename', 'directory', 'filename without watch'] as const) {
  test(`passes the provider contract (${mode})`, async (t) => {
    const dir = await tempDir();
    t.teardown(() => removeDir(dir));
    const file = join(dir, 'dynamic.yml');
    await writeFile(file, routerYaml('api'));
    const options = mode === 'directory' ? { directory: dir } : { filename: file, watch: mode === 'filename' };
    await t.notThrowsAsync(
      runProviderContract({
        plugin,
        options,
        checkSnapshot: (message) => {
          if (!message.configuration.http?.routers?.api) throw new Error('router "api" missing from the snapshot');
        },
      }),
    );
  });
}
