import test from 'ava';
import { open, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamicConfiguration } from '@wharf/core';
import { delay, eventually, removeDir, replaceFile, routers, runProvider, tempDir, type RecordingLogger } from './helpers.js';

// Files written in place (`gen > dynamic.yml`: truncate, then write in parts) with the default
// timing: 100 ms debounce and re-read, 500 ms settle window.
const WINDOW_MS = 500;
const HOLD_LOG = /keeping its last configuration while it settles/;

/** `count` routers `r<i>` with their services, plus a router naming the generation. */
function generationYaml(generation: number, count = 5): string {
  const routersYaml = Array.from({ length: count }, (_, i) => `    r${i}:\n      rule: "Host(\`r${i}.test\`)"\n      service: s${i}\n`).join('');
  const services = Array.from({ length: count }, (_, i) => `    s${i}:\n      loadBalancer:\n        servers:\n          - url: http://127.0.0.1:9\n`).join('');
  return `# generation ${generation}\nhttp:\n  routers:\n${routersYaml}    gen-${generation}:\n      rule: "Host(\`gen.test\`)"\n      service: s0\n  services:\n${services}`;
}

/** Truncates the file, writes `text` up to `cut`, waits `pauseMs`, writes the rest. */
async function writeInTwoParts(path: string, text: string, cut: number, pauseMs: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    if (cut > 0) await handle.write(text.slice(0, cut));
    await delay(pauseMs);
    await handle.write(text.slice(cut));
  } finally {
    await handle.close();
  }
}

const complete = (generation: number) => (c: DynamicConfiguration) => routers(c).join() === `gen-${generation},r0,r1,r2,r3,r4`;
const infos = (logger: RecordingLogger): string[] => logger.records.filter((r) => r.level === 'info').map((r) => r.msg);

// Pauses longer than the debounce, so that the provider does read the file cut: 250 ms is also
// longer than the re-read, so only the settle window keeps the last configuration. A cut at a
// line boundary gives valid YAML, caught by the re-read only, so its pause stays under 200 ms.
const cuts: Array<[string, (text: string) => number, number]> = [
  ['a bare truncation, 250 ms', () => 0, 250],
  ['a cut inside a quoted rule, 250 ms', (text) => text.indexOf('r2.test'), 250],
  ['a cut inside a key, 250 ms', (text) => text.indexOf('service: s3') + 4, 250],
  ['a cut at a line boundary, 150 ms', (text) => text.indexOf('    r3:'), 150],
  ['a cut at a line boundary, 30 ms', (text) => text.indexOf('    r3:'), 30],
];

for (const [name, cut, pauseMs] of cuts) {
  test(`written in two parts (${name}): only complete contents are published`, async (t) => {
    const dir = await tempDir();
    const file = join(dir, 'dynamic.yml');
    await writeFile(file, generationYaml(0));
    const run = await runProvider({ filename: file });
    t.teardown(() => removeDir(dir));
    t.teardown(() => run.stop());
    await run.until(complete(0));
    for (let generation = 1; generation <= 3; generation++) {
      const text = generationYaml(generation);
      await writeInTwoParts(file, text, cut(text), pauseMs);
      await run.until(complete(generation));
    }
    await delay(WINDOW_MS + 200);
    const published = run.messages.map((m) => routers(m.configuration).join());
    t.deepEqual(published, [0, 1, 2, 3].map((g) => `gen-${g},r0,r1,r2,r3,r4`));
    t.deepEqual(run.logger.errors(), []);
    if (pauseMs > 200) t.regex(infos(run.logger).join('\n'), HOLD_LOG);
  });
}

test('a file emptied for good is applied as empty once the window is over', async (t) => {
  const dir = await tempDir();
  const file = join(dir, 'dynamic.yml');
  await writeFile(file, generationYaml(0));
  const run = await runProvider({ filename: file });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until(complete(0));
  await writeFile(file, '');
  const { elapsedMs } = await run.until((c) => routers(c).length === 0);
  t.true(elapsedMs >= WINDOW_MS, `applied after ${elapsedMs} ms`);
  t.true(elapsedMs <= WINDOW_MS + 1_000, `applied after ${elapsedMs} ms`);
  t.is(run.messages.length, 2);
  t.regex(infos(run.logger).join('\n'), /file is empty, keeping its last configuration while it settles/);
  t.deepEqual(run.logger.errors(), []);
});

test('a file left unparsable is an error naming file:line:col once the window is over, and the last configuration stays', async (t) => {
  const dir = await tempDir();
  const file = join(dir, 'dynamic.yml');
  const text = generationYaml(0);
  await writeFile(file, text);
  const run = await runProvider({ filename: file });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until(complete(0));
  const started = Date.now();
  await writeFile(file, text.slice(0, text.indexOf('r2.test')));
  await eventually(() => run.logger.errors().length > 0);
  t.true(Date.now() - started >= WINDOW_MS, `reported after ${Date.now() - started} ms`);
  t.regex(run.logger.errors()[0]!, new RegExp(`${file.replace(/[.\\]/g, '\\$&')}:\\d+:\\d+: invalid YAML`));
  t.regex(infos(run.logger).join('\n'), /file is incomplete \(unparsable\), keeping its last configuration while it settles/);
  t.is(run.messages.length, 1, 'nothing published');
});

test('in a directory, a deleted file is applied as deleted after the window; atomic replacements are never held', async (t) => {
  const dir = await tempDir();
  await writeFile(join(dir, 'a.yml'), generationYaml(0));
  await writeFile(join(dir, 'b.yml'), 'http:\n  routers:\n    b:\n      rule: "Host(`b.test`)"\n      service: s0\n');
  const run = await runProvider({ directory: dir });
  t.teardown(() => removeDir(dir));
  t.teardown(() => run.stop());
  await run.until((c) => routers(c).includes('b'));
  for (let generation = 1; generation <= 5; generation++) {
    await replaceFile(join(dir, 'a.yml'), generationYaml(generation));
    await run.until((c) => routers(c).includes(`gen-${generation}`));
  }
  t.notRegex(infos(run.logger).join('\n'), HOLD_LOG, 'a rename over the file is never seen as a delete');
  await unlink(join(dir, 'b.yml'));
  const { elapsedMs } = await run.until((c) => !routers(c).includes('b'));
  t.true(elapsedMs >= WINDOW_MS, `deleted after ${elapsedMs} ms`);
  t.regex(infos(run.logger).join('\n'), /file is missing or unreadable, keeping its last configuration while it settles/);
  t.deepEqual(run.logger.errors(), []);
});
