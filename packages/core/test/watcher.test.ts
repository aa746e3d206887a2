import test from 'ava';
import { ConfigurationWatcher } from '../src/watcher/configuration-watcher.js';
import { mergeSnapshots } from '../src/runtime/merge.js';
import { silentLogger } from '../src/logger.js';
import type { DynamicConfiguration } from '../src/config/dynamic/types.js';

const cfg = (host: string): DynamicConfiguration => ({ http: { routers: { r: { rule: `Host(\`${host}\`)`, service: 's' } }, services: { s: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:1' }] } } } } });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Lets the watcher's coalesced rebuild (one per event-loop turn) run. */
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

function recorder(throttleMs: number): { watcher: ConfigurationWatcher; seen: string[] } {
  const watcher = new ConfigurationWatcher([], throttleMs, silentLogger());
  const seen: string[] = [];
  watcher.onChange((snapshots) => seen.push([...snapshots].map(([p, c]) => `${p}:${c.http?.routers?.r?.rule ?? '-'}`).join(',')));
  return { watcher, seen };
}

test('the first message passes at once, a burst keeps only the newest, after the throttle', async (t) => {
  const { watcher, seen } = recorder(200);
  watcher.receive({ providerName: 'p', configuration: cfg('a') });
  await turn();
  t.deepEqual(seen, ['p:Host(`a`)']);
  watcher.receive({ providerName: 'p', configuration: cfg('b') });
  watcher.receive({ providerName: 'p', configuration: cfg('c') });
  await turn();
  t.is(seen.length, 1, 'muted during the throttle window');
  await sleep(300);
  t.deepEqual(seen, ['p:Host(`a`)', 'p:Host(`c`)']);
  await watcher.stop();
});

test('throttling is per provider; changes of one turn are one rebuild', async (t) => {
  const { watcher, seen } = recorder(10_000);
  watcher.receive({ providerName: 'p', configuration: cfg('a') });
  await turn();
  watcher.receive({ providerName: 'q', configuration: cfg('b') });
  await turn();
  t.deepEqual(seen, ['p:Host(`a`)', 'p:Host(`a`),q:Host(`b`)']);
  watcher.receive({ providerName: 'r', configuration: cfg('c') });
  watcher.receive({ providerName: 's', configuration: cfg('d') });
  await turn();
  t.deepEqual(seen.slice(2), ['p:Host(`a`),q:Host(`b`),r:Host(`c`),s:Host(`d`)'], 'two providers publishing together: one rebuild');
  await watcher.stop();
});

test('an unchanged snapshot is ignored, whatever its key order', async (t) => {
  const { watcher, seen } = recorder(0);
  watcher.receive({ providerName: 'p', configuration: cfg('a') });
  await turn();
  const reordered = JSON.parse(JSON.stringify(cfg('a'))) as DynamicConfiguration;
  const http = reordered.http!;
  reordered.http = { services: http.services, routers: http.routers };
  watcher.receive({ providerName: 'p', configuration: reordered });
  await turn();
  t.is(seen.length, 1);
  watcher.receive({ providerName: 'p', configuration: cfg('z') });
  await turn();
  t.is(seen.length, 2);
  await watcher.stop();
});

test('a first empty snapshot is skipped, a later empty one removes the routes', async (t) => {
  const { watcher, seen } = recorder(0);
  watcher.receive({ providerName: 'p', configuration: { http: { routers: {} } } });
  await turn();
  t.is(seen.length, 0);
  watcher.receive({ providerName: 'p', configuration: cfg('a') });
  await turn();
  watcher.receive({ providerName: 'p', configuration: { http: { routers: {} } } });
  await turn();
  t.deepEqual(seen, ['p:Host(`a`)', 'p:-']);
  await watcher.stop();
});

test('merge qualifies names and references in the referencing provider', (t) => {
  const runtime = mergeSnapshots(
    new Map<string, DynamicConfiguration>([
      ['file', { http: { routers: { web: { rule: 'Host(`x`)', service: 'api', middlewares: ['auth', 'strip@ecs'] } }, services: { api: { weighted: { services: [{ name: 'a' }, { name: 'b@ecs' }] } } }, middlewares: { auth: { stripPrefix: { prefixes: ['/a'] } } } } }],
      ['ecs', { http: { routers: { web: { rule: 'Host(`y`)', service: 'api@file' } }, middlewares: { strip: { stripPrefix: { prefixes: ['/b'] } } } } }],
    ]),
  );
  t.deepEqual([...runtime.routers.keys()].sort(), ['web@ecs', 'web@file']);
  const web = runtime.routers.get('web@file')!;
  t.is(web.config.service, 'api@file');
  t.deepEqual(web.config.middlewares, ['auth@file', 'strip@ecs']);
  t.is(runtime.routers.get('web@ecs')!.config.service, 'api@file');
  t.deepEqual(runtime.services.get('api@file')!.config.weighted!.services!.map((s) => s.name), ['a@file', 'b@ecs']);
  t.is(runtime.services.get('api@file')!.type, 'weighted');
  t.is(runtime.middlewares.get('auth@file')!.type, 'stripprefix');
});
