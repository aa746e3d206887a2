import type { ServerResponse } from 'node:http';
import type { Handler, WharfRequest } from './middleware-factory.js';

/** A handler at the end of a chain: it answers and never calls `next`. */
export type TerminalHandler = (req: WharfRequest, res: ServerResponse) => void;

/** Called when a middleware passes an error to `next`. */
export type ChainErrorHandler = (req: WharfRequest, res: ServerResponse, err: unknown) => void;

/**
 * Composes middlewares (first = outermost, as Traefik runs them in declared order) in front of
 * a terminal handler. Composition happens once per build; per request only the `next`
 * closures are created.
 */
export function compose(middlewares: readonly Handler[], terminal: TerminalHandler, onError: ChainErrorHandler): TerminalHandler {
  let handler = terminal;
  for (let i = middlewares.length - 1; i >= 0; i--) {
    const middleware = middlewares[i]!;
    const inner = handler;
    handler = function chained(req, res): void {
      let called = false;
      try {
        middleware(req, res, (err?: unknown) => {
          if (called) return;
          called = true;
          if (err !== undefined && err !== null && err !== 'route' && err !== 'router') onError(req, res, err);
          else inner(req, res);
        });
      } catch (err) {
        if (!called) {
          called = true;
          onError(req, res, err);
        }
      }
    };
  }
  return handler;
}
