import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { ConfigError } from '@wharf/core';
import { loadConfiguration } from '../src/main.js';
import { resolveSegments } from '../src/static-config/resolve.js';
import { buildSchemaTree, type SchemaNode } from '../src/static-config/schema-tree.js';
import { isTraefikOnlyOption, TRAEFIK_ONLY_OPTIONS, traefikOnlyEnvPath } from '../src/static-config/traefik-options.js';
import { load } from './static-config-helpers.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const testPackage = join(here, '..', '..', '..', 'test');

/** Traefik's own list of static options (its generated reference), one name per line. */
const traefikOptions = readFileSync(join(here, 'fixtures', 'traefik-static-options.txt'), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'));

/** `entrypoints._name_.http.tls.domains[0].main` → flag segments with a concrete name and index. */
function segmentsOf(option: string): string[] {
  return option.replace(/\[0\]/g, '.0').split('.').map((s) => (s === '_name_' ? 'ep1' : s));
}

/** A value Wharf's schema takes for the option: its own default, written as a flag would be. */
function flagValue(node: SchemaNode, rest: readonly string[]): string | undefined {
  if (node.kind !== 'leaf') return undefined;
  if (node.objectValued || rest.length > 0) return 'keep';
  const value = node.spec.default;
  if (Array.isArray(value)) return value.join(',');
  if (node.spec.format === 'address') return '127.0.0.1:8080';
  return String(value);
}

test('Traefik\'s static reference is the list this test walks (540 options, no duplicates)', (t) => {
  t.is(traefikOptions.length, 540);
  t.is(new Set(traefikOptions).size, 540);
});

test('every Traefik static option is accepted, or reported as a Traefik option Wharf does not support yet', async (t) => {
  // The schema as `wharf` builds it, with the real ECS and file provider packages.
  const { plugins } = await loadConfiguration({ argv: ['--providers.ecs.region=us-east-1', '--providers.file.filename=d.yml'], env: {}, cwd: testPackage });
  const fragments = new Map(plugins.map(({ plugin }) => [plugin.name, plugin.configSchema]));
  t.deepEqual([...fragments.keys()].sort(), ['ecs', 'file']);
  const tree = buildSchemaTree((name) => fragments.get(name) ?? {});
  const counts = { accepted: 0, reported: 0 };
  for (const option of traefikOptions) {
    const segments = segmentsOf(option);
    const flag = `--${segments.join('.')}`;
    const resolution = resolveSegments(tree, segments);
    const value = resolution.ok ? flagValue(resolution.target.node, resolution.target.rest) : 'x';
    const argv = [value === undefined ? flag : `${flag}=${value}`];
    if (segments[0] === 'entrypoints') argv.unshift('--entryPoints.ep1.address=127.0.0.1:8080');
    const loaded = await loadConfiguration({ argv, env: {}, cwd: testPackage }).catch((err: unknown) => err);
    if (!t.false(loaded instanceof Error, `${argv.join(' ')}: ${String(loaded)}`)) continue;
    const { notices } = (loaded as Awaited<ReturnType<typeof loadConfiguration>>).config;
    const notice = `${flag} is a Traefik option that Wharf does not support yet (ignored)`;
    t.is(notices.includes(notice), !resolution.ok, `${option}: ${JSON.stringify(notices)}`);
    t.true(isTraefikOnlyOption(segments) || resolution.ok, option);
    counts[resolution.ok ? 'accepted' : 'reported']++;
  }
  t.is(counts.accepted + counts.reported, traefikOptions.length);
  t.log(`${counts.accepted} accepted, ${counts.reported} reported as not supported yet`);
  // The figures the README and the reference state are these.
  const root = join(here, '..', '..', '..');
  t.regex(readFileSync(join(root, 'README.md'), 'utf8'), new RegExp(`of the 540 options of Traefik's static reference, Wharf\\s+accepts ${counts.accepted} `));
  t.regex(readFileSync(join(root, 'docs', 'static-configuration.md'), 'utf8'), new RegExp(`Today ${counts.accepted} are accepted and ${counts.reported}\\s+reported`));
});

test('the not-supported list holds no option Wharf accepts', (t) => {
  const tree = buildSchemaTree(() => ({}));
  t.true(TRAEFIK_ONLY_OPTIONS.length > 400);
  for (const option of TRAEFIK_ONLY_OPTIONS) t.false(resolveSegments(tree, segmentsOf(option.replaceAll('*', '_name_'))).ok, option);
});

test('a Traefik option is a notice in the spelling of its source; a typo is an error with a suggestion that exists', async (t) => {
  const loaded = await load(t, ['--tracing.otlp', '--entryPoints.web.address=:80', '--entryPoints.web.http2.maxConcurrentStreams=250'], {
    env: { WHARF_METRICS_DATADOG_ADDRESS: '127.0.0.1:8125', WHARF_CERTIFICATESRESOLVERS_MY_LE_ACME_EMAIL: 'a@b.c' },
    files: { 'wharf.yml': 'experimental:\n  plugins:\n    demo:\n      moduleName: github.com/x/y\n      settings:\n        anything: 1\n' },
  });
  t.deepEqual(loaded.notices.filter((n) => !n.startsWith('experimental')).sort(), [
    '--entryPoints.web.http2.maxConcurrentStreams is a Traefik option that Wharf does not support yet (ignored)',
    '--tracing.otlp is a Traefik option that Wharf does not support yet (ignored)',
    'WHARF_CERTIFICATESRESOLVERS_MY_LE_ACME_EMAIL is a Traefik option that Wharf does not support yet (ignored)',
    'WHARF_METRICS_DATADOG_ADDRESS is a Traefik option that Wharf does not support yet (ignored)',
  ].sort());
  // experimental.plugins.<name>.package is Wharf's (an npm middleware package); Traefik's Go-module keys beside it are notices.
  const experimental = loaded.notices.filter((n) => n.startsWith('experimental'));
  t.true(experimental.some((n) => n.startsWith('experimental.plugins.demo.moduleName ')), experimental.join('\n'));
  for (const notice of experimental) t.regex(notice, /^experimental\.plugins\.demo\.(moduleName|settings)\S* \(file \/.*wharf\.yml\) is a Traefik option that Wharf does not support yet \(ignored\)$/);
  // Not Traefik's either: an error, and a suggestion only when the suggested option exists.
  const typo = await load(t, ['--entryPoints.web.address=:80', '--entryPoints.web.htp.maxConcurrentStreams=1']).catch((err: unknown) => err);
  t.true(typo instanceof ConfigError && typo.code === 'CONFIG_UNKNOWN_KEY');
  t.false((typo as Error).message.includes('did you mean'), (typo as Error).message);
  const close = await load(t, ['--entryPoints.web.address=:80', '--entryPoints.web.transprt.keepAliveMaxRequests=1']).catch((err: unknown) => err);
  t.true(close instanceof ConfigError && close.code === 'CONFIG_UNKNOWN_KEY');
  const env = await load(t, [], { env: { WHARF_PROVIDERS_ECS_REGON: 'us-east-1' }, schemas: { ecs: { region: { doc: 'r', format: String, default: '' } } } }).catch((err: unknown) => err);
  t.true(env instanceof ConfigError);
  t.is((env as Error).message, 'Unknown option providers.ecs.regon (env WHARF_PROVIDERS_ECS_REGON); did you mean WHARF_PROVIDERS_ECS_REGION?');
});

test('environment words match Traefik names, user-chosen names may hold underscores', (t) => {
  t.deepEqual(traefikOnlyEnvPath(['TRACING', 'OTLP', 'GRPC', 'ENDPOINT']), ['tracing', 'otlp', 'grpc', 'endpoint']);
  t.deepEqual(traefikOnlyEnvPath(['CERTIFICATESRESOLVERS', 'MY', 'LE', 'ACME', 'EMAIL']), ['certificatesresolvers', 'my_le', 'acme', 'email']);
  t.deepEqual(traefikOnlyEnvPath(['ENTRYPOINTS', 'WEB', 'HTTP2', 'MAXCONCURRENTSTREAMS']), ['entrypoints', 'web', 'http2', 'maxconcurrentstreams']);
  // A user-chosen name alone says nothing of Traefik: `ENTRYPOINTS_WEB_ADRESS` is a typo.
  t.is(traefikOnlyEnvPath(['ENTRYPOINTS', 'WEB', 'ADRESS']), undefined);
  t.is(traefikOnlyEnvPath(['TRACING', 'OTLPP']), undefined);
});

test('a static file with dynamic sections loads, with one notice naming them', async (t) => {
  const file = 'entryPoints:\n  web:\n    address: ":8000"\nhttp:\n  routers:\n    a:\n      rule: Host(`a`)\n      service: s\ntls:\n  options: {}\ntcp: {}\nudp: {}\n';
  const loaded = await load(t, [], { files: { 'wharf.yml': file } });
  t.is(loaded.config.entryPoints.web?.address, ':8000');
  t.is(loaded.notices.length, 1);
  t.regex(loaded.notices[0]!, /^file \/.*wharf\.yml: http:, tls:, tcp:, udp: are sections of the dynamic configuration, ignored in the static configuration \(as Traefik does\)/);
});
