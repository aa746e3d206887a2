import type { ServerResponse } from 'node:http';
import test from 'ava';
import type { Logger } from '../src/logger.js';
import { compose } from '../src/middlewares/compose.js';
import type { Handler, WharfRequest } from '../src/middlewares/middleware-factory.js';

// Hono's compose is the model (STYLE.md): async-aware, a rejected promise or a throw becomes the
// chain's error answer, a second next() does not run the rest of the chain twice.

interface Run {
  readonly errors: unknown[];
  readonly reached: string[];
  readonly logged: Array<{ level: string; msg: string; fields: Record<string, unknown> }>;
}

function run(middlewares: Handler[], terminal?: () => void): { run: Run; done: Promise<void> } {
  const r: Run = { errors: [], reached: [], logged: [] };
  const log = (level: string) => (fields: Record<string, unknown>, msg: string): void => void r.logged.push({ level, msg, fields });
  const logger = { error: log('error'), warn: log('warn') } as unknown as Logger;
  const req = { wharf: { router: 'r@test', logger } } as unknown as WharfRequest;
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  const handler = compose(
    middlewares,
    () => {
      r.reached.push('terminal');
      terminal?.();
      settle();
    },
    (_req, _res, err) => {
      r.errors.push(err);
      settle();
    },
  );
  handler(req, {} as ServerResponse);
  return { run: r, done };
}

const pass: Handler = (_req, _res, next) => next();

test('compose: an async middleware that rejects before next() reaches onError, and is logged', async (t) => {
  const boom = new Error('boom');
  const { run: r, done } = run([pass, (async () => Promise.reject(boom)) as unknown as Handler, pass]);
  await done;
  t.deepEqual(r.errors, [boom]);
  t.deepEqual(r.reached, []);
  t.is(r.logged.length, 1);
  t.like(r.logged[0], { level: 'error', fields: { router: 'r@test', err: 'boom' } });
});

test('compose: a middleware that throws reaches onError once', async (t) => {
  const { run: r, done } = run([
    pass,
    () => {
      throw new Error('sync');
    },
  ]);
  await done;
  t.is(r.errors.length, 1);
  t.deepEqual(r.reached, []);
  t.like(r.logged[0], { level: 'error', fields: { err: 'sync' } });
});

test('compose: an error passed to next() reaches onError without an error log', async (t) => {
  const err = Object.assign(new Error('denied'), { status: 403 });
  const { run: r, done } = run([(_req, _res, next) => next(err)]);
  await done;
  t.deepEqual(r.errors, [err]);
  t.deepEqual(r.logged, []);
});

test('compose: a second next() is ignored with a warning', async (t) => {
  const { run: r, done } = run([
    (_req, _res, next) => {
      next();
      next();
    },
  ]);
  await done;
  t.deepEqual(r.reached, ['terminal']);
  t.deepEqual(r.errors, []);
  t.is(r.logged.filter((l) => l.level === 'warn').length, 1);
});

test('compose: a rejection after next() is logged, not answered twice', async (t) => {
  const { run: r, done } = run([
    (async (_req: WharfRequest, _res: ServerResponse, next: () => void) => {
      next();
      throw new Error('late');
    }) as unknown as Handler,
  ]);
  await done;
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(r.reached, ['terminal']);
  t.deepEqual(r.errors, []);
  t.like(r.logged[0], { level: 'error', fields: { err: 'late' } });
});

test('compose: a terminal handler that throws reaches onError once, logged once', async (t) => {
  const { run: r } = run([pass, pass], () => {
    throw new Error('terminal');
  });
  t.is(r.errors.length, 1);
  t.is(r.logged.length, 1);
});
