import test from 'ava';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConfiguration, formatIssue, formatOf, parseConfigurationFile } from '../src/index.js';

// docs/file-provider.md shows these files; loading them here keeps the docs true.
const examples = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'examples', 'file');

async function exampleFiles(): Promise<Array<{ path: string; text: string }>> {
  const names = (await readdir(examples)).filter((name) => formatOf(name) !== undefined).sort();
  return Promise.all(names.map(async (name) => ({ path: join(examples, name), text: await readFile(join(examples, name), 'utf8') })));
}

test('every documented example file decodes without errors or warnings', async (t) => {
  const files = await exampleFiles();
  t.true(files.length >= 4, `found ${files.length} example files`);
  for (const { path, text } of files) {
    const parsed = parseConfigurationFile(path, text);
    t.deepEqual(parsed.errors.map(formatIssue), [], path);
    t.deepEqual(parsed.warnings.map(formatIssue), [], path);
  }
});

test('the example directory loads as one configuration, every reference resolving inside it', async (t) => {
  const result = buildConfiguration(await exampleFiles());
  t.deepEqual(result.errors.map(formatIssue), []);
  const http = result.configuration.http!;
  const services = new Set(Object.keys(http.services!));
  for (const [name, router] of Object.entries(http.routers!)) {
    t.true(services.has(router.service!), `router ${name} uses a service the examples define`);
    for (const middleware of router.middlewares ?? []) t.truthy(http.middlewares![middleware], `router ${name} uses middleware ${middleware}`);
  }
  for (const service of Object.values(http.services!)) {
    const transport = service.loadBalancer?.serversTransport;
    if (transport) t.truthy(http.serversTransports![transport]);
    for (const ref of service.weighted?.services ?? []) t.true(services.has(ref.name!), `weighted service refers to ${ref.name}`);
  }
  t.deepEqual(http.services!['shop-canary']!.weighted!.services, [{ name: 'shop', weight: 9 }, { name: 'shop-v2', weight: 1 }]);
  t.is(http.serversTransports!['slow-backend']!.forwardingTimeouts!.responseHeaderTimeout, '60s');
});
