import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeDynamicConfiguration, silentLogger, type MiddlewarePlugin, type ProviderPlugin } from '@wharf/core';
import { runProviderContract } from '@wharf/core/testing';
import test from 'ava';
import YAML from 'yaml';
import { repoRoot, testDir } from './helpers/wharf-process.js';

// The code samples of docs/writing-a-provider.md and docs/writing-a-middleware.md, run as
// written: each sample is extracted from the page and imported; the provider must pass the
// contract kit (its snapshots go through the kernel) against a loopback server.

async function codeBlocks(doc: string, lang: string): Promise<string[]> {
  const text = await readFile(join(repoRoot, 'docs', doc), 'utf8');
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

test('the sample provider of docs/writing-a-provider.md passes the contract kit', async (t) => {
  const [sample] = await codeBlocks('writing-a-provider.md', 'ts');
  t.truthy(sample?.includes('const plugin: ProviderPlugin<Options>'), 'the first ts block is the provider');
  const dir = join(testDir, 'artifacts', 'doc-samples');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `httppoll-${process.pid}.ts`);
  await writeFile(file, sample!);
  const plugin = ((await import(pathToFileURL(file).href)) as { default: ProviderPlugin }).default;
  await rm(file);

  const configuration = { http: { routers: { api: { rule: 'Host(`api.test`)', service: 'api', entrypoints: 'web' } }, services: { api: { loadbalancer: { servers: [{ url: 'http://127.0.0.1:9' }] } } } } };
  const authorizations: string[] = [];
  const server = createServer((req, res) => {
    authorizations.push(req.headers.authorization ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(configuration));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/config`;
    // A long interval: the kit's abort must end the sleep at once, or provide() does not settle in time.
    await t.notThrowsAsync(runProviderContract({ plugin, options: { url, intervalMs: 60_000, token: 'x' } }));
    t.deepEqual(authorizations, ['Bearer x']);
  } finally {
    server.close();
  }
});

test('docs/writing-a-middleware.md: the plugin sample is the example package the e2e tests load, and it works', async (t) => {
  const [sample] = await codeBlocks('writing-a-middleware.md', 'js');
  const fixture = await readFile(join(testDir, 'fixtures', 'wharf-middleware-example', 'index.js'), 'utf8');
  t.true(fixture.includes(sample!), 'the sample is the fixture, verbatim');
  const dir = join(testDir, 'artifacts', 'doc-samples');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `stamp-${process.pid}.mjs`);
  await writeFile(file, sample!);
  const plugin = ((await import(pathToFileURL(file).href)) as { default: MiddlewarePlugin }).default;
  await rm(file);
  const ctx = { name: 'stamped@file', provider: 'file', logger: silentLogger() };
  t.throws(() => plugin.create(ctx, {}), { message: /is required/ });
  const handler = plugin.create(ctx, { header: 'X-Stamp', value: 'blue' });
  const headers: Record<string, string> = {};
  let passed = 0;
  for (let i = 0; i < 2; i++) handler({} as never, { setHeader: (k: string, v: string) => (headers[k] = v) } as never, () => passed++);
  t.deepEqual(headers, { 'X-Stamp': 'blue', 'X-Stamp-Count': '2' });
  t.is(passed, 2);
});

test('docs/writing-a-middleware.md: the dynamic configuration sample decodes without errors', async (t) => {
  const [sample] = await codeBlocks('writing-a-middleware.md', 'yaml');
  const decoded = decodeDynamicConfiguration(YAML.parse(sample!));
  t.deepEqual(decoded.errors, []);
  t.deepEqual(Object.keys(decoded.configuration.http?.middlewares ?? {}), ['secure', 'cross-origin']);
});
