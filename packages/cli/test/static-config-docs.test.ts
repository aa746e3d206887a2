import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { load } from './static-config-helpers.js';

const reference = fileURLToPath(new URL('../../../docs/static-configuration.md', import.meta.url));

test('docs/static-configuration.md lists every core option with the default --help prints', async (t) => {
  const doc = await readFile(reference, 'utf8');
  const options = (await load(t, [])).describe();
  t.true(options.length > 60);
  for (const option of options) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${option.key}\` |`));
    t.truthy(row, `${option.key} is missing from the reference`);
    t.true(row?.includes(` | ${option.default === '' ? '' : JSON.stringify(option.default)} | `), `${option.key}: default ${JSON.stringify(option.default)} in "${row}"`);
  }
});
