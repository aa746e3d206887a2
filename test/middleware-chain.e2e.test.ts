import { once } from 'node:events';
import { connect } from 'node:net';
import test from 'ava';
import { request } from 'undici';
import { container as rootContainer } from 'tsyringe';
import { loadConfiguration } from '@wharf/cli';
import type { Handler, Logger, MiddlewareFactory, Provider, RouterConfig } from '@wharf/core';
import { register, Tokens, Wharf } from '@wharf/core';
import { startBackend, type Backend } from './helpers/backend.js';
import { freePort, waitFor } from './helpers/net.js';
import { testDir } from './helpers/wharf-process.js';

// Issue 12, bug 3: a real kernel on loopback with a middleware plugin that fails the ways plugin
// middlewares do (an async function that rejects, a throw, next() called twice).

interface Line {
  readonly level: string;
  readonly fields: Record<string, unknown>;
  readonly msg: string;
}

/** A Logger that keeps every line, child fields included. */
function recordingLogger(lines: Line[], base: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (a: object | string, b?: string): void => {
    lines.push(typeof a === 'string' ? { level, fields: base, msg: a } : { level, fields: { ...base, ...a }, msg: b ?? '' });
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => recordingLogger(lines, { ...base, ...fields }), isLevelEnabled: () => true } as Logger;
}

const failing = {
  type: 'failing',
  create(_ctx, config): Handler {
    if (config.mode === 'reject') {
      return async function rejecting(): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('database unreachable');
      } as unknown as Handler;
    }
    if (config.mode === 'throw') {
      return function throwing(): void {
        throw new Error('sync failure');
      };
    }
    return function twice(_req, _res, next): void {
      next();
      next();
    };
  },
} satisfies MiddlewareFactory<{ mode: string }>;

class StaticProvider implements Provider {
  readonly name = 'static';
  constructor(private readonly backend: string) {}
  async init(): Promise<void> {}
  async provide(emit: Parameters<Provider['provide']>[0], signal: AbortSignal): Promise<void> {
    const route = (host: string, middlewares: string[]): RouterConfig => ({ rule: `Host(\`${host}\`)`, service: 'app', middlewares });
    emit({
      providerName: this.name,
      configuration: {
        http: {
          routers: { ready: route('ready.test', []), reject: route('reject.test', ['reject']), throw: route('throw.test', ['throw']), twice: route('twice.test', ['twice']) },
          services: { app: { loadBalancer: { servers: [{ url: this.backend }] } } },
          middlewares: { reject: { failing: { mode: 'reject' } }, throw: { failing: { mode: 'throw' } }, twice: { failing: { mode: 'twice' } } },
        },
      },
    });
    await once(signal, 'abort');
  }
}

let backend: Backend;
test.before(async () => {
  backend = await startBackend('app');
});
test.after.always(() => backend?.close());

test('a rejecting or throwing middleware answers 500 and is logged; a second next() is ignored; shutdown does not wait', async (t) => {
  const port = await freePort();
  const { config } = await loadConfiguration({ argv: [`--entryPoints.web.address=127.0.0.1:${port}`, '--entryPoints.web.transport.lifeCycle.graceTimeOut=5s', '--providers.providersThrottleDuration=0s'], env: {}, cwd: testDir });
  const lines: Line[] = [];
  // The kernel's own wiring (core's register) plus the failing middleware type and a provider.
  const container = rootContainer.createChildContainer();
  register(container, config.config, recordingLogger(lines));
  container.register(Tokens.MiddlewareFactory, { useValue: failing });
  container.register(Tokens.Provider, { useValue: new StaticProvider(backend.url) });
  const wharf = container.resolve(Wharf);
  await wharf.start();
  let stopped = false;
  t.teardown(async () => {
    if (!stopped) await wharf.stop();
  });
  const web = `http://127.0.0.1:${port}`;
  const get = async (host: string): Promise<number> => {
    const res = await request(web + '/', { headers: { host }, headersTimeout: 3_000, bodyTimeout: 3_000 });
    await res.body.text();
    return res.statusCode;
  };
  await waitFor(async () => (await get('ready.test')) === 200, 10_000, 'the routes');

  t.is(await get('reject.test'), 500, 'a rejected promise is answered');
  t.is(await get('throw.test'), 500, 'a throw is answered');
  const failures = lines.filter((l) => l.level === 'error' && l.fields.router === 'reject@static');
  t.is(failures.length, 1, JSON.stringify(lines));
  t.like(failures[0]!.fields, { entryPoint: 'web', err: 'database unreachable', middleware: 'rejecting' });
  t.true(lines.some((l) => l.level === 'error' && l.fields.err === 'sync failure'));

  const before = backend.count();
  t.is(await get('twice.test'), 200);
  t.is(backend.count(), before + 1, 'forwarded once');
  t.true(lines.some((l) => l.level === 'warn' && l.fields.router === 'twice@static' && /next\(\) twice/.test(l.msg)));

  // A failing request in progress when the shutdown begins: it is answered, so the shutdown is quick.
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
  socket.write('GET / HTTP/1.1\r\nHost: reject.test\r\n\r\n');
  await new Promise((resolve) => setTimeout(resolve, 1));
  const startedAt = performance.now();
  await wharf.stop();
  stopped = true;
  const ms = performance.now() - startedAt;
  t.true(ms < 2_000, `shutdown took ${Math.round(ms)} ms (graceTimeOut 5 s)`);
  t.regex(answer, /^HTTP\/1\.1 500 /);
  socket.destroy();
});
