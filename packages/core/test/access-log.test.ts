import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { AccessLogConfig } from '../src/config/static/types.js';
import { ConfigError } from '../src/errors.js';
import { AccessLog } from '../src/observability/access-log/access-log.js';
import { compileFilters, parseStatusRanges } from '../src/observability/access-log/filters.js';
import { LineWriter } from '../src/observability/access-log/line-writer.js';
import { observedServer, type Routed } from './metrics-fixtures.js';

const base: AccessLogConfig = {
  enabled: true,
  addInternals: false,
  filePath: '',
  format: 'common',
  bufferingSize: 0,
  filters: { statusCodes: [], retryAttempts: false, minDuration: 0 },
  fields: { defaultMode: 'keep', names: {}, headers: { defaultMode: 'drop', names: {} } },
};

const routes: Record<string, Routed> = {
  '/ok': { router: 'web-app@file', service: 'app@file', serverUrl: 'http://10.0.0.7:8080', status: 200, body: 'hello world', headers: { 'x-backend': 'seven' } },
  '/missing': { router: 'web-app@file', service: 'app@file', serverUrl: 'http://10.0.0.7:8080', status: 404, body: 'nope', chunked: true },
  '/moved': { router: 'web-app@file', service: 'app@file', serverUrl: 'http://10.0.0.7:8080', status: 301, body: '' },
  '/slow': { router: 'web-app@file', service: 'app@file', serverUrl: 'http://10.0.0.7:8080', status: 200, body: 'slow', delayMs: 120 },
  '/api/rawdata': { router: 'api@internal', service: 'api@internal', status: 200, body: '{}' },
};

/** Sends `paths` through an access log writing to a temp file and returns the lines written. */
async function logLines(config: Partial<AccessLogConfig>, paths: string[], headers: Record<string, string> = {}): Promise<string[]> {
  const file = join(await mkdtemp(join(tmpdir(), 'wharf-al-')), 'logs', 'access.log');
  const merged = { ...base, ...config, filePath: file };
  const log = new AccessLog(merged, LineWriter.open(file, merged.bufferingSize));
  const server = await observedServer([log], (req) => routes[new URL(req.url ?? '/', 'http://x').pathname] ?? { status: 404, body: '404 page not found\n' });
  try {
    for (const p of paths) await (await fetch(server.url + p, { headers: { 'user-agent': 'wharf-test/1.0', referer: 'http://ref.test/', ...headers } })).text();
    await new Promise((resolve) => setTimeout(resolve, 30));
  } finally {
    await server.close();
    log.close();
  }
  return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
}

