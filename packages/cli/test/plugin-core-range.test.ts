import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@wharf/core';
import test from 'ava';
import { coreVersion, loadMiddlewarePlugins, loadProviderPlugin } from '../src/plugin-loader.js';

// A plugin declares the @wharf/core it is made for; Wharf refuses another with one clear line.

async function project(name: string, range: string | undefined, body: string): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), 'wharf-range-'));
  const dir = join(cwd, 'node_modules', name);
  await mkdir(dir, { recursive: true });
  const manifest = { name, version: '1.0.0', type: 'module', exports: './index.js', ...(range ? { peerDependencies: { '@wharf/core': range } } : {}) };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'index.js'), body);
  await writeFile(join(cwd, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  return cwd;
}

const PROVIDER = "export default { name: 'p', configSchema: {}, register() {} };";
const MIDDLEWARE = 'export default (options) => (req, res, next) => next();';

test('a provider made for another @wharf/core is refused, naming both versions', async (t) => {
  const cwd = await project('wharf-provider-old', '^9.0.0', PROVIDER);
  const err = await t.throwsAsync(loadProviderPlugin({ name: 'old', packageName: 'wharf-provider-old' }, cwd));
  t.true(err instanceof ConfigError);
  t.is(err!.message, `package wharf-provider-old is made for @wharf/core ^9.0.0, but this Wharf runs @wharf/core ${coreVersion}: install a version of wharf-provider-old made for it`);
});

test('a middleware package made for another @wharf/core is refused too', async (t) => {
  const cwd = await project('wharf-mw-old', '>=2', MIDDLEWARE);
  const err = await t.throwsAsync(loadMiddlewarePlugins({ old: { package: 'wharf-mw-old', export: 'default' } }, cwd));
  t.regex(err!.message, /is made for @wharf\/core >=2, but this Wharf runs/);
});

test('a matching range, no range, and an invalid range', async (t) => {
  const ok = await project('wharf-provider-ok', `^${coreVersion}`, PROVIDER);
  t.is((await loadProviderPlugin({ name: 'ok', packageName: 'wharf-provider-ok' }, ok)).name, 'p');
  const none = await project('wharf-provider-none', undefined, PROVIDER);
  t.is((await loadProviderPlugin({ name: 'none', packageName: 'wharf-provider-none' }, none)).name, 'p');
  const bad = await project('wharf-provider-bad', 'not a range', PROVIDER);
  const err = await t.throwsAsync(loadProviderPlugin({ name: 'bad', packageName: 'wharf-provider-bad' }, bad));
  t.regex(err!.message, /declares an invalid @wharf\/core range "not a range"/);
});
