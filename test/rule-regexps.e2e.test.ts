import { Agent, request } from 'undici';
import test from 'ava';
import { startBackend, type Backend } from './helpers/backend.js';
import { waitFor } from './helpers/net.js';
import { ExampleConfig, startWharf, type WharfProcess } from './helpers/wharf-process.js';

// Issue 12 hardening: rule regexps run on RE2 semantics (re2js), in time linear in the input, as
// Traefik's run on Go's RE2. With a backtracking engine, ^(a+)+$ against a long host never ends
// and the whole event loop, so every other client, waits with it.

let backend: Backend;
let wharf: WharfProcess;
test.before(async () => {
  backend = await startBackend('ok');
  const config = await ExampleConfig.create({
    http: {
      routers: {
        evil: { rule: 'HostRegexp(`^(a+)+$`) || HeaderRegexp(`X-Token`, `^(a|aa)+$`) || PathRegexp(`^/(x+x+)+y$`)', service: 'ok' },
        ok: { rule: 'Host(`ok.test`)', service: 'ok' },
      },
      services: { ok: { loadBalancer: { servers: [{ url: backend.url }] } } },
    },
  });
  // The default head limit (16 KiB) would refuse a 50 KB Host before routing: raise it.
  wharf = await startWharf(['web'], ['--entryPoints.web.http.maxHeaderBytes=262144', ...config.args()]);
  await waitFor(async () => (await request(wharf.urls.web! + '/', { headers: { host: 'ok.test' } }).then(async (r) => (await r.body.text(), r.statusCode))) === 200, 10_000, 'the routes');
});
test.after.always(async () => {
  await wharf?.stop();
  await backend?.close();
});

test('hostile inputs against catastrophic rule regexps do not block other clients', async (t) => {
  const web = wharf.urls.web!;
  const evilAgent = new Agent({ headersTimeout: 10_000, bodyTimeout: 10_000 });
  const okAgent = new Agent({ connections: 1 });
  t.teardown(() => Promise.all([evilAgent.close(), okAgent.close()]));
  const hostile: Array<Record<string, string>> = [
    { host: `${'a'.repeat(50 * 1024)}!` },
    { host: 'nobody.test', 'x-token': `${'a'.repeat(50 * 1024)}!` },
    { host: 'nobody.test', path: `/${'x'.repeat(20 * 1024)}` },
  ];
  const evil = async (h: Record<string, string>): Promise<number> => {
    const { path = '/', ...headers } = h;
    const res = await request(web + path, { headers, dispatcher: evilAgent });
    await res.body.text();
    return res.statusCode;
  };
  // Each one alone: answered (none matches), quickly.
  for (const h of hostile) {
    const startedAt = performance.now();
    t.is(await evil(h), 404);
    t.log(`hostile ${Object.keys(h).join('+')}: ${Math.round(performance.now() - startedAt)} ms`);
  }
  const timeOk = async (): Promise<number> => {
    const startedAt = performance.now();
    const res = await request(web + '/', { headers: { host: 'ok.test' }, dispatcher: okAgent });
    await res.body.text();
    t.is(res.statusCode, 200);
    return performance.now() - startedAt;
  };
  const series = async (): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < 21; i++) {
      out.push(await timeOk());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return out.sort((a, b) => a - b);
  };
  const quiet = await series();
  // Then in a loop while another client's requests are timed.
  let stop = false;
  let hostileAnswered = 0;
  const attack = (async () => {
    for (let i = 0; !stop; i++) {
      await evil(hostile[i % hostile.length]!);
      hostileAnswered++;
    }
  })();
  const busy = await series();
  stop = true;
  await attack;
  const show = (l: number[]): string => `median ${l[10]!.toFixed(1)} ms, max ${l[20]!.toFixed(1)} ms`;
  t.log(`another client alone: ${show(quiet)}; during ${hostileAnswered} hostile requests: ${show(busy)}`);
  t.true(hostileAnswered > 0);
  // The median, not the maximum: on a shared CI machine one request can wait for the scheduler.
  t.true(busy[10]! < 50, `another client waited ${busy[10]!.toFixed(1)} ms (median)`);
  t.true(busy[20]! < 1_000, `another client waited ${busy[20]!.toFixed(1)} ms (max)`);
});
