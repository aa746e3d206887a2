import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { ConfigError } from '@wharf/core';
import { loadStaticConfig } from '../src/static-config/index.js';
import { load, workDir } from './static-config-helpers.js';

async function configError(promise: Promise<unknown>, what = ''): Promise<ConfigError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof ConfigError)) throw new Error(`${what}: expected a ConfigError, got ${String(err)}`);
  return err;
}

test('unknown keys name the key and the source, with a suggestion when one is close', async (t) => {
  const cases: Array<{ argv?: string[]; env?: Record<string, string>; file?: string; path: string; source: RegExp; hint?: string }> = [
    { argv: ['--entryPoints.web.adress=:80'], path: 'entryPoints.web.adress', source: /^flag --entryPoints\.web\.adress$/, hint: '--entryPoints.web.address' },
    { argv: ['--api.insecur'], path: 'api.insecur', source: /^flag --api\.insecur$/, hint: '--api.insecure' },
    { argv: ['--providers.precedance=file'], path: 'providers.precedance', source: /^flag/, hint: '--providers.precedence' },
    { argv: ['--frobnicate=1'], path: 'frobnicate', source: /^flag --frobnicate$/ },
    { argv: ['--log.level.deep=1'], path: 'log.level.deep', source: /^flag/ },
    { env: { WHARF_ENTRYPOINTS_WEB_ADRESS: ':80' }, path: 'entrypoints.web.adress', source: /^env WHARF_ENTRYPOINTS_WEB_ADRESS$/, hint: 'WHARF_ENTRYPOINTS_WEB_ADDRESS' },
    { env: { WHARF_LOG_LEVL: 'INFO' }, path: 'log.levl', source: /^env WHARF_LOG_LEVL$/, hint: 'WHARF_LOG_LEVEL' },
    { file: 'log:\n  levle: INFO\n', path: 'log.levle', source: /^file \/.*wharf\.yml$/, hint: 'log.level' },
  ];
  for (const c of cases) {
    const err = await configError(load(t, c.argv ?? [], { env: c.env, files: c.file ? { 'wharf.yml': c.file } : {} }));
    t.is(err.code, 'CONFIG_UNKNOWN_KEY', c.path);
    t.is(err.path, c.path);
    t.regex(err.source ?? '', c.source);
    if (c.hint) t.true(err.message.includes(`did you mean ${c.hint}?`), err.message);
    else t.false(err.message.includes('did you mean'), err.message);
  }
});

test('bad values name the key and the source', async (t) => {
  const cases: Array<{ argv?: string[]; env?: Record<string, string>; file?: string; path: string; source: RegExp }> = [
    { argv: ['--log.level=VERBOSE'], path: 'log.level', source: /^flag --log\.level$/ },
    { argv: ['--api.insecure=yes'], path: 'api.insecure', source: /^flag --api\.insecure$/ },
    { argv: ['--entryPoints.web.address=80'], path: 'entryPoints.web.address', source: /^flag/ },
    { argv: ['--entryPoints.web.address=[nope]:80'], path: 'entryPoints.web.address', source: /^flag/ },
    { argv: ['--entryPoints.web.address=:99999'], path: 'entryPoints.web.address', source: /^flag/ },
    { argv: ['--ping.terminatingStatusCode=42'], path: 'ping.terminatingStatusCode', source: /^flag/ },
    { argv: ['--log.level'], path: 'log.level', source: /^flag/ },
    { argv: ['--entryPoints.web.address=:80', '--entryPoints.web.forwardedHeaders.trustedIPs=10.0.0.300'], path: 'entryPoints.web.forwardedHeaders.trustedIPs', source: /^flag/ },
    { env: { WHARF_API_INSECURE: 'maybe' }, path: 'api.insecure', source: /^env WHARF_API_INSECURE$/ },
    { env: { WHARF_METRICS_PROMETHEUS_BUCKETS: '1,x' }, path: 'metrics.prometheus.buckets', source: /^env/ },
    { file: 'entryPoints:\n  web:\n    address: 80\n', path: 'entryPoints.web.address', source: /^file .*wharf\.yml$/ },
    { file: 'accessLog:\n  bufferingSize: -3\n', path: 'accessLog.bufferingSize', source: /^file/ },
    // An entry point that is named but has no address: the source that named it is blamed.
    { argv: ['--entryPoints.web.asDefault'], path: 'entryPoints.web.address', source: /^flag --entryPoints\.web\.asDefault$/ },
  ];
  for (const c of cases) {
    const err = await configError(load(t, c.argv ?? [], { env: c.env, files: c.file ? { 'wharf.yml': c.file } : {} }), c.path);
    t.is(err.code, 'CONFIG_INVALID', `${c.path}: ${err.message}`);
    t.is(err.path, c.path);
    t.regex(err.source ?? '', c.source);
    t.true(err.message.includes(err.source ?? '?'), 'the message names the source too');
  }
});

