import test from 'ava';
import { mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@wharf/core';
import { FileConfigurationError, FileProvider } from '../src/index.js';
import { RecordingLogger, delay, eventually, removeDir, replaceFile, routerYaml, routers, runProvider, tempDir } from './helpers.js';

// Changes are published within one second (debounce included); the bound allows for a loaded CI
// machine running other test files at the same time.
const BOUND_MS = 1_500;
const hasRouter = (name: string) => (c: Parameters<typeof routers>[0]) => routers(c).includes(name);

test('a single file: an in-place edit is published within a second', async (t) => {
  const dir = await tempDir();
  const file = join(dir, 'dynamic.yml');
  await writeFile(file, routerYaml('one'));
  const run = await runProvider({ filename: file });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until(hasRouter('one'));
  await writeFile(file, routerYaml('two'));
  const { elapsedMs, configuration } = await run.until(hasRouter('two'));
  t.deepEqual(routers(configuration), ['two']);
  t.true(elapsedMs <= BOUND_MS, `took ${elapsedMs} ms`);
});

test('a single file: an atomic replacement (temp file + rename) is picked up, repeatedly', async (t) => {
  const dir = await tempDir();
  const file = join(dir, 'dynamic.toml');
  await writeFile(file, '[http.routers.r0]\nrule = "Path(`/`)"\nservice = "s"\n');
  const run = await runProvider({ filename: file });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until(hasRouter('r0'));
  for (let i = 1; i <= 3; i++) {
    await replaceFile(file, `[http.routers.r${i}]\nrule = "Path(\`/\`)"\nservice = "s"\n`);
    const { elapsedMs } = await run.until(hasRouter(`r${i}`));
    t.true(elapsedMs <= BOUND_MS, `replacement ${i} took ${elapsedMs} ms`);
  }
});

test('a single file: deleted keeps the last configuration, recreated is picked up', async (t) => {
  const dir = await tempDir();
  const file = join(dir, 'dynamic.json');
  await writeFile(file, JSON.stringify({ http: { routers: { before: { rule: 'Path(`/`)', service: 's' } } } }));
  const run = await runProvider({ filename: file });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until(hasRouter('before'));
  await unlink(file);
  await eventually(() => run.logger.errors().some((e) => e.includes('ENOENT')));
  t.is(run.messages.length, 1, 'nothing is published while the file is missing');
  t.regex(run.logger.errors().join('\n'), /cannot read the file.*ENOENT/);
  await writeFile(file, JSON.stringify({ http: { routers: { after: { rule: 'Path(`/`)', service: 's' } } } }));
  const { elapsedMs } = await run.until(hasRouter('after'));
  t.true(elapsedMs <= BOUND_MS, `took ${elapsedMs} ms`);
});

test('a directory: files added, added in a new sub-directory, edited and removed', async (t) => {
  const dir = await tempDir();
  await writeFile(join(dir, 'a.yml'), routerYaml('a'));
  await writeFile(join(dir, 'notes.txt'), 'not configuration: skipped');
  const run = await runProvider({ directory: dir });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until((c) => routers(c).join() === 'a');
  await writeFile(join(dir, 'b.toml'), '[http.routers.b]\nrule = "Path(`/b`)"\nservice = "a"\n');
  await run.until((c) => routers(c).join() === 'a,b');
  await mkdir(join(dir, 'sub', 'deeper'), { recursive: true });
  await writeFile(join(dir, 'sub', 'deeper', 'c.json'), JSON.stringify({ http: { routers: { c: { rule: 'Path(`/c`)', service: 'a' } } } }));
  await run.until((c) => routers(c).join() === 'a,b,c');
  // The new sub-directory is watched too: a later edit inside it is seen without the poll.
  await writeFile(join(dir, 'sub', 'deeper', 'c.json'), JSON.stringify({ http: { routers: { c2: { rule: 'Path(`/c`)', service: 'a' } } } }));
  const edited = await run.until((c) => routers(c).join() === 'a,b,c2');
  t.true(edited.elapsedMs <= BOUND_MS, `edit in a sub-directory took ${edited.elapsedMs} ms`);
  await unlink(join(dir, 'b.toml'));
  await run.until((c) => routers(c).join() === 'a,c2');
  await rm(join(dir, 'sub'), { recursive: true });
  const { configuration } = await run.until((c) => routers(c).join() === 'a');
  t.deepEqual(Object.keys(configuration.http!.services!), ['a']);
  await unlink(join(dir, 'a.yml'));
  await run.until((c) => routers(c).length === 0);
});

test('an invalid edit keeps the last configuration, is logged once, and fixing it recovers', async (t) => {
  const dir = await tempDir();
  const file = join(dir, 'dynamic.yml');
  await writeFile(file, routerYaml('good'));
  const run = await runProvider({ filename: file });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until(hasRouter('good'));
  const broken = 'http:\n  routers:\n    - good\n';
  await writeFile(file, broken);
  await eventually(() => run.logger.errors().length > 0);
  // The same bad content written again (an editor saving twice) is not logged again.
  await writeFile(file, broken);
  await delay(400);
  t.is(run.messages.length, 1, 'nothing published for a broken file');
  const errors = run.logger.errors();
  t.is(errors.length, 1, errors.join('\n'));
  t.regex(errors[0]!, /dynamic\.yml:\d+:\d+: http\.routers: expected a map of named elements, got a list/);
  t.true(errors[0]!.includes(file), 'the message names the file');
  await writeFile(file, routerYaml('fixed'));
  await run.until(hasRouter('fixed'));
  t.is(run.logger.errors().length, 1);
});

test('an error inside one element publishes the rest; the element goes as written for the kernel to disable, logged with its position', async (t) => {
  const dir = await tempDir();
  const file = join(dir, 'dynamic.yml');
  await writeFile(file, routerYaml('good'));
  const run = await runProvider({ filename: file });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until(hasRouter('good'));
  await writeFile(file, routerYaml('good').replace('  services:\n', '    typo:\n      rule: "Path(`/t`)"\n      servce: good\n  services:\n'));
  await run.until(hasRouter('typo'));
  const last = run.messages.at(-1)!.configuration.http!.routers!;
  t.deepEqual(last.typo as unknown, { rule: 'Path(`/t`)', servce: 'good' }, 'the bad element as written');
  t.truthy(last.good?.service, 'the good router is published decoded');
  await eventually(() => run.logger.errors().length > 0);
  t.regex(run.logger.errors()[0]!, /dynamic\.yml:\d+:\d+: http\.routers\.typo\.servce: unknown field "servce"; did you mean "service"\? \(this router is disabled; the rest of the configuration is applied\)/);
});

test('a half-written file is never published', async (t) => {
  const dir = await tempDir();
  const file = join(dir, 'dynamic.json');
  const full = JSON.stringify({ http: { routers: { r: { rule: 'Path(`/`)', service: 's' } } } }, null, 2);
  await writeFile(file, full);
  const run = await runProvider({ filename: file });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until(hasRouter('r'));
  await writeFile(file, full.slice(0, full.length / 2));
  await eventually(() => run.logger.errors().length > 0);
  t.is(run.messages.length, 1);
  t.regex(run.logger.errors()[0] ?? '', /invalid JSON/);
});

test('duplicate names across two files of a directory are an error naming both files', async (t) => {
  const dir = await tempDir();
  await writeFile(join(dir, 'a.yml'), routerYaml('a'));
  const run = await runProvider({ directory: dir });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until(hasRouter('a'));
  await writeFile(join(dir, 'b.yml'), routerYaml('a', 'Path(`/other`)'));
  await eventually(() => run.logger.errors().some((e) => e.includes('already defined')));
  t.is(run.messages.length, 1, 'the previous configuration stays in force');
  const error = run.logger.errors().join('\n');
  t.true(error.includes(join(dir, 'a.yml')) && error.includes(join(dir, 'b.yml')), error);
  t.regex(error, /router "a" is already defined/);
  await writeFile(join(dir, 'b.yml'), routerYaml('b'));
  await run.until((c) => routers(c).join() === 'a,b');
});

test('a directory of 200 files loads and reloads', async (t) => {
  const dir = await tempDir();
  await Promise.all(Array.from({ length: 200 }, (_, i) => writeFile(join(dir, `svc-${String(i).padStart(3, '0')}.yml`), routerYaml(`r${i}`))));
  const started = Date.now();
  const run = await runProvider({ directory: dir });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  const first = await run.until((c) => routers(c).length === 200);
  t.true(Date.now() - started < 5_000, `first load took ${Date.now() - started} ms`);
  t.is(Object.keys(first.configuration.http!.services!).length, 200);
  await replaceFile(join(dir, 'svc-137.yml'), routerYaml('changed'));
  const { configuration, elapsedMs } = await run.until(hasRouter('changed'));
  t.is(routers(configuration).length, 200);
  t.false(routers(configuration).includes('r137'));
  t.true(elapsedMs <= BOUND_MS, `reload took ${elapsedMs} ms`);
});

for (const [pollIntervalMs, seen] of [[150, true], [60_000, false]] as const) {
  test(`without fs events, a ${pollIntervalMs} ms safety poll ${seen ? 'catches a change' : 'has not seen a change yet'}`, async (t) => {
    const dir = await tempDir();
    const file = join(dir, 'dynamic.yml');
    await writeFile(file, routerYaml('one'));
    const logger = new RecordingLogger();
    const provider = new FileProvider({ filename: file }, logger, { timing: { pollIntervalMs, fsEvents: false }, reloadOnSighup: false });
    await provider.init();
    const abort = new AbortController();
    const published: string[][] = [];
    const running = provider.provide((m) => published.push(routers(m.configuration)), abort.signal);
    t.teardown(() => removeDir(dir));
    await eventually(() => published.length > 0);
    await writeFile(file, routerYaml('two'));
    await delay(1_000);
    abort.abort();
    await running;
    t.deepEqual(published, seen ? [['one'], ['two']] : [['one']]);
  });
}

test('startup with an invalid file and watch=true logs, emits nothing, and recovers when fixed', async (t) => {
  const dir = await tempDir();
  const file = join(dir, 'dynamic.yml');
  await writeFile(file, 'http:\n  routers: [\n');
  const run = await runProvider({ filename: file, watch: true });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await eventually(() => run.logger.errors().length > 0);
  t.is(run.messages.length, 0);
  t.regex(run.logger.errors()[0] ?? '', /invalid YAML/);
  await writeFile(file, routerYaml('ok'));
  await run.until(hasRouter('ok'));
});

test('watch=false: an invalid file makes init() fail with the positioned error', async (t) => {
  const dir = await tempDir();
  t.teardown(() => removeDir(dir));
  const file = join(dir, 'dynamic.toml');
  await writeFile(file, '[http]\nrouters = 1\n');
  const provider = new FileProvider({ filename: file, watch: false }, new RecordingLogger());
  const error = await t.throwsAsync(provider.init(), { instanceOf: FileConfigurationError });
  t.is(error!.code, 'FILE_CONFIG_INVALID');
  t.is(error!.path, 'http.routers');
  t.true(error!.message.startsWith(`${file}:2:1: http.routers: expected a map of named elements`), error!.message);
});

const badOptions: Array<[string, Record<string, unknown>, RegExp]> = [
  ['neither filename nor directory', {}, /providers\.file\.filename or providers\.file\.directory; neither is set/],
  ['both filename and directory', { filename: 'a.yml', directory: 'conf' }, /providers\.file\.filename and providers\.file\.directory are both set/],
];

for (const [name, options, message] of badOptions) {
  test(`init() rejects ${name} with a ConfigError at providers.file`, async (t) => {
    const provider = new FileProvider(options, new RecordingLogger());
    const error = await t.throwsAsync(provider.init(), { instanceOf: ConfigError, message });
    t.is(error!.path, 'providers.file');
  });
}

test('init() rejects a filename with an unsupported extension', async (t) => {
  const error = await t.throwsAsync(new FileProvider({ filename: 'dynamic.ini' }, new RecordingLogger()).init(), { instanceOf: ConfigError });
  t.is(error!.path, 'providers.file.filename');
});

test('watch=false: changes are ignored until SIGHUP asks for a reload', async (t) => {
  const dir = await tempDir();
  const file = join(dir, 'dynamic.yml');
  await writeFile(file, routerYaml('one'));
  const run = await runProvider({ filename: file, watch: false });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until(hasRouter('one'));
  await writeFile(file, routerYaml('two'));
  await delay(300);
  t.is(run.messages.length, 1, 'not watching');
  process.emit('SIGHUP', 'SIGHUP');
  await run.until(hasRouter('two'));
});
