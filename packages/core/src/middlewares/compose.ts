import type { ServerResponse } from 'node:http';
import { errorMessage } from '../errors.js';
import type { Handler, WharfRequest } from './middleware-factory.js';

/** A handler at the end of a chain: it answers and never calls `next`. */
export type TerminalHandler = (req: WharfRequest, res: ServerResponse) => void;

/** Called when a middleware passes an error to `next`, throws, or returns a promise that rejects. */
export type ChainErrorHandler = (req: WharfRequest, res: ServerResponse, err: unknown) => void;

/**
 * Composes middlewares (first = outermost, as Traefik runs them in declared order) in front of
 * a terminal handler. Composition happens once per build; per request only the `next`
 * closures are created.
 *
 * Like Hono's `compose`, the chain is async-aware: a middleware that throws, or returns a promise
 * that rejects, before calling `next` is answered by `onError` (a 500 unless the error carries a
 * status) and logged through the entry point's logger (with the router, and the handler
 * function's name as `middleware`), so the request never stays open (nor
 * holds up a graceful shutdown). An error after `next` is only logged: the rest of the chain owns
 * the response by then. A second call of `next` is ignored with a warning; it would run the rest
 * of the chain twice on one response.
 */
export function compose(
  middlewares: readonly Handler[],
  terminal: TerminalHandler,
  onError: ChainErrorHandler,
): TerminalHandler {
  let handler: TerminalHandler = function terminalHandler(req, res): void {
    // Caught here, once: a throw from the end of the chain would otherwise unwind through every
    // middleware.
    try {
      terminal(req, res);
    } catch (err) {
      const fields = { router: req.wharf.router, err: errorMessage(err) };
      req.wharf.logger?.error(fields, 'request handler failed, answering 500');
      onError(req, res, err);
    }
  };
  for (let i = middlewares.length - 1; i >= 0; i--) {
    const middleware = middlewares[i]!;
    const inner = handler;
    handler = function chained(req, res): void {
      let called = false;
      const failed = (err: unknown): void => {
        const name = middleware.name || 'anonymous';
        const fields = { router: req.wharf.router, middleware: name, err: errorMessage(err) };
        const msg = called ? 'middleware failed after passing the request on' : 'middleware failed, answering 500';
        req.wharf.logger?.error(fields, msg);
        if (called) return;
        called = true;
        onError(req, res, err);
      };
      try {
        const result: unknown = middleware(req, res, (err?: unknown) => {
          if (called) {
            const fields = { router: req.wharf.router, middleware: middleware.name || 'anonymous' };
            req.wharf.logger?.warn(fields, 'middleware called next() twice; the second call is ignored');
            return;
          }
          called = true;
          if (err !== undefined && err !== null && err !== 'route' && err !== 'router') onError(req, res, err);
          else inner(req, res);
        });
        if (isThenable(result)) result.then(undefined, failed);
      } catch (err) {
        failed(err);
      }
    };
  }
  return handler;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
