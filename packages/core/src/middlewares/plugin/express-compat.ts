/**
 * What Express middleware expects of `req` and `res`, given to Wharf's requests only when an
 * Express middleware is about to run (routes without one pay nothing).
 *
 * It is Express's own request and response prototypes (`req.get`, `req.query`, `req.hostname`,
 * `res.status`, `res.set`, `res.json`, `res.send` …), as Express's `init` middleware installs
 * them, on an internal Express application with Express's defaults; `req.ip` and `req.ips` are
 * the client address Wharf routes on (the TCP peer, as Traefik's `ClientIP` and its rate limiter
 * by default), not Express's `trust proxy` reading.
 */
import express from 'express';
import type { ServerResponse } from 'node:http';
import type { NextFunction, WharfRequest } from '../middleware-factory.js';

const app = express();
app.disable('x-powered-by');
Object.defineProperty(app.request, 'ip', {
  configurable: true,
  enumerable: true,
  get(this: WharfRequest): string | undefined {
    return this.wharf?.facts.clientIp || this.socket?.remoteAddress;
  },
});
Object.defineProperty(app.request, 'ips', {
  configurable: true,
  enumerable: true,
  get(): string[] {
    return [];
  },
});

/** Gives `req` and `res` Express's prototypes (idempotent), as Express's own init middleware does. */
export function expressify(req: WharfRequest, res: ServerResponse, next: NextFunction): void {
  if (Object.getPrototypeOf(req) === app.request) {
    (req as unknown as { next: NextFunction }).next = next;
    return;
  }
  Object.setPrototypeOf(req, app.request);
  Object.setPrototypeOf(res, app.response);
  const r = req as unknown as { res: ServerResponse; next: NextFunction };
  const s = res as unknown as { req: WharfRequest; locals?: Record<string, unknown> };
  r.res = res;
  r.next = next;
  s.req = req;
  s.locals ??= Object.create(null) as Record<string, unknown>;
}