// <ClientHost> - <ClientUsername> [<time>] "<method> <path> <proto>" <status> <size> "<referer>" "<ua>" <RequestCount> "<RouterName>" "<ServiceURL>" <ms>ms
const COMMON = /^(\S+) - (\S+) \[(\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "(\S+) (\S+) (\S+)" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)" (\d+) "([^"]*)" "([^"]*)" (\d+)ms$/;

test('common format is Traefik\'s line, parsed back field by field', async (t) => {
  const lines = await logLines({}, ['/ok?x=1', '/missing', '/api/rawdata']);
  t.is(lines.length, 2, 'internal routers are not logged');
  const m = COMMON.exec(lines[0]!);
  t.truthy(m, lines[0]);
  const [, host, user, , method, path, proto, status, size, referer, ua, count, router, serviceUrl] = m!;
  t.deepEqual({ host, user, method, path, proto, status, size, referer, ua, count, router, serviceUrl }, {
    host: '127.0.0.1', user: '-', method: 'GET', path: '/ok?x=1', proto: 'HTTP/1.1', status: '200', size: '11', referer: 'http://ref.test/', ua: 'wharf-test/1.0', count: '1', router: 'web-app@file', serviceUrl: 'http://10.0.0.7:8080',
  });
  const second = COMMON.exec(lines[1]!)!;
  t.is(second[7], '404');
  t.is(second[8], '4', 'chunked body size counted');
  t.is(second[11], '2', 'RequestCount increases');
});

test('genericCLF stops after the user agent', async (t) => {
  const [line] = await logLines({ format: 'genericCLF' }, ['/ok']);
  t.regex(line!, /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/ok HTTP\/1\.1" 200 11 "http:\/\/ref\.test\/" "wharf-test\/1\.0"$/);
});

test('json format uses Traefik\'s field names and types', async (t) => {
  const [line] = await logLines({ format: 'json' }, ['/ok?x=1']);
  const e = JSON.parse(line!) as Record<string, unknown>;
  t.like(e, {
    RouterName: 'web-app@file', ServiceName: 'app@file', ServiceURL: 'http://10.0.0.7:8080', ServiceAddr: '10.0.0.7:8080',
    ClientHost: '127.0.0.1', RequestMethod: 'GET', RequestPath: '/ok?x=1', RequestProtocol: 'HTTP/1.1', RequestScheme: 'http',
    DownstreamStatus: 200, DownstreamContentSize: 11, OriginStatus: 200, RequestCount: 1, RetryAttempts: 0, level: 'info',
  });
  t.regex(String(e.ClientAddr), /^127\.0\.0\.1:\d+$/);
  t.is(e.RequestHost, '127.0.0.1');
  t.regex(String(e.RequestPort), /^\d+$/);
  t.true(typeof e.Duration === 'number' && e.Duration > 0, 'Duration in nanoseconds');
  t.false(Number.isNaN(Date.parse(String(e.StartUTC))));
  t.regex(String(e.StartLocal), /[+-]\d{2}:\d{2}$/);
  t.false(Object.keys(e).some((k) => k.startsWith('request_')), 'headers are dropped by default');
});

const filterCases: Array<{ title: string; filters: Partial<AccessLogConfig['filters']>; expect: string[] }> = [
  { title: 'no filter keeps everything', filters: {}, expect: ['200', '404', '301', '200'] },
  { title: 'status ranges', filters: { statusCodes: ['300-302', '404'] }, expect: ['404', '301'] },
  { title: 'comma list in one value', filters: { statusCodes: ['200,404'] }, expect: ['200', '404', '200'] },
  { title: 'minDuration', filters: { minDuration: 80 }, expect: ['200'] },
  { title: 'any matching filter keeps the line', filters: { statusCodes: ['301'], minDuration: 80 }, expect: ['301', '200'] },
  { title: 'retryAttempts alone keeps nothing without retries', filters: { retryAttempts: true }, expect: [] },
];
for (const c of filterCases) {
  test(`filters: ${c.title}`, async (t) => {
    const lines = await logLines({ format: 'json', filters: { ...base.filters, ...c.filters } }, ['/ok', '/missing', '/moved', '/slow']);
    t.deepEqual(lines.map((l) => String((JSON.parse(l) as { DownstreamStatus: number }).DownstreamStatus)), c.expect);
  });
}

test('status range parsing rejects nonsense with a ConfigError', (t) => {
  t.deepEqual(parseStatusRanges(['200', '300-302, 500']), [[200, 200], [300, 302], [500, 500]]);
  for (const bad of ['2xx', '302-300', '20']) t.throws(() => parseStatusRanges([bad]), { instanceOf: ConfigError });
  t.true(compileFilters({ statusCodes: [], retryAttempts: false, minDuration: 0 }).keep(500, 0, 0));
});

test('fields: per-name drop, defaultMode drop with keeps, header keep/redact', async (t) => {
  const headers = { 'x-request-id': 'abc', authorization: 'Bearer secret-token' };
  const [dropOne] = await logLines({ format: 'json', fields: { ...base.fields, names: { ClientHost: 'drop', StartLocal: 'drop' } } }, ['/ok'], headers);
  const a = JSON.parse(dropOne!) as Record<string, unknown>;
  t.false('ClientHost' in a);
  t.false('StartLocal' in a);
  t.true('ClientAddr' in a);

  const [onlyKept] = await logLines({ format: 'json', fields: { defaultMode: 'drop', names: { RequestPath: 'keep', DownstreamStatus: 'keep' }, headers: { defaultMode: 'keep', names: { Authorization: 'redact', 'User-Agent': 'drop' } } } }, ['/ok'], headers);
  const b = JSON.parse(onlyKept!) as Record<string, unknown>;
  t.is(b.RequestPath, '/ok');
  t.is(b.DownstreamStatus, 200);
  t.false('RouterName' in b);
  t.is(b['request_X-Request-Id'], 'abc');
  t.is(b.request_Authorization, 'REDACTED');
  t.false('request_User-Agent' in b);
  t.is(b['downstream_X-Backend'], 'seven');
  t.false(dropOne!.includes('secret-token'));
  t.false(onlyKept!.includes('secret-token'));

  const [common] = await logLines({ fields: { ...base.fields, names: { RouterName: 'drop' }, headers: { defaultMode: 'drop', names: { 'User-Agent': 'redact' } } } }, ['/ok']);
  const m = COMMON.exec(common!)!;
  t.is(m[10], 'REDACTED');
  t.is(m[12], '-', 'a dropped field shows as "-" in the common line');
});

test('buffered lines wait for bufferingSize, then a flush; close writes the rest', async (t) => {
  const written: string[] = [];
  const writer = new LineWriter({ stream: { write: (s: string) => written.push(s) } }, 3, 60_000);
  writer.write('a');
  writer.write('b');
  t.deepEqual(written, []);
  writer.write('c');
  t.deepEqual(written, ['a\nb\nc\n']);
  writer.write('d');
  writer.close();
  t.deepEqual(written, ['a\nb\nc\n', 'd\n']);
  writer.write('e');
  t.is(written.length, 2, 'nothing after close');
});

test('unbuffered lines of one tick go out in one write', async (t) => {
  const written: string[] = [];
  const writer = new LineWriter({ stream: { write: (s: string) => written.push(s) } }, 0);
  writer.write('a');
  writer.write('b');
  t.deepEqual(written, []);
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(written, ['a\nb\n']);
  writer.close();
});
