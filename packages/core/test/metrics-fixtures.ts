import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WharfRequest } from '../src/middlewares/middleware-factory.js';
import { RequestFacts } from '../src/rules/index.js';
import type { RequestObserver } from '../src/server/request-observer.js';
import { serve } from './api-fixtures.js';

/** What the fake router decides for a request: which router/service answered and how. */
export interface Routed {
  router?: string;
  service?: string;
  serverUrl?: string;
  status: number;
  body?: string;
  /** Write the body in chunks without content-length. */
  chunked?: boolean;
  delayMs?: number;
  headers?: Record<string, string>;
}

/**
 * A loopback server that behaves like an entry point towards observers: it sets `req.wharf`,
 * calls `requestStarted` when the observer has it, and `requestDone` when the response closes.
 */
export async function observedServer(observers: Array<RequestObserver & { requestStarted?(req: WharfRequest, res: ServerResponse): void }>, route: (req: IncomingMessage) => Routed) {
  return serve((req, res) => {
    const wreq = req as WharfRequest;
    wreq.wharf = { entryPoint: 'web', facts: new RequestFacts(req, req.url ?? '/'), scheme: 'http', peerAddress: req.socket.remoteAddress ?? '', trustForwardedHeaders: false };
    for (const o of observers) o.requestStarted?.(wreq, res);
    const startedAt = performance.now();
    res.once('close', () => {
      for (const o of observers) o.requestDone(wreq, res, { startedAt, durationMs: performance.now() - startedAt, aborted: !res.writableFinished });
    });
    const r = route(req);
    Object.assign(wreq.wharf, { router: r.router, service: r.service, serverUrl: r.serverUrl });
    // A middleware rewriting the URL must not change what the access log reports.
    req.url = '/rewritten';
    const send = (): void => {
      res.statusCode = r.status;
      for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
      if (r.chunked) {
        res.write(r.body?.slice(0, 3) ?? '');
        res.end(r.body?.slice(3) ?? '');
      } else res.end(r.body ?? '');
    };
    req.resume();
    req.once('end', () => (r.delayMs ? setTimeout(send, r.delayMs) : send()));
  });
}