test('names that would reach Object.prototype are refused', async (t) => {
  for (const argv of [['--entryPoints.__proto__.address=:80'], ['--accessLog.fields.names.__proto__=drop'], ['--providers.plugins.constructor.package=x']]) {
    const err = await configError(load(t, argv), argv[0]);
    t.regex(err.message, /cannot be used as a name/);
  }
  const file = await configError(load(t, [], { files: { 'wharf.json': '{"entryPoints": {"__proto__": {"address": ":80"}}}' } }));
  t.regex(file.source ?? '', /^file /);
  t.false('address' in {}, 'Object.prototype untouched');
});

test('a section is not an option', async (t) => {
  const err = await configError(load(t, ['--entryPoints=x']));
  t.is(err.path, 'entryPoints');
  t.regex(err.message, /section/);
});

test('--configFile and --help are the CLI\'s; other words are errors', async (t) => {
  const cwd = await workDir(t);
  await writeFile(join(cwd, 'custom.yml'), 'log:\n  level: WARN\n');
  for (const argv of [['--configFile=custom.yml'], ['--configfile', 'custom.yml', '--help'], ['-h', '--configFile', join(cwd, 'custom.yml')]]) {
    const loaded = await loadStaticConfig({ argv, env: {}, cwd }, new Map());
    t.is(loaded.config.log.level, 'WARN', argv.join(' '));
  }
  const fromEnv = await loadStaticConfig({ argv: [], env: { WHARF_CONFIGFILE: 'custom.yml' }, cwd }, new Map());
  t.is(fromEnv.config.log.level, 'WARN');
  const positional = await configError(loadStaticConfig({ argv: ['--api', 'check'], env: {}, cwd }, new Map()));
  t.regex(positional.message, /"check"/);
  const short = await configError(loadStaticConfig({ argv: ['-x'], env: {}, cwd }, new Map()));
  t.is(short.source, 'flag -x');
});

const SAME_CONFIG = {
  'wharf.yml': 'entryPoints:\n  web:\n    address: ":8000"\nlog:\n  level: INFO\nmetrics:\n  prometheus:\n    buckets: [1, 2]\n',
  'wharf.toml': '[entryPoints.web]\naddress = ":8000"\n[log]\nlevel = "INFO"\n[metrics.prometheus]\nbuckets = [1, 2]\n',
  'wharf.json': '{"entryPoints": {"web": {"address": ":8000"}}, "log": {"level": "INFO"}, "metrics": {"prometheus": {"buckets": [1, 2]}}}',
};

test('YAML, TOML and JSON files give the same configuration', async (t) => {
  for (const [name, content] of Object.entries(SAME_CONFIG)) {
    const loaded = await load(t, [`--configFile=${name}`], { files: { [name]: content } });
    t.is(loaded.config.entryPoints.web.address, ':8000', name);
    t.is(loaded.config.log.level, 'INFO', name);
    t.deepEqual(loaded.config.metrics.prometheus.buckets, [1, 2], name);
    t.true(loaded.config.metrics.prometheus.enabled, name);
    const found = await load(t, [], { files: { [name]: content } });
    t.is(found.config.entryPoints.web.address, ':8000', `${name} found in the working directory`);
  }
});

test('a broken or missing file is an error naming the file, and the line when known', async (t) => {
  const cases: Array<{ name: string; content?: string; message: RegExp }> = [
    { name: 'missing.yml', message: /Cannot read configuration file .*missing\.yml/ },
    { name: 'bad.yml', content: 'log:\n  level: INFO\n   bad: [\n', message: /bad\.yml is not valid YAML at line \d+, column \d+/ },
    { name: 'bad.toml', content: '[log]\nlevel = \n', message: /bad\.toml is not valid TOML at line 2, column \d+/ },
    { name: 'bad.json', content: '{\n  "log": {\n    "level": "INFO",\n  }\n}', message: /bad\.json is not valid JSON at line 4, column \d+/ },
    { name: 'list.yml', content: '- a\n- b\n', message: /list\.yml must hold a mapping/ },
    { name: 'wharf.ini', content: 'x=1', message: /must end in \.yml, \.yaml, \.toml or \.json/ },
    { name: 'dup.yml', content: 'log:\n  level: INFO\nlog:\n  format: json\n', message: /dup\.yml is not valid YAML at line 3/ },
  ];
  for (const c of cases) {
    const err = await configError(load(t, [`--configFile=${c.name}`], { files: c.content === undefined ? {} : { [c.name]: c.content } }));
    t.is(err.code, 'CONFIG_FILE', c.name);
    t.regex(err.message, c.message);
    t.regex(err.source ?? '', new RegExp(`^file /.*${c.name.replace('.', '\\.')}$`));
  }
});
