import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import test, { type ExecutionContext } from 'ava';
import { reopenLogFiles, RotatingLogFile } from '../src/log-file.js';
import { createLogger } from '../src/logger.js';

async function dir(t: ExecutionContext): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'wharf-log-'));
  t.teardown(() => rm(path, { recursive: true, force: true }));
  return path;
}

/** Lines of 100 KiB, each starting with its number, so a file's content says which lines it holds. */
function line(n: number): string {
  return `${String(n).padStart(4, '0')} ${'x'.repeat(100 * 1024 - 6)}\n`;
}

const BACKUP = /^wharf-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}\.log(\.gz)?$/;

test('the file rotates at maxSize MB into lumberjack-named backups; maxBackups keeps the newest', async (t) => {
  const path = join(await dir(t), 'logs', 'wharf.log');
  const file = new RotatingLogFile(path, { maxSize: 1, maxBackups: 2 });
  // 45 lines of 100 KiB: 10 fit in 1 MiB, so four rotations happen.
  for (let n = 0; n < 45; n++) file.write(line(n));
  file.close();
  const names = await readdir(join(path, '..'));
  const backups = names.filter((n) => BACKUP.test(n)).sort();
  t.is(backups.length, 2, names.join(' '));
  t.deepEqual(names.filter((n) => !BACKUP.test(n)), ['wharf.log']);
  const current = await readFile(path, 'utf8');
  t.is(current.split('\n').filter(Boolean).map((l) => l.slice(0, 4)).join(','), '0040,0041,0042,0043,0044');
  // The two newest backups hold the lines just before, ten each.
  const newest = await readFile(join(path, '..', backups[1]!), 'utf8');
  t.is(newest.split('\n').filter(Boolean).map((l) => l.slice(0, 4)).join(','), '0030,0031,0032,0033,0034,0035,0036,0037,0038,0039');
});

test('compress gzips each backup', async (t) => {
  const path = join(await dir(t), 'wharf.log');
  const file = new RotatingLogFile(path, { maxSize: 1, compress: true });
  for (let n = 0; n < 11; n++) file.write(line(n));
  file.close();
  // Compression runs in the background: wait until the gzip is complete and the plain backup gone.
  let names: string[] = [];
  for (let i = 0; i < 250; i++) {
    names = await readdir(join(path, '..'));
    if (names.some((n) => n.endsWith('.log.gz')) && !names.some((n) => BACKUP.test(n) && n.endsWith('.log'))) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const gz = names.find((n) => n.endsWith('.log.gz'));
  t.truthy(gz, names.join(' '));
  t.false(names.some((n) => BACKUP.test(n) && n.endsWith('.log')), 'the uncompressed backup is removed');
  const text = gunzipSync(await readFile(join(path, '..', gz!))).toString('utf8');
  t.is(text.split('\n').filter(Boolean).length, 10);
});

test('reopenLogFiles starts a new file after logrotate moved the old one away', async (t) => {
  const path = join(await dir(t), 'wharf.log');
  const file = new RotatingLogFile(path);
  t.teardown(() => file.close());
  file.write('before\n');
  await rename(path, path + '.1');
  file.write('still to the moved file\n');
  t.true(reopenLogFiles() >= 1);
  file.write('after\n');
  t.is(await readFile(path + '.1', 'utf8'), 'before\nstill to the moved file\n');
  t.is(await readFile(path, 'utf8'), 'after\n');
});

const levelCases: Array<{ level: string; written: string[] }> = [
  { level: 'TRACE', written: ['debug', 'info', 'warn', 'error'] },
  { level: 'trace', written: ['debug', 'info', 'warn', 'error'] },
  { level: 'INFO', written: ['info', 'warn', 'error'] },
  { level: 'FATAL', written: [] },
  { level: 'PANIC', written: [] },
];
for (const c of levelCases) {
  test(`log.level ${c.level} writes ${c.written.join(', ') || 'none of debug…error'}`, async (t) => {
    const path = join(await dir(t), 'wharf.log');
    const logger = createLogger({ level: c.level, format: 'json', filePath: path });
    logger.debug('debug');
    logger.info('info');
    logger.warn('warn');
    logger.error('error');
    const text = await readFile(path, 'utf8');
    t.deepEqual(text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { msg: string }).msg), c.written);
  });
}
