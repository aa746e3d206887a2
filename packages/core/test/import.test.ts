import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';

// A plugin author's first line is `import { … } from '@wharf/core'`: it must work in a fresh
// process with nothing loaded before it (tsyringe needs the reflect-metadata polyfill).
const run = promisify(execFile);
const entry = (path: string): string => fileURLToPath(new URL(`../dist/${path}`, import.meta.url));

for (const path of ['index.js', 'testing/index.js']) {
  test(`importing dist/${path} in a fresh process needs nothing loaded first`, async (t) => {
    const script = `const m = await import(${JSON.stringify(entry(path))}); console.log(Object.keys(m).length);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    t.true(Number(stdout.trim()) > 0);
  });
}

test('a pure function of @wharf/core runs without any set-up', async (t) => {
  const script = `const { decodeLabels } = await import(${JSON.stringify(entry('index.js'))}); console.log(JSON.stringify(decodeLabels({ 'traefik.http.routers.r.rule': 'Path(\`/\`)' }).configuration));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  t.deepEqual(JSON.parse(stdout), { http: { routers: { r: { rule: 'Path(`/`)' } } } });
});
