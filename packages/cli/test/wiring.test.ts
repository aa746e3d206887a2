import test from 'ava';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger, Tokens, Wharf } from '@wharf/core';
import { createApp } from '../src/app.js';
import { loadConfiguration } from '../src/main.js';

const testPackage = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', 'test');

test('the real wiring resolves every registered token', async (t) => {
  const { config, plugins } = await loadConfiguration({
    argv: ['--entryPoints.web.address=127.0.0.1:0', '--providers.plugins.example.package=wharf-provider-example', '--providers.plugins.example.file=/nonexistent.json'],
    env: {},
    cwd: testPackage,
  });
  t.deepEqual(plugins.map((p) => p.plugin.name), ['example']);
  const app = await createApp(config.config, plugins, silentLogger());
  const registered = Object.entries(Tokens).filter(([, token]) => app.container.isRegistered(token, true));
  t.deepEqual(registered.map(([name]) => name).sort(), ['InternalService', 'Logger', 'MiddlewareFactory', 'Provider', 'RuntimeState', 'StaticConfiguration']);
  for (const [name, token] of registered) {
    const all = app.container.resolveAll(token);
    t.true(all.length > 0, `${name} resolves`);
  }
  t.deepEqual(app.container.resolveAll<{ type: string }>(Tokens.MiddlewareFactory).map((f) => f.type).sort(), ['addPrefix', 'basicAuth', 'headers', 'plugin', 'stripPrefix']);
  t.deepEqual(app.container.resolveAll<{ name: string }>(Tokens.Provider).map((p) => p.name), ['example']);
  t.true(app.wharf instanceof Wharf);
});

test('a configured provider that is not installed is a one-line error naming the package', async (t) => {
  const err = await t.throwsAsync(loadConfiguration({ argv: ['--providers.acme.endpoint=http://127.0.0.1:1'], env: {}, cwd: testPackage }));
  t.regex(err!.message, /package @wharf\/provider-acme is not installed: run `npm install @wharf\/provider-acme`/);
});

test('a plugin package that is not a provider plugin is rejected', async (t) => {
  const err = await t.throwsAsync(loadConfiguration({ argv: ['--providers.plugins.bad.package=ws'], env: {}, cwd: testPackage }));
  t.regex(err!.message, /package ws does not export a Wharf provider plugin/);
});

test('a provider package may contribute middleware types; its provider runs under the section name', async (t) => {
  const { config } = await loadConfiguration({ argv: ['--entryPoints.web.address=127.0.0.1:0'], env: {}, cwd: testPackage });
  const poweredBy = { type: 'poweredBy', create: () => (_req: unknown, res: { setHeader(n: string, v: string): void }, next: () => void) => { res.setHeader('X-Powered-By', 'Wharf'); next(); } };
  const plugin = {
    name: 'bundle',
    configSchema: {},
    register(container: import('tsyringe').DependencyContainer, _options: unknown, context: { section: string }) {
      container.register(Tokens.Provider, { useValue: { name: 'bundle', init: async () => {}, provide: async () => {}, section: context.section } });
      container.register(Tokens.MiddlewareFactory, { useValue: poweredBy });
    },
  };
  const app = await createApp(config.config, [{ plugin: plugin as never, options: {}, section: 'mine' }], silentLogger());
  t.true(app.container.resolveAll<{ type: string }>(Tokens.MiddlewareFactory).some((f) => f.type === 'poweredBy'));
  t.deepEqual(app.container.resolveAll<{ name: string }>(Tokens.Provider).map((p) => p.name), ['mine']);
});
